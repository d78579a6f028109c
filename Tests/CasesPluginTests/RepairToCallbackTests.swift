import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A repair from the resident's call to the callback, and an emergency, through the real daemon
/// and socket as protocol.md tells them.
@Suite("cases: a repair from report to callback over the socket", .timeLimit(.minutes(2)))
struct RepairToCallbackTests {
    @Test(
        "A leak reported, dispatched due in 24 h, signed for, done, closed, called back dissatisfied (reopened), redone, closed, called back satisfied; a second workstation sees every step"
    )
    func repairToCallback() throws {
        let daemon = try CasesCounter.start()
        let desk = try daemon.counter()
        let watcher = try daemon.counter(desk: "desk-2", operator: "wang.fang")
        try watcher.call("events.subscribe", ["topics": ["cases"]])

        let opened = try desk.call("cases.open", CasesCounter.report("repair", ["channel": "visit"]))
        let id = try #require(opened["case"]?.stringValue)
        #expect(id.contains(#/^CS\d{8}-\d{4}$/#), "\(id)")
        #expect(opened["status"] == "open" && opened["contact"] == "13912345678" && opened["openedBy"] == "li.na")

        let sent = Date()
        let order = try desk.call("cases.dispatch", ["case": .string(id), "department": "engineering"])
        let orderId = try #require(order["order"]?.stringValue)
        let due = try #require(order["due"]?.stringValue.flatMap(Timestamp.parse))
        #expect(abs(due.timeIntervalSince(sent) - 86_400) < 5, "a repair is due in 24 hours: \(order)")
        #expect(order["due"]?.stringValue?.hasSuffix("+08:00") == true, "in the daemon's zone: \(order)")
        // The rules on the wire: a delay needs the resident told; the case stays open while its order is.
        let untold = try desk.callError(
            "cases.workorders.delay",
            [
                "order": .string(orderId), "reason": "配件缺货", "newDue": .string(CasesCounter.iso(due + 86_400)),
                "residentTold": false,
            ])
        #expect(untold?.kind == .validation && untold?.field == "residentTold", "\(String(describing: untold))")
        let early = try desk.callError("cases.close", ["case": .string(id), "outcome": "已修好"])
        #expect(early?.kind == .invalidState, "\(String(describing: early))")

        let signed = try desk.call("cases.workorders.ack", ["order": .string(orderId), "by": "工程部 张师傅"])
        #expect(signed["status"] == "acknowledged" && signed["ackBy"] == "工程部 张师傅", "\(signed)")
        let done = try desk.call(
            "cases.workorders.done", ["order": .string(orderId), "work": "更换厨房三通阀门", "by": "张师傅"])
        #expect(done["status"] == "done" && done["late"] == false && done["doneBy"] == "张师傅", "\(done)")
        let closed = try desk.call("cases.close", ["case": .string(id), "outcome": "已更换阀门，业主确认不再漏水"])
        #expect(closed["status"] == "closed" && closed["callback"]?["status"] == "pending", "\(closed)")
        #expect(closed["workOrders"] == [.string(orderId)], "\(closed)")

        let unhappy = try desk.call(
            "cases.callback",
            ["case": .string(id), "reached": true, "satisfaction": "dissatisfied", "comments": "晚上又开始滴水"])
        #expect(unhappy["status"] == "reopened" && unhappy["closedAt"] == .null, "\(unhappy)")
        let again = try desk.call("cases.workorders.reopen", ["order": .string(orderId), "reason": "晚上又开始滴水"])
        #expect(again["status"] == "reopened" && again["reopenReason"] == "晚上又开始滴水", "\(again)")
        try desk.call("cases.workorders.done", ["order": .string(orderId), "work": "重新密封接口", "by": "张师傅"])
        try desk.call("cases.close", ["case": .string(id), "outcome": "重新密封，观察一晚无渗漏"])
        let happy = try desk.call(
            "cases.callback", ["case": .string(id), "reached": true, "satisfaction": "satisfied", "comments": "修好了"])
        #expect(happy["status"] == "closed" && happy["callback"]?["satisfaction"] == "satisfied", "\(happy)")
        #expect(try desk.call("cases.get", ["case": .string(id)]) == happy)

        var topics: [String] = []
        for _ in 0..<11 {
            let event = try watcher.nextCaseEvent()
            topics.append(event["topic"]?.stringValue ?? "")
            #expect(event["data"]?["contact"] == nil || event["data"]?["contact"] == .null, "\(event)")
        }
        #expect(
            topics == [
                "cases.opened", "cases.dispatched", "cases.workorder.acknowledged", "cases.workorder.done",
                "cases.closed", "cases.callback.recorded", "cases.reopened", "cases.workorder.reopened",
                "cases.workorder.done", "cases.closed", "cases.callback.recorded",
            ], "\(topics)")
        #expect(try daemon.stop() == 0)
    }

    @Test("A burst pipe opened as an emergency reaches a subscribed script at once, without the resident's contact")
    func emergencyReachesSubscriber() throws {
        let daemon = try CasesCounter.start()
        let pager = try daemon.connect()
        try pager.call("events.subscribe", ["topics": ["cases.emergency"]])
        let desk = try daemon.counter()
        try desk.openCase("praise")
        let asked = ContinuousClock.now
        let id = try desk.openCase(
            "repair", ["urgency": "emergency", "description": "3栋地下室水管爆裂", "unit": "3-1-B01"])
        let event = try pager.nextCaseEvent(timeout: .seconds(5))
        let waited = ContinuousClock.now - asked
        #expect(event["topic"] == "cases.emergency", "\(event)")
        #expect(event["data"]?["case"] == .string(id) && event["data"]?["urgency"] == "emergency", "\(event)")
        #expect(event["data"]?["description"] == "3栋地下室水管爆裂" && event["data"]?["contact"] == .null, "\(event)")
        #expect(waited < .seconds(2), "at once: \(waited)")
        // Only the emergency: the praise and the emergency's own cases.opened are not on this topic.
        #expect(throws: ClientError.self, "nothing else arrives") {
            try pager.nextNotification(timeout: .milliseconds(300))
        }
        #expect(!daemon.log.contains("13912345678"), "no contact in the daemon's log")
        #expect(try daemon.stop() == 0)
    }
}
