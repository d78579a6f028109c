import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// The visitors department in-process (``PluginHarness``): the rule suites in this folder run
/// every call through the daemon's contract code on a temporary SQLite file, with a clock they
/// move by hand. The curfew is a wall time in the process's zone (the daemon's `[daemon]
/// time_zone`), so the tests set the clock by local wall times too: they pass in any zone.
typealias VisitorsHarness = PluginHarness<VisitorsPlugin>

extension PluginHarness where Plugin == VisitorsPlugin {
    /// A visitors desk on a fresh database, its clock at `wall` (local `yyyy-MM-dd HH:mm`); the
    /// caller is operator li.na.
    static func desk(at wall: String = "2026-12-06 19:00", config: [String: JSONValue] = [:]) throws -> VisitorsHarness
    {
        try VisitorsHarness(
            VisitorsPlugin.self, config: .object(config), caller: .operator("li.na"),
            clock: TestClock(now: try local(wall)))
    }

    /// The instant the wall clock of `zone` (default: the process's, the harness's default)
    /// shows `wall` (`2026-12-06 23:00`).
    static func local(_ wall: String, in zone: TimeZone = .current) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return try #require(formatter.date(from: wall), "\(wall) is a local wall time")
    }

    /// Moves the clock to the local wall time `wall`.
    func setClock(_ wall: String) throws { clock.now = try Self.local(wall) }

    /// The params of a registration of 王芳 (passport E12345678) for 陈明 of 3-2-1201, `extra` added.
    static func arrival(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "name": "王芳", "idType": "passport", "idNumber": "E12345678", "hostUnit": "3-2-1201", "hostName": "陈明",
            "purpose": "探亲", "party": 2,
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    /// `visitors.register`; the visit's id.
    @discardableResult
    func register(_ extra: [String: JSONValue] = [:]) throws -> String {
        let visit = try call("visitors.register", Self.arrival(extra))
        return try #require(visit["visit"]?.stringValue)
    }

    /// Registers a visitor and has the host open the door from home; the visit's id.
    @discardableResult
    func admit(_ extra: [String: JSONValue] = [:]) throws -> String {
        let visit = try register(extra)
        try call(
            "visitors.contact",
            ["visit": .string(visit), "channel": "intercom", "result": "accepted", "doorOpenedBy": "host_opened"])
        return visit
    }

    /// The stored status of `visit` (read from the table, so that a refused call is seen to
    /// have changed nothing).
    func status(of visit: String) throws -> String? {
        try query("SELECT status FROM visitors_visits WHERE visit = ?", [visit]).first?.string("status")
    }
}
