import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `[plugins.utilities]`: the configured utilities, report_day and the limits, read strictly.
@Suite("utilities rules: config")
struct ConfigRulesTests {
    @Test(
        "a configured list replaces the defaults: its utilities are taken, the others refused, and the report has their units"
    )
    func configuredUtilities() throws {
        let desk = try UtilitiesHarness.utilities(config: [
            "utilities": ["electricity": [:], "heating": ["unit": "GJ", "en": "Heating", "zh": "暖气"]]
        ])
        let heating = try desk.request(cash: 50_000, utility: "heating", medium: "account", ["quantity": "12.5"])
        #expect(heating["utility"] == "heating")
        let water = try desk.callError(
            "utilities.request",
            ["unit": "3-2-1201", "payer": "王芳", "utility": "water", "cash": 100, "medium": "meter_card"])
        #expect(water.rule == "configured_utility")
        #expect(water.details["utilities"] == ["electricity", "heating"])
        #expect(water.translations["zh"] == "没有“water”这项代缴，可办的有：电（electricity）、暖气（heating）")
        let report = try desk.call("utilities.report", ["month": "2026-12"])
        let rows = report["utilities"]?.arrayValue ?? []
        #expect(rows.map { $0["utility"] } == ["electricity", "heating"])
        #expect(rows.map { $0["quantityUnit"] } == ["kWh", "GJ"], "electricity keeps its default unit")
    }

    @Test("report_day moves the period: with 10, December runs from 11 November to 10 December")
    func reportDay() throws {
        let desk = try UtilitiesHarness.utilities(config: ["report_day": 10])
        let report = try desk.call("utilities.report", ["month": "2026-12"])
        #expect(report["from"] == "2026-11-11")
        #expect(report["to"] == "2026-12-10")
        #expect(report["reportDay"] == 10)
        try desk.request()  // 6 December: inside 11 November - 10 December
        let december = try desk.call("utilities.report", ["month": "2026-12"])
        #expect(december["utilities"]?.arrayValue?.first?["requests"] == 1)
        let january = try desk.call("utilities.report", ["month": "2027-01"])
        #expect(january["from"] == "2026-12-11")
        #expect(january["utilities"]?.arrayValue?.first?["requests"] == 0)
        desk.clock.advance(days: 5)  // 11 December: January's period
        try desk.request()
        let later = try desk.call("utilities.report", ["month": "2027-01"])
        #expect(later["utilities"]?.arrayValue?.first?["requests"] == 1)
    }

    @Test(
        "an unknown key, report_day outside 1-28, a utility without a valid name or unit: the plugin does not load, naming the key"
    )
    func strictConfig() throws {
        let bad: [(JSONValue, String)] = [
            (["report_days": 28], "report_days"),
            (["report_day": 29], "report_day"),
            (["max_batch": 0], "max_batch"),
            (["utilities": ["Heat": ["unit": "GJ"]]], "Heat"),
            (["utilities": ["heating": [:]]], "unit"),
            (["utilities": ["gas": ["unit": "m³", "colour": "blue"]]], "colour"),
        ]
        for (config, key) in bad {
            #expect(throws: (any Error).self, "\(config)") { try UtilitiesHarness.utilities(config: config) }
            do {
                _ = try UtilitiesHarness.utilities(config: config)
            } catch {
                #expect("\(error)".contains(key), "\(error)")
            }
        }
    }
}
