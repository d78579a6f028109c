import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// `cases.report`: a month seeded with known numbers gives exactly the expected counts and rates.
@Suite("cases rules: the monthly report")
struct ReportRulesTests {
    @Test("rates are decimal strings with four places, rounded half up, or null with nothing to count")
    func rates() {
        #expect(Rate.of(7, 8) == "0.8750")
        #expect(Rate.of(2, 3) == "0.6667")
        #expect(Rate.of(1, 3) == "0.3333")
        #expect(Rate.of(5, 6) == "0.8333")
        #expect(Rate.of(0, 5) == "0.0000")
        #expect(Rate.of(5, 5) == "1.0000")
        #expect(Rate.of(1, 20_000) == "0.0001", "half a ten-thousandth rounds up")
        #expect(Rate.of(0, 0) == .null)
    }

    @Test("periods: 29th of the month before to the 28th; services to the 30th, or the month's last day")
    func periods() throws {
        let december = try ReportPeriod(month: "2026-12", endDay: 28)
        #expect(december.first.description == "2026-11-29" && december.last.description == "2026-12-28")
        let january = try ReportPeriod(month: "2027-01", endDay: 28)
        #expect(january.first.description == "2026-12-29" && january.last.description == "2027-01-28")
        let february = try ReportPeriod(month: "2027-02", endDay: 30)
        #expect(february.first.description == "2027-01-31" && february.last.description == "2027-02-28")
        let march = try ReportPeriod(month: "2027-03", endDay: 30)
        #expect(march.first.description == "2027-03-01" && march.last.description == "2027-03-30")
        for bad in ["2026-13", "2026-1", "26-12", "2026-12-01", "december"] {
            #expect(throws: RPCError.self, "\(bad)") { try ReportPeriod(month: bad, endDay: 28) }
        }
    }

