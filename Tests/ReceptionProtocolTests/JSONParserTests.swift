import ReceptionProtocol
import Testing

/// The hand-written RFC 8259 parser behind ``JSONValue/parse(_:)-(Bytes)``: grammar, strings,
/// numbers, limits and error positions.
@Suite("JSON parser")
struct JSONParserTests {
    private func reason(_ text: String) -> String? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch {
            return error.reason
        }
    }

    private func reason(bytes: [UInt8]) -> String? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("Valid texts of every kind parse, with any JSON whitespace around tokens")
    func validTexts() throws {
        #expect(try JSONValue.parse("null") == .null)
        #expect(try JSONValue.parse("true") == .bool(true))
        #expect(try JSONValue.parse("false") == .bool(false))
        #expect(try JSONValue.parse(#""x""#) == .string("x"))
        #expect(try JSONValue.parse(" \t\r\n[ 1 ,\n2\t]\r\n ") == [1, 2])
        #expect(try JSONValue.parse(#"{ "a" : { "b" : [ ] } , "c" : { } }"#) == ["a": ["b": []], "c": [:]])
        #expect(try JSONValue.parse("[[],[[]],{}]") == [[], [[]], [:]])
        // A leading UTF-8 byte order mark is ignored, as before.
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF, 0x31]) == .int(1))
    }

    @Test(
        "Invalid grammar is refused",
        arguments: [
            "01", "-01", "+1", ".5", "-.5", "1.", "1.e3", "1e", "1e+", "-", "--1", "0x10", "1_000", "[1,]",
            #"{"a":1,}"#,
            "[,1]", "[1,,2]", "{,}", "[1 2]", #"{"a" 1}"#, #"{"a":}"#, "{1:2}", "{'a':1}", "{a:1}", "/*c*/1", "1 // c",
            "NaN", "Infinity", "-Infinity", "nul", "tru", "truex", "nulll", "True", "[", "]", "{", "}", #"{"a":1}}"#,
            "[1] [2]", "1 2", "\u{0C}1", "\u{A0}1", #""\x""#, #""\U0041""#, #""\u12""#, #""\u12G4""#, "\"a\u{01}b\"",
            "\"a\tb\"", "\"a\nb\"", #""abc"#, #""abc\"#, " ",
        ])
    func invalidGrammar(text: String) {
        #expect(reason(text) != nil, "\(text.debugDescription) was accepted")
    }

    @Test("Errors name what was wrong and the byte offset")
    func errorReasons() {
        #expect(reason("") == "empty input")
        #expect(reason(#"{"a":1,"b":x}"#) == "unexpected character 'x' at byte 11")
        #expect(reason(#"[1, "abc"#) == "unterminated string starting at byte 4")
        #expect(reason("[1,2, ]") == "trailing comma before a closing bracket at byte 4")
        #expect(reason(#"{"a":1 ,}"#) == "trailing comma before a closing bracket at byte 7")
        #expect(reason("[01]") == "invalid number: leading zero at byte 1")
        #expect(reason("[1.]") == "invalid number: a digit must follow '.' at byte 3")
        #expect(reason("[1] x") == "unexpected text after the JSON value: 'x' at byte 4")
        #expect(reason("[1") == "unexpected end of input, expected ',' or ']' in an array, at byte 2")
        #expect(reason("\"a\u{01}\"") == "unescaped control character 0x01 in a string at byte 2")
        #expect(reason(#""\q""#) == "invalid escape: \\'q' after a backslash at byte 1")
        #expect(reason("1e400") == "number out of range for a double at byte 0")
        #expect(reason(#"{"a" 1}"#) == "unexpected character '1', expected ':' after a member name, at byte 5")
    }

    @Test("Escapes decode, including surrogate pairs; / may be escaped")
    func escapes() throws {
        #expect(try JSONValue.parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
        #expect(try JSONValue.parse(#""\u0041\u00e9\u4F60\u0000""#) == .string("A\u{E9}\u{4F60}\u{0}"))
        #expect(try JSONValue.parse(#""\ud83d\ude00 \uD834\uDD1E""#) == .string("\u{1F600} \u{1D11E}"))
        #expect(try JSONValue.parse(#""x\ny" "#) == .string("x\ny"))
        #expect(try JSONValue.parse(#"{"k\u0065y":"v"}"#) == ["key": "v"])
        // Raw UTF-8 next to escapes stays intact.
        #expect(try JSONValue.parse("\"é\\n你好😀\"") == .string("é\n你好😀"))
    }

    @Test(
        "Lone or misordered surrogates are refused",
        arguments: [
            #""\ud800""#, #""\ud800x""#, #""\ud800\u0041""#, #""\udc00""#, #""\ude00\ud83d""#, #""\ud800\ud800""#,
        ])
    func loneSurrogates(text: String) {
        #expect(reason(text) != nil, "\(text) was accepted")
    }

    @Test(
        "Invalid UTF-8 is refused, inside and outside strings",
        arguments: [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xE4, 0xBD, 0x22], [0x22, 0x80, 0x22], [0xFF],
            [0x5B, 0xC3, 0xA9, 0x5D],
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(reason(bytes: bytes) != nil, "\(bytes) was accepted")
    }

    @Test("Invalid UTF-8 in a string is reported with the string's offset")
    func invalidUTF8Reason() {
        #expect(reason(bytes: [0x5B, 0x22, 0xFF, 0x22, 0x5D]) == "invalid UTF-8 in the string starting at byte 1")
    }

    @Test("Integers that fit Int64 are .int; beyond it they are .double")
    func integerBoundaries() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .int(.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809))
        #expect(try JSONValue.parse("18446744073709551616") == .double(18_446_744_073_709_551_616))
        #expect(try JSONValue.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try JSONValue.parse("0") == .int(0))
        #expect(try JSONValue.parse("-0") == .double(-0.0))
    }

    @Test(
        "A zero written with a minus sign is .double(-0.0), so it can be told from 0; as a params integer it is still 0"
    )
    func negativeZero() throws {
        for text in ["-0", "-0.0", "-0e5", "-0.000e-3"] {
            let value = try JSONValue.parse(text)
            guard case .double(let number) = value else {
                Issue.record("\(text) parsed as \(value)")
                continue
            }
            #expect(number == 0 && number.sign == .minus, "\(text)")
            #expect(value.intValue == 0)
        }
        #expect(try JSONValue.parse("0.0") == .int(0))
    }

    @Test("A number whose exact value is an integer in Int64 is .int however it is written (as JSONDecoder did)")
    func integralNumbers() throws {
        let cases: [(String, Int64)] = [
            ("1.0", 1), ("-1.0", -1), ("1e2", 100), ("1E2", 100), ("1e+2", 100), ("1.5e3", 1500), ("0.5e1", 5),
            ("12.30e1", 123), ("20e-1", 2), ("1e0", 1), ("0e5", 0), ("0.000e-3", 0),
            ("1e18", 1_000_000_000_000_000_000),
            ("9223372036854775807.0", .max), ("-9.223372036854775808e18", .min),
            ("9007199254740993.0", 9_007_199_254_740_993),
        ]
        for (text, value) in cases {
            #expect(try JSONValue.parse(text) == .int(value), "\(text)")
        }
    }

    @Test("Other numbers are correctly rounded doubles")
    func doubles() throws {
        let cases: [(String, Double)] = [
            ("0.5", 0.5), ("-12.25", -12.25), ("0.1", 0.1), ("1e-5", 1e-5), ("1.23e1", 12.3), ("1e19", 1e19),
            ("9223372036854775807.5", 9.223372036854775807e18), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("4.9e-324", 4.9e-324), ("2.2250738585072011e-308", 2.2250738585072011e-308), ("1e-400", 0),
            ("9007199254740993.5", 9_007_199_254_740_994), ("0.30000000000000004", 0.30000000000000004),
        ]
        for (text, value) in cases {
            #expect(try JSONValue.parse(text) == .double(value), "\(text)")
        }
        #expect(reason("1e400") != nil)
        #expect(reason("-1e400") != nil)
    }

    @Test("Repeated member names: the first occurrence wins, as with JSONDecoder before")
    func duplicateKeys() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#) == ["a": 1, "b": 2])
        #expect(try JSONValue.parse(#"[{"k":{"x":1},"k":[2]}]"#) == [["k": ["x": 1]]])
    }

    @Test(
        "parseRecordingMembers gives each top-level member's value text as written (the first of a repeated name), so a client can print a reply's result byte for byte"
    )
    func memberRanges() throws {
        let line = Array(#"\#u{FEFF}{"jsonrpc":"2.0","id":1,"result": {"b":1, "a":[2.50]} ,"x":"y","x":7}"#.utf8)
        let parsed = try JSONValue.parseRecordingMembers(line)
        func text(_ key: String) -> String? {
            parsed.memberRanges[key].map { String(decoding: line[$0], as: UTF8.self) }
        }
        #expect(text("result") == #"{"b":1, "a":[2.50]}"#)
        #expect(text("id") == "1")
        #expect(text("x") == #""y""#)
        #expect(parsed.value == ["jsonrpc": "2.0", "id": 1, "result": ["a": [2.5], "b": 1], "x": "y"])
        #expect(parsed.memberRanges.count == 4, "nested members are not recorded: \(parsed.memberRanges)")
        #expect(try JSONValue.parseRecordingMembers(Array("[1,2]".utf8)).memberRanges.isEmpty)
        #expect(throws: JSONParseError.self) { try JSONValue.parseRecordingMembers(Array(#"{"a":1,}"#.utf8)) }
    }

    @Test("Nesting up to 512 levels parses; deeper is refused with a reason, never a crash")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let mixed = String(repeating: #"{"a":["#, count: 256) + String(repeating: "]}", count: 256)
        #expect(throws: Never.self) { try JSONValue.parse(mixed) }
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(reason(tooDeep) == "arrays and objects nested deeper than 512 levels at byte 512")
        let hostile = String(repeating: "[", count: 200_000)
        #expect(reason(hostile)?.contains("nested deeper than 512 levels") == true)
    }

    @Test("Any byte collection parses, contiguous or not")
    func collections() throws {
        let text = #"{"jsonrpc":"2.0","id":17,"method":"access.badges.verify","params":{"number":"B0012345"}}"#
        let expected: JSONValue = [
            "jsonrpc": "2.0", "id": 17, "method": "access.badges.verify", "params": ["number": "B0012345"],
        ]
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)[...]) == expected)
        #expect(try JSONValue.parse(text.utf8) == expected)
        #expect(try JSONValue.parse(Array(("xx" + text + "yy").utf8).dropFirst(2).dropLast(2)) == expected)
        #expect(try JSONValue.parse(text.utf8.lazy.map { $0 }) == expected)
    }

    @Test("Round trip: serialized() of random values parses back equal")
    func roundTrip() throws {
        var generator = SplitMix(seed: 0x5EED_1234)
        for _ in 0..<2000 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let text = value.serialized()
            let back = try JSONValue.parse(text)
            #expect(back == value, "\(text)")
            #expect(back.serialized() == text)
        }
    }

    /// A random value whose serialization parses back to itself: doubles are non-integral or
    /// beyond Int64 (integral doubles in range read back as `.int`, by design).
    private static func randomValue(depth: Int, using generator: inout SplitMix) -> JSONValue {
        let kind = Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: return .int(.random(in: .min ... .max, using: &generator))
            case 1: return .int(.random(in: -1000...1000, using: &generator))
            case 2: return .int([Int64.max, .min, 0, -1][Int.random(in: 0..<4, using: &generator)])
            default: return .int(.random(in: -(1 << 53)...(1 << 53), using: &generator))
            }
        case 3:
            var value = Double(bitPattern: UInt64.random(in: .min ... .max, using: &generator))
            if !value.isFinite || (value.rounded() == value && abs(value) < 9.3e18) {
                value = Double.random(in: -1e6...1e6, using: &generator) + 0.5
            }
            return .double(value)
        case 4: return .string(randomString(using: &generator))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    private static func randomString(using generator: inout SplitMix) -> String {
        let pieces: [String] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "你", "😀",
            "\u{FEFF}",
            "\u{2028}", "key", "long text without escapes",
        ]
        return (0..<Int.random(in: 0...6, using: &generator)).map { _ in
            pieces[Int.random(in: 0..<pieces.count, using: &generator)]
        }.joined()
    }
}

/// A small seeded generator, so a failing round trip can be reproduced.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
