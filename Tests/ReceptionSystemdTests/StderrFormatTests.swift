import Logging
import ReceptionSystemd
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct StderrFormatTests {
    @Test(arguments: [
        (1_795_659_303, 123_456_789, 28_800, "2026-11-26T10:15:03.123+08:00"),
        (1_795_659_303, 0, 0, "2026-11-26T02:15:03.000+00:00"),
        (-1, 999_999_999, 0, "1969-12-31T23:59:59.999+00:00"),
        (1_709_208_000, 0, -12_600, "2024-02-29T08:30:00.000-03:30"),
        (951_868_800, 5_000_000, 0, "2000-03-01T00:00:00.005+00:00"),
        (951_868_800, 0, -1, "2000-02-29T23:59:59.000-00:00"),
        (0, 0, 50_400, "1970-01-01T14:00:00.000+14:00"),
    ])
    func timestamps(epoch: Int, nanoseconds: Int, offset: Int, expected: String) {
        #expect(
            StderrLogHandler.timestamp(epochSeconds: epoch, nanoseconds: nanoseconds, utcOffsetSeconds: offset)
                == expected)
    }

    @Test func timestampsNeverCrash() {
        let values = [Int.min, Int.min + 1, -1, 0, 1, Int.max, -1_000_000_000_000, 1_000_000_000_000]
        for epoch in values {
            for offset in values {
                _ = StderrLogHandler.timestamp(epochSeconds: epoch, nanoseconds: offset, utcOffsetSeconds: offset)
            }
        }
    }

    @Test func documentedExample() {
        let line = StderrLogHandler.format(
            timestamp: "2026-11-26T10:15:03.123+08:00", level: .info, identifier: "receptiond",
            message: "message", metadata: ["key": "value", "key2": "value with space"])
        #expect(line == #"2026-11-26T10:15:03.123+08:00 info receptiond: message key=value key2="value with space""#)
    }

    @Test func levelNames() {
        for level in Logger.Level.allCases {
            let line = StderrLogHandler.format(
                timestamp: "T", level: level, identifier: "r", message: "m", metadata: [:])
            #expect(line == "T \(level.rawValue) r: m")
        }
    }

    @Test func messagesStayOnOneLine() {
        let line = StderrLogHandler.format(
            timestamp: "T", level: .error, identifier: "receptiond",
            message: "first\nsecond\r\nthird\u{1B}[31m\u{2028}tab\there", metadata: [:])
        #expect(line == #"T error receptiond: first\nsecond\r\nthird\x1B[31m\u{2028}tab"# + "\there")
        #expect(!line.contains("\n") && !line.contains("\r"))
    }

    @Test func metadataValuesAreQuotedWhenNeeded() {
        let line = StderrLogHandler.format(
            timestamp: "T", level: .info, identifier: "r", message: "m",
            metadata: [
                "a_empty": "",
                "b_quote": #"say "hi""#,
                "c_equals": "x=y",
                "d_newline": "l1\nl2",
                "e_backslash": #"C:\dir"#,
                "f_plain": "room-101/ok",
                "g_nested": .dictionary(["k": "v"]),
                "h_number": .stringConvertible(3),
                "i_tab": "a\tb",
            ])
        #expect(
            line
                == #"T info r: m a_empty="" b_quote="say \"hi\"" c_equals="x=y" d_newline="l1\nl2" e_backslash="C:\\dir" f_plain=room-101/ok g_nested="[\"k\": \"v\"]" h_number=3 i_tab="a\tb""#
        )
    }

    @Test func metadataKeysCannotBreakTheSyntax() {
        let line = StderrLogHandler.format(
            timestamp: "T", level: .info, identifier: "r", message: "m",
            metadata: ["a key": "1", "b=c": "2", "d\"e": "3", "f\ng": "4", "": "5"])
        #expect(line == "T info r: m _=5 a_key=1 b_c=2 d_e=3 f_g=4")
    }

    @Test func handlerWritesOneLinePerRecordAndHonoursTheLevel() throws {
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        do {
            defer { close(writeEnd) }
            let provider = Logger.MetadataProvider { ["request_id": "r-1"] }
            var logger = Logger(label: "test") {
                StderrLogHandler(
                    label: $0, identifier: "receptiond", level: .info, metadataProvider: provider,
                    fileDescriptor: writeEnd)
            }
            logger[metadataKey: "plugin"] = "example"
            logger.debug("filtered out")
            logger.notice("hello\nworld", metadata: ["request_id": "r-2"])
            logger.logLevel = .debug
            logger.debug("now visible")
        }
        let output = readAll(readEnd)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines.last == "")
        #expect(lines[0].hasSuffix(#" notice receptiond: hello\nworld plugin=example request_id=r-2"#))
        #expect(lines[1].hasSuffix(" debug receptiond: now visible plugin=example request_id=r-1"))
        // "YYYY-MM-DDTHH:MM:SS.mmm±HH:MM " prefix
        let stamp = lines[0].prefix(30)
        #expect(stamp.count == 30 && stamp.last == " ")
        #expect(Array(stamp)[10] == "T" && Array(stamp)[19] == "." && ["+", "-"].contains(Array(stamp)[23]))
    }

    @Test func concurrentRecordsNeverInterleave() async throws {
        let path = "/tmp/receptiond-stderr-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let payload = String(repeating: "x", count: 2_000)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let logger = Logger(label: "w") { StderrLogHandler(label: $0, identifier: "r", fileDescriptor: fd) }
                    for record in 0..<50 {
                        logger.info("\(payload)", metadata: ["writer": "\(writer)", "record": "\(record)"])
                    }
                }
            }
        }
        let readFD = open(path, O_RDONLY | O_CLOEXEC)
        try #require(readFD >= 0)
        defer { close(readFD) }
        let lines = readAll(readFD).split(separator: "\n")
        #expect(lines.count == 400)
        #expect(lines.allSatisfy { $0.contains(" info r: \(payload) record=") })
    }
}

/// A pipe (read end, write end), both close-on-exec.
func makePipe() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    try #require(pipe(&fds) == 0)
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return (fds[0], fds[1])
}

/// Everything readable from `fd` until end of file, as UTF-8.
func readAll(_ fd: Int32) -> String {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = read(fd, &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        result.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: result, as: UTF8.self)
}
