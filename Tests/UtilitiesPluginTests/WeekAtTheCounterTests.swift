import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// One week of prepayments through the real daemon and socket, as protocol.md tells it: the
/// desk takes cash and cards, hands them to the agent, takes back cards, receipts and leftover
/// cash, and pays every resident what is owed. `utilities.cashOnHand` is checked at each step.
@Suite("utilities: a week at the counter over the socket", .timeLimit(.minutes(2)))
struct WeekAtTheCounterTests {
    @Test(
        "Requests, a cancel, the batch, a return with one failure, collections: cash on hand follows every step to the fen; the month's report counts it all"
    )
    func oneWeek() throws {
        let daemon = try UtilitiesCounter.start()
        let desk = try daemon.counter()
        let events = try daemon.counter(desk: "desk-2", operator: "wang.fang")
        try events.call("events.subscribe", ["topics": ["utilities"]])

        // Monday: four residents prepay.
        let wang = try desk.prepay(
            unit: "3-2-1201", payer: "王芳", utility: "electricity", cash: 20_000, medium: "remote",
            mediumRef: "RC-3201", extra: ["quantity": "300"])
        let chen = try desk.prepay(
            unit: "5-1-0302", payer: "陈静", utility: "gas", cash: 10_000, medium: "gas_card", mediumRef: "GC-88123")
        let li = try desk.prepay(
            unit: "7-3-1501", payer: "李强", utility: "electricity", cash: 15_000, medium: "meter_card",
            mediumRef: "MC-1501")
        let zhao = try desk.prepay(
            unit: "2-1-0101", payer: "赵敏", utility: "electricity", cash: 5_000, medium: "account", mediumRef: "E-0101")
        for request in [wang, chen, li, zhao] {
            #expect(request["status"] == "at_desk", "\(request)")
            #expect(request["batch"] == .null, "\(request)")
            #expect(request["owed"]?.intValue == 0 || request["owed"] == nil, "\(request)")
            #expect(request["number"]?.stringValue?.contains(#/^UT\d{8}-\d{4}$/#) == true, "\(request)")
        }
        #expect(wang["quantity"] == "300")
        #expect(chen["quantity"] == .null)
        var onHand = try desk.cashOnHand()
        #expect(onHand.fen("cash") == 50_000 && onHand.fen("atDesk") == 50_000 && onHand.fen("owed") == 0, "\(onHand)")
        #expect(onHand["cards"]?.arrayValue?.count == 3, "Zhao's credit goes to an account: no card to hold: \(onHand)")

        // Tuesday: Zhao changes her mind; all her cash goes back at once.
        let zhaoNumber = zhao["number"]?.stringValue ?? ""
        let cancelled = try desk.call("utilities.cancel", ["number": .string(zhaoNumber), "reason": "搬家"])
            .utilityRequest
        #expect(cancelled["status"] == "cancelled")
        #expect(cancelled.fen("paidOut") == 5_000)
        #expect(cancelled["cancelledAt"]?.stringValue != nil)
        onHand = try desk.cashOnHand()
        #expect(onHand.fen("cash") == 45_000 && onHand.fen("atDesk") == 45_000, "\(onHand)")
        let cards = (onHand["cards"]?.arrayValue ?? []).compactMap { $0["number"]?.stringValue }
        #expect(Set(cards) == Set([wang, chen, li].compactMap { $0["number"]?.stringValue }), "\(onHand)")
        let gasCard = onHand["cards"]?.arrayValue?.first { $0["number"] == chen["number"] }
        #expect(
            gasCard?["medium"] == "gas_card" && gasCard?["mediumRef"] == "GC-88123" && gasCard?["unit"] == "5-1-0302")

