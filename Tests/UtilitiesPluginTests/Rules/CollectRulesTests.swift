import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `utilities.collect`: the resident (or a named proxy) signs for the card and counts out what
/// the reply says: the leftover after a purchase, the whole cash after a failure.
@Suite("utilities rules: collecting the card and the leftover")
struct CollectRulesTests {
    /// A desk with two requests back from the agent: one bought (200.00 cash, 193.80 spent), one failed (100.00).
    func deskWithReturnedBatch() throws -> (UtilitiesHarness, bought: JSONValue, failed: JSONValue) {
        let desk = try UtilitiesHarness.utilities()
        let power = try desk.request(cash: 20_000)
        let gas = try desk.request("5-1-0302", cash: 10_000, utility: "gas", medium: "gas_card")
        try desk.handOver()
        try desk.call(
            "utilities.batches.return",
            [
                "batch": 1, "results": [bought(power["number"], spent: 19_380), failed(gas["number"])],
                "cashBack": 10_620,
            ])
        return (desk, power, gas)
    }

    @Test("collecting a bought request hands over the leftover (cash − spent): owed drops to 0 and paidOut records it")
    func collectLeftover() throws {
        let (desk, power, _) = try deskWithReturnedBatch()
        desk.clock.advance(days: 2)
        let reply = try desk.call("utilities.collect", ["number": power["number"] ?? .null, "collectedBy": "王芳"])
        #expect(reply["handOver"] == 620)
        #expect(reply["request"]?["status"] == "collected")
        #expect(reply["request"]?["owed"] == 0)
        #expect(reply["request"]?["paidOut"] == 620)
        #expect(reply["request"]?["collectedBy"] == "王芳")
        #expect(reply["request"]?["proxy"] == false, "the payer herself")
        #expect(desk.lastEvents.map(\.topic) == ["utilities.collected"])
        #expect(desk.lastEvents.first?.data["handOver"] == 620)
        #expect(try desk.cashOnHand()["owed"] == 10_000)
    }

    @Test("collecting after a failure hands over the whole cash")
    func collectAfterFailure() throws {
        let (desk, _, gas) = try deskWithReturnedBatch()
        let reply = try desk.call("utilities.collect", ["number": gas["number"] ?? .null, "collectedBy": "王芳"])
        #expect(reply["handOver"] == 10_000)
        #expect(reply["request"]?["failed"] == true)
        #expect(reply["request"]?["paidOut"] == 10_000)
    }

    @Test("a proxy collects in the payer's name: proxy is set when collectedBy differs from the payer, or when asked")
    func proxyCollection() throws {
        let (desk, power, gas) = try deskWithReturnedBatch()
        let son = try desk.call("utilities.collect", ["number": power["number"] ?? .null, "collectedBy": "王小明"])
        #expect(son["request"]?["proxy"] == true)
        #expect(son["request"]?["collectedBy"] == "王小明")
        let marked = try desk.call(
            "utilities.collect", ["number": gas["number"] ?? .null, "collectedBy": "王芳", "proxy": true])
        #expect(marked["request"]?["proxy"] == true)
    }

    @Test("someone other than the payer with proxy: false is refused (proxy_required) and nothing is handed out")
    func strangerIsNotThePayer() throws {
        let (desk, power, _) = try deskWithReturnedBatch()
        let refused = try desk.callError(
            "utilities.collect", ["number": power["number"] ?? .null, "collectedBy": "赵六", "proxy": false])
        #expect(refused.kind == .validation)
        #expect(refused.field == "proxy")
        #expect(refused.rule == "proxy_required")
        #expect(refused.message.contains("赵六"))
        #expect(refused.translations["zh"]?.contains("代领") == true)
        let unchanged = try desk.call("utilities.get", ["number": power["number"] ?? .null])
        #expect(unchanged["status"] == "ready")
        #expect(unchanged["paidOut"] == 0)
        // The payer with proxy: false is the payer's own collection.
        let own = try desk.call(
            "utilities.collect", ["number": power["number"] ?? .null, "collectedBy": power["payer"] ?? .null, "proxy": false])
        #expect(own["request"]?["proxy"] == false)
    }

    @Test("collecting twice, or before the agent is back, is invalid_state naming the state")
    func collectOnlyWhenReady() throws {
        let (desk, power, _) = try deskWithReturnedBatch()
        try desk.call("utilities.collect", ["number": power["number"] ?? .null, "collectedBy": "王芳"])
        let twice = try desk.callError("utilities.collect", ["number": power["number"] ?? .null, "collectedBy": "王芳"])
        #expect(twice.kind == .invalidState)
        #expect(twice.details["status"] == "collected")
        #expect(twice.message.contains("collected by 王芳"))
        let waiting = try desk.request(cash: 3_000)
        let early = try desk.callError(
            "utilities.collect", ["number": waiting["number"] ?? .null, "collectedBy": "王芳"])
        #expect(early.details["status"] == "at_desk")
        #expect(early.translations["zh"]?.contains("当前状态为在柜，须为“待领取”") == true)
    }
}
