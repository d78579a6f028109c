import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// "The room is closed to others once ready": a major meeting's `setup` done closes its room from
/// that moment to the meeting's end. Booking, rescheduling into and `meetings.rooms.free` see the
/// closure; bookings already there are reported, not cancelled; cancelling or moving the major
/// meeting reopens the room.
@Suite("meetings rules: a major meeting's room closed once ready")
struct RoomClosureRulesTests {
    /// The major meeting of these tests: Tuesday 2026-12-08 09:00–11:30 in A-301 (setup due
    /// Monday 18:00).
    static let majorStart = "2026-12-08T09:00:00+08:00"
    /// See ``majorStart``.
    static let majorEnd = "2026-12-08T11:30:00+08:00"

    @Test(
        "setup done closes the room to its end: booking or rescheduling into the window is a conflict with rule room_closed naming the major meeting, and rooms.free leaves the room out"
    )
    func setupClosesTheRoom() throws {
        let desk = try MeetingsHarness.meetings()
        let major = try desk.book("A-301", Self.majorStart, Self.majorEnd, ["class": "major"])
        let id = try #require(major["booking"]?.stringValue)
        #expect(major["closedFrom"] == .null, "open until the setup is done")
        let before = try desk.book("A-301", "2026-12-07T15:00:00+08:00", "2026-12-07T16:00:00+08:00")
        let after = try desk.book("A-301", "2026-12-08T12:00:00+08:00", "2026-12-08T13:00:00+08:00")
        let slot: JSONValue = ["from": "2026-12-07T16:00:00+08:00", "to": "2026-12-07T17:00:00+08:00"]
        #expect(try desk.freeRooms(slot) == ["A-301", "B-105"], "Monday 16:00 is free before the setup")

        desk.clock.advance(by: 28 * 3600)  // Monday 2026-12-07 14:00
        let plain = try desk.call("meetings.tasks", ["date": "2026-12-07"])["tasks"]?.arrayValue?.first
        let done = try desk.call("meetings.tasks.done", ["task": .string("\(id)/setup"), "note": "横幅已挂"])
        #expect(done["status"] == "done" && done["kind"] == "setup" && done["doneBy"] == "li.na")
        #expect(
            Set(done.objectValue?.keys.map { $0 } ?? [])
                == Set(plain?.objectValue?.keys.map { $0 } ?? []).union(["closing"]),
            "the task as always, plus closing: \(done)")
        #expect(done["closing"] == [before["booking"] ?? .null], "Monday 15:00 is in the window; Tuesday 12:00 is not")
        #expect(
            try desk.call("meetings.get", ["booking": .string(id)])["closedFrom"] == "2026-12-07T14:00:00.000+08:00")
        #expect(
            try desk.call("meetings.get", ["booking": before["booking"] ?? .null])["status"] == "booked",
            "a booking already in the window stays: the desk moves it")

        let refused = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-07T16:00:00+08:00", "2026-12-07T17:00:00+08:00"))
        #expect(refused.kind == .conflict && refused.details["rule"] == "room_closed")
        let clash = try #require(refused.details["clashes"]?.arrayValue?.first)
        #expect(refused.details["clashes"]?.arrayValue?.count == 1)
        #expect(clash["booking"] == .string(id) && clash["rule"] == "room_closed")
        #expect(clash["closedFrom"] == "2026-12-07T14:00:00.000+08:00" && clash["room"] == "A-301")
        #expect(clash["start"] == "2026-12-07T16:00:00.000+08:00" && clash["end"] == "2026-12-07T17:00:00.000+08:00")
        #expect(refused.message.contains(id) && refused.message.contains("closed"), "\(refused.message)")
        #expect(GlossaryCoverage.isChinese(refused.translations["zh"]))

        let morning = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-08T08:00:00+08:00", "2026-12-08T09:00:00+08:00"))
        #expect(morning.details["rule"] == "room_closed", "Tuesday before the start is in the window")
        let overlap = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-08T10:00:00+08:00", "2026-12-08T11:00:00+08:00"))
        #expect(overlap.kind == .conflict && overlap.details["clashes"]?.arrayValue?.count == 1, "named once")
        #expect(overlap.details["rule"] == nil && overlap.details["clashes"]?.arrayValue?.first?["rule"] == nil)
        let series = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking(
                "A-301", "2026-12-06T19:00:00+08:00", "2026-12-06T20:00:00+08:00",
                ["repeat": ["every": "day", "count": 3]]))
        #expect(
            series.details["clashes"]?.arrayValue?.compactMap { $0["start"]?.stringValue } == [
                "2026-12-07T19:00:00.000+08:00"
            ], "of a series only Monday evening falls in the window")
        #expect(try desk.storedBookings() == 3, "a series with a clash books nothing")

        let rightAfter = try desk.book("A-301", Self.majorEnd, "2026-12-08T12:00:00+08:00")
        #expect(rightAfter["status"] == "booked", "the window ends with the meeting")
        let otherRoom = try desk.book(
            "B-105", "2026-12-07T16:00:00+08:00", "2026-12-07T17:00:00+08:00", ["attendees": 5])
        #expect(otherRoom["status"] == "booked", "only the major meeting's room is closed")
        #expect(try desk.freeRooms(slot) == [], "A-301 is closed and B-105 is now taken")
        #expect(
            try desk.freeRooms(["from": "2026-12-07T17:00:00+08:00", "to": "2026-12-07T18:00:00+08:00"]) == ["B-105"])

        let moved = try desk.callError(
            "meetings.reschedule",
            [
                "booking": after["booking"] ?? .null, "start": "2026-12-07T17:00:00+08:00",
                "end": "2026-12-07T18:00:00+08:00",
            ])
        #expect(moved.kind == .conflict && moved.details["rule"] == "room_closed")
        #expect(moved.details["clashes"]?.arrayValue?.first?["booking"] == .string(id))
        let elsewhere = try desk.call(
            "meetings.reschedule",
            [
                "booking": after["booking"] ?? .null, "start": "2026-12-08T13:00:00+08:00",
                "end": "2026-12-08T14:00:00+08:00",
            ])
        #expect(elsewhere["start"] == "2026-12-08T13:00:00.000+08:00", "outside the window it moves as usual")
    }

    @Test(
        "the closure is from the moment setup is done, however early; setup of a routine or an ended meeting closes nothing"
    )
    func whenSetupCloses() throws {
        let desk = try MeetingsHarness.meetings(config: ["templates": ["routine": ["setup", "tea", "reset"]]])
        // Setup done on Sunday for a meeting on Wednesday: closed from Sunday 10:00, not just the day before.
        let major = try desk.book("A-301", "2026-12-09T09:00:00+08:00", "2026-12-09T10:00:00+08:00", ["class": "major"])
        let id = try #require(major["booking"]?.stringValue)
        let done = try desk.call("meetings.tasks.done", ["task": .string("\(id)/setup")])
        #expect(done["closing"] == [])
        let monday = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-07T16:00:00+08:00", "2026-12-07T17:00:00+08:00"))
        #expect(monday.details["rule"] == "room_closed", "two days before the meeting is in the window")
        #expect(
            try desk.freeRooms(["from": "2026-12-06T16:00:00+08:00", "to": "2026-12-06T17:00:00+08:00"]).isEmpty,
            "Sunday: A-301 closed, B-105 shut at weekends")

        let routine = try desk.book("A-301", "2026-12-10T14:00:00+08:00", "2026-12-10T15:00:00+08:00")
        let routineID = try #require(routine["booking"]?.stringValue)
        let routineSetup = try desk.call("meetings.tasks.done", ["task": .string("\(routineID)/setup")])
        #expect(routineSetup["closing"] == nil, "only a major meeting's setup closes the room")
        #expect(try desk.call("meetings.get", ["booking": .string(routineID)])["closedFrom"] == .null)
        #expect(try desk.book("A-301", "2026-12-10T13:00:00+08:00", "2026-12-10T14:00:00+08:00")["status"] == "booked")

        let late = try desk.book("A-301", "2026-12-11T09:00:00+08:00", "2026-12-11T10:00:00+08:00", ["class": "major"])
        let lateID = try #require(late["booking"]?.stringValue)
        desk.clock.advance(days: 5)  // Friday 2026-12-11 10:00: the meeting's time is over
        let afterwards = try desk.call("meetings.tasks.done", ["task": .string("\(lateID)/setup")])
        #expect(afterwards["closing"] == nil && afterwards["status"] == "done")
        #expect(try desk.call("meetings.get", ["booking": .string(lateID)])["closedFrom"] == .null)
    }

    @Test("cancelling the major meeting reopens its room; the setup stays done")
    func cancelReopens() throws {
        let (desk, id) = try Self.closedOnMonday()
        let slot = MeetingsHarness.booking("A-301", "2026-12-07T16:00:00+08:00", "2026-12-07T17:00:00+08:00")
        #expect(try desk.callError("meetings.book", slot).details["rule"] == "room_closed")

        let cancelled = try desk.call("meetings.cancel", ["booking": .string(id), "reason": "主办方延期"])
        #expect(cancelled["closedFrom"] == .null && cancelled["status"] == "cancelled")
        #expect(try desk.setup(of: id).status == "done", "what was done stays on record")
        #expect(
            try desk.freeRooms(["from": "2026-12-07T16:00:00+08:00", "to": "2026-12-07T17:00:00+08:00"]).contains(
                "A-301"))
        #expect(try desk.call("meetings.book", slot)["bookings"]?.arrayValue?.count == 1)
    }

    @Test("rescheduling the major meeting reopens its room and its setup task, due the day before the new date")
    func rescheduleReopens() throws {
        let (desk, id) = try Self.closedOnMonday()
        let moved = try desk.call(
            "meetings.reschedule",
            ["booking": .string(id), "start": "2026-12-10T09:00:00+08:00", "end": "2026-12-10T11:30:00+08:00"])
        #expect(moved["closedFrom"] == .null)
        let setup = try desk.setup(of: id)
        #expect(setup.status == "open" && setup.doneBy == nil && setup.note == nil, "to be done again")
        #expect(setup.due == "2026-12-09T18:00:00.000+08:00", "the reopened setup moved with the meeting")
        let monday = try desk.book("A-301", "2026-12-07T16:00:00+08:00", "2026-12-07T17:00:00+08:00")
        #expect(monday["status"] == "booked", "the old window is open again")
        let wednesday = try desk.book("A-301", "2026-12-09T16:00:00+08:00", "2026-12-09T17:00:00+08:00")

        desk.clock.advance(days: 2)  // Wednesday 14:00
        let again = try desk.call("meetings.tasks.done", ["task": .string("\(id)/setup")])
        #expect(again["closing"] == [wednesday["booking"] ?? .null])
        #expect(
            try desk.call("meetings.get", ["booking": .string(id)])["closedFrom"] == "2026-12-09T14:00:00.000+08:00")
    }

    /// A desk with the major meeting booked and its setup done (note 横幅已挂) on Monday at 14:00:
    /// A-301 closed from then to Tuesday 11:30; the desk and the major booking's id.
    static func closedOnMonday() throws -> (MeetingsHarness, String) {
        let desk = try MeetingsHarness.meetings()
        let major = try desk.book("A-301", majorStart, majorEnd, ["class": "major"])
        let id = try #require(major["booking"]?.stringValue)
        desk.clock.advance(by: 28 * 3600)  // Monday 14:00
        try desk.call("meetings.tasks.done", ["task": .string("\(id)/setup"), "note": "横幅已挂"])
        return (desk, id)
    }

    @Test("the closure check reads the partial index of closed bookings, not the room's past")
    func closureCheckIsIndexed() throws {
        let desk = try MeetingsHarness.meetings()
        let plan = try desk.query("EXPLAIN QUERY PLAN " + RoomClosure.closuresQuery, ["A-301", 0, 1, 0])
        let details = plan.compactMap { $0.string("detail") }
        #expect(details.contains { $0.contains("USING INDEX meetings_bookings_closed") }, "\(details)")
    }
}

extension PluginHarness where Plugin == MeetingsPlugin {
    /// The ids of the rooms `meetings.rooms.free` lists for `slot` (`{"from", "to"}`).
    func freeRooms(_ slot: JSONValue) throws -> [String] {
        try call("meetings.rooms.free", slot)["rooms"]?.arrayValue?.compactMap { $0["room"]?.stringValue } ?? []
    }

    /// The `setup` task of `booking` as stored.
    func setup(of booking: String) throws -> (status: String, due: String, doneBy: String?, note: String?) {
        let row = try query(
            "SELECT status, due_at, done_by, note FROM meetings_tasks WHERE task = ?", ["\(booking)/setup"]
        ).first
        return (row?.string("status") ?? "", row?.string("due_at") ?? "", row?.string("done_by"), row?.string("note"))
    }
}
