import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Two desks handing the same requests to agents at the same moment, through the real daemon:
/// its single writer serializes the two batches, and a request ends up in one of them only.
@Suite("utilities: batches raced over the socket", .timeLimit(.minutes(2)))
struct BatchRaceTests {
    @Test("Two desks batching the same request at once: exactly one succeeds, the other hears the request's state")
    func concurrentBatches() throws {
        let daemon = try UtilitiesCounter.start()
        let setup = try daemon.counter()
        var numbers: [String] = []
        for index in 1...10 {
            let request = try setup.prepay(
                unit: "9-1-\(1000 + index)", payer: "住户\(index)", utility: index % 2 == 0 ? "gas" : "electricity",
                cash: Int64(1_000 * index), medium: index % 2 == 0 ? "gas_card" : "remote")
            numbers.append(try #require(request["number"]?.stringValue))
        }
        let desks = [
            try daemon.counter(desk: "desk-1", operator: "li.na"),
            try daemon.counter(desk: "desk-2", operator: "wang.fang"),
        ]
        let candidates = numbers
        let outcomes = runOnThreads(2) { worker -> [String: String] in
            var results: [String: String] = [:]
            for number in candidates {
                do {
                    let batch = try desks[worker].call(
                        "utilities.batches.create",
                        ["agent": .string(worker == 0 ? "张师傅" : "刘师傅"), "numbers": [.string(number)]])
                    results[number] = "ok:" + (batch.utilityBatch["batch"]?.serialized() ?? "")
                } catch ClientError.rpc(let error) {
                    results[number] = "\(error.kind.rawValue):\(error.details["status"]?.stringValue ?? "?")"
                }
            }
            return results
        }
        let first = try outcomes[0].get()
        let second = try outcomes[1].get()
        let batches = try #require(try setup.call("utilities.batches.list", ["limit": 50])["batches"]?.arrayValue)
        for number in numbers {
            let a = first[number] ?? ""
            let b = second[number] ?? ""
            let winners = [a, b].filter { $0.hasPrefix("ok:") }
            #expect(winners.count == 1, "\(number): \(a) / \(b)")
            let loser = a.hasPrefix("ok:") ? b : a
            #expect(
                loser == "invalid_state:with_agent", "the refusal names the request's state now: \(number): \(loser)")
            let stored = try setup.request(number)
            #expect(stored["status"] == "with_agent", "\(number)")
            #expect("ok:" + (stored["batch"]?.serialized() ?? "") == winners.first, "\(number): \(stored)")
        }
        // A request has one batch (its `batch`, checked above), and each batch holds its one request.
        #expect(batches.count == numbers.count, "one batch per request won: \(batches.count)")
        #expect(batches.allSatisfy { $0["count"] == 1 }, "\(batches)")
        let onHand = try setup.cashOnHand()
        #expect(onHand.fen("cash") == 0, "all the cash went out, once: \(onHand)")
        try daemon.stop()
    }
}
