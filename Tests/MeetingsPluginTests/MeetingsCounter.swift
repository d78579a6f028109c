import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the meetings plugin, and what the socket tests' desk does often: define
/// the rooms, book, read the day's agenda and task list.
enum MeetingsCounter {
    /// The plugin directory of a meetings daemon.
    static let plugins: [String: TestDaemon.PluginFile] = ["meetings": .product("libreceptiond-meetings.so")]
    /// The daemon's time zone: opening hours, agenda days and booking numbers follow it.
    static let timeZone = "Asia/Shanghai"
    /// The built receptionctl.
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Starts a daemon with the meetings plugin in `timeZone`.
    static func start(config: String? = nil) throws -> TestDaemon {
        let daemon = try TestDaemon(config: config, plugins: plugins, environment: ["TZ": timeZone])
        try daemon.start()
        return daemon
    }

    /// Runs receptionctl against `daemon` as clerk li.na at desk-1.
    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            receptionctl, ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments)
    }

    /// The calendar of the daemon's zone.
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .current
        return calendar
    }

    /// The day `offset` days from today in the daemon's zone, as `YYYY-MM-DD`.
    static func day(_ offset: Int) -> String {
        day(of: calendar.date(byAdding: .day, value: offset, to: Date()) ?? Date())
    }

    /// The day of `date` in the daemon's zone, as `YYYY-MM-DD`.
    static func day(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `time` (`HH:MM`) on the day `offset` days from today, ISO 8601 with the zone's offset
    /// (Asia/Shanghai keeps +08:00 all year).
    static func at(_ offset: Int, _ time: String) -> String {
        "\(day(offset))T\(time):00+08:00"
    }

    /// Opening hours of every weekday, `open` to `close`.
    static func everyDay(_ open: String, _ close: String) -> JSONValue {
        var hours: [String: JSONValue] = [:]
        for weekday in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            hours[weekday] = [.string(open), .string(close)]
        }
        return .object(hours)
    }

    /// `meetings.rooms.define` params: the 3rd-floor boardroom with projector and audio at ¥200
    /// an hour, and the small 5th-floor room without AV at ¥80.
    static let boardroom: JSONValue = [
        "room": "R301", "name": "301 董事会议室", "floor": 3, "capacity": 20,
        "equipment": ["projector", "audio"], "hourlyFee": 20_000, "hours": everyDay("08:00", "22:00"),
    ]

    /// See ``boardroom``.
    static let smallRoom: JSONValue = [
        "room": "R502", "name": "502 小会议室", "floor": 5, "capacity": 6, "equipment": [],
        "hourlyFee": 8_000, "hours": everyDay("08:00", "22:00"),
    ]

    /// `meetings.book` params for a meeting in `room` from `start` to `end`; `extra` adds or
    /// replaces members.
    static func booking(
        room: String, start: String, end: String, attendees: Int = 8, meetingClass: String = "routine",
        av: Bool = false, extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "room": .string(room), "title": "季度经营分析会", "organiser": "华信科技有限公司", "contact": "周敏",
            "phone": "13800138000", "start": .string(start), "end": .string(end), "attendees": .int(Int64(attendees)),
            "class": .string(meetingClass), "av": .bool(av),
        ]
        for (key, value) in extra { params[key] = value }
        return .object(params)
    }
}

extension JSONValue {
    /// A money member in fen (`-1` when absent, so a comparison with a real amount fails).
    func meetingFen(_ member: String) -> Int64 { self[member]?.intValue ?? -1 }

    /// The booking of a reply: its `booking` member when that is a record, else the reply itself
    /// (a booking's own `booking` member is its id).
    var meetingBooking: JSONValue {
        if let inner = self["booking"], inner.objectValue != nil { return inner }
        return self
    }
}

extension RPCConnection {
    /// `meetings.book`; returns the reply (`bookings`, `tasks`).
    @discardableResult
    func book(_ params: JSONValue) throws -> JSONValue {
        try call("meetings.book", params)
    }

    /// `meetings.get` of one booking.
    func meeting(_ id: String) throws -> JSONValue {
        try call("meetings.get", ["booking": .string(id)]).meetingBooking
    }

    /// The tasks of `booking` on `date`'s list.
    func tasks(on date: String, of booking: String) throws -> [JSONValue] {
        let list = try call("meetings.tasks", ["date": .string(date)])["tasks"]?.arrayValue ?? []
        return list.filter { $0["booking"]?.stringValue == booking }
    }
}
