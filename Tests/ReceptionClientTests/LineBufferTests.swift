import ReceptionClient
import Testing

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

    @Test func refusesOverlongLinesOnceThenGoesOn() throws {
        var buffer = LineBuffer(maxLineLength: 8)
        buffer.append(contentsOf: Array("12345678\n".utf8))
        #expect(try buffer.nextLine() == Array("12345678".utf8))
        buffer.append(contentsOf: Array("123456789".utf8))
        let error = #expect(throws: LineBuffer.LineTooLong.self) { try buffer.nextLine() }
        #expect(error?.limit == 8)
        #expect(buffer.pendingByteCount == 0, "the oversize bytes are not kept")
        buffer.append(contentsOf: Array("0\nnext\n".utf8))
        #expect(try buffer.nextLine() == Array("next".utf8))
        var complete = LineBuffer(maxLineLength: 8)
        complete.append(contentsOf: Array("123456789\n".utf8))
        #expect(throws: LineBuffer.LineTooLong.self) { try complete.nextLine() }
    }

    @Test func dropsTheCarriageReturnOfCRLF() throws {
        var buffer = LineBuffer(maxLineLength: 8)
        buffer.append(contentsOf: Array("12345678\r\n".utf8))
        #expect(try buffer.nextLine() == Array("12345678".utf8), "the limit does not count \\r\\n")
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
