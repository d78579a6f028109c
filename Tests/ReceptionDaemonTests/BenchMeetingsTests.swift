import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `reception-bench seed` on a meetings daemon: the year of bookings it writes is a calendar the
/// plugin serves as its own, and the `book` and `agenda` workloads drive it.
@Suite("reception-bench self-test: meetings", .timeLimit(.minutes(5)))
struct BenchMeetingsTests {
    @Test(
        "a seeded year of bookings: the rooms, a past day's agenda without overlaps, fees on the unpaid list, and the desk books on"
    )
    func seededCalendar() throws {
        // The seeder and the workloads write times at UTC+8.
        let daemon = try TestDaemon(
            plugins: ["meetings": .product("libreceptiond-meetings.so")], environment: ["TZ": "Asia/Shanghai"])
        let seeded = try BenchSelfTests.bench([
            "seed", "--state-dir", daemon.stateDirectory, "--plugin-dir", daemon.pluginDirectory, "--units", "200",
            "--meetings", "3000",
        ])
        #expect(seeded.status == 0, "\(seeded)")
        let summary = try #require(
            seeded.stdout.split(separator: "\n").first { $0.hasPrefix("meetings: ") }, "\(seeded)")
        #expect(summary.contains(" bookings in 12 rooms ("), "\(summary)")
        try daemon.start()
        let desk = try daemon.counter()

        let rooms = try #require(try desk.call("meetings.rooms.list")["rooms"]?.arrayValue)
        #expect(rooms.count == 12 && rooms.allSatisfy { $0["status"] == "active" }, "\(rooms.count) rooms")

        // A past day: every meeting ended or cancelled, none overlapping another in its room, in
        // time order; every task of the day done or cancelled.
        var seen = 0
        for daysAgo in [30, 31, 32, 33, 34, 35, 36] {
            let day = Self.day(-daysAgo)
            let agenda = try desk.call("meetings.agenda", ["date": .string(day)])
            for room in agenda["rooms"]?.arrayValue ?? [] {
                let bookings = room["bookings"]?.arrayValue ?? []
                seen += bookings.count
                #expect(
                    bookings.allSatisfy { $0["status"] == "ended" || $0["status"] == "cancelled" },
                    "\(day): \(bookings)")
                let active = bookings.filter { $0["status"] != "cancelled" }
                let times = active.compactMap { booking -> (Date, Date)? in
                    guard let start = booking["start"]?.stringValue.flatMap(Timestamp.parse),
                        let end = booking["end"]?.stringValue.flatMap(Timestamp.parse)
                    else { return nil }
                    return (start, end)
                }
                #expect(times.count == active.count)
                for (earlier, later) in zip(times, times.dropFirst()) {
                    #expect(earlier.1 <= later.0, "\(day) \(room["room"] ?? .null): overlapping or out of order")
                }
            }
            let tasks = try desk.call("meetings.tasks", ["date": .string(day)])["tasks"]?.arrayValue ?? []
            #expect(tasks.allSatisfy { $0["status"] != "open" && $0["overdue"] == false }, "\(day)")
            #expect(tasks.contains { $0["kind"] == "open_rooms" }, "every day is opened: \(day)")
        }
        #expect(seen > 20, "a week of a year's 3,000 bookings: \(seen)")

        // The follow-up list: settled, not paid, each fee adding up.
        let unpaid = try #require(try desk.call("meetings.unpaid")["bookings"]?.arrayValue)
        #expect(!unpaid.isEmpty)
        for booking in unpaid {
            let fee = booking["fee"] ?? .null
            let sum = (fee["lines"]?.arrayValue ?? []).reduce(Int64(0)) { $0 + ($1["amount"]?.intValue ?? 0) }
            #expect(fee["total"]?.intValue == sum && sum > 0, "\(booking)")
            #expect(fee["signedBy"] == booking["contact"], "the contact signed: \(booking)")
            #expect((booking["ageDays"]?.intValue ?? -1) >= 0 && booking["paidAt"] == .null, "\(booking)")
        }

        // The plugin sees the seeded rows as its own: a seeded meeting ahead is in the way of a
        // new booking, and the desk's next booking gets a fresh number.
        let ahead = try desk.call("meetings.agenda", ["date": .string(Self.day(7))])
        let taken = try #require(
            ahead["rooms"]?.arrayValue?.lazy.compactMap { room in
                room["bookings"]?.arrayValue?.first { $0["status"] == "booked" }
            }.first, "\(ahead)")
        let clash = try desk.callError(
            "meetings.book",
            [
                "room": taken["room"] ?? .null, "title": "临时加会", "organiser": "工程部", "contact": "王芳",
                "start": taken["start"] ?? .null, "end": taken["end"] ?? .null, "attendees": 2, "class": "routine",
            ])
        #expect(clash?.kind == .conflict, "\(String(describing: clash))")
        #expect(
            clash?.details["clashes"]?.arrayValue?.first?["booking"] == taken["booking"], "\(String(describing: clash))"
        )

        // The workloads drive it: every booking made (no slot clashes), every agenda answered.
        let book = try BenchSelfTests.runReport(daemon, workload: "book", connections: 3, requests: 60)
        #expect(book["requestsByMethod"]?["meetings.book"] == .int(60), "\(book)")
        let agenda = try BenchSelfTests.runReport(daemon, workload: "agenda", connections: 3, requests: 60)
        #expect(agenda["requestsByMethod"]?["meetings.agenda"] == .int(60), "\(agenda)")
        #expect(try daemon.stop() == 0)
    }

    /// The day `offset` days from today at UTC+8, as `YYYY-MM-DD`.
    static func day(_ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let date = calendar.date(byAdding: .day, value: offset, to: Date()) ?? Date()
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
