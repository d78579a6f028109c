import ReceptionClient
import ReceptionProtocol
import Testing

@Suite("OrderedJSON")
struct OrderedJSONTests {
    @Test func keepsMemberOrder() throws {
        let value = try OrderedJSON.parse(#"{"z":1,"a":{"y":2,"b":3},"m":[true,null]}"#)
        #expect(value.members?.map(\.key) == ["z", "a", "m"])
        #expect(value.serialized() == #"{"z":1,"a":{"y":2,"b":3},"m":[true,null]}"#)
        #expect(value.jsonValue == ["z": 1, "a": ["y": 2, "b": 3], "m": [true, nil]])
    }

    @Test func numbers() throws {
        #expect(try OrderedJSON.parse("42") == .int(42))
        #expect(try OrderedJSON.parse("-0") == .int(0))
        #expect(try OrderedJSON.parse("2.5") == .double(2.5))
        #expect(try OrderedJSON.parse("1e3") == .double(1000))
        #expect(try OrderedJSON.parse("9223372036854775807") == .int(Int64.max))
        #expect(try OrderedJSON.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test func stringsAndEscapes() throws {
        #expect(try OrderedJSON.parse(#""a\"b\\c\/d\n\t""#) == .string("a\"b\\c/d\n\t"))
        #expect(try OrderedJSON.parse(#""\u674e\u5a1c""#) == .string("李娜"))
        #expect(try OrderedJSON.parse(#""\ud83d\udc4d""#) == .string("👍"))
        #expect(try OrderedJSON.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try OrderedJSON.parse("\"李娜\"") == .string("李娜"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "tru", "01", "1.", "\"unterminated", "\"a\u{1}\"", "{} x", "nul", "{'a':1}", "-",
    ])
    func rejectsInvalid(text: String) {
        #expect(throws: JSONParseError.self) { try OrderedJSON.parse(text) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try OrderedJSON.parse(deep) }
    }

    @Test func recordsTopLevelMemberText() throws {
        let line = Array(#"{"jsonrpc":"2.0","id":1,"result": {"b":1, "a":[2.50]} }"#.utf8)
        let parsed = try OrderedJSON.parseRecordingMembers(bytes: line)
        let range = try #require(parsed.memberRanges["result"])
        #expect(String(decoding: line[range], as: UTF8.self) == #"{"b":1, "a":[2.50]}"#)
    }

    @Test func convertsFromJSONValueSorted() {
        let value = OrderedJSON(["b": 1, "a": "x"] as JSONValue)
        #expect(value.serialized() == #"{"a":"x","b":1}"#)
    }

    @Test func lastDuplicateWins() throws {
        let value = try OrderedJSON.parse(#"{"a":1,"a":2}"#)
        #expect(value["a"] == .int(2))
        #expect(value.jsonValue == ["a": 2])
    }
}

@Suite("LineBuffer")
struct LineBufferTests {
    @Test func splitsLinesAcrossAppends() throws {
        var buffer = LineBuffer()
        buffer.append(contentsOf: Array("{\"a\":".utf8))
        #expect(try buffer.nextLine() == nil)
        buffer.append(contentsOf: Array("1}\n\n{\"b\"".utf8))
        #expect(try buffer.nextLine() == Array("{\"a\":1}".utf8))
        #expect(try buffer.nextLine() == [])
        #expect(try buffer.nextLine() == nil)
        buffer.append(contentsOf: Array(":2}\n".utf8))
        #expect(try buffer.nextLine() == Array("{\"b\":2}".utf8))
        #expect(buffer.pendingByteCount == 0)
    }

    @Test func splitsMultibyteCharactersSafely() throws {
        var buffer = LineBuffer()
        for byte in Array("李娜\n".utf8) { buffer.append(contentsOf: [byte]) }
        let line = try #require(try buffer.nextLine())
        #expect(String(decoding: line, as: UTF8.self) == "李娜")
    }

    @Test func refusesOverlongLines() throws {
        var buffer = LineBuffer(maxLineLength: 8)
        buffer.append(contentsOf: Array("12345678\n".utf8))
        #expect(try buffer.nextLine() == Array("12345678".utf8))
        buffer.append(contentsOf: Array("123456789".utf8))
        #expect(throws: LineBuffer.LineTooLong.self) { try buffer.nextLine() }
        var complete = LineBuffer(maxLineLength: 8)
        complete.append(contentsOf: Array("123456789\n".utf8))
        #expect(throws: LineBuffer.LineTooLong.self) { try complete.nextLine() }
    }

    @Test func manyLinesCompactTheStorage() throws {
        var buffer = LineBuffer()
        var received = 0
        for index in 0..<10_000 {
            buffer.append(contentsOf: Array("line \(index)\n".utf8))
            while let line = try buffer.nextLine() {
                #expect(line == Array("line \(received)".utf8))
                received += 1
            }
        }
        #expect(received == 10_000)
    }
}
