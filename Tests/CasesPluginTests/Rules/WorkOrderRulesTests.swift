import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// Work orders: the due time from the category and urgency, the signed slip, done, delayed with
/// the resident told, reopened, the chase list, and the minute job's overdue announcement.
@Suite("cases rules: work orders")
struct WorkOrderRulesTests {
    @Test(
        "the due time is the category's and urgency's default: repair 24 h, emergency 30 min; configurable; due overrides"
    )
    func dueTimes() throws {
        let desk = try CasesHarness.cases()
        let repair = try desk.open("repair")
        let reply = try desk.call("cases.dispatch", ["case": .string(repair), "department": "engineering"])
        #expect(reply["order"] == "WO20261206-0001" && reply["case"] == .string(repair))
        #expect(reply["due"] == "2026-12-07T10:00:00.000+08:00" && reply["status"] == "sent" && reply["late"] == false)
        #expect(reply["delays"] == [] && reply["ackBy"] == .null && reply["sentBy"] == "li.na")
        #expect(try desk.call("cases.get", ["case": .string(repair)])["status"] == "dispatched")
        #expect(try desk.call("cases.get", ["case": .string(repair)])["workOrders"] == ["WO20261206-0001"])
        let burst = try desk.open("repair", ["urgency": "emergency"])
        #expect(
            try desk.call("cases.dispatch", ["case": .string(burst), "department": "engineering"])["due"]
                == "2026-12-06T10:30:00.000+08:00")
        let given = try desk.call(
            "cases.dispatch",
            ["case": .string(repair), "department": "cleaning", "due": "2026-12-06T18:00:00+08:00"])
        #expect(given["due"] == "2026-12-06T18:00:00.000+08:00")
        let past = try desk.callError(
            "cases.dispatch", ["case": .string(repair), "department": "cleaning", "due": "2026-12-06T09:00:00+08:00"])
        #expect(past.field == "due" && past.rule == "due_in_future")
        let nowhere = try desk.callError("cases.dispatch", ["case": .string(repair), "department": "kitchen"])
        #expect(nowhere.field == "department" && nowhere.rule == "configured_department")

