import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// Preparation tasks (overdue, done, the minute job) and fees (settle, invoice, paid, unpaid).
@Suite("meetings rules: tasks and fees")
struct TaskAndFeeRulesTests {
    @Test("when the daemon is ready, the minute job sweeps at once: what fell due while it was down is announced")
    func sweepWhenStarted() throws {
        let desk = try MeetingsHarness.meetings()
        try desk.book("A-301", "2026-12-06T14:00:00+08:00", "2026-12-06T15:00:00+08:00")
        #expect(desk.pendingBackground.isEmpty, "a write does not start the job")
        desk.start()
        #expect(desk.pendingBackground.map(\.method) == ["meetings.tasks.sweep"])
        #expect(desk.runBackground().isEmpty)
        #expect(desk.lastEvents.map { $0.data["kind"] } == ["open_rooms"], "10:00: the 08:00 opening is late")
        desk.shutdown()
    }

    @Test("a task past its due time reads overdue from the caller's now, and meetings.task.overdue is emitted once")
    func overdueOnce() throws {
        let desk = try MeetingsHarness.meetings()
        let booking = try desk.book("A-301", "2026-12-06T14:00:00+08:00", "2026-12-06T15:00:00+08:00")
        let early = try desk.call("meetings.tasks", ["date": "2026-12-06", "team": "front_desk"])
        let frontDesk = early["tasks"]?.arrayValue ?? []
        #expect(!frontDesk.isEmpty && frontDesk.allSatisfy { $0["team"] == "front_desk" }, "\(early)")
        #expect(
            frontDesk.filter { $0["overdue"] == true }.compactMap { $0["kind"]?.stringValue } == ["open_rooms"],
            "at 10:00 only the 08:00 opening is late: \(early)")
        desk.caller = .system
        #expect(try desk.call("meetings.tasks.sweep")["announced"] == 1, "10:00: only the 08:00 opening is late")
        #expect(desk.lastEvents.map { $0.data["kind"] } == ["open_rooms"])
        desk.clock.advance(by: 4 * 3600)  // 14:00: tea and room_check (13:45) are late
        let late = try desk.call("meetings.tasks", ["date": "2026-12-06"])
        let overdue = late["tasks"]?.arrayValue?.filter { $0["overdue"] == true }.compactMap { $0["kind"]?.stringValue }
        #expect(Set(overdue ?? []) == ["open_rooms", "tea", "room_check"])
        let first = try desk.call("meetings.tasks.sweep")
        let announced = desk.lastEvents.filter { $0.topic == "meetings.task.overdue" }.compactMap {
            $0.data["kind"]?.stringValue
        }
        #expect(
            Set(announced) == ["tea", "room_check"], "the opening was announced at 10:00 already; reset is not due")
        #expect(first["announced"] == .int(Int64(announced.count)))
        desk.clock.advance(by: 60)
        #expect(try desk.call("meetings.tasks.sweep")["announced"] == 0, "each task is announced once")
        #expect(desk.lastEvents.isEmpty)

        desk.caller = .operator("li.na")
        let done = try desk.call(
            "meetings.tasks.done", ["task": .string("\(booking["booking"]?.stringValue ?? "")/tea"), "note": "龙井已备"])
        #expect(done["status"] == "done")
        #expect(done["overdue"] == false)
        #expect(done["doneBy"] == "li.na")
        #expect(done["note"] == "龙井已备")
        let twice = try desk.callError(
            "meetings.tasks.done", ["task": .string("\(booking["booking"]?.stringValue ?? "")/tea")])
        #expect(twice.kind == .invalidState)
        #expect(
            try desk.callError("meetings.tasks.sweep").kind == .methodNotFound,
            "the minute job is the daemon's: callers do not see it")
    }

    @Test(
        "the fee is the room from the actual start to the actual end at the hourly fee, plus extras; the contact signs")
    func feesFromActualTimes() throws {
        let desk = try MeetingsHarness.meetings()
        let booking = try desk.book("A-301", "2026-12-06T10:30:00+08:00", "2026-12-06T12:00:00+08:00")
        let id = booking["booking"] ?? .null
        let early = try desk.callError("meetings.settle", ["booking": id, "extras": [], "signedBy": "陈经理"])
        #expect(early.kind == .invalidState, "only an ended meeting is settled")
        desk.clock.advance(by: 35 * 60)  // 10:35
        #expect(try desk.call("meetings.checkin", ["booking": id])["startedAt"] == "2026-12-06T10:35:00.000+08:00")
        desk.clock.advance(by: 2 * 3600 + 15 * 60)  // 12:50: ran 50 minutes over
        #expect(try desk.call("meetings.end", ["booking": id])["status"] == "ended")
        let stranger = try desk.callError(
            "meetings.settle", ["booking": id, "extras": [], "signedBy": "路人甲"])
        #expect(stranger.field == "signedBy")
        #expect(GlossaryCoverage.isChinese(stranger.translations["zh"]))
        let settled = try desk.call(
            "meetings.settle",
            [
                "booking": id, "extras": [["item": "茶歇", "amount": 30_000], ["item": "横幅", "amount": 15_000]],
                "signedBy": "陈经理",
            ])
        let fee = try #require(settled["fee"])
        #expect(fee["lines"]?.arrayValue?.first?["quantity"] == "2.25", "10:35 to 12:50 is 2 h 15 min")
        #expect(fee["lines"]?.arrayValue?.first?["unitPrice"] == 20_000)
        #expect(fee["lines"]?.arrayValue?.first?["amount"] == 45_000)
        #expect(fee["total"] == 90_000)
        #expect(fee["signedBy"] == "陈经理")
        #expect(
            try desk.callError("meetings.settle", ["booking": id, "extras": [], "signedBy": "陈经理"]).kind
                == .invalidState)
        #expect(try desk.callError("meetings.paid", ["booking": "MT20990101-0001"]).kind == .notFound)

        desk.clock.advance(days: 3)
        let unpaid = try desk.call("meetings.unpaid")
        #expect(unpaid["bookings"]?.arrayValue?.first?["booking"] == id)
        #expect(unpaid["bookings"]?.arrayValue?.first?["ageDays"] == 3)
        #expect(unpaid["bookings"]?.arrayValue?.first?["feeTotal"] == 90_000)
        #expect(
            try desk.call("meetings.invoice", ["booking": id, "invoice": "No.04471123"])["invoice"] == "No.04471123")
        #expect(try desk.call("meetings.unpaid")["bookings"]?.arrayValue?.count == 1, "invoiced is not paid")
        #expect(try desk.call("meetings.paid", ["booking": id])["paidAt"] != .null)
        #expect(try desk.call("meetings.unpaid")["bookings"]?.arrayValue?.isEmpty == true)
        #expect(try desk.callError("meetings.paid", ["booking": id]).kind == .invalidState)
    }

    @Test("rooms: define is admin-only, retire stops new bookings, free lists the rooms that fit an open free slot")
    func rooms() throws {
        let desk = try MeetingsHarness.meetings()
        let refused = try desk.callError(
            "meetings.rooms.define",
            ["room": "C-1", "name": "x", "floor": 1, "capacity": 2, "equipment": [], "hourlyFee": 1, "hours": [:]])
        #expect(refused.kind == .forbidden)
        let list = try desk.call("meetings.rooms.list")
        #expect(list["rooms"]?.arrayValue?.compactMap { $0["room"]?.stringValue } == ["A-301", "B-105"])
        #expect(list["rooms"]?.arrayValue?.first?["equipment"] == ["audio", "projector"])
        #expect(list["rooms"]?.arrayValue?.first?["hours"]?["mon"] == ["08:00", "22:00"])
        try desk.book("A-301", "2026-12-08T10:00:00+08:00", "2026-12-08T11:00:00+08:00")
        let free = try desk.call(
            "meetings.rooms.free", ["from": "2026-12-08T10:30:00+08:00", "to": "2026-12-08T11:30:00+08:00"])
        #expect(free["rooms"]?.arrayValue?.compactMap { $0["room"]?.stringValue } == ["B-105"])
        let afterwards = try desk.call(
            "meetings.rooms.free",
            ["from": "2026-12-08T11:00:00+08:00", "to": "2026-12-08T12:00:00+08:00", "attendees": 12])
        #expect(afterwards["rooms"]?.arrayValue?.compactMap { $0["room"]?.stringValue } == ["A-301"])
        desk.caller = .admin()
        #expect(try desk.call("meetings.rooms.retire", ["room": "B-105"])["status"] == "retired")
        desk.caller = .operator("li.na")
        let retired = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking("B-105", "2026-12-08T10:00:00+08:00", "2026-12-08T11:00:00+08:00", ["attendees": 2])
        )
        #expect(retired.kind == .invalidState)
        let agenda = try desk.call("meetings.agenda", ["date": "2026-12-08"])
        #expect(agenda["date"] == "2026-12-08")
        #expect(
            agenda["rooms"]?.arrayValue?.compactMap { $0["room"]?.stringValue } == ["A-301"],
            "a retired room with no bookings is left out")
        #expect(agenda["rooms"]?.arrayValue?.first?["bookings"]?.arrayValue?.count == 1)
    }
}
