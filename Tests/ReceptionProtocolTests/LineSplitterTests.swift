import ReceptionProtocol
import Testing

/// The wire's framing rules, as every reader (daemon, client, benchmark) applies them.
@Suite("Line splitting")
struct LineSplitterTests {
    /// An owner of bytes as the daemon's decoder is: it keeps what arrived, asks the splitter,
    /// drops what the splitter consumed, and writes down what it was told.
    struct Reader {
        var splitter: LineSplitter
        var pending: [UInt8] = []
        /// `line:<text>`, `oversize`, `discardEnded`, `started`, in the order reported.
        var heard: [String] = []

        init(maxLength: Int = .max) { splitter = LineSplitter(maxLength: maxLength) }

        mutating func receive(_ text: String) { receive(bytes: Array(text.utf8)) }

        mutating func receive(bytes: [UInt8]) {
            pending += bytes
            while true {
                let step = pending.withUnsafeBytes { splitter.next(in: $0) }
                take(step)
                if step.needsMoreBytes { return }
            }
        }

        mutating func end() {
            take(pending.withUnsafeBytes { splitter.finish(in: $0) })
        }

        private mutating func take(_ step: LineSplitter.Step) {
            switch step.frame {
            case .line(let length)?: heard.append("line:" + String(decoding: pending[..<length], as: UTF8.self))
            case .oversize?: heard.append("oversize")
            case .discardEnded?: heard.append("discardEnded")
            case nil: break
            }
            if step.lineStarted { heard.append("started") }
            pending.removeFirst(step.consumed)
        }
    }

    @Test("Lines split on \\n whatever the reads, \\r\\n counts as \\n, and empty lines are lines")
    func splitsAcrossReads() {
        var reader = Reader()
        reader.receive(#"{"a":"#)
        reader.receive("1}\r\n\n{\"b\"")
        reader.receive(":2}\n")
        #expect(reader.heard == ["started", #"line:{"a":1}"#, "line:", "started", #"line:{"b":2}"#])
        #expect(reader.pending.isEmpty)
    }

    @Test("The limit counts the line without its terminator: 4 bytes pass with \\n or \\r\\n, 5 do not")
    func limitExcludesTerminator() {
        var reader = Reader(maxLength: 4)
        reader.receive("abcd\nabcd\r\nabcde\nok\n")
        #expect(reader.heard == ["line:abcd", "line:abcd", "oversize", "line:ok"])
        // A `\r` waiting for its `\n` is not counted yet.
        var waiting = Reader(maxLength: 4)
        waiting.receive("abcd\r")
        #expect(waiting.heard == ["started"])
        waiting.receive("\n")
        #expect(waiting.heard == ["started", "line:abcd"])
    }

    @Test(
        "A line over the limit without its \\n is reported once and dropped as it arrives; its \\n ends the discard and the next line comes through"
    )
    func oversizeResynchronises() {
        var reader = Reader(maxLength: 8)
        reader.receive("0123456789")
        #expect(reader.heard == ["oversize", "started"])
        #expect(reader.pending.isEmpty, "the oversize bytes are not kept")
        reader.receive(String(repeating: "x", count: 100))
        #expect(reader.heard == ["oversize", "started"], "reported once per line")
        reader.receive("tail\n{\"ok\":1}\n")
        #expect(reader.heard == ["oversize", "started", "discardEnded", #"line:{"ok":1}"#])
    }

    @Test("At the end of the stream the bytes left are a last line, unless they are an oversize line's")
    func finishGivesTheLastLine() {
        var reader = Reader(maxLength: 8)
        reader.receive("a\nlast")
        reader.end()
        #expect(reader.heard == ["line:a", "started", "line:last"])
        var dropped = Reader(maxLength: 8)
        dropped.receive("0123456789")
        dropped.end()
        #expect(dropped.heard == ["oversize", "started"])
        var empty = Reader()
        empty.end()
        #expect(empty.heard.isEmpty)
    }

    @Test("A line's start is reported once however many reads it takes, and again for the next line")
    func startOncePerLine() {
        var reader = Reader()
        for piece in ["a", "b", "c", "\nd", "e", "\n"] { reader.receive(piece) }
        #expect(reader.heard == ["started", "line:abc", "started", "line:de"])
    }

    @Test("A multibyte character split between reads comes out whole")
    func multibyte() {
        var reader = Reader()
        for byte in Array("李娜\n".utf8) { reader.receive(bytes: [byte]) }
        #expect(reader.heard == ["started", "line:李娜"])
    }
}
