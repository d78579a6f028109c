import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// `meetings.book`, `.reschedule`, `.cancel`: the rules of a booking (issue 14, "Bookings").
@Suite("meetings rules: booking a room")
struct BookingRulesTests {
    @Test(
        "meetings.book numbers bookings per local day (MT<yyyymmdd>-<nnnn>) and creates the routine tasks with their due times"
    )
    func bookCreatesTasks() throws {
        let desk = try MeetingsHarness.meetings()
        let reply = try desk.call(
            "meetings.book",
            MeetingsHarness.booking("A-301", "2026-12-08T14:00:00+08:00", "2026-12-08T16:00:00+08:00", ["av": true]))
        let booking = try #require(reply["bookings"]?.arrayValue?.first)
        #expect(booking["booking"] == "MT20261206-0001")
        #expect(booking["status"] == "booked")
        #expect(booking["start"] == "2026-12-08T14:00:00.000+08:00")
        #expect(booking["series"] == .null)
        #expect(booking["fee"] == .null)
        #expect(booking["bookedBy"] == "li.na")
        #expect(
            try desk.dues(of: booking["booking"]) == [
                "tea": "2026-12-08T13:45:00.000+08:00",
                "room_check": "2026-12-08T13:45:00.000+08:00",
                "av_sheet": "2026-12-06T10:05:00.000+08:00",
                "av_check": "2026-12-08T13:30:00.000+08:00",
                "reset": "2026-12-08T16:30:00.000+08:00",
            ])
        let kinds = reply["tasks"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        #expect(kinds.contains("open_rooms"), "the day's first booking opens the rooms at 08:00")
        #expect(
            try desk.query("SELECT due_at FROM meetings_tasks WHERE task = 'OPEN-20261208'").first?.string("due_at")
                == "2026-12-08T08:00:00.000+08:00")
        #expect(desk.lastEvents.map(\.topic) == ["meetings.booked"])
    }

    @Test(
        "a major meeting gets materials the day before, setup at 18:00 the day before and staff 30 minutes early; ad hoc staff within 5 minutes"
    )
    func majorAndAdHocTasks() throws {
        let desk = try MeetingsHarness.meetings()
        let major = try desk.book("A-301", "2026-12-09T09:00:00+08:00", "2026-12-09T11:00:00+08:00", ["class": "major"])
        let dues = try desk.dues(of: major["booking"])
        #expect(dues["materials"] == "2026-12-08T09:00:00.000+08:00")
        #expect(dues["setup"] == "2026-12-08T18:00:00.000+08:00")
        #expect(dues["staff_on_site"] == "2026-12-09T08:30:00.000+08:00")
        #expect(dues["av_sheet"] == nil, "no AV, no AV tasks")
        let adHoc = try desk.book(
            "A-301", "2026-12-06T10:30:00+08:00", "2026-12-06T11:00:00+08:00", ["class": "ad_hoc"])
        #expect(try desk.dues(of: adHoc["booking"])["staff_on_site"] == "2026-12-06T10:05:00.000+08:00")
    }

    @Test("end after start, opening hours, capacity and AV are refused naming the field, and nothing is stored")
    func rulesAreRefused() throws {
        let desk = try MeetingsHarness.meetings()
        let backwards = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-08T16:00:00+08:00", "2026-12-08T14:00:00+08:00"))
        #expect(backwards.kind == .validation)
        #expect(backwards.field == "end")
        let early = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-08T07:30:00+08:00", "2026-12-08T09:00:00+08:00"))
        #expect(early.field == "start")
        #expect(early.details["rule"] == "opening_hours")
        let weekend = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking("B-105", "2026-12-12T10:00:00+08:00", "2026-12-12T11:00:00+08:00", ["attendees": 4])
        )
        #expect(weekend.details["rule"] == "opening_hours", "B-105 is closed on Saturdays")
        let crowd = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking("B-105", "2026-12-08T10:00:00+08:00", "2026-12-08T11:00:00+08:00", ["attendees": 9])
        )
        #expect(crowd.field == "attendees")
        #expect(crowd.details["rule"] == "capacity")
        let av = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking(
                "B-105", "2026-12-08T10:00:00+08:00", "2026-12-08T11:00:00+08:00", ["attendees": 4, "av": true]))
        #expect(av.field == "av")
        #expect(av.details["rule"] == "room_has_av")
        for error in [backwards, early, weekend, crowd, av] {
            #expect(GlossaryCoverage.isChinese(error.translations["zh"]), "\(error.message)")
        }
        #expect(try desk.storedBookings() == 0)
    }

    @Test("back-to-back bookings are allowed; an overlap is a conflict naming the booking in the way")
    func backToBackAndOverlap() throws {
        let desk = try MeetingsHarness.meetings()
        let first = try desk.book("A-301", "2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00")
        let next = try desk.book("A-301", "2026-12-08T10:00:00+08:00", "2026-12-08T11:00:00+08:00")
        #expect(next["status"] == "booked", "end = next start is no overlap")
        let before = try desk.book("A-301", "2026-12-08T08:00:00+08:00", "2026-12-08T09:00:00+08:00")
        #expect(before["status"] == "booked")
        let clash = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-08T09:30:00+08:00", "2026-12-08T10:30:00+08:00"))
        #expect(clash.kind == .conflict)
        let clashes = clash.details["clashes"]?.arrayValue ?? []
        #expect(
            clashes.compactMap { $0["booking"]?.stringValue }
                == [first["booking"]?.stringValue, next["booking"]?.stringValue].compactMap { $0 })
        #expect(clashes.first?["start"] == "2026-12-08T09:30:00.000+08:00")
        #expect(clashes.first?["end"] == "2026-12-08T10:30:00.000+08:00")
        #expect(GlossaryCoverage.isChinese(clash.translations["zh"]))
        #expect(try desk.storedBookings() == 3)
    }

    @Test(
        "two workstations booking the same room and slot: the writer runs them one after the other, the second gets conflict"
    )
    func twoDesksOneSlot() throws {
        let desk = try MeetingsHarness.meetings()
        let slot = MeetingsHarness.booking("A-301", "2026-12-08T14:00:00+08:00", "2026-12-08T15:00:00+08:00")
        desk.caller = .operator("li.na", workstation: "desk-1")
        let won = try desk.call("meetings.book", slot)
        desk.caller = .operator("wang.lei", workstation: "desk-2")
        let lost = try desk.callError("meetings.book", slot)
        #expect(lost.kind == .conflict)
        #expect(
            lost.details["clashes"]?.arrayValue?.first?["booking"] == won["bookings"]?.arrayValue?.first?["booking"])
        #expect(try desk.storedBookings() == 1)
    }

    @Test("a weekly series books every meeting with one series id; with one clash it books nothing and names the clash")
    func seriesAllOrNothing() throws {
        let desk = try MeetingsHarness.meetings()
        let blocker = try desk.book("A-301", "2026-12-22T09:30:00+08:00", "2026-12-22T10:30:00+08:00")
        let series = MeetingsHarness.booking(
            "A-301", "2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00",
            ["repeat": ["every": "week", "count": 4]])
        let error = try desk.callError("meetings.book", series)
        #expect(error.kind == .conflict)
        let clashes = error.details["clashes"]?.arrayValue ?? []
        #expect(clashes.count == 1)
        #expect(clashes.first?["booking"] == blocker["booking"])
        #expect(clashes.first?["start"] == "2026-12-22T09:00:00.000+08:00")
        #expect(try desk.storedBookings() == 1, "nothing of the series was booked")
        #expect(
            try desk.query("SELECT id FROM meetings_tasks WHERE booking <> ?", [blocker["booking"]?.stringValue ?? ""])
                .isEmpty)

        try desk.call("meetings.cancel", ["booking": blocker["booking"] ?? .null, "reason": "改到下周"])
        let booked = try desk.call("meetings.book", series)
        let bookings = booked["bookings"]?.arrayValue ?? []
        #expect(
            bookings.compactMap { $0["start"]?.stringValue } == [
                "2026-12-08T09:00:00.000+08:00", "2026-12-15T09:00:00.000+08:00", "2026-12-22T09:00:00.000+08:00",
                "2026-12-29T09:00:00.000+08:00",
            ])
        #expect(Set(bookings.compactMap { $0["series"]?.stringValue }) == ["MS20261206-0001"])
        let daily = try desk.call(
            "meetings.book",
            MeetingsHarness.booking(
                "A-301", "2026-12-08T13:00:00+08:00", "2026-12-08T14:00:00+08:00",
                ["repeat": ["every": "day", "until": "2026-12-10"]]))
        #expect(daily["bookings"]?.arrayValue?.count == 3)
    }

    @Test("a series larger than max_series, or with both count and until, is refused")
    func seriesLimits() throws {
        let desk = try MeetingsHarness.meetings(config: ["max_series": 5])
        let tooMany = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking(
                "A-301", "2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00",
                ["repeat": ["every": "day", "count": 6]]))
        #expect(tooMany.details["rule"] == "max_series")
        let both = try desk.callError(
            "meetings.book",
            MeetingsHarness.booking(
                "A-301", "2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00",
                ["repeat": ["every": "day", "count": 2, "until": "2026-12-09"]]))
        #expect(both.field == "repeat.until")
        #expect(try desk.storedBookings() == 0)
    }

    @Test("meetings.reschedule moves the open tasks; meetings.cancel cancels them")
    func rescheduleAndCancel() throws {
        let desk = try MeetingsHarness.meetings()
        let booking = try desk.book("A-301", "2026-12-08T14:00:00+08:00", "2026-12-08T16:00:00+08:00")
        let other = try desk.book("A-301", "2026-12-09T09:00:00+08:00", "2026-12-09T10:00:00+08:00")
        let blocked = try desk.callError(
            "meetings.reschedule",
            [
                "booking": booking["booking"] ?? .null, "start": "2026-12-09T09:30:00+08:00",
                "end": "2026-12-09T11:00:00+08:00",
            ])
        #expect(blocked.kind == .conflict)
        #expect(blocked.details["clashes"]?.arrayValue?.first?["booking"] == other["booking"])
        let moved = try desk.call(
            "meetings.reschedule",
            [
                "booking": booking["booking"] ?? .null, "start": "2026-12-10T10:00:00+08:00",
                "end": "2026-12-10T11:00:00+08:00",
            ])
        #expect(moved["start"] == "2026-12-10T10:00:00.000+08:00")
        let dues = try desk.dues(of: booking["booking"])
        #expect(dues["tea"] == "2026-12-10T09:45:00.000+08:00")
        #expect(dues["reset"] == "2026-12-10T11:30:00.000+08:00")
        #expect(try desk.query("SELECT id FROM meetings_tasks WHERE task = 'OPEN-20261210'").count == 1)

        let cancelled = try desk.call("meetings.cancel", ["booking": booking["booking"] ?? .null, "reason": "客户改期"])
        #expect(cancelled["status"] == "cancelled")
        #expect(cancelled["cancelReason"] == "客户改期")
        let statuses = try desk.query(
            "SELECT status FROM meetings_tasks WHERE booking = ?", [booking["booking"]?.stringValue ?? ""])
        #expect(statuses.allSatisfy { $0.string("status") == "cancelled" } && !statuses.isEmpty)
        let again = try desk.callError("meetings.cancel", ["booking": booking["booking"] ?? .null, "reason": "x"])
        #expect(again.kind == .invalidState)
        #expect(GlossaryCoverage.isChinese(again.translations["zh"]))
        let free = try desk.book("A-301", "2026-12-10T10:00:00+08:00", "2026-12-10T11:00:00+08:00")
        #expect(free["status"] == "booked", "a cancelled booking is in nobody's way")
    }
}
