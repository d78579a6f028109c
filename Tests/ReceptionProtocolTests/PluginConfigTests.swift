import Foundation
import ReceptionPluginSDK
import ReceptionProtocol
import Testing

/// The SDK's strict config reading and its params decoding errors, as plugin authors meet them.
@Suite("PluginConfig strictness and decoding error paths")
struct PluginConfigTests {
    static func error(_ body: () throws(RPCError) -> Void) -> RPCError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("Absent keys give the defaults, and a config with only known keys finishes cleanly")
    func defaults() throws {
        let config = PluginConfig(["greeting": "ni hao"], section: "[plugins.example]")
        #expect(try config.string("greeting", default: "hello") == "ni hao")
        #expect(try config.int("max_note_length", default: 500, in: 1...100_000) == 500)
        #expect(try config.bool("loud", default: false) == false)
        #expect(try config.optionalString("signature") == nil)
        #expect(try config.table("kinds") == nil)
        try config.finish()
    }

    @Test("An unknown key fails finish() with a validation error naming the key and the known ones")
    func unknownKey() throws {
        let config = PluginConfig(["greeting": "hi", "bogus": 1], section: "[plugins.example]")
        _ = try config.string("greeting", default: "hello")
        _ = try config.int("max_note_length", default: 500, in: 1...100_000)
        let error = try #require(Self.error { () throws(RPCError) in try config.finish() })
        #expect(error.kind == .validation)
        #expect(error.field == "[plugins.example].bogus")
        #expect(error.message.contains("\"bogus\""), "\(error.message)")
        #expect(error.message.contains("greeting") && error.message.contains("max_note_length"), "\(error.message)")

        let nothingRead = PluginConfig(["typo": true], section: "[plugins.x]")
        let none = try #require(Self.error { () throws(RPCError) in try nothingRead.finish() })
        #expect(none.message.contains("none"), "\(none.message)")
    }

    @Test("A value of the wrong type names the key and the expected type")
    func wrongType() throws {
        let config = PluginConfig(
            ["max_note_length": "x", "greeting": 5, "loud": "yes", "kinds": 1, "ratio": 1.5],
            section: "[plugins.example]")
        let int = try #require(
            Self.error { () throws(RPCError) in _ = try config.int("max_note_length", default: 1, in: 1...10) })
        #expect(int.kind == .validation)
        #expect(int.field == "[plugins.example].max_note_length")
        #expect(int.message.contains("must be an integer, got string"), "\(int.message)")