        // Wednesday: everything at the desk goes to the agent.
        let batch = try desk.call("utilities.batches.create", ["agent": "张师傅"]).utilityBatch
        let batchID = try #require(batch["batch"], "\(batch)")
        #expect(batch["status"] == "out")
        #expect(batch["agent"] == "张师傅")
        #expect(batch.fen("cashOut") == 45_000)
        #expect(batch["requests"]?.arrayValue?.count == 3)
        onHand = try desk.cashOnHand()
        #expect(onHand.fen("cash") == 0 && onHand["cards"]?.arrayValue?.isEmpty == true, "\(onHand)")
        let wangNumber = wang["number"]?.stringValue ?? ""
        #expect(try desk.request(wangNumber)["status"] == "with_agent")
        #expect(try desk.request(wangNumber)["batch"] == batchID)
        // Too late to cancel: the cash is with the agent.
        let late = try desk.callError("utilities.cancel", ["number": .string(wangNumber)])
        #expect(late?.kind == .invalidState, "\(String(describing: late))")
        #expect(
            late?.details["status"] == "with_agent", "the error names the current state: \(String(describing: late))")
        #expect(late?.message.contains("with the agent") == true, "\(String(describing: late))")
        // Nothing left at the desk to hand over.
        let empty = try desk.callError("utilities.batches.create", ["agent": "张师傅"])
        #expect(empty?.kind == .invalidState, "\(String(describing: empty))")

        // Friday: the agent is back. Wang's and Chen's credit bought; Li's meter card refused.
        let chenNumber = chen["number"]?.stringValue ?? ""
        let liNumber = li["number"]?.stringValue ?? ""
        let returned = try desk.call(
            "utilities.batches.return",
            [
                "batch": batchID,
                "results": [
                    UtilitiesCounter.bought(wangNumber, spent: 18_000, credited: "300", receipt: "SG-2026-771"),
                    UtilitiesCounter.bought(chenNumber, spent: 10_000, credited: "40", receipt: "GAS-5521"),
                    UtilitiesCounter.failed(liNumber, reason: "卡片读取失败"),
                ],
                "cashBack": 17_000,
            ]
        ).utilityBatch
        #expect(returned["status"] == "returned")
        #expect(returned.fen("cashBack") == 17_000 && returned.fen("spent") == 28_000, "\(returned)")
        let wangBack = try desk.request(wangNumber)
        #expect(wangBack["status"] == "ready" && wangBack.fen("owed") == 2_000 && wangBack["failed"] == false)
        #expect(
            wangBack["utilityReceipt"] == "SG-2026-771" && wangBack["credited"] == "300"
                && wangBack.fen("spent") == 18_000)
        let liBack = try desk.request(liNumber)
        #expect(liBack["status"] == "ready" && liBack["failed"] == true && liBack.fen("owed") == 15_000, "\(liBack)")
        #expect(liBack["failureReason"] == "卡片读取失败")
        onHand = try desk.cashOnHand()
        #expect(onHand.fen("cash") == 17_000 && onHand.fen("atDesk") == 0 && onHand.fen("owed") == 17_000, "\(onHand)")
        #expect(onHand["cards"]?.arrayValue?.allSatisfy { $0["status"] == "ready" } == true, "\(onHand)")
        #expect(onHand["cards"]?.arrayValue?.count == 3, "\(onHand)")

        // Saturday and Sunday: the residents sign for their cards and count their money.
        let wangCollect = try desk.call(
            "utilities.collect", ["number": .string(wangNumber), "collectedBy": "王芳"])
        #expect(wangCollect.fen("handOver") == 2_000, "\(wangCollect)")
        #expect(wangCollect["request"]?["status"] == "collected")
        #expect(wangCollect["request"]?["owed"]?.intValue == 0 && wangCollect["request"]?.fen("paidOut") == 2_000)
        #expect(try desk.cashOnHand().fen("cash") == 15_000)
        let chenCollect = try desk.call(
            "utilities.collect", ["number": .string(chenNumber), "collectedBy": "刘洋", "proxy": true])
        #expect(chenCollect.fen("handOver") == 0, "all of Chen's cash was spent: \(chenCollect)")
        #expect(chenCollect["request"]?["collectedBy"] == "刘洋")
        let liCollect = try desk.call("utilities.collect", ["number": .string(liNumber), "collectedBy": "李强"])
        #expect(liCollect.fen("handOver") == 15_000, "a failed purchase gives back all the cash: \(liCollect)")
        onHand = try desk.cashOnHand()
        #expect(onHand.fen("cash") == 0 && onHand["cards"]?.arrayValue?.isEmpty == true, "\(onHand)")
        // A card is signed for once.
        let again = try desk.callError("utilities.collect", ["number": .string(liNumber), "collectedBy": "李强"])
        #expect(again?.kind == .invalidState, "\(String(describing: again))")

        // The 28th: the month's figures.
        let report = try desk.call("utilities.report", ["month": .string(UtilitiesCounter.reportMonth())])
        let electricity = try #require(report["utilities"]?.arrayValue?.first { $0["utility"] == "electricity" })
        let gas = try #require(report["utilities"]?.arrayValue?.first { $0["utility"] == "gas" })
        #expect(electricity["requests"] == 3 && electricity.fen("cash") == 40_000, "\(electricity)")
        #expect(electricity["cancelled"] == 1 && electricity.fen("refunded") == 5_000, "\(electricity)")
        #expect(electricity["bought"] == 1 && electricity["failures"] == 1, "\(electricity)")
        #expect(electricity.fen("spent") == 18_000 && electricity["credited"] == "300", "\(electricity)")
        #expect(electricity["collected"] == 2 && electricity.fen("paidOut") == 17_000, "\(electricity)")
        #expect(gas["requests"] == 1 && gas.fen("cash") == 10_000 && gas.fen("spent") == 10_000, "\(gas)")
        #expect(gas["credited"] == "40" && gas.fen("paidOut") == 0, "\(gas)")
        let total = try #require(report["total"])
        #expect(total["requests"] == 4 && total.fen("cash") == 50_000 && total.fen("spent") == 28_000, "\(total)")
        #expect(total["uncollected"] == 0 && total.fen("owed") == 0, "\(total)")
        #expect(total["averageDaysToCollect"]?.doubleValue == 0, "collected the same day: \(total)")

        // Every change was an event, in order.
        let topics = try events.drainUtilitiesEvents().compactMap { $0["topic"]?.stringValue }
        #expect(
            topics == [
                "utilities.requested", "utilities.requested", "utilities.requested", "utilities.requested",
                "utilities.cancelled", "utilities.batched", "utilities.returned", "utilities.returned",
                "utilities.returned", "utilities.collected", "utilities.collected", "utilities.collected",
            ], "one batched event per batch, one returned event per request: \(topics)")
        try daemon.stop()
    }
}

extension RPCConnection {
    /// The next `event` notification's params.
    func nextUtilitiesEvent(timeout: Duration) throws -> JSONValue {
        while true {
            guard let message = try nextNotification(timeout: timeout) else {
                throw TestDaemonError("the daemon closed the connection before the next event")
            }
            if message["method"] == "event", let params = message["params"] { return params }
        }
    }

    /// Every `event` notification's params that arrives until none has for half a second.
    func drainUtilitiesEvents() throws -> [JSONValue] {
        var events: [JSONValue] = []
        while true {
            do {
                events.append(try nextUtilitiesEvent(timeout: .milliseconds(500)))
            } catch ClientError.timeout {
                return events
            }
        }
    }
}
