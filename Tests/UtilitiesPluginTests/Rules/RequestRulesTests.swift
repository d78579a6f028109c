import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `utilities.request` and `utilities.cancel`: the resident prepays at the counter, and may
/// take the cash back while the request is still at the desk.
@Suite("utilities rules: requests and cancelling")
struct RequestRulesTests {
    @Test(
        "utilities.request records the cash and the card at the desk and numbers requests per local day: UT<yyyymmdd>-<nnnn>"
    )
    func requestIsNumberedPerDay() throws {
        let desk = try UtilitiesHarness.utilities()
        let first = try desk.request("3-2-1201", cash: 20_000, ["quantity": "200", "note": "电表在楼道"])
        #expect(first["number"] == "UT20261206-0001")
        #expect(first["status"] == "at_desk")
        #expect(first["cash"] == 20_000)
        #expect(first["quantity"] == "200")
        #expect(first["medium"] == "remote")
        #expect(first["mediumRef"] == "E-0001")
        #expect(first["owed"] == 0)
        #expect(first["paidOut"] == 0)
        #expect(first["failed"] == false)
        #expect(first["batch"] == .null)
        #expect(first["requestedBy"] == "li.na")
        #expect(desk.lastEvents.map(\.topic) == ["utilities.requested"])
        #expect(desk.lastEvents.first?.data["number"] == "UT20261206-0001")

        let second = try desk.request("5-1-0302", cash: 10_000, utility: "gas", medium: "gas_card")
        #expect(second["number"] == "UT20261206-0002")
        #expect(second["quantity"] == .null, "a resident may ask for an amount of money instead")
        desk.clock.advance(days: 1)
        #expect(try desk.request()["number"] == "UT20261207-0001", "the count starts again the next day")
    }

    @Test("a quantity is a positive decimal string with at most three decimals; 35.50 is kept as 35.5")
    func quantityIsADecimalString() throws {
        let desk = try UtilitiesHarness.utilities()
        #expect(try desk.request("3-2-1201", cash: 20_000, ["quantity": "35.50"])["quantity"] == "35.5")
        for bad in ["-3", "1.2345", "abc", "0", "1.", ".5", "1e3", "1,5"] {
            let error = try desk.callError(
                "utilities.request",
                [
                    "unit": "3-2-1201", "payer": "王芳", "utility": "gas", "cash": 100, "medium": "gas_card",
                    "quantity": .string(bad),
                ])
            #expect(error.kind == .validation, "\(bad)")
            #expect(error.field == "quantity", "\(bad)")
        }
        #expect(try desk.storedRequests() == 1, "nothing half-recorded")
    }

    @Test(
        "a utility outside the configured list, cash of 0 or above max_cash, and an unknown medium are refused naming the field"
    )
    func badInputIsRefused() throws {
        let desk = try UtilitiesHarness.utilities(config: ["max_cash": 50_000])
        let heating = try desk.callError(
            "utilities.request",
            ["unit": "3-2-1201", "payer": "王芳", "utility": "heating", "cash": 100, "medium": "remote"])
        #expect(heating.field == "utility")
        #expect(heating.rule == "configured_utility")
        #expect(heating.translations["zh"]?.contains("电（electricity）") == true)
        let tooMuch = try desk.callError(
            "utilities.request",
            ["unit": "3-2-1201", "payer": "王芳", "utility": "gas", "cash": 50_001, "medium": "gas_card"])
        #expect(tooMuch.field == "cash")
        #expect(tooMuch.rule == "max_cash")
        let nothing = try desk.callError(
            "utilities.request", ["unit": "3-2-1201", "payer": "王芳", "utility": "gas", "cash": 0, "medium": "gas_card"])
        #expect(nothing.field == "cash")
        let fax = try desk.callError(
            "utilities.request", ["unit": "3-2-1201", "payer": "王芳", "utility": "gas", "cash": 100, "medium": "fax"])
        #expect(fax.field == "medium")
        #expect(try desk.storedRequests() == 0)
    }

    @Test("utilities.cancel pays the whole cash back at once while the request is at the desk")
    func cancelAtDesk() throws {
        let desk = try UtilitiesHarness.utilities()
        let request = try desk.request(cash: 15_000)
        let cancelled = try desk.call("utilities.cancel", ["number": request["number"] ?? .null, "reason": "搬走了"])
        #expect(cancelled["status"] == "cancelled")
        #expect(cancelled["paidOut"] == 15_000)
        #expect(cancelled["owed"] == 0)
        #expect(cancelled["cancelReason"] == "搬走了")
        #expect(cancelled["cancelledAt"] != .null)
        #expect(desk.lastEvents.map(\.topic) == ["utilities.cancelled"])
        #expect(try desk.cashOnHand()["cash"] == 0)

        let again = try desk.callError("utilities.cancel", ["number": request["number"] ?? .null])
        #expect(again.kind == .invalidState)
        #expect(again.details["status"] == "cancelled")
    }

    @Test("cancelling a request already with the agent is invalid_state naming its state and batch, in both languages")
    func cancelWithAgentIsRefused() throws {
        let desk = try UtilitiesHarness.utilities()
        let request = try desk.request()
        let batch = try desk.handOver()
        let refused = try desk.callError("utilities.cancel", ["number": request["number"] ?? .null])
        #expect(refused.kind == .invalidState)
        #expect(refused.details["status"] == "with_agent")
        #expect(refused.details["batch"] == batch["batch"])
        #expect(refused.message.contains("with the agent (batch 1)"))
        #expect(refused.translations["zh"] == "UT20261206-0001 无法取消：当前状态为代办中（第 1 批），须为“在柜”")
        #expect(try desk.get(request["number"])["status"] == "with_agent", "nothing changed")
    }

    @Test("an unknown number is not_found")
    func unknownNumber() throws {
        let desk = try UtilitiesHarness.utilities()
        let error = try desk.callError("utilities.get", ["number": "UT20261206-0099"])
        #expect(error.kind == .notFound)
        #expect(error.details["number"] == "UT20261206-0099")
    }
}

extension PluginHarness where Plugin == UtilitiesPlugin {
    /// How many requests are stored, whatever their state.
    func storedRequests() throws -> Int64 {
        try query("SELECT count(*) AS n FROM utilities_requests").first?.int("n") ?? -1
    }
}
