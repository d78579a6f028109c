import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// `cases.update`, `cases.close`, `cases.get`, `cases.list`: notes, reclassification with its
/// history, closing with the outcome, and the register page by page.
@Suite("cases rules: notes, reclassification, closing, the register")
struct CaseLifeRulesTests {
    @Test("a note is added with its time and operator; a reclassification keeps the old values in history")
    func notesAndHistory() throws {
        let desk = try CasesHarness.cases()
        let id = try desk.open("suggestion")
        let noted = try desk.call("cases.update", ["case": .string(id), "note": "已向业主致歉，转物业经理"])
        #expect(
            noted["notes"]
                == [["at": "2026-12-06T10:00:00.000+08:00", "by": "li.na", "text": "已向业主致歉，转物业经理"]])
        #expect(noted["history"] == [])
        let refused = try desk.callError("cases.update", ["case": .string(id), "category": "complaint"])
        #expect(refused.field == "area" && refused.rule == "area_required", "a complaint names its area")
        desk.clock.advance(by: 60)
        let moved = try desk.call(
            "cases.update", ["case": .string(id), "category": "complaint", "area": "cleaning", "urgency": "urgent"])
        #expect(moved["category"] == "complaint" && moved["area"] == "cleaning" && moved["urgency"] == "urgent")
        let history = try #require(moved["history"]?.arrayValue)
        #expect(history.count == 3, "\(history)")
        #expect(
            history.contains { $0["member"] == "category" && $0["from"] == "suggestion" && $0["to"] == "complaint" })
        #expect(history.contains { $0["member"] == "area" && $0["from"] == .null && $0["to"] == "cleaning" })
        #expect(history.contains { $0["member"] == "urgency" && $0["from"] == "normal" && $0["to"] == "urgent" })
        #expect(history.allSatisfy { $0["at"] == "2026-12-06T10:01:00.000+08:00" && $0["by"] == "li.na" })
        let back = try desk.call("cases.update", ["case": .string(id), "category": "repair"])
        #expect(back["area"] == .null, "only a complaint has an area")
        #expect(back["history"]?.arrayValue?.count == 5)
        let nothing = try desk.callError("cases.update", ["case": .string(id)])
        #expect(nothing.rule == "nothing_to_update")
        let service = try desk.callError("cases.update", ["case": .string(id), "category": "service"])
        #expect(service.field == "category" && service.rule == "service_payment")
        #expect(try desk.callError("cases.update", ["case": "CS20991231-0001", "note": "x"]).kind == .notFound)
    }

    @Test("a complaint closes with valid; another case refuses it; an open work order blocks the close")
    func closeRules() throws {
        let desk = try CasesHarness.cases()
        let complaint = try desk.open("complaint", ["area": "security"])
        let noValid = try desk.callError("cases.close", ["case": .string(complaint), "outcome": "已向保安部反映"])
        #expect(noValid.kind == .validation && noValid.field == "valid" && noValid.rule == "valid_required")
        let closed = try desk.call(
            "cases.close", ["case": .string(complaint), "outcome": "保安部已约谈当班保安", "valid": true])
        #expect(closed["status"] == "closed" && closed["valid"] == true && closed["outcome"] == "保安部已约谈当班保安")
        #expect(closed["closedAt"] == "2026-12-06T10:00:00.000+08:00" && closed["closedBy"] == "li.na")
        #expect(closed["callback"]?["status"] == "pending" && closed["callback"]?["attempts"] == 0)
        let twice = try desk.callError("cases.close", ["case": .string(complaint), "outcome": "x", "valid": true])
        #expect(twice.kind == .invalidState && twice.details["status"] == "closed")

        let repair = try desk.open("repair")
        let order = try desk.dispatch(repair)
        let blocked = try desk.callError("cases.close", ["case": .string(repair), "outcome": "已修好"])
        #expect(blocked.kind == .invalidState && blocked.details["orders"] == [.string(order)], "\(blocked)")
        let validRepair = try desk.callError(
            "cases.close", ["case": .string(repair), "outcome": "已修好", "valid": true])
        #expect(validRepair.field == "valid" && validRepair.rule == "complaint_only")
        try desk.finish(order)
        #expect(try desk.call("cases.close", ["case": .string(repair), "outcome": "已修好"])["callback"] != .null)

        let praise = try desk.open("praise")
        #expect(
            try desk.call("cases.close", ["case": .string(praise), "outcome": "已转达保洁部"])["callback"] == .null,
            "praise gets no callback")
        let reclassify = try desk.callError("cases.update", ["case": .string(praise), "urgency": "urgent"])
        #expect(reclassify.kind == .invalidState)
        #expect(
            try desk.call("cases.update", ["case": .string(praise), "note": "业主又来电致谢"])["notes"]?.arrayValue?.count == 1
        )
    }

    @Test("cases.list pages newest first with nextCursor and filters by status, category, unit and callback")
    func listPages() throws {
        let desk = try CasesHarness.cases()
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(
                try desk.open(index % 2 == 0 ? "repair" : "praise", ["unit": index < 3 ? "3-2-1201" : "5-1-302"]))
        }
        let first = try desk.call("cases.list", ["limit": 2])
        #expect(first["cases"]?.arrayValue?.compactMap { $0["case"]?.stringValue } == [ids[4], ids[3]])
        let cursor = try #require(first["nextCursor"])
        let second = try desk.call("cases.list", ["limit": 2, "cursor": cursor])
        #expect(second["cases"]?.arrayValue?.compactMap { $0["case"]?.stringValue } == [ids[2], ids[1]])
        let last = try desk.call("cases.list", ["limit": 2, "cursor": second["nextCursor"] ?? .null])
        #expect(last["cases"]?.arrayValue?.compactMap { $0["case"]?.stringValue } == [ids[0]])
        #expect(last["nextCursor"] == .null)
        #expect(try desk.callError("cases.list", ["cursor": "bogus"]).field == "cursor")
        let repairs = try desk.call("cases.list", ["category": "repair"])["cases"]?.arrayValue ?? []
        #expect(repairs.compactMap { $0["case"]?.stringValue } == [ids[4], ids[2], ids[0]])
        let unit = try desk.call("cases.list", ["unit": "5栋1单元302"])["cases"]?.arrayValue ?? []
        #expect(unit.compactMap { $0["case"]?.stringValue } == [ids[4], ids[3]], "any spelling of the unit")
        try desk.call("cases.close", ["case": .string(ids[0]), "outcome": "已修好"])
        let closed = try desk.call("cases.list", ["status": "closed"])["cases"]?.arrayValue ?? []
        #expect(closed.compactMap { $0["case"]?.stringValue } == [ids[0]])
        let open = try desk.call("cases.list", ["open": true])["cases"]?.arrayValue ?? []
        #expect(open.compactMap { $0["case"]?.stringValue } == [ids[4], ids[3], ids[2], ids[1]], "not closed")
        let pending = try desk.call("cases.list", ["callbackPending": true])["cases"]?.arrayValue ?? []
        #expect(pending.compactMap { $0["case"]?.stringValue } == [ids[0]])
    }
}
