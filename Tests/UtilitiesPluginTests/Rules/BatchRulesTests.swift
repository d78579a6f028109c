import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `utilities.batches.create` and `utilities.batches.return`: the handover to the agent and the
/// agent's return, where cash out must equal spent + cash back to the fen.
@Suite("utilities rules: batches to the agent and back")
struct BatchRulesTests {
    @Test("a batch takes every request at the desk, with its cards and the total cash; each request goes with_agent")
    func createTakesEverythingAtTheDesk() throws {
        let desk = try UtilitiesHarness.utilities()
        let a = try desk.request("3-2-1201", cash: 20_000)
        let b = try desk.request("5-1-0302", cash: 10_050, utility: "gas", medium: "gas_card")
        let batch = try desk.handOver()
        #expect(batch["batch"] == 1)
        #expect(batch["agent"] == "张师傅")
        #expect(batch["status"] == "out")
        #expect(batch["cashOut"] == 30_050)
        #expect(batch["count"] == 2)
        #expect(batch["createdBy"] == "li.na")
        #expect(batch["returnedAt"] == .null)
        #expect(batch["cashBack"] == .null)
        #expect(batch["requests"]?.arrayValue?.map { $0["number"] } == [a["number"], b["number"]])
        #expect(batch["requests"]?.arrayValue?.allSatisfy { $0["status"] == "with_agent" && $0["batch"] == 1 } == true)
        #expect(desk.lastEvents.map(\.topic) == ["utilities.batched"])
        #expect(try desk.cashOnHand()["cash"] == 0, "the cash left with the agent")
    }

    @Test("a batch of one utility, or of listed numbers; a listed number of another utility is refused")
    func createByUtilityOrNumbers() throws {
        let desk = try UtilitiesHarness.utilities()
        let power = try desk.request(cash: 20_000)
        let gas = try desk.request(cash: 10_000, utility: "gas", medium: "gas_card")
        let water = try desk.request(cash: 5_000, utility: "water", medium: "meter_card")
        let gasBatch = try desk.handOver(["utility": "gas"])
        #expect(gasBatch["requests"]?.arrayValue?.map { $0["number"] } == [gas["number"]])
        #expect(gasBatch["utility"] == "gas")
        let mixed = try desk.callError(
            "utilities.batches.create",
            ["agent": "张师傅", "utility": "electricity", "numbers": [water["number"] ?? .null]])
        #expect(mixed.field == "numbers[0]")
        #expect(mixed.rule == "same_utility")
        let listed = try desk.handOver(["numbers": [water["number"] ?? .null]])
        #expect(listed["requests"]?.arrayValue?.map { $0["number"] } == [water["number"]])
        #expect(try desk.get(power["number"])["status"] == "at_desk")
    }

    @Test("nothing to hand over is invalid_state; more than max_batch is refused with the count")
    func createLimits() throws {
        let desk = try UtilitiesHarness.utilities(config: ["max_batch": 2])
        let empty = try desk.callError("utilities.batches.create", ["agent": "张师傅"])
        #expect(empty.kind == .invalidState)
        #expect(empty.translations["zh"] == "没有可交接的：柜台上没有预购登记")
        for _ in 0..<3 { try desk.request() }
        let tooMany = try desk.callError("utilities.batches.create", ["agent": "张师傅"])
        #expect(tooMany.rule == "max_batch")
        #expect(tooMany.details["count"] == 3)
        #expect(try desk.query("SELECT count(*) AS n FROM utilities_batches").first?.int("n") == 0)
    }

    @Test(
        "a request can be in one open batch only: batching it again is invalid_state naming its batch, and nothing is recorded"
    )
    func doubleBatchingIsRefused() throws {
        let desk = try UtilitiesHarness.utilities()
        let request = try desk.request()
        let other = try desk.request(cash: 1_000)
        try desk.handOver(["numbers": [request["number"] ?? .null]])
        let again = try desk.callError(
            "utilities.batches.create",
            ["agent": "李师傅", "numbers": [other["number"] ?? .null, request["number"] ?? .null]])
        #expect(again.kind == .invalidState)
        #expect(again.details["status"] == "with_agent")
        #expect(again.details["batch"] == 1)
        #expect(try desk.get(other["number"])["status"] == "at_desk", "the whole batch was refused")
        #expect(try desk.query("SELECT count(*) AS n FROM utilities_batches").first?.int("n") == 1)
        let listedTwice = try desk.callError(
            "utilities.batches.create",
            ["agent": "李师傅", "numbers": [other["number"] ?? .null, other["number"] ?? .null]])
        #expect(listedTwice.field == "numbers[1]")
    }