        let configured = try CasesHarness.cases(config: [
            "due_minutes": ["repair": ["normal": 120, "emergency": 15]]
        ])
        let fast = try configured.open("repair")
        #expect(
            try configured.call("cases.dispatch", ["case": .string(fast), "department": "engineering"])["due"]
                == "2026-12-06T12:00:00.000+08:00")
        #expect(throws: RPCError.self) {
            try CasesHarness.cases(config: ["due_minutes": ["parking": ["normal": 60]]])
        }
    }

    @Test("the receiver signs, the work is done by someone; each step only from its state")
    func ackAndDone() throws {
        let desk = try CasesHarness.cases()
        let order = try desk.dispatch(try desk.open("repair"))
        let ack = try desk.call("cases.workorders.ack", ["order": .string(order), "by": "工程部 张师傅"])
        #expect(ack["status"] == "acknowledged" && ack["ackBy"] == "工程部 张师傅")
        #expect(ack["ackAt"] == "2026-12-06T10:00:00.000+08:00")
        #expect(try desk.callError("cases.workorders.ack", ["order": .string(order), "by": "李"]).kind == .invalidState)
        desk.clock.advance(by: 3600)
        let done = try desk.call(
            "cases.workorders.done", ["order": .string(order), "work": "更换三通阀门", "by": "张师傅"])
        #expect(done["status"] == "done" && done["work"] == "更换三通阀门" && done["doneBy"] == "张师傅")
        #expect(done["doneAt"] == "2026-12-06T11:00:00.000+08:00" && done["late"] == false)
        #expect(desk.lastEvents.map(\.topic) == ["cases.workorder.done"])
        let again = try desk.callError("cases.workorders.done", ["order": .string(order), "work": "x", "by": "y"])
        #expect(again.kind == .invalidState && again.details["status"] == "done")
        #expect(try desk.callError("cases.workorders.ack", ["order": "WO20991231-0009", "by": "x"]).kind == .notFound)
    }

    @Test("a delay needs residentTold: true and a later time; the due time stays, so done after it is late")
    func delayStillLate() throws {
        let desk = try CasesHarness.cases()
        let order = try desk.dispatch(try desk.open("repair"))
        let untold = try desk.callError(
            "cases.workorders.delay",
            [
                "order": .string(order), "reason": "配件缺货", "newDue": "2026-12-08T10:00:00+08:00",
                "residentTold": false,
            ])
        #expect(untold.kind == .validation && untold.field == "residentTold" && untold.rule == "resident_told")
        #expect(GlossaryCoverage.isChinese(untold.translations["zh"]))
        let early = try desk.callError(
            "cases.workorders.delay",
            [
                "order": .string(order), "reason": "配件缺货", "newDue": "2026-12-07T09:00:00+08:00",
                "residentTold": true,
            ])
        #expect(early.field == "newDue" && early.rule == "new_due_later")
        let delayed = try desk.call(
            "cases.workorders.delay",
            [
                "order": .string(order), "reason": "配件缺货", "newDue": "2026-12-08T10:00:00+08:00",
                "residentTold": true,
            ])
        #expect(
            delayed["delays"]
                == [
                    [
                        "reason": "配件缺货", "newDue": "2026-12-08T10:00:00.000+08:00", "residentTold": true,
                        "at": "2026-12-06T10:00:00.000+08:00",
                    ]
                ])
        #expect(delayed["due"] == "2026-12-07T10:00:00.000+08:00", "the due time stays")
        try desk.at("2026-12-07T15:00:00+08:00")
        #expect(try desk.call("cases.workorders", ["overdue": true])["orders"]?.arrayValue?.first?["late"] == true)
        try desk.finish(order)
        let done = try desk.call("cases.workorders", ["all": true])["orders"]?.arrayValue?.first
        #expect(done?["status"] == "done" && done?["late"] == true, "done after its due time, told or not")
    }

    @Test("a done order is reopened with a new due time while its case is open; the case is dispatched again")
    func reopen() throws {
        let desk = try CasesHarness.cases()
        let id = try desk.open("repair")
        let order = try desk.dispatch(id)
        #expect(
            try desk.callError("cases.workorders.reopen", ["order": .string(order), "reason": "仍漏水"]).kind
                == .invalidState, "only a done order is reopened")
        try desk.finish(order)
        desk.clock.advance(by: 7200)
        let reopened = try desk.call("cases.workorders.reopen", ["order": .string(order), "reason": "仍漏水"])
        #expect(reopened["status"] == "reopened" && reopened["reopenReason"] == "仍漏水")
        #expect(reopened["due"] == "2026-12-07T12:00:00.000+08:00" && reopened["doneAt"] == .null)
        #expect(try desk.call("cases.get", ["case": .string(id)])["status"] == "dispatched")
        try desk.finish(order)
        try desk.call("cases.close", ["case": .string(id), "outcome": "已修好"])
        let closedCase = try desk.callError("cases.workorders.reopen", ["order": .string(order), "reason": "x"])
        #expect(closedCase.kind == .invalidState && closedCase.details["case"] == .string(id))
    }

    @Test("cases.workorders lists open orders by due time, only overdue ones, or one department's")
    func chaseList() throws {
        let desk = try CasesHarness.cases()
        let slow = try desk.dispatch(try desk.open("repair"))
        let fast = try desk.dispatch(try desk.open("repair", ["urgency": "emergency"]), to: "security")
        let done = try desk.dispatch(try desk.open("repair"))
        try desk.finish(done)
        let open = try desk.call("cases.workorders")["orders"]?.arrayValue ?? []
        #expect(open.compactMap { $0["order"]?.stringValue } == [fast, slow])
        #expect(try desk.call("cases.workorders", ["overdue": true])["orders"] == [])
        desk.clock.advance(by: 31 * 60)
        let overdue = try desk.call("cases.workorders", ["overdue": true])["orders"]?.arrayValue ?? []
        #expect(overdue.compactMap { $0["order"]?.stringValue } == [fast] && overdue.first?["late"] == true)
        let security = try desk.call("cases.workorders", ["department": "security"])["orders"]?.arrayValue ?? []
        #expect(security.compactMap { $0["order"]?.stringValue } == [fast])
        #expect(try desk.call("cases.workorders", ["department": "cleaning"])["orders"] == [])
    }

    @Test("the minute job starts with the daemon and announces each order past its due time once")
    func overdueOnce() throws {
        let desk = try CasesHarness.cases()
        let order = try desk.dispatch(try desk.open("repair", ["urgency": "emergency"]))
        #expect(desk.pendingBackground.isEmpty, "a write does not start the job")
        desk.start()
        #expect(desk.pendingBackground.map(\.method) == ["cases.workorders.sweep"])
        #expect(desk.runBackground().isEmpty)
        #expect(desk.lastEvents.isEmpty, "10:00: nothing is late yet")
        desk.clock.advance(by: 31 * 60)
        desk.caller = .system
        #expect(try desk.call("cases.workorders.sweep")["announced"] == 1)
        #expect(desk.lastEvents.map(\.topic) == ["cases.workorder.overdue"])
        #expect(desk.lastEvents.first?.data["order"] == .string(order) && desk.lastEvents.first?.data["late"] == true)
        desk.clock.advance(by: 60)
        #expect(try desk.call("cases.workorders.sweep")["announced"] == 0, "once")
        desk.caller = .operator("li.na")
        #expect(
            try desk.callError("cases.workorders.sweep").kind == .methodNotFound,
            "the minute job is the daemon's: callers do not see it")
        desk.shutdown()
    }
}