    /// The seeded month (December 2026, 29 November to 28 December; services 1 to 30 December):
    /// - before the period: a complaint opened and closed valid on 28 November (not counted);
    /// - five complaints (security 2, cleaning 2, staff attitude 1) closed, four valid: 0.8000;
    /// - four orders due in the period: R1 and R3 done early, S1's done early, R2 delayed with the
    ///   resident told and done after its due time (late): 3 of 4 on time, 0.7500; R4, opened on
    ///   the 28th, is due on the 29th (next period);
    /// - nine callback tasks (five complaints, R1-R3, S1), six reached: 0.6667; of those,
    ///   very satisfied 2, satisfied 3, dissatisfied 1 (R2, reopened): satisfied or better 0.8333;
    /// - services: housekeeping on 2 December, carpet cleaning on 29 December (after the cases
    ///   period, inside the services one), housekeeping on 31 December (after both).
    @Test("a seeded month gives exactly the expected counts and rates, the delayed-but-told order counting late")
    func seededMonth() throws {
        let desk = try CasesHarness.cases(now: "2026-11-28T10:00:00+08:00")
        let before = try desk.open("complaint", ["area": "cleaning"])
        try desk.call("cases.close", ["case": .string(before), "outcome": "已处理", "valid": true])
        try desk.at("2026-11-28T23:59:59+08:00")
        try desk.open("praise")
        try desk.at("2026-11-29T00:00:00+08:00")
        try desk.open("suggestion")

        try desk.at("2026-12-01T09:00:00+08:00")
        let complaints = try ["security", "security", "cleaning", "staff_attitude", "cleaning"].map {
            try desk.open("complaint", ["area": .string($0)])
        }
        let repairs = try (0..<3).map { _ in try desk.open("repair") }
        let orders = try repairs.map { try desk.dispatch($0) }
        try desk.open("praise")
        try desk.at("2026-12-01T15:00:00+08:00")
        try desk.finish(orders[0])
        try desk.at("2026-12-01T16:00:00+08:00")
        for (id, valid) in zip(complaints, [true, true, false, true, true]) {
            try desk.call("cases.close", ["case": .string(id), "outcome": "已处理并回复业主", "valid": .bool(valid)])
        }
        try desk.call("cases.close", ["case": .string(repairs[0]), "outcome": "已修好"])
        try desk.at("2026-12-02T08:00:00+08:00")
        try desk.call(
            "cases.workorders.delay",
            [
                "order": .string(orders[1]), "reason": "配件缺货", "newDue": "2026-12-03T12:00:00+08:00",
                "residentTold": true,
            ])
        try desk.at("2026-12-02T08:30:00+08:00")
        try desk.finish(orders[2])
        try desk.call("cases.close", ["case": .string(repairs[2]), "outcome": "已修好"])
        try desk.at("2026-12-02T10:00:00+08:00")
        let service = try desk.open("service", ["service": "housekeeping", "tendered": 10_000])
        let serviceOrder = try desk.dispatch(service, to: "cleaning")
        try desk.at("2026-12-02T15:00:00+08:00")
        try desk.finish(serviceOrder)
        try desk.call("cases.close", ["case": .string(service), "outcome": "保洁完成"])
        try desk.at("2026-12-03T10:00:00+08:00")
        try desk.finish(orders[1])
        try desk.call("cases.close", ["case": .string(repairs[1]), "outcome": "已修好"])

        try desk.at("2026-12-05T10:00:00+08:00")
        let calls: [(String, JSONValue, JSONValue)] = [
            (complaints[0], true, "satisfied"), (complaints[1], true, "very_satisfied"), (complaints[2], false, .null),
            (repairs[0], true, "satisfied"), (repairs[1], true, "dissatisfied"), (repairs[2], true, "satisfied"),
            (service, true, "very_satisfied"),
        ]
        for (id, reached, satisfaction) in calls {
            var params: [String: JSONValue] = ["case": .string(id), "reached": reached]
            if satisfaction != .null { params["satisfaction"] = satisfaction }
            try desk.call("cases.callback", .object(params))
        }
        #expect(try desk.call("cases.get", ["case": .string(repairs[1])])["status"] == "reopened")

        try desk.at("2026-12-28T10:00:00+08:00")
        try desk.dispatch(try desk.open("repair"))
        try desk.at("2026-12-28T23:59:59+08:00")
        try desk.open("praise")
        try desk.at("2026-12-29T00:00:00+08:00")
        try desk.open("service", ["service": "carpet_cleaning", "tendered": 20_000])
        try desk.at("2026-12-31T09:00:00+08:00")
        try desk.open("service", ["service": "housekeeping", "tendered": 8_000])

        try desk.at("2027-01-02T09:00:00+08:00")
        let report = try desk.call("cases.report", ["month": "2026-12"])
        #expect(report["period"] == ["from": "2026-11-29", "to": "2026-12-28"])
        #expect(
            report["byCategory"]
                == [
                    "after_sales": 0, "repair": 4, "complaint": 5, "service": 1, "praise": 2, "suggestion": 1,
                    "other": 0,
                ])
        #expect(
            report["byArea"]
                == [
                    "security": 2, "cleaning": 2, "landscaping": 0, "maintenance": 0, "mail": 0, "renovation": 0,
                    "staff_attitude": 1, "other": 0,
                ])
        #expect(report["complaints"] == 5 && report["validComplaints"] == 4 && report["validityRate"] == "0.8000")
        #expect(report["ordersDue"] == 4 && report["ordersOnTime"] == 3 && report["timelinessRate"] == "0.7500")
        #expect(report["callbacks"] == ["tasks": 9, "reached": 6, "coverageRate": "0.6667"])
        #expect(
            report["satisfaction"]
                == [
                    "very_satisfied": 2, "satisfied": 3, "neutral": 0, "dissatisfied": 1, "satisfiedRate": "0.8333",
                ])
        #expect(
            report["services"]
                == [
                    "period": ["from": "2026-12-01", "to": "2026-12-30"], "orders": 2, "revenue": 23_000,
                    "byService": [
                        ["service": "carpet_cleaning", "orders": 1, "revenue": 15_000],
                        ["service": "housekeeping", "orders": 1, "revenue": 8_000],
                        ["service": "window_cleaning", "orders": 0, "revenue": 0],
                    ],
                ])
        let lines = try #require(report["lines"]?.arrayValue)
        #expect(
            lines.contains {
                $0["section"] == "orders" && $0["item"] == "on_time" && $0["count"] == 3 && $0["of"] == 4
                    && $0["rate"] == "0.7500"
            }, "\(lines)")
        #expect(lines.contains { $0["section"] == "services" && $0["item"] == "total" && $0["amount"] == 23_000 })
        #expect(lines.count == 7 + 8 + 1 + 1 + 1 + 5 + 4, "one line per figure")

        // The order delayed with the resident told is the late one.
        let late = try desk.call("cases.workorders", ["all": true, "case": .string(repairs[1])])["orders"]?.arrayValue
        #expect(late?.first?["late"] == true && late?.first?["delays"]?.arrayValue?.count == 1)
    }

    @Test("before the period ends, an open order not yet due is left out of timeliness; one done early counts on time")
    func midPeriod() throws {
        let desk = try CasesHarness.cases(now: "2026-12-10T10:00:00+08:00")
        let early = try desk.dispatch(try desk.open("repair"), ["due": "2026-12-20T10:00:00+08:00"])
        try desk.dispatch(try desk.open("repair"), ["due": "2026-12-20T10:00:00+08:00"])
        let overdue = try desk.dispatch(try desk.open("repair"), ["due": "2026-12-10T11:00:00+08:00"])
        try desk.finish(early)
        try desk.at("2026-12-15T10:00:00+08:00")
        let report = try desk.call("cases.report", ["month": "2026-12"])
        #expect(report["ordersDue"] == 2 && report["ordersOnTime"] == 1 && report["timelinessRate"] == "0.5000")
        try desk.finish(overdue)
        try desk.at("2026-12-21T10:00:00+08:00")
        let later = try desk.call("cases.report", ["month": "2026-12"])
        #expect(later["ordersDue"] == 3 && later["ordersOnTime"] == 1, "the third is now past due and open")
    }

    @Test("a month with nothing in it has zero counts and null rates; the end days are configurable")
    func emptyMonth() throws {
        let desk = try CasesHarness.cases(config: ["report_day": 25, "services_report_day": 31])
        let report = try desk.call("cases.report", ["month": "2027-02"])
        #expect(report["period"] == ["from": "2027-01-26", "to": "2027-02-25"])
        #expect(report["services"]?["period"] == ["from": "2027-02-01", "to": "2027-02-28"])
        for rate in ["validityRate", "timelinessRate"] { #expect(report[rate] == .null) }
        #expect(report["callbacks"]?["coverageRate"] == .null && report["satisfaction"]?["satisfiedRate"] == .null)
        #expect(report["complaints"] == 0 && report["ordersDue"] == 0)
        let bad = try desk.callError("cases.report", ["month": "2027-2"])
        #expect(bad.field == "month" && bad.kind == .validation)
        #expect(throws: RPCError.self) { try CasesHarness.cases(config: ["report_day": 30]) }
    }
}