    @Test(
        "an unbalanced return records nothing: validation on cashBack, rule unbalanced, with the expected cash and the difference"
    )
    func unbalancedReturnRecordsNothing() throws {
        let desk = try UtilitiesHarness.utilities()
        let a = try desk.request(cash: 20_000)
        let b = try desk.request(cash: 10_000)
        let batch = try desk.handOver()
        let results: JSONValue = [bought(a["number"], spent: 18_500), bought(b["number"], spent: 10_000)]
        let short = try desk.callError(
            "utilities.batches.return", ["batch": batch["batch"] ?? .null, "results": results, "cashBack": 1_400])
        #expect(short.kind == .validation)
        #expect(short.field == "cashBack")
        #expect(short.rule == "unbalanced")
        #expect(short.details["expected"] == 1_500)
        #expect(short.details["difference"] == -100)
        #expect(
            short.message
                == "cash does not balance: 300.00 out = 285.00 spent + 15.00 back, but cashBack is 14.00 (1.00 short); nothing was recorded"
        )
        #expect(
            short.translations["zh"]
                == "现金对不上：交出 300.00 元 = 花费 285.00 元 + 应交回 15.00 元，实交回 14.00 元，短少 1.00 元；本次未作任何登记")
        #expect(desk.lastEvents.isEmpty)
        #expect(try desk.call("utilities.batches.get", ["batch": 1])["status"] == "out")
        #expect(try desk.get(a["number"])["status"] == "with_agent")
        #expect(try desk.get(a["number"])["spent"] == .null)

        let balanced = try desk.call(
            "utilities.batches.return", ["batch": batch["batch"] ?? .null, "results": results, "cashBack": 1_500])
        #expect(balanced["status"] == "returned")
        #expect(balanced["spent"] == 28_500)
        #expect(balanced["cashBack"] == 1_500)
        #expect(desk.lastEvents.map(\.topic) == ["utilities.returned", "utilities.returned"])
        #expect(desk.lastEvents.map { $0.data["outcome"] } == ["bought", "bought"])
    }

    @Test(
        "a partial failure: the failed request comes back ready with failed set and its whole cash owed; the bought one owes its leftover"
    )
    func partialFailure() throws {
        let desk = try UtilitiesHarness.utilities()
        let power = try desk.request(cash: 20_000, ["quantity": "300"])
        let gas = try desk.request(cash: 10_000, utility: "gas", medium: "gas_card")
        let batch = try desk.handOver()
        let back = try desk.call(
            "utilities.batches.return",
            [
                "batch": batch["batch"] ?? .null,
                "results": [bought(power["number"], spent: 19_380, credited: "300.0"), failed(gas["number"])],
                "cashBack": 10_620,
            ])
        let requests = try #require(back["requests"]?.arrayValue)
        #expect(requests[0]["status"] == "ready")
        #expect(requests[0]["spent"] == 19_380)
        #expect(requests[0]["credited"] == "300")
        #expect(requests[0]["utilityReceipt"] == "GD-1")
        #expect(requests[0]["owed"] == 620)
        #expect(requests[1]["status"] == "ready")
        #expect(requests[1]["failed"] == true)
        #expect(requests[1]["failureReason"] == "卡片读不出")
        #expect(requests[1]["spent"] == 0)
        #expect(requests[1]["owed"] == 10_000)
        #expect(desk.lastEvents.map { $0.data["outcome"] } == ["bought", "failed"])
        let cash = try desk.cashOnHand()
        #expect(cash["owed"] == 10_620)
        #expect(cash["cash"] == 10_620, "exactly what the agent handed back")

        let twice = try desk.callError(
            "utilities.batches.return",
            ["batch": 1, "results": [failed(power["number"]), failed(gas["number"])], "cashBack": 30_000])
        #expect(twice.kind == .invalidState)
        #expect(twice.details["status"] == "returned")
    }

    @Test(
        "every request of the batch has exactly one result; spent above a request's cash is validation on results[i].spent"
    )
    func resultsAreChecked() throws {
        let desk = try UtilitiesHarness.utilities()
        let a = try desk.request(cash: 20_000)
        let b = try desk.request(cash: 10_000)
        let outside = try desk.request(cash: 500)
        try desk.handOver(["numbers": [a["number"] ?? .null, b["number"] ?? .null]])
        func refusal(_ results: JSONValue, cashBack: Int64 = 0) throws -> RPCError {
            try desk.callError(
                "utilities.batches.return", ["batch": 1, "results": results, "cashBack": .int(cashBack)])
        }
        let missing = try refusal([bought(a["number"], spent: 20_000)])
        #expect(missing.field == "results")
        #expect(missing.details["missing"] == [b["number"] ?? .null])
        let twice = try refusal([bought(a["number"], spent: 1), failed(b["number"]), failed(a["number"])])
        #expect(twice.field == "results[2].number")
        #expect(twice.rule == "one_result")
        let stranger = try refusal([bought(a["number"], spent: 1), failed(outside["number"])])
        #expect(stranger.field == "results[1].number")
        #expect(stranger.rule == "in_batch")
        let overspent = try refusal([failed(a["number"]), bought(b["number"], spent: 10_001)])
        #expect(overspent.field == "results[1].spent")
        #expect(overspent.rule == "within_cash")
        #expect(overspent.translations["zh"] == "\(b["number"]?.stringValue ?? "") 花费 100.01 元 超过了预交现金 100.00 元")
        let noReason = try refusal([["number": a["number"] ?? .null, "outcome": "failed"], failed(b["number"])])
        #expect(noReason.field == "results[0].reason")
        let failedButSpent = try refusal([
            ["number": a["number"] ?? .null, "outcome": "failed", "reason": "x", "spent": 10], failed(b["number"]),
        ])
        #expect(failedButSpent.field == "results[0].spent")
        let noCredit = try refusal([
            ["number": a["number"] ?? .null, "outcome": "bought", "spent": 10], failed(b["number"]),
        ])
        #expect(noCredit.field == "results[0].credited")
        #expect(try desk.call("utilities.batches.get", ["batch": 1])["status"] == "out", "nothing recorded")
    }
}
