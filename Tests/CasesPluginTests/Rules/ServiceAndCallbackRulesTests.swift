import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// Special services paid when ordered (receipt, amount, cash tendered, change), and callbacks:
/// reached or not, satisfaction, and a dissatisfied resident reopening the case.
@Suite("cases rules: special services and callbacks")
struct ServiceAndCallbackRulesTests {
    @Test("a service is paid when opened: the price list's amount, the receipt, the change from the cash tendered")
    func paymentWithChange() throws {
        let desk = try CasesHarness.cases()
        let reply = try desk.call(
            "cases.open", CasesHarness.report("service", ["service": "housekeeping", "tendered": 10_000]))
        #expect(reply["service"] == "housekeeping")
        #expect(
            reply["payment"] == ["receipt": "SR20261206-0001", "amount": 8_000, "tendered": 10_000, "change": 2_000])
        let exact = try desk.call(
            "cases.open", CasesHarness.report("service", ["service": "carpet_cleaning", "tendered": 15_000]))
        #expect(exact["payment"]?["change"] == 0 && exact["payment"]?["receipt"] == "SR20261206-0002")
        let short = try desk.callError(
            "cases.open", CasesHarness.report("service", ["service": "carpet_cleaning", "tendered": 14_999]))
        #expect(short.kind == .validation && short.field == "tendered" && short.rule == "tendered_short")
        #expect(short.details["price"] == 15_000)
        #expect(GlossaryCoverage.isChinese(short.translations["zh"]))
        let unpaid = try desk.callError("cases.open", CasesHarness.report("service", ["service": "housekeeping"]))
        #expect(unpaid.field == "tendered" && unpaid.rule == "paid_when_ordered")
        let unnamed = try desk.callError("cases.open", CasesHarness.report("service", ["tendered": 10_000]))
        #expect(unnamed.field == "service" && unnamed.rule == "service_required")
        let unknown = try desk.callError(
            "cases.open", CasesHarness.report("service", ["service": "pet_sitting", "tendered": 10_000]))
        #expect(unknown.field == "service" && unknown.rule == "price_list")
        let stray = try desk.callError("cases.open", CasesHarness.report("repair", ["tendered": 10_000]))
        #expect(stray.field == "tendered" && stray.rule == "service_only")
        #expect(
            try desk.query("SELECT id FROM cases_cases").count == 2,
            "a refused payment stores nothing and uses no receipt number")
    }

    @Test("the price list is configurable: the configured list replaces the default")
    func configuredPrices() throws {
        let desk = try CasesHarness.cases(config: [
            "services": ["pet_sitting": ["price": 5_000, "en": "Pet sitting", "zh": "宠物照看"]]
        ])
        let reply = try desk.call(
            "cases.open", CasesHarness.report("service", ["service": "pet_sitting", "tendered": 5_000]))
        #expect(reply["payment"]?["amount"] == 5_000)
        #expect(
            try desk.callError(
                "cases.open", CasesHarness.report("service", ["service": "housekeeping", "tendered": 10_000])
            ).field == "service")
        #expect(throws: RPCError.self) {
            try CasesHarness.cases(config: ["services": ["pet_sitting": ["en": "Pet sitting"]]])
        }
    }

    @Test("a service is dispatched like a repair and closed with a callback task")
    func serviceDispatched() throws {
        let desk = try CasesHarness.cases()
        let id = try desk.open("service", ["service": "window_cleaning", "tendered": 6_000])
        let order = try desk.call("cases.dispatch", ["case": .string(id), "department": "cleaning"])
        #expect(order["due"] == "2026-12-07T10:00:00.000+08:00")
        try desk.finish(order["order"]?.stringValue ?? "")
        let closed = try desk.call("cases.close", ["case": .string(id), "outcome": "已完成擦窗"])
        #expect(closed["callback"]?["status"] == "pending" && closed["payment"]?["amount"] == 6_000)
    }

    @Test("a callback not reached stays pending and counts the attempt; reached needs the satisfaction")
    func callbackAttempts() throws {
        let desk = try CasesHarness.cases()
        let id = try desk.open("complaint", ["area": "cleaning"])
        let early = try desk.callError(
            "cases.callback", ["case": .string(id), "reached": true, "satisfaction": "satisfied"])
        #expect(early.kind == .invalidState, "an open case has no callback to make")
        try desk.call("cases.close", ["case": .string(id), "outcome": "保洁已返工", "valid": true])
        let missed = try desk.call("cases.callback", ["case": .string(id), "reached": false])
        #expect(missed["callback"]?["status"] == "pending" && missed["callback"]?["attempts"] == 1)
        #expect(missed["callback"]?["reached"] == false && missed["status"] == "closed")
        let guessed = try desk.callError(
            "cases.callback", ["case": .string(id), "reached": false, "satisfaction": "satisfied"])
        #expect(guessed.field == "satisfaction" && guessed.rule == "reached_only")
        let silent = try desk.callError("cases.callback", ["case": .string(id), "reached": true])
        #expect(silent.field == "satisfaction" && silent.rule == "satisfaction_required")
        desk.clock.advance(by: 3600)
        let made = try desk.call(
            "cases.callback",
            ["case": .string(id), "reached": true, "satisfaction": "very_satisfied", "comments": "楼道很干净了"])
        let callback = try #require(made["callback"])
        #expect(callback["status"] == "done" && callback["attempts"] == 2 && callback["reached"] == true)
        #expect(callback["satisfaction"] == "very_satisfied" && callback["comments"] == "楼道很干净了")
        #expect(callback["calledAt"] == "2026-12-06T11:00:00.000+08:00" && callback["calledBy"] == "li.na")
        #expect(made["status"] == "closed")
        let again = try desk.callError(
            "cases.callback", ["case": .string(id), "reached": true, "satisfaction": "neutral"])
        #expect(again.kind == .invalidState, "once")
    }

    @Test("dissatisfied reopens the case: it is dispatched again, closed again, and gets a new callback")
    func dissatisfiedReopens() throws {
        let desk = try CasesHarness.cases()
        let id = try desk.open("repair")
        let order = try desk.dispatch(id)
        try desk.finish(order)
        try desk.call("cases.close", ["case": .string(id), "outcome": "已更换阀门"])
        let unhappy = try desk.call(
            "cases.callback",
            ["case": .string(id), "reached": true, "satisfaction": "dissatisfied", "comments": "还在滴水"])
        #expect(unhappy["status"] == "reopened" && unhappy["closedAt"] == .null, "\(unhappy)")
        #expect(desk.lastEvents.map(\.topic) == ["cases.callback.recorded", "cases.reopened"])
        #expect(unhappy["callback"]?["satisfaction"] == "dissatisfied" && unhappy["callback"]?["status"] == "done")
        let reopened = try desk.call("cases.workorders.reopen", ["order": .string(order), "reason": "还在滴水"])
        #expect(reopened["status"] == "reopened")
        try desk.finish(order)
        let closed = try desk.call("cases.close", ["case": .string(id), "outcome": "重新密封接口"])
        #expect(closed["status"] == "closed" && closed["callback"]?["status"] == "pending", "a new callback task")
        #expect(try desk.query("SELECT id FROM cases_callbacks WHERE case_no = ?", [id]).count == 2)
    }
}
