import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// The meetings department in-process (``PluginHarness``): the rule suites in this folder run
/// every call through the daemon's contract code on a temporary SQLite file, with a clock they
/// move by hand. The property's zone is the harness's `timeZone` (the daemon's `[daemon]
/// time_zone`), Shanghai unless a test needs one with daylight saving.
typealias MeetingsHarness = PluginHarness<MeetingsPlugin>

extension PluginHarness where Plugin == MeetingsPlugin {
    /// A meetings desk on a fresh database in `zone`, with room A-301 (20 seats, projector and
    /// audio, 200.00 an hour, open 08:00–22:00 every day) and B-105 (8 seats, nothing, 80.00 an
    /// hour, weekdays 09:00–18:00) defined by the admin; the caller is operator li.na.
    static func meetings(
        zone: String = "Asia/Shanghai", config: [String: JSONValue] = [:], now: String = "2026-12-06T10:00:00+08:00"
    ) throws -> MeetingsHarness {
        let clock = TestClock(now: try #require(Timestamp.parse(now)))
        let desk = try MeetingsHarness(
            MeetingsPlugin.self, config: .object(config), caller: .admin("admin"), clock: clock,
            timeZone: try #require(TimeZone(identifier: zone)))
        let everyDay: JSONValue = .object(
            Dictionary(
                uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map {
                    ($0, ["08:00", "22:00"])
                }))
        try desk.call(
            "meetings.rooms.define",
            [
                "room": "A-301", "name": "三楼大会议室", "floor": 3, "capacity": 20, "equipment": ["projector", "audio"],
                "hourlyFee": 20_000, "hours": everyDay,
            ])
        let weekdays: JSONValue = .object(
            Dictionary(uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri"].map { ($0, ["09:00", "18:00"]) }))
        try desk.call(
            "meetings.rooms.define",
            [
                "room": "B-105", "name": "一楼小会议室", "floor": 1, "capacity": 8, "equipment": [], "hourlyFee": 8_000,
                "hours": weekdays,
            ])
        desk.caller = .operator("li.na")
        return desk
    }

    /// The params of a booking of `room` from `start` to `end` (routine, 10 attendees), `extra` added.
    static func booking(
        _ room: String = "A-301", _ start: String, _ end: String, _ extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "room": .string(room), "title": "季度经营分析会", "organiser": "华盛科技有限公司", "contact": "陈经理",
            "phone": "13800000000", "start": .string(start), "end": .string(end), "attendees": 10, "class": "routine",
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    /// `meetings.book` of one meeting; the booking.
    @discardableResult
    func book(
        _ room: String = "A-301", _ start: String, _ end: String, _ extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        let reply = try call("meetings.book", Self.booking(room, start, end, extra))
        return reply["bookings"]?.arrayValue?.first ?? .null
    }

    /// The tasks of `booking` by kind: their due times.
    func dues(of booking: JSONValue?) throws -> [String: String] {
        let rows = try query(
            "SELECT kind, due_at FROM meetings_tasks WHERE booking = ?", [booking?.stringValue ?? ""])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.string("kind") ?? "", $0.string("due_at") ?? "") })
    }

    /// How many bookings are stored.
    func storedBookings() throws -> Int { try query("SELECT id FROM meetings_bookings").count }
}
