import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `utilities.report {"month"}`: the period ends on report_day (the 28th by default) and starts
/// the day after report_day of the month before; each figure counts what happened in the period.
@Suite("utilities rules: the monthly report")
struct ReportRulesTests {
    /// 2026-11-28 12:00 in the process's zone (the harness runs in the daemon's zone).
    static let lateNovember = CivilDate(year: 2026, month: 11, day: 28).map {
        $0.startInLocalTime.addingTimeInterval(43_200)
    }

    @Test(
        "the period of 2026-12 is 2026-11-29 to 2026-12-28; of 2027-03 with the 28th, from 2027-03-01 (no 29 February)")
    func periods() throws {
        let december = try Report.Period(month: "2026-12", reportDay: 28)
        #expect(december.first.description == "2026-11-29")
        #expect(december.last.description == "2026-12-28")
        let january = try Report.Period(month: "2027-01", reportDay: 28)
        #expect(january.first.description == "2026-12-29")
        let march = try Report.Period(month: "2027-03", reportDay: 28)
        #expect(march.first.description == "2027-03-01")
        let tenth = try Report.Period(month: "2026-12", reportDay: 10)
        #expect(tenth.first.description == "2026-11-11")
        #expect(tenth.last.description == "2026-12-10")
        let desk = try UtilitiesHarness.utilities()
        for bad in ["2026-13", "2026/12", "12-2026", "2026-1"] {
            let error = try desk.callError("utilities.report", ["month": .string(bad)])
            #expect(error.field == "month", "\(bad)")
        }
    }

    @Test(
        "the figures per utility: requests and cash taken, spent and credited, failures, leftovers paid out, still uncollected, average days"
    )
    func figures() throws {
        let desk = try UtilitiesHarness.utilities()
        desk.clock.now = try #require(Self.lateNovember)
        try desk.request(cash: 9_999)  // 28 November: November's period, not December's
        desk.clock.advance(days: 1)  // 29 November: December's period starts
        let a = try desk.request(cash: 20_000)
        let b = try desk.request(cash: 10_000)
        let c = try desk.request(cash: 8_000, utility: "gas", medium: "gas_card")
        let d = try desk.request(cash: 3_000, utility: "water", medium: "meter_card")
        try desk.call("utilities.cancel", ["number": d["number"] ?? .null])
        try desk.handOver(["numbers": [a["number"] ?? .null, b["number"] ?? .null, c["number"] ?? .null]])
        desk.clock.advance(days: 2)
        try desk.call(
            "utilities.batches.return",
            [
                "batch": 1,
                "results": [
                    bought(a["number"], spent: 19_000, credited: "300.5"),
                    bought(b["number"], spent: 9_500, credited: "150"),
                    failed(c["number"]),
                ],
                "cashBack": 9_500,
            ])
        desk.clock.advance(days: 1)  // collected 3 days after the request
        try desk.call("utilities.collect", ["number": a["number"] ?? .null, "collectedBy": "王芳"])
        try desk.call("utilities.collect", ["number": c["number"] ?? .null, "collectedBy": "王芳"])
        desk.clock.advance(days: 30)  // in January's period: b's collection does not count in December
        try desk.call("utilities.collect", ["number": b["number"] ?? .null, "collectedBy": "王芳"])

        let report = try desk.call("utilities.report", ["month": "2026-12"])
        #expect(report["from"] == "2026-11-29")
        #expect(report["to"] == "2026-12-28")
        let rows = try #require(report["utilities"]?.arrayValue)
        #expect(rows.map { $0["utility"] } == ["electricity", "gas", "water"])
        let power = rows[0]
        #expect(power["requests"] == 2)
        #expect(power["cash"] == 30_000)
        #expect(power["bought"] == 2)
        #expect(power["spent"] == 28_500)
        #expect(power["credited"] == "450.5")
        #expect(power["quantityUnit"] == "kWh")
        #expect(power["failures"] == 0)
        #expect(power["collected"] == 1)
        #expect(power["paidOut"] == 1_000)
        #expect(power["uncollected"] == 1, "b was back and not collected by 28 December")
        #expect(power["owed"] == 500)
        #expect(power["averageDaysToCollect"] == 3, "3.0 days: written 3 on the wire")
        let gas = rows[1]
        #expect(gas["failures"] == 1)
        #expect(gas["paidOut"] == 8_000)
        #expect(gas["quantityUnit"] == "m³")
        let water = rows[2]
        #expect(water["cancelled"] == 1)
        #expect(water["refunded"] == 3_000)
        #expect(water["collected"] == 0)
        #expect(water["averageDaysToCollect"] == .null)
        #expect(report["total"]?["requests"] == 4)
        #expect(report["total"]?["cash"] == 41_000)
        #expect(report["total"]?["paidOut"] == 9_000)

        let november = try desk.call("utilities.report", ["month": "2026-11"])
        #expect(november["utilities"]?.arrayValue?.first?["requests"] == 1)
        #expect(november["utilities"]?.arrayValue?.first?["cash"] == 9_999)
        let january = try desk.call("utilities.report", ["month": "2027-01"])
        #expect(january["utilities"]?.arrayValue?.first?["collected"] == 1)
        #expect(january["utilities"]?.arrayValue?.first?["paidOut"] == 500)
        #expect(january["utilities"]?.arrayValue?.first?["requests"] == 0)
    }
}