        let double = try #require(
            Self.error { () throws(RPCError) in _ = try config.int("ratio", default: 1, in: 1...10) })
        #expect(double.message.contains("must be an integer"), "\(double.message)")

        let string = try #require(Self.error { () throws(RPCError) in _ = try config.string("greeting", default: "") })
        #expect(string.message.contains("must be a string, got number"), "\(string.message)")

        let bool = try #require(Self.error { () throws(RPCError) in _ = try config.bool("loud", default: false) })
        #expect(bool.message.contains("true or false"), "\(bool.message)")

        let table = try #require(Self.error { () throws(RPCError) in _ = try config.table("kinds") })
        #expect(table.message.contains("must be a table"), "\(table.message)")
    }

    @Test("An integer out of range names the key, the range and the value")
    func outOfRange() throws {
        let config = PluginConfig(["max_note_length": 0, "other": 100_001], section: "[plugins.example]")
        let low = try #require(
            Self.error { () throws(RPCError) in _ = try config.int("max_note_length", default: 500, in: 1...100_000) })
        #expect(low.message.contains("between 1 and 100000, got 0"), "\(low.message)")
        #expect(low.field == "[plugins.example].max_note_length")
        let high = try #require(
            Self.error { () throws(RPCError) in _ = try config.int("other", default: 500, in: 1...100_000) })
        #expect(high.message.contains("got 100001"), "\(high.message)")
        #expect(try PluginConfig(["n": 1], section: "s").int("n", default: 5, in: 1...1) == 1)
    }

    @Test("Nested tables are strict too, and their errors carry the nested section")
    func nestedTables() throws {
        let config = PluginConfig(["kinds": ["parking": ["deposit": 5, "colour": "red"]]], section: "[plugins.access]")
        let kinds = try #require(try config.table("kinds"))
        let parking = try #require(try kinds.table("parking"))
        #expect(try parking.int("deposit", default: 0, in: 0...100) == 5)
        let error = try #require(Self.error { () throws(RPCError) in try parking.finish() })
        #expect(error.field == "[plugins.access].kinds.parking.colour", "\(String(describing: error.field))")
        try kinds.finish()
        try config.finish()
    }

    @Test("raw() marks a key as read")
    func rawMarksRead() throws {
        let config = PluginConfig(["anything": [1, 2]], section: "[plugins.x]")
        #expect(config.raw("anything") == [1, 2])
        try config.finish()
    }

    // MARK: Params decoding errors

    struct Order: MethodParams {
        struct Item: MethodParams {
            @Param("What", maxLength: 20) var unit: String
            @Param("How many", minimum: 1) var quantity: Int
            @Param("Why it is damaged", maxLength: 100) var damageNote: String?

            func validate() throws(RPCError) {
                if unit == "damaged", damageNote == nil {
                    throw RPCError.validation(field: "damageNote", "damageNote is required when damaged")
                }
            }
        }
        @Param("The items", maxItems: 10) var items: [Item]
        @Param("Anything else", maxLength: 100, text: .note) var note: String?
    }

    static func decodingError(_ json: String) throws -> RPCError {
        let value = try JSONValue.parse(Array(json.utf8))
        do {
            _ = try Order.decode(value)
        } catch {
            return error
        }
        throw RPCError(.internal, "\(json) decoded without error")
    }

    @Test("A wrong type deep inside params names the field path, like items[2].unit")
    func typeMismatchPath() throws {
        let error = try Self.decodingError(
            #"{"items":[{"unit":"box","quantity":1},{"unit":"bag","quantity":2},{"unit":5,"quantity":3}]}"#)
        #expect(error.field == "items[2].unit")
        #expect(error.message == "items[2].unit must be a string, got number")
        #expect(error.code == -32602)
        #expect(error.kind == .validation)

        let quantity = try Self.decodingError(#"{"items":[{"unit":"box","quantity":"many"}]}"#)
        #expect(quantity.field == "items[0].quantity")
        #expect(quantity.message == "items[0].quantity must be an integer, got string")

        let list = try Self.decodingError(#"{"items":{"unit":"box"}}"#)
        #expect(list.field == "items")
        #expect(list.message == "items must be an array, got object")
    }

    @Test("A missing field names its path and says it is required")
    func keyNotFoundPath() throws {
        let error = try Self.decodingError(#"{"items":[{"unit":"box","quantity":1},{"unit":"bag"}]}"#)
        #expect(error.field == "items[1].quantity")
        #expect(error.message == "items[1].quantity is required")
        #expect(error.code == -32602)
        let top = try Self.decodingError(#"{}"#)
        #expect(top.field == "items")
        let null = try Self.decodingError(#"{"items":[{"unit":null,"quantity":1}]}"#)
        #expect(null.field == "items[0].unit")
        #expect(null.message == "items[0].unit is required")
    }

    @Test("A rule across fields of an array element names the element's path without a prefix threaded by hand")
    func crossFieldRulePath() throws {
        let error = try Self.decodingError(
            #"{"items":[{"unit":"box","quantity":1},{"unit":"damaged","quantity":1}]}"#)
        #expect(error.field == "items[1].damageNote")
        #expect(error.message == "items[1].damageNote is required when damaged")
        #expect(error.code == -32007)
    }

    @Test("Required text that is empty once cleaned is refused; optional text reads as nil")
    func emptyText() throws {
        let blank = try Self.decodingError(#"{"items":[{"unit":"  ","quantity":1}]}"#)
        #expect(blank.field == "items[0].unit")
        #expect(blank.message == "items[0].unit must not be empty")
        let order = try Order.decode(
            try JSONValue.parse(Array(#"{"items":[{"unit":" 3栋\u3000 2单元 ","quantity":2}],"note":"  "}"#.utf8)))
        #expect(order.items.first?.unit == "3栋 2单元")
        #expect(order.note == nil)
    }

    @Test("Params of the wrong shape altogether have no field and say params")
    func topLevelMismatch() throws {
        let error = try Self.decodingError("[1,2]")
        #expect(error.field == nil)
        #expect(error.message.hasPrefix("params must be"), "\(error.message)")
    }

    @Test("The schema comes from the declaration: types, bounds, required fields, nested items")
    func schemaFromDeclaration() {
        let schema = Order.schema
        #expect(schema["required"] == ["items"])
        #expect(schema["additionalProperties"] == false)
        #expect(schema["properties"]?["items"]?["maxItems"] == 10)
        #expect(schema["properties"]?["items"]?["items"]?["properties"]?["unit"]?["maxLength"] == 20)
        #expect(schema["properties"]?["items"]?["items"]?["required"] == ["unit", "quantity"])
        #expect(schema["properties"]?["items"]?["items"]?["properties"]?["quantity"]?["minimum"] == 1)
        #expect(throws: Never.self) { try SchemaSubset.check(schema) }
    }
}
