import Foundation
import ReceptionProtocol
import Testing

/// Parsing and the compact, deterministic serialization every reply and audit record relies on.
@Suite("JSONValue parse and serialize")
struct JSONValueTests {
    @Test("Objects serialize with sorted keys, compactly, at every depth")
    func sortedCompactOutput() throws {
        let value = try JSONValue.parse(#" { "b" : 1, "a" : [true, null, "x", -2, 0.5], "c": {"z": {}, "y": []} } "#)
        #expect(value.serialized() == #"{"a":[true,null,"x",-2,0.5],"b":1,"c":{"y":[],"z":{}}}"#)
        let keys: JSONValue = ["b": 4, "a": 3, "_": 2, "B": 1]
        #expect(keys.serialized() == #"{"B":1,"_":2,"a":3,"b":4}"#)
    }

    @Test("Serialization is stable: parse then serialize gives back the same text")
    func roundTripIsStable() throws {
        let texts = [
            #"{"a":[1,2,{"b":null}],"c":"d"}"#, "[]", "{}", "null", "true", "false", "0", "-1", #""""#,
            #"[[[[]]]]"#, #"{"k":{"k":{"k":"v"}}}"#,
        ]
        for text in texts {
            let value = try JSONValue.parse(text)
            #expect(value.serialized() == text)
            #expect(try JSONValue.parse(value.serialized()) == value)
        }
    }

    @Test("Quotes, backslashes and control characters are escaped; other Unicode stays raw UTF-8")
    func stringEscaping() throws {
        let text = "quote\" backslash\\ slash/ newline\n tab\t cr\r bell\u{07} nul\u{00} unit\u{1F} del\u{7F} 你好 😀 é"
        let serialized = JSONValue.string(text).serialized()
        #expect(
            serialized
                == #""quote\" backslash\\ slash/ newline\n tab\t cr\r bell\u0007 nul\u0000 unit\u001f del"# + "\u{7F}"
                + #" 你好 😀 é""#)
        #expect(!serialized.contains("\n"), "a serialized string must never break a line")
        #expect(try JSONValue.parse(serialized) == .string(text))
        #expect(Array(serialized.utf8).contains(0xE4), "CJK characters must be written as UTF-8, not \\u escapes")
    }

    @Test("\\u escapes in input, including surrogate pairs, are read and written back as UTF-8")
    func unicodeEscapesInInput() throws {
        let value = try JSONValue.parse(#""\u4f60\u597d \ud83d\ude00 \u00e9\n""#)
        #expect(value == .string("你好 😀 é\n"))
        #expect(value.serialized() == #""你好 😀 é\n""#)
    }

    @Test("Object keys are escaped like strings")
    func keyEscaping() throws {
        let value: JSONValue = ["a\"b": 1, "line\nbreak": 2]
        #expect(value.serialized() == #"{"a\"b":1,"line\nbreak":2}"#)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test("Integers stay integers, up to Int64.max and down to Int64.min")
    func integersStayIntegers() throws {
        #expect(try JSONValue.parse("1") == .int(1))
        #expect(try JSONValue.parse("-42") == .int(-42))
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(JSONValue.int(Int64.max).serialized() == "9223372036854775807")
        #expect(JSONValue.int(Int64.min).serialized() == "-9223372036854775808")
        #expect(try JSONValue.parse(JSONValue.int(Int64.max).serialized()) == .int(Int64.max))
        // Money in minor units survives inside a structure too.
        let amount = try JSONValue.parse(#"{"cents":9007199254740993}"#)
        #expect(amount["cents"] == .int(9_007_199_254_740_993))
        #expect(amount.serialized() == #"{"cents":9007199254740993}"#)
    }

    @Test("Doubles parse as doubles and serialize as short JSON numbers")
    func doubles() throws {
        #expect(try JSONValue.parse("0.5") == .double(0.5))
        #expect(try JSONValue.parse("-12.25") == .double(-12.25))
        #expect(JSONValue.double(1.5).serialized() == "1.5")
        #expect(JSONValue.double(0.1).serialized() == "0.1")
        #expect(JSONValue.double(-3).serialized() == "-3")
        #expect(JSONValue.double(2).serialized() == "2")
        #expect(try JSONValue.parse(JSONValue.double(0.1).serialized()) == .double(0.1))
        let big = JSONValue.double(1.0e300).serialized()
        #expect(try JSONValue.parse(big) == .double(1.0e300), "\(big)")
        // JSON has no NaN or infinity.
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(.infinity).serialized() == "null")
    }

    @Test("Accessors read the right cases")
    func accessors() throws {
        #expect(JSONValue.double(3).intValue == 3)
        #expect(JSONValue.double(3.5).intValue == nil)
        #expect(JSONValue.string("3").intValue == nil)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.int(1).boolValue == nil)
        #expect(JSONValue.object(["a": 1])["a"] == 1)
        #expect(JSONValue.array([1])["a"] == nil)
        #expect(JSONValue.int(1).typeName == "number")
        #expect(JSONValue.double(1).typeName == "number")
        #expect(JSONValue.null.typeName == "null")
        #expect(JSONValue.array([]).typeName == "array")
        #expect(JSONValue.object([:]).typeName == "object")
    }

    @Test("Invalid JSON throws a JSONParseError with a reason")
    func invalidJSON() {
        for text in [
            "{", "{\"a\" 1}", "tru", "\"unterminated", "{'a':1}", "01x", "[1,,2]", "[01]", "[.5]", "[NaN]", "[1] [2]",
            "[\"a\u{01}b\"]",
        ] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
        }
        do {
            _ = try JSONValue.parse("")
            Issue.record("empty input parsed")
        } catch {
            #expect(error.reason == "empty input")
        }
        do {
            _ = try JSONValue.parse("{\"a\":")
            Issue.record("truncated input parsed")
        } catch {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("Trailing commas are not JSON and are refused")
    func trailingCommas() {
        // RFC 8259 has no trailing commas; a request line with one must get -32700, not be run.
        for text in ["[1,]", #"{"a":1,}"#, #"{"jsonrpc":"2.0","id":1,"method":"daemon.ping",}"#] {
            #expect(throws: JSONParseError.self, "\(text) was accepted") { try JSONValue.parse(text) }
        }
    }

    @Test("serializedBytes is the UTF-8 of serialized()")
    func serializedBytes() {
        let value: JSONValue = ["名前": "値"]
        #expect(value.serializedBytes() == Array(value.serialized().utf8))
    }
}
