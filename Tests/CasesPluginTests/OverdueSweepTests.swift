import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The minute job through the real daemon: the sweep runs as soon as the daemon is ready (the
/// SDK's `started` hook), so an order that fell overdue while the daemon was down is announced
/// right after the restart, and only once.
@Suite("cases: overdue work orders announced once, across restarts", .timeLimit(.minutes(2)))
struct OverdueSweepTests {
    @Test(
        "an order past due while the daemon was down is announced by the start sweep, and not again by the next start")
    func announcedOnceAcrossRestarts() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rd-cs-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        func daemon() throws -> TestDaemon {
            let daemon = try TestDaemon(
                plugins: CasesCounter.plugins, environment: ["TZ": CasesCounter.timeZone],
                arguments: ["--state-dir", state.path])
            try daemon.start()
            return daemon
        }
        /// Waits until the audit holds more than `count` sweeps; their records.
        func sweeps(after count: Int, on client: RPCConnection) throws -> [JSONValue] {
            var records: [JSONValue] = []
            for _ in 0..<100 {
                records =
                    try client.call("audit.query", ["method": "cases.workorders.sweep"])["records"]?.arrayValue ?? []
                if records.count > count { break }
                usleep(50_000)
            }
            return records
        }

        let first = try daemon()
        let desk = try first.counter()
        let start = try sweeps(after: 0, on: desk)
        #expect(start.count == 1, "the sweep at start: \(start)\n\(first.log)")
        let due = Date() + 1
        let order = try desk.dispatchCase(try desk.openCase("repair"), due: CasesCounter.iso(due))
        #expect(try first.stop() == 0)
        while Date() <= due + 0.2 { usleep(100_000) }

        let second = try daemon()
        let client = try second.connect()
        let records = try sweeps(after: 1, on: client)
        #expect(records.count == 2, "\(records)")
        #expect(records.allSatisfy { $0["role"] == "system" && $0["outcome"] == "ok" }, "\(records)")
        #expect(second.log.contains("1 work order(s) newly overdue"), "\(second.log)")
        let overdue = try client.call("cases.workorders", ["overdue": true])["orders"]?.arrayValue ?? []
        #expect(overdue.compactMap { $0["order"]?.stringValue } == [order] && overdue.first?["late"] == true)
        #expect(try second.stop() == 0)

        let third = try daemon()
        let again = try sweeps(after: 2, on: try third.connect())
        #expect(again.count == 3, "\(again)")
        #expect(!third.log.contains("newly overdue"), "announced once: \(third.log)")
        #expect(try third.stop() == 0)
    }
}
