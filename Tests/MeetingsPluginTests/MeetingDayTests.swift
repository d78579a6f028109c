import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A major meeting from booking to payment through the real daemon and socket, as protocol.md
/// tells it: the rooms defined, the booking with AV and its preparation tasks, the morning
/// agenda and task list, the room closed once the setup is done, check-in, a tea refill and the
/// end, the fee settled with extras, the invoice chased on the unpaid list until it is paid.
@Suite("meetings: a meeting from booking to payment over the socket", .timeLimit(.minutes(2)))
struct MeetingDayTests {
    @Test(
        "Rooms defined; a major meeting with AV booked for tomorrow 14:00 has its eight tasks at their due times; its setup done closes the room"
    )
    func bookAMajorMeeting() throws {
        let daemon = try MeetingsCounter.start()
        let desk = try daemon.counter()
        try desk.call("meetings.rooms.define", MeetingsCounter.boardroom)
        try desk.call("meetings.rooms.define", MeetingsCounter.smallRoom)
        let rooms = try #require(try desk.call("meetings.rooms.list")["rooms"]?.arrayValue)
        #expect(rooms.compactMap { $0["room"]?.stringValue }.sorted() == ["R301", "R502"], "\(rooms)")
        let boardroom = try #require(rooms.first { $0["room"] == "R301" })
        #expect(boardroom["equipment"] == ["audio", "projector"] || boardroom["equipment"] == ["projector", "audio"])
        #expect(boardroom["hourlyFee"] == 20_000 && boardroom["status"] == "active", "\(boardroom)")
        #expect(boardroom["hours"]?["mon"] == ["08:00", "22:00"], "\(boardroom)")

        let start = MeetingsCounter.at(1, "14:00")
        let end = MeetingsCounter.at(1, "16:00")
        // Which rooms fit 16 people with a projector tomorrow afternoon: only the boardroom.
        let free = try desk.call(
            "meetings.rooms.free",
            ["from": .string(start), "to": .string(end), "attendees": 16, "equipment": ["projector"]])
        #expect(free["rooms"]?.arrayValue?.compactMap { $0["room"]?.stringValue } == ["R301"], "\(free)")

        let beforeBooking = Date()
        let reply = try desk.book(
            MeetingsCounter.booking(
                room: "R301", start: start, end: end, attendees: 16, meetingClass: "major", av: true,
                extra: ["notes": "需要横幅：2026年度战略发布会"]))
        let bookings = try #require(reply["bookings"]?.arrayValue)
        #expect(bookings.count == 1, "\(reply)")
        let booking = try #require(bookings.first)
        let id = try #require(booking["booking"]?.stringValue)
        #expect(id.contains(#/^MT\d{8}-\d{4}$/#), "\(id)")
        #expect(booking["status"] == "booked" && booking["class"] == "major" && booking["av"] == true, "\(booking)")
        #expect(booking["series"] == .null && booking["fee"] == .null && booking["invoice"] == .null, "\(booking)")
        #expect(booking["contact"] == "周敏" && booking["attendees"] == 16, "\(booking)")

        // The tasks a major meeting with AV makes, each at its due time, and tomorrow's first
        // booking opens the day (open_rooms at 08:00, no booking).
        let made = try #require(reply["tasks"]?.arrayValue)
        let tasks = made.filter { $0["booking"]?.stringValue == id }
        let opening = made.filter { $0["kind"] == "open_rooms" }
        #expect(opening.count == 1 && opening.first?["booking"] == .null, "\(made)")
        #expect(
            opening.first?["due"]?.stringValue.flatMap(Timestamp.parse)
                == Timestamp.parse(MeetingsCounter.at(1, "08:00")),
            "\(opening)")
        #expect(made.count == tasks.count + opening.count, "\(made)")
        let due = Dictionary(
            tasks.compactMap { task -> (String, Date)? in
                guard let kind = task["kind"]?.stringValue, let when = task["due"]?.stringValue.flatMap(Timestamp.parse)
                else { return nil }
                return (kind, when)
            }, uniquingKeysWith: { first, _ in first })
        let startDate = try #require(Timestamp.parse(start))
        let endDate = try #require(Timestamp.parse(end))
        #expect(
            Set(due.keys) == [
                "tea", "room_check", "av_sheet", "av_check", "materials", "setup", "staff_on_site", "reset",
            ],
            "\(tasks)")
        #expect(due["tea"] == startDate - 15 * 60 && due["room_check"] == startDate - 15 * 60)
        #expect(due["av_check"] == startDate - 30 * 60 && due["staff_on_site"] == startDate - 30 * 60)
        #expect(due["materials"] == startDate - 86_400)
        #expect(
            due["reset"] == endDate + 30 * 60, "the room is reset after the end: \(String(describing: due["reset"]))")
        let sheet = try #require(due["av_sheet"])
        #expect(
            sheet >= beforeBooking + 4 * 60 && sheet <= Date() + 5 * 60 + 1,
            "the AV sheet goes out within 5 minutes of the booking: \(sheet)")
        // Setup is on the day before (today, in the daemon's zone), by 18:00.
        let setup = try #require(tasks.first { $0["kind"] == "setup" })
        #expect(
            setup["due"]?.stringValue.flatMap(Timestamp.parse) == Timestamp.parse(MeetingsCounter.at(0, "18:00")),
            "\(setup)")
        #expect(tasks.allSatisfy { $0["status"] == "open" && $0["booking"]?.stringValue == id }, "\(tasks)")
        #expect(tasks.first { $0["kind"] == "av_check" }?["team"] == "av")

        // The rules on the way in: each names its field.
        let noAV = try desk.callError(
            "meetings.book", MeetingsCounter.booking(room: "R502", start: start, end: end, attendees: 4, av: true))
        #expect(noAV?.kind == .validation && noAV?.field == "av", "\(String(describing: noAV))")
        let crowded = try desk.callError(
            "meetings.book", MeetingsCounter.booking(room: "R502", start: start, end: end, attendees: 7))
        #expect(crowded?.kind == .validation && crowded?.field == "attendees", "\(String(describing: crowded))")
        let late = try desk.callError(
            "meetings.book",
            MeetingsCounter.booking(
                room: "R502", start: MeetingsCounter.at(1, "21:30"), end: MeetingsCounter.at(1, "22:30"), attendees: 4))
        #expect(
            late?.kind == .validation && late?.details["rule"] == "opening_hours",
            "22:30 is after the room closes: \(String(describing: late))")
        let backwards = try desk.callError(
            "meetings.book", MeetingsCounter.booking(room: "R502", start: end, end: start, attendees: 4))
        #expect(backwards?.kind == .validation && backwards?.field == "end", "\(String(describing: backwards))")
        // Back to back is fine; a minute of overlap is not.
        let next = try desk.book(
            MeetingsCounter.booking(room: "R301", start: end, end: MeetingsCounter.at(1, "17:00")))
        #expect(next["bookings"]?.arrayValue?.first?["status"] == "booked", "\(next)")
        let overlap = try desk.callError(
            "meetings.book",
            MeetingsCounter.booking(
                room: "R301", start: MeetingsCounter.at(1, "15:59"), end: MeetingsCounter.at(1, "16:30")))
        #expect(overlap?.kind == .conflict, "\(String(describing: overlap))")
        #expect(
            overlap?.details["clashes"]?.arrayValue?.first?["booking"]?.stringValue == id,
            "\(String(describing: overlap))")

        // The morning agenda: tomorrow, per room, in time order.
        let agenda = try desk.call("meetings.agenda", ["date": .string(MeetingsCounter.day(1))])
        #expect(agenda["date"]?.stringValue == MeetingsCounter.day(1))
        let r301 = try #require(agenda["rooms"]?.arrayValue?.first { $0["room"] == "R301" }, "\(agenda)")
        #expect(r301["name"] == "301 董事会议室")
        let ids = (r301["bookings"]?.arrayValue ?? []).compactMap { $0["booking"]?.stringValue }
        #expect(ids.count == 2 && ids.first == id, "in time order: \(ids)")

        // The task list: tomorrow's for the AV team, and today's (the setup, the materials, the sheet).
        let avTomorrow = try #require(
            try desk.call("meetings.tasks", ["date": .string(MeetingsCounter.day(1)), "team": "av"])["tasks"]?
                .arrayValue)
        #expect(avTomorrow.map { $0["kind"] } == ["av_check"], "\(avTomorrow)")
        let today = try desk.tasks(on: MeetingsCounter.day(0), of: id).compactMap { $0["kind"]?.stringValue }
        #expect(Set(today).isSuperset(of: ["setup", "av_sheet", "materials"]), "\(today)")
        let sheetTask = try #require(tasks.first { $0["kind"] == "av_sheet" }?["task"])
        let done = try desk.call("meetings.tasks.done", ["task": sheetTask, "note": "已发给张工"])
        #expect(done["status"] == "done" && done["doneBy"] == "li.na" && done["note"] == "已发给张工", "\(done)")
        #expect(done["doneAt"]?.stringValue != nil && done["overdue"] == false, "\(done)")

        // The setup done, the boardroom is closed to others until the meeting ends: the reply
        // names no booking to move (16:00 is after the end), and a morning booking is refused.
        let setupTask = try #require(tasks.first { $0["kind"] == "setup" }?["task"])
        let ready = try desk.call("meetings.tasks.done", ["task": setupTask, "note": "横幅已挂"])
        #expect(ready["status"] == "done" && ready["closing"] == [], "\(ready)")
        #expect(try desk.meeting(id)["closedFrom"]?.stringValue != nil)
        let closed = try desk.callError(
            "meetings.book",
            MeetingsCounter.booking(
                room: "R301", start: MeetingsCounter.at(1, "10:00"), end: MeetingsCounter.at(1, "11:00")))
        #expect(
            closed?.kind == .conflict && closed?.details["rule"] == "room_closed"
                && closed?.details["clashes"]?.arrayValue?.first?["booking"]?.stringValue == id,
            "\(String(describing: closed))")
        try daemon.stop()
    }

    @Test(
        "Check-in, a tea refill done and the next one due, end, settle with extras and the organiser's signature, invoice; unpaid with its age until paid"
    )
    func settleAndChase() throws {
        let daemon = try MeetingsCounter.start()
        let desk = try daemon.counter()
        try desk.call("meetings.rooms.define", MeetingsCounter.smallRoom)
        let reply = try desk.book(
            MeetingsCounter.booking(
                room: "R502", start: MeetingsCounter.at(1, "10:00"), end: MeetingsCounter.at(1, "12:00"), attendees: 5))
        let id = try #require(reply["bookings"]?.arrayValue?.first?["booking"]?.stringValue, "\(reply)")

        // Settling before the meeting has ended is refused, naming the state.
        let early = try desk.callError(
            "meetings.settle", ["booking": .string(id), "extras": [], "signedBy": "周敏"])
        #expect(early?.kind == .invalidState && early?.details["status"] == "booked", "\(String(describing: early))")

        let started = try desk.call("meetings.checkin", ["booking": .string(id)]).meetingBooking
        #expect(started["status"] == "in_progress" && started["startedAt"]?.stringValue != nil, "\(started)")

        // While it runs the desk refills the tea: the first refill is due 20 minutes (the default
        // tea_refill_minutes) after the actual start; marking it done makes the next, due 20
        // minutes after that, on the day's task list.
        let startedAt = try #require(started["startedAt"]?.stringValue.flatMap(Timestamp.parse))
        let refill = try desk.call("meetings.tasks.done", ["task": .string("\(id)/tea_refill-1"), "note": "续水"])
        #expect(refill["kind"] == "tea_refill" && refill["status"] == "done" && refill["team"] == "front_desk")
        #expect(refill["due"]?.stringValue.flatMap(Timestamp.parse) == startedAt + 20 * 60, "\(refill)")
        let refilledAt = try #require(refill["doneAt"]?.stringValue.flatMap(Timestamp.parse), "\(refill)")
        let nextDay = MeetingsCounter.day(of: refilledAt + 20 * 60)
        let next = try #require(
            try desk.tasks(on: nextDay, of: id).first { $0["task"] == .string("\(id)/tea_refill-2") }, "on \(nextDay)")
        let nextDue = try #require(next["due"]?.stringValue.flatMap(Timestamp.parse))
        #expect(abs(nextDue.timeIntervalSince(refilledAt) - 20 * 60) < 0.002, "\(next) after \(refill)")
        #expect(next["status"] == "open" && next["overdue"] == false, "\(next)")
        // At least a few milliseconds used, so that the stored times and their ISO text (rounded to
        // the millisecond) agree that a minute was started.
        Thread.sleep(forTimeInterval: 0.01)
        let ended = try desk.call("meetings.end", ["booking": .string(id)]).meetingBooking
        #expect(ended["status"] == "ended" && ended["endedAt"]?.stringValue != nil, "\(ended)")
        let again = try desk.callError("meetings.end", ["booking": .string(id)])
        #expect(again?.kind == .invalidState, "\(String(describing: again))")
        // The end cancels the refill still open.
        let lateRefill = try desk.callError("meetings.tasks.done", ["task": .string("\(id)/tea_refill-2")])
        #expect(
            lateRefill?.kind == .invalidState && lateRefill?.details["status"] == "cancelled",
            "\(String(describing: lateRefill))")

        // The organiser's contact signs; the extras come on top of the room's hours.
        let unsigned = try desk.callError(
            "meetings.settle", ["booking": .string(id), "extras": [], "signedBy": "王五"])
        #expect(unsigned?.kind == .validation && unsigned?.field == "signedBy", "\(String(describing: unsigned))")
        let settled = try desk.call(
            "meetings.settle",
            [
                "booking": .string(id), "signedBy": "周敏",
                "extras": [["item": "茶歇", "amount": 30_000], ["item": "横幅", "amount": 20_000]],
            ]
        ).meetingBooking
        let fee = try #require(settled["fee"], "\(settled)")
        let lines = try #require(fee["lines"]?.arrayValue)
        #expect(lines.count == 3, "\(fee)")
        // The room from the actual check-in to the actual end (a started minute counts), not the
        // two hours booked.
        let room = try #require(lines.first, "the room's hours come first")
        #expect(room.meetingFen("unitPrice") == 8_000, "at the room's hourly fee: \(room)")
        let actualStart = try #require(ended["startedAt"]?.stringValue.flatMap(Timestamp.parse))
        let actualEnd = try #require(ended["endedAt"]?.stringValue.flatMap(Timestamp.parse))
        let minutes = Int64((actualEnd.timeIntervalSince(actualStart) * 1000).rounded() + 59_999) / 60_000
        #expect(room.meetingFen("amount") == (minutes * 8_000 + 59) / 60, "\(minutes) minutes used: \(room)")
        let extras = lines.dropFirst().map { ($0["item"]?.stringValue ?? "", $0.meetingFen("amount")) }
        #expect(extras.map(\.0) == ["茶歇", "横幅"] && extras.map(\.1) == [30_000, 20_000], "\(lines)")
        #expect(fee.meetingFen("total") == lines.reduce(0) { $0 + $1.meetingFen("amount") }, "\(fee)")
        #expect(fee["signedBy"] == "周敏" && fee["settledAt"]?.stringValue != nil, "\(fee)")
        // A meeting is settled once.
        let twice = try desk.callError(
            "meetings.settle", ["booking": .string(id), "extras": [], "signedBy": "周敏"])
        #expect(twice?.kind == .invalidState, "\(String(describing: twice))")

        // Invoiced; on the follow-up list, age 0 days, until the money arrives.
        let invoiced = try desk.call("meetings.invoice", ["booking": .string(id), "invoice": "44031188"]).meetingBooking
        #expect(invoiced["invoice"] == "44031188", "\(invoiced)")
        let unpaid = try #require(try desk.call("meetings.unpaid")["bookings"]?.arrayValue)
        let chased = try #require(unpaid.first { $0["booking"]?.stringValue == id }, "\(unpaid)")
        #expect(chased["ageDays"] == 0 && chased["invoice"] == "44031188", "\(chased)")
        #expect(chased["fee"]?.meetingFen("total") == fee.meetingFen("total"), "\(chased)")
        let paid = try desk.call("meetings.paid", ["booking": .string(id)]).meetingBooking
        #expect(paid["paidAt"]?.stringValue != nil, "\(paid)")
        let after = try desk.call("meetings.unpaid")["bookings"]?.arrayValue ?? []
        #expect(!after.contains { $0["booking"]?.stringValue == id }, "\(after)")
        let paidTwice = try desk.callError("meetings.paid", ["booking": .string(id)])
        #expect(paidTwice?.kind == .invalidState, "\(String(describing: paidTwice))")
        let stored = try desk.meeting(id)
        #expect(stored["fee"] == fee && stored["invoice"] == "44031188" && stored["paidAt"] == paid["paidAt"])
        try daemon.stop()
    }
}
