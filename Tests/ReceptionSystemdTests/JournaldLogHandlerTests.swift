import Logging
import ReceptionSystemd
import Testing

@Suite struct JournaldLogHandlerTests {
    private func event(
        _ message: Logger.Message, level: Logger.Level = .info, metadata: Logger.Metadata? = nil
    ) -> LogEvent {
        LogEvent(
            level: level, message: message, metadata: metadata, source: "ReceptionDaemon",
            file: "ReceptionDaemon/Server.swift", function: "handle(_:)", line: 42)
    }

    @Test func fixedFieldsComeFirst() {
        let handler = JournaldLogHandler(label: "reception.server", identifier: "receptiond")
        let fields = handler.fields(for: event("guest checked in", level: .warning))
        #expect(
            fields == [
                "MESSAGE=guest checked in",
                "PRIORITY=4",
                "SYSLOG_IDENTIFIER=receptiond",
                "CODE_FILE=ReceptionDaemon/Server.swift",
                "CODE_LINE=42",
                "CODE_FUNC=handle(_:)",
                "LOGGER=reception.server",
            ])
    }

    @Test func metadataIsMergedRecordWinning() {
        let provider = Logger.MetadataProvider { ["request_id": "from-provider", "workstation": "desk-2"] }
        var handler = JournaldLogHandler(label: "", identifier: "receptiond", metadataProvider: provider)
        handler[metadataKey: "plugin"] = "housekeeping"
        handler[metadataKey: "workstation"] = "from-handler"
        handler[metadataKey: "operator"] = "from-handler"
        let fields = handler.fields(
            for: event("m", metadata: ["request_id": "r-7", "operator": "alice", "peer_uid": .stringConvertible(1001)]))
        #expect(
            Array(fields.dropFirst(6)) == [
                "OPERATOR=alice",
                "PEER_UID=1001",
                "PLUGIN=housekeeping",
                "REQUEST_ID=r-7",
                "WORKSTATION=desk-2",
            ])
    }

    @Test func nestedValuesUseTheirDescriptionAndNewlinesSurvive() {
        let handler = JournaldLogHandler(label: "", identifier: "receptiond")
        let nested: Logger.Metadata.Value = .dictionary(["room": "101"])
        let list: Logger.Metadata.Value = .array(["a", "b"])
        let fields = handler.fields(
            for: event("two\nlines", metadata: ["args": list, "detail": nested, "": "x", "42": "y"]))
        #expect(fields.first == "MESSAGE=two\nlines")
        #expect(fields.contains("ARGS=\(list.description)"))
        #expect(fields.contains("DETAIL=\(nested.description)"))
        #expect(fields.count == 8)  // six fixed (no LOGGER: empty label) + ARGS + DETAIL; "" and "42" dropped
    }

    @Test func loggingOddInputDoesNotCrash() {
        // Without journald this falls back to a line on stderr; either way it must simply return.
        var logger = Logger(label: "odd\0label") {
            JournaldLogHandler(label: $0, identifier: "receptiond\n", level: .trace)
        }
        logger[metadataKey: "_"] = "\0"
        logger.trace(
            "", metadata: ["": "", "ünïcödé": "\u{2028}", "big": .string(String(repeating: "x", count: 100_000))])
    }
}
