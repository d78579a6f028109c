import ReceptionClient
import ReceptionProtocol
import Testing

/// The `x-positional` and `x-aliases` schema annotations: `receptionctl parcels pickup K7M3 P2Q4 --by 王芳`.
@Suite("ParamsBuilder: positional values and option aliases")
struct ParamsBuilderPositionalTests {
    static let pickupJSON = """
        {"name":"parcels.pickup","plugin":"parcels","description":"Hands out items.","access":"write","role":"operator",
         "params":{"type":"object","properties":{
            "codes":{"type":"array","items":{"type":"string","maxLength":16},"maxItems":50,"x-positional":true},
            "collectedBy":{"type":"string","x-aliases":["by"]},
            "proxy":{"type":"boolean"},
            "idType":{"type":"string"},
            "idLast4":{"type":"string","maxLength":4}
         },"required":["codes","collectedBy","idType","idLast4"],"additionalProperties":false}}
        """
    static let notifyJSON = """
        {"name":"parcels.notify","plugin":"parcels","access":"write",
         "params":{"type":"object","properties":{
            "code":{"type":"string","x-positional":true},
            "channel":{"type":"string","enum":["phone","sms"]},
            "by":{"type":"string"}
         },"required":["code","channel"],"additionalProperties":false}}
        """

    static func method(_ json: String) throws -> MethodInfo {
        guard let method = MethodInfo(json: try JSONValue.parse(json)) else {
            throw UsageError("fixture did not parse")
        }
        return method
    }

    let pickup: MethodInfo
    let notify: MethodInfo

    init() throws {
        pickup = try Self.method(Self.pickupJSON)
        notify = try Self.method(Self.notifyJSON)
    }

    @Test("The annotations are read from the schema")
    func readsAnnotations() throws {
        #expect(pickup.positionalParam?.name == "codes")
        #expect(pickup.param(named: "codes")?.positional == true)
        #expect(pickup.param(named: "collectedBy")?.aliases == ["by"])
        #expect(pickup.param(named: "by")?.name == "collectedBy")
        #expect(pickup.param(named: "collected-by")?.name == "collectedBy")
        #expect(pickup.param(named: "id-last4")?.name == "idLast4")
        #expect(try Fixtures.noteAdd().positionalParam == nil)
    }

    @Test("Bare words fill an array property, in order, mixed with options")
    func bareWordsFillTheArray() throws {
        let params = try ParamsBuilder.build(
            options: ["K7M3", "P2Q4", "--by", "王芳", "--id-type", "id_card", "--id-last4", "1234", "A2B3"], for: pickup)
        #expect(
            params == [
                "codes": ["K7M3", "P2Q4", "A2B3"], "collectedBy": "王芳", "idType": "id_card", "idLast4": "1234",
            ])
    }

    @Test("The property's own option still works, and adds to the bare words")
    func optionAndWordsCombine() throws {
        let params = try ParamsBuilder.build(
            options: [
                "K7M3", "--codes", "P2Q4", "--collected-by", "Li", "--id-type", "passport", "--id-last4", "0042",
            ],
            for: pickup)
        #expect(params["codes"] == ["K7M3", "P2Q4"])
        #expect(params["collectedBy"] == "Li")
    }

    @Test("A switch before a bare word does not swallow it")
    func switchThenWord() throws {
        let params = try ParamsBuilder.build(
            options: ["--proxy", "K7M3", "--by", "x", "--id-type", "t", "--id-last4", "1234"], for: pickup)
        #expect(params["proxy"] == true)
        #expect(params["codes"] == ["K7M3"])
    }

    @Test("After --, every word is positional, even one starting with a dash")
    func doubleDash() throws {
        let params = try ParamsBuilder.build(
            options: ["--by", "x", "--id-type", "t", "--id-last4", "1234", "--", "-K7M3", "--help"], for: pickup)
        #expect(params["codes"] == ["-K7M3", "--help"])
        #expect(!ParamsBuilder.wantsHelp(["--", "--help"], for: pickup))
    }

    @Test("A scalar positional property takes one word")
    func scalarTakesOneWord() throws {
        let params = try ParamsBuilder.build(options: ["K7M3", "--channel", "sms", "--by", "li.na"], for: notify)
        #expect(params == ["code": "K7M3", "channel": "sms", "by": "li.na"])
        #expect(throws: UsageError.self) {
            try ParamsBuilder.build(options: ["K7M3", "P2Q4", "--channel", "sms"], for: notify)
        }
        #expect(throws: UsageError.self) {
            try ParamsBuilder.build(options: ["K7M3", "--code", "P2Q4", "--channel", "sms"], for: notify)
        }
    }

    @Test("Without a positional property a bare word is still an error")
    func strayWordWithoutPositional() throws {
        let method = try Fixtures.noteAdd()
        do {
            _ = try ParamsBuilder.build(options: ["--text", "x", "stray"], for: method)
            Issue.record("a stray word was accepted")
        } catch {
            #expect(error.message.contains("unexpected argument 'stray'"), "\(error.message)")
        }
    }

    @Test("Words past a method name are its positional values only when it takes them")
    func splitsPositionalsFromWords() throws {
        let methods = [pickup, notify, try Fixtures.noteAdd()]
        let split = ParamsBuilder.splitPositionals(["parcels", "pickup", "K7M3", "P2Q4"], methods: methods)
        #expect(split.words == ["parcels", "pickup"])
        #expect(split.positionals == ["K7M3", "P2Q4"])
        // An exact name, and a method without positional values, are left alone.
        #expect(ParamsBuilder.splitPositionals(["parcels", "pickup"], methods: methods).positionals.isEmpty)
        let stray = ParamsBuilder.splitPositionals(["example", "note", "add", "extra"], methods: methods)
        #expect(stray.words == ["example", "note", "add", "extra"])
        #expect(stray.positionals.isEmpty)
        #expect(ParamsBuilder.splitPositionals(["nothing", "here"], methods: methods).words == ["nothing", "here"])
    }

    @Test("Annotations survive the trip through serialized JSON; an alias list may hold several names")
    func annotationsRoundTripThroughJSON() throws {
        // The shape the SDK's Schema.annotate(_:positional:aliases:) produces.
        let schema: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["code"],
            "properties": [
                "code": ["type": "string", "description": "Pickup code", "x-positional": true],
                "collectedBy": ["type": "string", "description": "Who", "x-aliases": ["by", "who"]],
            ],
        ]
        let json = #"{"name":"parcels.x","params":\#(schema.serialized())}"#
        let method = try Self.method(json)
        #expect(method.positionalParam?.name == "code")
        #expect(method.param(named: "who")?.name == "collectedBy")
    }
}
