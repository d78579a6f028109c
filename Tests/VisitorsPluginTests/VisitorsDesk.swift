import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the visitors plugin (and the access plugin when a test needs its key
/// register), and what the socket tests' desk does often: register a visitor, reach the host,
/// read the events.
///
/// The daemon runs in a fixed-offset zone in which it is about 20:00 now, whatever time the suite
/// runs: visitors registered now are held to today's curfew (23:00 by default, still ahead), and
/// their night is today's, so every date and time the tests expect is computed, never assumed.
enum VisitorsDesk {
    /// The visitors plugin alone.
    static let visitorsOnly: [String: TestDaemon.PluginFile] = ["visitors": .product("libreceptiond-visitors.so")]
    /// The visitors plugin with the access plugin, whose key register takes the keys residents
    /// leave for visitors.
    static let withAccess: [String: TestDaemon.PluginFile] = [
        "visitors": .product("libreceptiond-visitors.so"), "access": .product("libreceptiond-access.so"),
    ]
    /// The built receptionctl.
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// A whole-hour zone (`Etc/GMT-N` is UTC+N: POSIX reverses the sign) and its offset.
    struct Zone: Sendable {
        /// The tz database name, for `[daemon] time_zone`.
        let name: String
        /// Hours east of UTC.
        let offsetHours: Int

        /// The zone as Foundation's.
        var timeZone: TimeZone { TimeZone(secondsFromGMT: offsetHours * 3600) ?? .current }

        /// The calendar of the zone.
        var calendar: Calendar {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            return calendar
        }

        /// The day `offset` days from today in the zone, as `YYYY-MM-DD`.
        func day(_ offset: Int = 0) -> String {
            let date = calendar.date(byAdding: .day, value: offset, to: Date()) ?? Date()
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        }

        /// The instant the zone's wall clock shows `minutes` after midnight today.
        func today(minutes: Int) -> Date {
            let midnight = calendar.startOfDay(for: Date())
            return midnight.addingTimeInterval(Double(minutes) * 60)
        }
    }

    /// The zone in which the wall clock shows `hour` o'clock now (20:00 by default).
    static func zone(atHour hour: Int = 20) -> Zone {
        let utcHour =
            Calendar(identifier: .gregorian).dateComponents(in: TimeZone(secondsFromGMT: 0) ?? .current, from: Date())
            .hour ?? 0
        var offset = hour - utcHour
        if offset > 14 { offset -= 24 }
        if offset < -12 { offset += 24 }
        let name = offset == 0 ? "Etc/UTC" : "Etc/GMT\(offset > 0 ? "-" : "+")\(abs(offset))"
        return Zone(name: name, offsetHours: offset)
    }

    /// The config of a daemon in `zone`, with `visitors` as the `[plugins.visitors]` section's lines.
    static func config(zone: Zone, visitors: [String] = []) -> String {
        var text = "[daemon]\ntime_zone = \"\(zone.name)\"\n"
        if !visitors.isEmpty { text += "\n[plugins.visitors]\n" + visitors.joined(separator: "\n") + "\n" }
        return text
    }

    /// Starts a daemon with `plugins` in `zone` (about 20:00 now), `visitors` in its
    /// `[plugins.visitors]` section.
    static func start(
        plugins: [String: TestDaemon.PluginFile] = visitorsOnly, zone: Zone, visitors: [String] = []
    ) throws -> TestDaemon {
        let daemon = try TestDaemon(config: config(zone: zone, visitors: visitors), plugins: plugins)
        try daemon.start()
        return daemon
    }

    /// Runs receptionctl against `daemon` as clerk li.na at desk-1, in the language of `locale`.
    static func ctl(_ daemon: TestDaemon, locale: String = "C.UTF-8", _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            receptionctl,
            ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments,
            environment: ChildProcess.cleanEnvironment(overrides: ["LANG": locale, "COLUMNS": "160"]))
    }

    /// `visitors.register` params: `name` with `idType`/`idNumber` for `hostName` of `hostUnit`;
    /// `extra` adds or replaces params.
    static func arrival(
        _ name: String, idType: String, idNumber: String, hostUnit: String, hostName: String,
        extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "name": .string(name), "idType": .string(idType), "idNumber": .string(idNumber),
            "hostUnit": .string(hostUnit), "hostName": .string(hostName),
        ]
        for (key, value) in extra { params[key] = value }
        return .object(params)
    }

    /// The visit's id shape: `V`, the day, its number of the day.
    static var visitShape: Regex<Substring> { #/^V\d{8}-\d{4}$/# }
}

extension RPCConnection {
    /// `visitors.register`; the visit.
    @discardableResult
    func register(_ params: JSONValue) throws -> JSONValue {
        try call("visitors.register", params)
    }

    /// One attempt to reach the host of `visit`; the visit.
    @discardableResult
    func contact(_ visit: String, _ channel: String, _ result: String, door: String? = nil) throws -> JSONValue {
        var params: [String: JSONValue] = [
            "visit": .string(visit), "channel": .string(channel), "result": .string(result),
        ]
        if let door { params["doorOpenedBy"] = .string(door) }
        return try call("visitors.contact", .object(params))
    }

    /// Registers a visitor whom the host lets in from home at the intercom; the visit's id.
    func admit(_ params: JSONValue) throws -> String {
        let visit = try register(params)["visit"]?.stringValue ?? ""
        try contact(visit, "intercom", "accepted", door: "host_opened")
        return visit
    }

    /// Subscribes to `topics` (prefixes on whole segments).
    func subscribe(_ topics: [String]) throws {
        try call("events.subscribe", ["topics": .array(topics.map { .string($0) })])
    }

    /// The next `event` notification's params (`topic`, `seq`, `time`, `data`).
    func nextEvent(timeout: Duration = .seconds(15)) throws -> JSONValue {
        while true {
            guard let message = try nextNotification(timeout: timeout) else {
                throw TestDaemonError("the daemon closed the connection before the next event")
            }
            if message["method"] == "event", let params = message["params"] { return params }
        }
    }

    /// Every event that arrives until none has for `quiet`.
    func drainEvents(quiet: Duration = .milliseconds(500)) throws -> [JSONValue] {
        var events: [JSONValue] = []
        while true {
            do {
                events.append(try nextEvent(timeout: quiet))
            } catch ClientError.timeout {
                return events
            }
        }
    }

    /// The visits of a `{"visits"}` reply of `method`.
    func visits(_ method: String, _ params: JSONValue = [:]) throws -> [JSONValue] {
        try call(method, params)["visits"]?.arrayValue ?? []
    }
}

/// Checks that `error` is a rule violation: `validation` (-32007) naming `field`, with `error.data.rule`.
func expectViolation(
    _ error: RPCError?, field: String, rule: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(error?.kind == .validation, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.code == -32007, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.field == field, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.details["rule"] == .string(rule), "\(String(describing: error))", sourceLocation: sourceLocation)
}
