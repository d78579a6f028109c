import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// `cases.open`: the register's entry, its classification, and the emergency announced at once.
@Suite("cases rules: opening a case")
struct OpenRulesTests {
    @Test("a case is numbered CS, the local day, its number of the day; every wire member is present")
    func numberedAndComplete() throws {
        let desk = try CasesHarness.cases()
        let reply = try desk.call("cases.open", CasesHarness.report("repair"))
        #expect(reply["case"] == "CS20261206-0001")
        #expect(reply["status"] == "open" && reply["urgency"] == "normal" && reply["channel"] == "phone")
        #expect(reply["openedAt"] == "2026-12-06T10:00:00.000+08:00" && reply["openedBy"] == "li.na")
        for member in ["area", "valid", "outcome", "closedAt", "callback", "payment"] {
            #expect(reply[member] == .null, "\(member) is null on a new repair: \(reply)")
        }
        #expect(reply["workOrders"] == [] && reply["contact"] == "13912345678")
        #expect(try desk.open("praise") == "CS20261206-0002")
        // A new local day starts again at 0001: Shanghai's midnight is 16:00 UTC.
        try desk.at("2026-12-07T00:00:01+08:00")
        #expect(try desk.open("suggestion") == "CS20261207-0001")
    }

    @Test("a complaint names its area: without it the error is validation on field area; another case has none")
    func complaintArea() throws {
        let desk = try CasesHarness.cases()
        let missing = try desk.callError("cases.open", CasesHarness.report("complaint"))
        #expect(missing.kind == .validation && missing.field == "area" && missing.rule == "area_required")
        #expect(GlossaryCoverage.isChinese(missing.translations["zh"]))
        let unknown = try desk.callError("cases.open", CasesHarness.report("complaint", ["area": "parking"]))
        #expect(unknown.field == "area" && unknown.rule == "configured_area")
        let stray = try desk.callError("cases.open", CasesHarness.report("repair", ["area": "cleaning"]))
        #expect(stray.field == "area" && stray.rule == "complaint_only")
        let reply = try desk.call("cases.open", CasesHarness.report("complaint", ["area": "staff_attitude"]))
        #expect(reply["area"] == "staff_attitude" && reply["category"] == "complaint")
        #expect(try desk.query("SELECT id FROM cases_cases").count == 1, "refused opens leave nothing behind")
    }

    @Test("categories and areas are configurable lists; the defaults are the issue's")
    func configuredLists() throws {
        let desk = try CasesHarness.cases()
        let bad = try desk.callError("cases.open", CasesHarness.report("parking"))
        #expect(bad.field == "category" && bad.rule == "configured_category")
        #expect(
            bad.details["allowed"]
                == ["after_sales", "repair", "complaint", "service", "praise", "suggestion", "other"])
        let custom = try CasesHarness.cases(config: [
            "categories": ["repair", "complaint", "parking"], "areas": ["security", "parking_lot"],
        ])
        #expect(try custom.open("parking") == "CS20261206-0001")
        #expect(try custom.callError("cases.open", CasesHarness.report("praise")).field == "category")
        #expect(
            try custom.callError("cases.open", CasesHarness.report("complaint", ["area": "cleaning"])).field == "area")
        #expect(try custom.open("complaint", ["area": "parking_lot"]) == "CS20261206-0002")
        #expect(throws: RPCError.self) { try CasesHarness.cases(config: ["categories": ["Repair"]]) }
        #expect(throws: RPCError.self) { try CasesHarness.cases(config: ["report_dya": 28]) }
    }

    @Test("an emergency emits cases.emergency in the same commit as cases.opened; a normal case does not")
    func emergencyAtOnce() throws {
        let desk = try CasesHarness.cases()
        try desk.open("repair")
        #expect(desk.lastEvents.map(\.topic) == ["cases.opened"])
        let id = try desk.open("repair", ["urgency": "emergency", "description": "3栋地下室水管爆裂"])
        #expect(desk.lastEvents.map(\.topic) == ["cases.opened", "cases.emergency"])
        let emergency = try #require(desk.lastEvents.last)
        #expect(emergency.data["case"] == .string(id) && emergency.data["urgency"] == "emergency")
        #expect(emergency.data["description"] == "3栋地下室水管爆裂")
        // Escalating a case to emergency announces it too.
        let later = try desk.open("repair")
        try desk.call("cases.update", ["case": .string(later), "urgency": "emergency"])
        #expect(desk.lastEvents.map(\.topic) == ["cases.updated", "cases.emergency"])
    }

    @Test("the resident's contact stays with the desk: not in events, not in log lines, the audit keeps its last four")
    func confidential() throws {
        let desk = try CasesHarness.cases()
        let id = try desk.open("repair", ["urgency": "emergency"])
        #expect(desk.events.allSatisfy { $0.data["contact"] == .null }, "\(desk.events.map(\.data))")
        #expect(!desk.logLines.isEmpty, "the emergency is logged")
        for line in desk.logLines {
            #expect(!line.message.contains("1391234") && !line.message.contains("王女士"), "\(line.message)")
            #expect(!line.message.contains("3-2-1201"), "\(line.message)")
        }
        #expect(desk.logLines.contains { $0.message.contains(id) })
        let audited = try #require(desk.audit.first { $0.method == "cases.open" })
        #expect(audited.params["contact"]?.stringValue?.hasSuffix("5678") == true)
        #expect(audited.params["contact"] != "13912345678", "\(audited.params)")
        #expect(try desk.call("cases.get", ["case": .string(id)])["contact"] == "13912345678", "the desk sees it")
    }

    @Test("params are checked before anything is stored: channel, urgency, lengths")
    func paramsChecked() throws {
        let desk = try CasesHarness.cases()
        #expect(try desk.callError("cases.open", CasesHarness.report("repair", ["channel": "fax"])).field == "channel")
        #expect(
            try desk.callError("cases.open", CasesHarness.report("repair", ["urgency": "asap"])).field == "urgency")
        let long = String(repeating: "漏", count: 2001)
        #expect(
            try desk.callError("cases.open", CasesHarness.report("repair", ["description": .string(long)])).field
                == "description")
        #expect(try desk.callError("cases.open", CasesHarness.report("repair", ["unit": "  "])).field == "unit")
    }
}
