import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// Days, opening hours and repeats follow the property's zone on the wall clock, also on the day
/// a daylight-saving change takes an hour away (Europe/Berlin, Sunday 2027-03-28, 02:00 → 03:00).
@Suite("meetings rules: a daylight-saving day")
struct DaylightSavingRulesTests {
    @Test(
        "on the 23-hour day, 08:00 opening is 08:00 summer time, tasks keep wall-clock times, and the agenda holds the day"
    )
    func springForward() throws {
        let desk = try MeetingsHarness.meetings(zone: "Europe/Berlin", now: "2027-03-20T10:00:00+01:00")
        let tooEarly = try desk.callError(
            "meetings.book", MeetingsHarness.booking("A-301", "2027-03-28T07:30:00+02:00", "2027-03-28T09:00:00+02:00"))
        #expect(tooEarly.details["rule"] == "opening_hours", "07:30 summer time is before the 08:00 opening")
        let opening = try desk.book(
            "A-301", "2027-03-28T06:00:00Z", "2027-03-28T07:00:00Z", ["class": "major"])
        #expect(opening["start"] == "2027-03-28T08:00:00.000+02:00", "08:00 on the wall clock, summer time")
        let dues = try desk.dues(of: opening["booking"])
        #expect(dues["materials"] == "2027-03-27T08:00:00.000+01:00", "a day before on the wall clock, winter time")
        #expect(dues["setup"] == "2027-03-27T18:00:00.000+01:00")
        #expect(dues["tea"] == "2027-03-28T07:45:00.000+02:00")
        #expect(
            try desk.query("SELECT due_at FROM meetings_tasks WHERE task = 'OPEN-20270328'").first?.string("due_at")
                == "2027-03-28T08:00:00.000+02:00")
        let late = try desk.book("A-301", "2027-03-28T21:00:00+02:00", "2027-03-28T22:00:00+02:00")
        #expect(late["status"] == "booked", "the room closes at 22:00 summer time")
        let agenda = try desk.call("meetings.agenda", ["date": "2027-03-28"])
        let starts = agenda["rooms"]?.arrayValue?.first?["bookings"]?.arrayValue?.compactMap {
            $0["start"]?.stringValue
        }
        #expect(starts == ["2027-03-28T08:00:00.000+02:00", "2027-03-28T21:00:00.000+02:00"])
        #expect(try desk.call("meetings.agenda", ["date": "2027-03-29"])["rooms"]?.arrayValue?.first?["bookings"] == [])
    }

    @Test("a weekly meeting at 09:00 stays at 09:00 across the change")
    func weeklyAcrossTheChange() throws {
        let desk = try MeetingsHarness.meetings(zone: "Europe/Berlin", now: "2027-03-20T10:00:00+01:00")
        let reply = try desk.call(
            "meetings.book",
            MeetingsHarness.booking(
                "A-301", "2027-03-21T09:00:00+01:00", "2027-03-21T10:00:00+01:00",
                ["repeat": ["every": "week", "count": 2]]))
        #expect(
            reply["bookings"]?.arrayValue?.compactMap { $0["start"]?.stringValue } == [
                "2027-03-21T09:00:00.000+01:00", "2027-03-28T09:00:00.000+02:00",
            ])
    }

    @Test(
        "on the 25-hour day (Sunday 2027-10-31, 03:00 → 02:00) times keep the wall clock in winter time, the day before in summer time"
    )
    func fallBack() throws {
        let desk = try MeetingsHarness.meetings(zone: "Europe/Berlin", now: "2027-10-20T10:00:00+02:00")
        let morning = try desk.book(
            "A-301", "2027-10-31T08:00:00+01:00", "2027-10-31T09:00:00+01:00", ["class": "major"])
        #expect(morning["start"] == "2027-10-31T08:00:00.000+01:00", "08:00 on the wall clock, winter time")
        let dues = try desk.dues(of: morning["booking"])
        #expect(dues["tea"] == "2027-10-31T07:45:00.000+01:00")
        #expect(dues["materials"] == "2027-10-30T08:00:00.000+02:00", "a day before on the wall clock, summer time")
        #expect(
            try desk.query("SELECT due_at FROM meetings_tasks WHERE task = 'OPEN-20271031'").first?.string("due_at")
                == "2027-10-31T08:00:00.000+01:00")
        let evening = try desk.book("A-301", "2027-10-31T21:00:00+01:00", "2027-10-31T22:00:00+01:00")
        #expect(evening["status"] == "booked", "the room closes at 22:00 winter time")
        let agenda = try desk.call("meetings.agenda", ["date": "2027-10-31"])
        let starts = agenda["rooms"]?.arrayValue?.first?["bookings"]?.arrayValue?.compactMap {
            $0["start"]?.stringValue
        }
        #expect(
            starts == ["2027-10-31T08:00:00.000+01:00", "2027-10-31T21:00:00.000+01:00"], "the longer day holds both")

        let weekly = try desk.call(
            "meetings.book",
            MeetingsHarness.booking(
                "A-301", "2027-10-24T11:00:00+02:00", "2027-10-24T12:00:00+02:00",
                ["repeat": ["every": "week", "count": 2]]))
        #expect(
            weekly["bookings"]?.arrayValue?.compactMap { $0["start"]?.stringValue } == [
                "2027-10-24T11:00:00.000+02:00", "2027-10-31T11:00:00.000+01:00",
            ], "a weekly 11:00 stays at 11:00 across the change")
    }
}
