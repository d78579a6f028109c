import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The agent's return through the real daemon when the cash does not add up: the daemon says
/// by how much, and records nothing.
@Suite("utilities: an unbalanced return over the socket", .timeLimit(.minutes(2)))
struct UnbalancedReturnTests {
    @Test(
        "Cash back that does not balance is refused with the expected amount and the difference; batch and requests stay as they were"
    )
    func unbalancedReturnRecordsNothing() throws {
        let daemon = try UtilitiesCounter.start()
        let desk = try daemon.counter()
        let first = try desk.prepay(
            unit: "3-2-1201", payer: "王芳", utility: "electricity", cash: 20_000, medium: "remote")
        let second = try desk.prepay(
            unit: "5-1-0302", payer: "陈静", utility: "gas", cash: 10_000, medium: "gas_card")
        let numbers = [first, second].compactMap { $0["number"]?.stringValue }
        let batch = try desk.call("utilities.batches.create", ["agent": "张师傅"]).utilityBatch
        let batchID = try #require(batch["batch"])
        let batchBefore = try desk.call("utilities.batches.get", ["batch": batchID]).utilityBatch
        let requestsBefore = try numbers.map { try desk.request($0) }

        // 30,000 out; 18,000 + 9,500 spent; 2,500 should come back, 2,000 did.
        let results: JSONValue = [
            UtilitiesCounter.bought(numbers[0], spent: 18_000, credited: "300", receipt: "SG-1"),
            UtilitiesCounter.bought(numbers[1], spent: 9_500, credited: "38", receipt: "GAS-1"),
        ]
        let error = try desk.callError(
            "utilities.batches.return",
            [
                "batch": batchID,
                "results": results,
                "cashBack": 2_000,
            ])
        #expect(error?.kind == .validation, "\(String(describing: error))")
        #expect(error?.field == "cashBack", "\(String(describing: error))")
        #expect(error?.details["rule"] == "unbalanced", "\(String(describing: error))")
        #expect(error?.details["expected"]?.intValue == 2_500, "\(String(describing: error))")
        #expect(error?.details["difference"]?.intValue == -500, "500 short: \(String(describing: error))")

        #expect(try desk.call("utilities.batches.get", ["batch": batchID]).utilityBatch == batchBefore)
        #expect(try numbers.map { try desk.request($0) } == requestsBefore)
        let onHand = try desk.cashOnHand()
        #expect(onHand.fen("cash") == 0 && onHand["cards"]?.arrayValue?.isEmpty == true, "\(onHand)")

        // The same return, balanced, goes through.
        let returned = try desk.call(
            "utilities.batches.return",
            [
                "batch": batchID,
                "results": results,
                "cashBack": 2_500,
            ]
        ).utilityBatch
        #expect(returned["status"] == "returned")
        #expect(try desk.cashOnHand().fen("cash") == 2_500)
        try daemon.stop()
    }
}
