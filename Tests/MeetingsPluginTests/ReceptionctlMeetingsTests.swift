import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The clerk's side through receptionctl: times typed as the clerk says them (`tomorrow 14:00`,
/// in the daemon's zone), the agenda printed as a readable page, fees in yuan.
@Suite("meetings: receptionctl at the counter", .timeLimit(.minutes(2)))
struct ReceptionctlMeetingsTests {
    @Test(
        "`meetings book --start 'tomorrow 14:00'` books tomorrow at 14:00 in the daemon's zone; `meetings agenda` reads as a page"
    )
    func clerkCommands() throws {
        let daemon = try MeetingsCounter.start()
        let admin = try daemon.counter()
        try admin.call("meetings.rooms.define", MeetingsCounter.boardroom)

        let booked = try MeetingsCounter.ctl(
            daemon,
            [
                "meetings", "book", "--room", "R301", "--title", "年度战略发布会", "--organiser", "华信科技有限公司",
                "--contact", "周敏", "--phone", "13800138000", "--start", "tomorrow 14:00", "--end", "tomorrow 16:00",
                "--attendees", "16", "--class", "major", "--av", "--json",
            ])
        #expect(booked.status == 0, "\(booked)")
        let reply = try JSONValue.parse(booked.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let booking = try #require(reply["bookings"]?.arrayValue?.first, "\(reply)")
        #expect(
            booking["start"]?.stringValue.flatMap(Timestamp.parse) == Timestamp.parse(MeetingsCounter.at(1, "14:00")),
            "tomorrow 14:00 in Asia/Shanghai: \(booking)")
        #expect(booking["end"]?.stringValue.flatMap(Timestamp.parse) == Timestamp.parse(MeetingsCounter.at(1, "16:00")))
        #expect(booking["class"] == "major" && booking["av"] == true, "\(booking)")
        let id = try #require(booking["booking"]?.stringValue)

        let agenda = try MeetingsCounter.ctl(daemon, ["meetings", "agenda", "--date", "tomorrow"])
        #expect(agenda.status == 0, "\(agenda)")
        let page = agenda.stdout
        #expect(page.contains("301 董事会议室") || page.contains("R301"), "the room, by name:\n\(page)")
        #expect(page.contains(id) && page.contains("年度战略发布会") && page.contains("华信科技有限公司"), "\(page)")
        #expect(page.contains("14:00") && page.contains("16:00"), "times on the wall clock:\n\(page)")
        #expect(!page.contains("{") && !page.contains("+08:00"), "a page, not JSON or raw ISO times:\n\(page)")

        // A typed time the reader does not know is refused before anything is sent.
        let wrong = try MeetingsCounter.ctl(
            daemon,
            [
                "meetings", "book", "--room", "R301", "--title", "x", "--organiser", "x", "--contact", "x",
                "--start", "tomorow 14:00", "--end", "tomorrow 15:00", "--attendees", "2", "--class", "routine",
            ])
        #expect(wrong.status != 0 && wrong.stderr.contains("--start"), "\(wrong)")
        let agendaAfter = try admin.call("meetings.agenda", ["date": .string(MeetingsCounter.day(1))])
        let count = agendaAfter["rooms"]?.arrayValue?.reduce(0) { $0 + ($1["bookings"]?.arrayValue?.count ?? 0) }
        #expect(count == 1, "\(agendaAfter)")
        try daemon.stop()
    }
}
