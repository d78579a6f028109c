import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The minute job after a restart: the sweep runs as soon as the daemon is ready (the SDK's
/// `started` hook), not only after the department's first write.
@Suite("meetings: the minute job starts with the daemon")
struct MinuteJobTests {
    /// A fixed-offset zone in which it is about noon now, so that a room open 08:00–22:00 is open
    /// and today's 08:00 opening is already late, whatever time the suite runs.
    static func noonZone() -> (name: String, offsetHours: Int) {
        let hour =
            Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: Date())
            .hour ?? 0
        let offset = 12 - hour  // -11...12
        // Etc/GMT-N is UTC+N (the sign is POSIX's, reversed).
        return (offset == 0 ? "Etc/UTC" : "Etc/GMT\(offset > 0 ? "-" : "+")\(abs(offset))", offset)
    }

    @Test("after a restart with no write, the sweep runs at once as the daemon and announces what fell overdue")
    func sweepAtStart() throws {
        let zone = Self.noonZone()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rd-mj-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        let config = "[daemon]\ntime_zone = \"\(zone.name)\"\n"
        let first = try TestDaemon(
            config: config, plugins: MeetingsCounter.plugins, arguments: ["--state-dir", state.path])
        try first.start()
        let admin = try first.connect()
        try admin.call("daemon.hello", ["workstation": "desk-1", "operator": "admin"])
        try admin.call("meetings.rooms.define", MeetingsCounter.boardroom)
        // Today in that zone, two hours from now: today's open_rooms (08:00) exists and is late.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: zone.offsetHours * 3600) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: Date())
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        let offset = String(format: "%@%02d:00", zone.offsetHours < 0 ? "-" : "+", abs(zone.offsetHours))
        let startHour = min((parts.hour ?? 12) + 2, 20)
        let start = String(format: "%@T%02d:00:00%@", day, startHour, offset)
        let end = String(format: "%@T%02d:00:00%@", day, startHour + 1, offset)
        try admin.book(MeetingsCounter.booking(room: "R301", start: start, end: end))
        // The first run's own start sweep (with no rooms yet) is in the audit already.
        let before =
            try admin.call("audit.query", ["method": "meetings.tasks.sweep"])["records"]?.arrayValue?.count ?? 0
        #expect(try first.stop() == 0)

        let second = try TestDaemon(
            config: config, plugins: MeetingsCounter.plugins, arguments: ["--state-dir", state.path])
        try second.start()
        let client = try second.connect()
        // No write on this run: only the daemon's own sweep can appear in the audit.
        var sweeps: [JSONValue] = []
        for _ in 0..<100 {
            sweeps = try client.call("audit.query", ["method": "meetings.tasks.sweep"])["records"]?.arrayValue ?? []
            if sweeps.count > before { break }
            usleep(50_000)
        }
        #expect(sweeps.count == before + 1, "one sweep at start, the next a minute later: \(sweeps)\n\(second.log)")
        #expect(sweeps.allSatisfy { $0["role"] == "system" && $0["outcome"] == "ok" }, "\(sweeps)")
        let tasks = try client.call("meetings.tasks", ["date": .string(day)])["tasks"]?.arrayValue ?? []
        #expect(tasks.contains { $0["kind"] == "open_rooms" && $0["overdue"] == true }, "\(tasks)")
        #expect(try second.stop() == 0)
    }
}
