import Foundation
import Logging
import Synchronization
import Testing

@testable import ReceptionStore

/// Log lines captured in memory, for asserting on what a component logged.
final class CapturedLog: Sendable {
    private let lines = Mutex<[(Logger.Level, String)]>([])

    /// A logger whose every line (trace and up) lands here.
    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    /// The messages logged so far.
    var messages: [String] { lines.withLock { $0.map(\.1) } }

    /// The levels and messages logged so far.
    var entries: [(Logger.Level, String)] { lines.withLock { $0 } }

    fileprivate func append(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { log.append(event.level, event.message.description) }
    }
}

/// The throttle that keeps a repeating failure from flooding the journal.
@Suite("RepeatingErrorLog: one line per cause per interval, with a count", .timeLimit(.minutes(3)))
struct RepeatingErrorLogTests {
    @Test("10,000 failures of one cause within the interval give one line at once and one count line at its end")
    func floodIsOneLinePlusACount() async throws {
        let captured = CapturedLog()
        let log = RepeatingErrorLog(subject: "storage writes", interval: 0.3, logger: captured.logger)
        for _ in 0..<10_000 {
            log.record(
                key: "sqlite 778: disk I/O error", summary: "disk I/O error", message: "write failed: disk I/O error")
        }
        #expect(captured.messages == ["write failed: disk I/O error"])
        #expect(captured.entries.first?.0 == .error)
        try await Task.sleep(for: .milliseconds(600))
        #expect(captured.messages.count == 2, "\(captured.messages)")
        let summary = try #require(captured.messages.last)
        #expect(summary.contains("storage writes: disk I/O error repeated 9,999 times in the last"), "\(summary)")
        #expect(log.causes.first?.count == 10_000)
        #expect(log.isFailing)
    }

    @Test("Distinct causes are logged separately; the end of the run is logged once with the total")
    func causesAndRecovery() throws {
        let captured = CapturedLog()
        let log = RepeatingErrorLog(subject: "storage writes", interval: 60, logger: captured.logger)
        log.succeeded()
        #expect(captured.messages.isEmpty, "a success with no failure before says nothing")
        for _ in 0..<1_000 { log.record(key: "full", summary: "disk full", message: "disk full", count: 2) }
        for _ in 0..<3 { log.record(key: "ro", summary: "read-only database", message: "read-only") }
        #expect(captured.messages == ["disk full", "read-only"])
        #expect(log.failureCount == 2_003)
        let current = log.causes
        #expect(current.map(\.summary) == ["read-only database", "disk full"], "most recent first")
        #expect(current.allSatisfy { $0.recoveredAt == nil })

        log.succeeded()
        log.succeeded()
        let recovery = captured.messages.filter { $0.contains("succeed again") }
        #expect(recovery.count == 1, "\(captured.messages)")
        #expect(recovery.first?.contains("storage writes succeed again after 2,003 failures") == true, "\(recovery)")
        #expect(recovery.first?.contains("disk full: 2,000") == true, "\(recovery)")
        #expect(!log.isFailing)
        #expect(log.causes.count == 2)
        #expect(log.causes.allSatisfy { $0.recoveredAt != nil })
        #expect(log.causes.first?.jsonValue["current"] == false)
    }

    @Test("Causes differing only in numbers are one cause")
    func numbersDoNotMakeNewCauses() {
        let first = StorageFailure(code: 778, message: "disk I/O error at page 1234")
        let second = StorageFailure(code: 778, message: "disk I/O error at page 99")
        #expect(first.key == second.key)
        #expect(first.summary == "disk I/O error")
        #expect(StorageFailure(code: 13, message: "database or disk is full").summary == "disk full")
        #expect(RepeatingErrorLog.grouped(4212) == "4,212")
        #expect(RepeatingErrorLog.grouped(999) == "999")
        #expect(RepeatingErrorLog.grouped(1_000_000) == "1,000,000")
    }
}
