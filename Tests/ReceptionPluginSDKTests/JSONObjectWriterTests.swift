import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

/// `JSONObjectWriter` and `RawJSON`: results written as bytes must read exactly like the
/// `JSONValue` they replace.
@Suite("SDK JSON object writer")
struct JSONObjectWriterTests {
    @Test("Members written in sorted order give the bytes JSONValue.serialized() gives")
    func matchesSerialized() throws {
        var inner = JSONObjectWriter()
        inner.add("a", Int64(-9_223_372_036_854_775_808))
        inner.add("b", true)
        let innerBytes = inner.finish()
        var writer = JSONObjectWriter(capacity: 8)
        writer.add("Zed", "upper case sorts first")
        writer.add("count", Int64(42))
        writer.add("empty", "")
        writer.add("flag", false)
        writer.add("missing", String?.none)
        writer.add("nested", raw: innerBytes)
        writer.add("noCount", Int64?.none)
        writer.add("noFlag", Bool?.none)
        writer.add("rows", rawElements: [innerBytes, innerBytes])
        writer.add("text", "quote\" backslash\\ newline\n tab\t nul\u{0} unit\u{1F} 你好 😀")
        writer.add("value", JSONValue.array([1, "two", .null]))
        let written = String(decoding: writer.finish(), as: UTF8.self)

        let innerValue: JSONValue = ["a": .int(Int64.min), "b": true]
        let expected: JSONValue = [
            "Zed": "upper case sorts first", "count": 42, "empty": "", "flag": false, "missing": .null,
            "nested": innerValue, "noCount": .null, "noFlag": .null, "rows": [innerValue, innerValue],
            "text": .string("quote\" backslash\\ newline\n tab\t nul\u{0} unit\u{1F} 你好 😀"),
            "value": [1, "two", .null],
        ]
        #expect(written == expected.serialized())
        #expect(try JSONValue.parse(written) == expected)
        #expect(!written.contains("\n"), "one line: the daemon splices it into a reply line")
    }

    @Test("An empty object, and RawJSON's parsed value")
    func emptyAndRaw() {
        let empty = JSONObjectWriter().finish()
        #expect(String(decoding: empty, as: UTF8.self) == "{}")
        #expect(RawJSON(bytes: empty).value == .object([:]))
        #expect(RawJSON(bytes: Array("not json".utf8)).value == .null)
    }
}
