import ReceptionClient
import ReceptionProtocol
import Testing

@Suite("ParamsBuilder")
struct ParamsBuilderTests {
    let method: MethodInfo

    init() throws {
        method = try Fixtures.noteAdd()
    }

    @Test func readsTheSchemaParamsByName() {
        #expect(method.name == "example.note.add")
        #expect(method.words == ["example", "note", "add"])
        #expect(
            method.params.map(\.name) == [
                "anything", "colour", "counts", "limit", "meta", "roomNumber", "tags", "text", "urgent", "weight",
            ])
        #expect(method.params.filter(\.required).map(\.name) == ["text"])
        #expect(method.param(named: "tags")?.kind == .array(items: .string))
        #expect(method.param(named: "colour")?.choices == ["red", "green"])
        #expect(method.param(named: "anything")?.kind == .any)
        #expect(!method.allowsOtherParams)
    }

    @Test func splitsWordsFromOptions() {
        let split = ParamsBuilder.splitWords(["example", "note", "add", "--text", "hi", "there"])
        #expect(split.words == ["example", "note", "add"])
        #expect(split.options == ["--text", "hi", "there"])
        #expect(ParamsBuilder.splitWords(["a", "b"]).options.isEmpty)
    }

    @Test func typesValuesBySchema() throws {
        let params = try ParamsBuilder.build(
            options: [
                "--text", "hi", "--limit", "5", "--weight", "2.5", "--urgent", "--tags", "A", "--tags", "B",
                "--counts", "1", "--counts=2", "--meta", #"{"k":[1,2]}"#, "--colour", "red",
            ],
            for: method)
        #expect(
            params == [
                "text": "hi", "limit": 5, "weight": 2.5, "urgent": true, "tags": ["A", "B"], "counts": [1, 2],
                "meta": ["k": [1, 2]], "colour": "red",
            ])
    }

    @Test func acceptsEqualsFormAndDashValues() throws {
        let params = try ParamsBuilder.build(options: ["--text=a=b", "--limit", "-5", "--weight=-0.5"], for: method)
        #expect(params == ["text": "a=b", "limit": -5, "weight": -0.5])
    }

    @Test func wholeNumbersForNumberStayIntegers() throws {
        let params = try ParamsBuilder.build(options: ["--text", "x", "--weight", "3"], for: method)
        #expect(params["weight"] == .int(3))
    }

    @Test func booleanForms() throws {
        #expect(try ParamsBuilder.build(options: ["--text", "x", "--urgent"], for: method)["urgent"] == true)
        #expect(try ParamsBuilder.build(options: ["--text", "x", "--urgent=false"], for: method)["urgent"] == false)
        #expect(try ParamsBuilder.build(options: ["--text", "x", "--urgent=TRUE"], for: method)["urgent"] == true)
        #expect(try ParamsBuilder.build(options: ["--text", "x", "--no-urgent"], for: method)["urgent"] == false)
    }

    @Test func kebabCaseAliases() throws {
        let params = try ParamsBuilder.build(options: ["--text", "x", "--room-number", "1203"], for: method)
        #expect(params["roomNumber"] == "1203")
        #expect(ParamSpec(name: "room_number", kind: .string).kebabName == "room-number")
        #expect(ParamSpec(name: "roomNumber", kind: .string).kebabName == "room-number")
    }

    @Test func untypedTakesJSONOrText() throws {
        #expect(try ParamsBuilder.build(options: ["--text", "x", "--anything", "42"], for: method)["anything"] == 42)
        #expect(try ParamsBuilder.build(options: ["--text", "x", "--anything", "[1]"], for: method)["anything"] == [1])
        #expect(
            try ParamsBuilder.build(options: ["--text", "x", "--anything", "P-7"], for: method)["anything"] == "P-7")
    }

    @Test func textIsNeverReinterpreted() throws {
        #expect(try ParamsBuilder.build(options: ["--text", "123"], for: method)["text"] == "123")
        #expect(try ParamsBuilder.build(options: ["--text", "true"], for: method)["text"] == "true")
        #expect(try ParamsBuilder.build(options: ["--text", "李娜 到了"], for: method)["text"] == "李娜 到了")
    }

    @Test(arguments: [
        (["--text", "x", "--bogus", "1"], "unknown option --bogus"),
        (["--text", "x", "--limit", "x"], "--limit needs a whole number"),
        (["--text", "x", "--limit", "2.5"], "--limit needs a whole number"),
        (["--text", "x", "--weight", "heavy"], "--weight needs a number"),
        (["--text"], "--text needs a value"),
        (["--text", "a", "--text", "b"], "--text was given more than once"),
        (["--text", "x", "stray"], "unexpected argument 'stray'"),
        (["--limit", "1"], "needs the option --text"),
        (["--text", "x", "--urgent", "false"], "--urgent is a switch"),
        (["--text", "x", "--urgent=maybe"], "--urgent is true or false"),
        (["--text", "x", "--meta", "[1]"], "--meta needs a JSON object"),
        (["--text", "x", "--colour", "blue"], "--colour must be one of: red, green"),
        (["--text", "x", "--counts", "one"], "--counts needs a whole number"),
        (["--text", "x", "--no-text"], "unknown option --no-text"),
    ])
    func rejectsBadCommandLines(options: [String], expected: String) {
        do {
            _ = try ParamsBuilder.build(options: options, for: method)
            Issue.record("expected a usage error for \(options)")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func findsHelpOutsideValues() {
        #expect(ParamsBuilder.wantsHelp(["--text", "x", "--help"], for: method))
        #expect(ParamsBuilder.wantsHelp(["-h"], for: method))
        #expect(!ParamsBuilder.wantsHelp(["--text", "--help"], for: method))
        #expect(ParamsBuilder.wantsHelp(["--urgent", "--help"], for: method))
    }

    @Test func noParamsNoOptions() throws {
        let ping = MethodInfo(name: "daemon.ping")
        #expect(try ParamsBuilder.build(options: [], for: ping) == [:])
    }
}

@Suite("MethodHelp and suggestions")
struct MethodHelpTests {
    @Test func usageLineListsRequiredFirst() throws {
        let method = try Fixtures.noteAdd()
        let usage = MethodHelp.usageLine(method)
        #expect(
            usage.hasPrefix("receptionctl example note add --text <string> [--anything <value>] [--colour <string>]"))
        #expect(usage.contains("[--urgent]"))
        #expect(usage.contains("[--tags <string> ...]"))
        #expect(usage.hasSuffix("[--json]"))
    }

    @Test func helpShowsDescriptionsAndChoices() throws {
        let help = MethodHelp.render(try Fixtures.noteAdd())
        #expect(help.hasPrefix("example note add: Adds a note.\nchanges data, role: operator, method example.note.add"))
        #expect(help.contains("  --text <string>         (required) The note."))
        #expect(help.contains("one of: red, green"))
        #expect(!help.split(separator: "\n").contains { $0.hasSuffix(" ") })
    }

    @Test func editDistance() {
        #expect(NameSuggester.editDistance("kitten", "sitting") == 3)
        #expect(NameSuggester.editDistance("", "abc") == 3)
        #expect(NameSuggester.editDistance("same", "same") == 0)
    }

    @Test func suggestsCloseNames() {
        let names = ["example.note.add", "example.note.list", "parcels.receive", "parcels.release", "daemon.status"]
        #expect(NameSuggester.suggestions(for: "exmple.note.ad", among: names) == ["example.note.add"])
        #expect(
            NameSuggester.suggestions(for: "example.note", among: names) == ["example.note.add", "example.note.list"])
        #expect(NameSuggester.suggestions(for: "parcels.recieve", among: names).first == "parcels.receive")
        #expect(
            NameSuggester.suggestions(for: "parcels.zzzzzzzzzz", among: names) == [
                "parcels.receive", "parcels.release",
            ])
        #expect(NameSuggester.suggestions(for: "nothing.like.it", among: names).isEmpty)
    }
}
