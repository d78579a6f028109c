import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Lending the same key from two workstations at once, through the real daemon: its single
/// writer serializes the checkouts, and the loser hears who won.
@Suite("access: keys raced over the socket", .timeLimit(.minutes(2)))
struct KeyRaceTests {
    @Test("Two workstations lending the same keys at the same moment: for every key exactly one succeeds")
    func concurrentCheckouts() throws {
        let daemon = try AccessDesk.start()
        let setup = try daemon.counter()
        let tags = (1...8).map { "RACE-\($0)" }
        for (index, tag) in tags.enumerated() { try setup.register(tag, hook: "R-\(index)") }
        let desks = [
            try daemon.counter(desk: "desk-1", operator: "li.na"),
            try daemon.counter(desk: "desk-2", operator: "wang.fang"),
        ]
        let outcomes = runOnThreads(2) { worker -> [String: String] in
            var results: [String: String] = [:]
            for tag in tags {
                let borrower = worker == 0 ? "甲" : "乙"
                do {
                    let reply = try desks[worker].call(
                        "access.keys.checkout", AccessParams.staffLoan(tag, borrower: borrower))
                    results[tag] = "ok:" + (reply["key"]?["since"]?.stringValue ?? "")
                } catch ClientError.rpc(let error) {
                    results[tag] =
                        "\(error.kind.rawValue):\(error.details["borrower"]?.stringValue ?? "")@\(error.details["since"]?.stringValue ?? "")"
                }
            }
            return results
        }
        let first = try outcomes[0].get()
        let second = try outcomes[1].get()
        let keys = try #require(try setup.call("access.keys.list", ["status": "out"])["keys"]?.arrayValue)
        #expect(keys.count == tags.count)
        for tag in tags {
            let a = first[tag] ?? ""
            let b = second[tag] ?? ""
            let winners = [a, b].filter { $0.hasPrefix("ok:") }
            #expect(winners.count == 1, "\(tag): \(a) / \(b)")
            let loser = a.hasPrefix("ok:") ? b : a
            let winner = a.hasPrefix("ok:") ? "甲" : "乙"
            let stored = keys.first { $0["tag"] == .string(tag) }
            #expect(stored?["borrower"] == .string(winner), "\(tag)")
            let since = stored?["since"]?.stringValue ?? "?"
            #expect(loser == "conflict:\(winner)@\(since)", "\(tag): \(loser)")
        }
        try daemon.stop()
    }
}
