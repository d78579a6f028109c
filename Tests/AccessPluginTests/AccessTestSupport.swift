import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the access plugin, and helpers that keep the tests reading like the desk's work.
enum AccessDesk {
    /// The plugin directory of an access daemon.
    static let plugins: [String: TestDaemon.PluginFile] = ["access": .product("libreceptiond-access.so")]
    /// The daemons' time zone: "today" and every date in the tests are computed in it.
    static let timeZone = "Asia/Shanghai"
    /// The built receptionctl.
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Starts a daemon with the access plugin in `timeZone` (and `config`, when given).
    static func start(config: String? = nil, timeZone: String = AccessDesk.timeZone, arguments: [String] = [])
        throws -> TestDaemon
    {
        let daemon = try TestDaemon(
            config: config, plugins: plugins, environment: ["TZ": timeZone], arguments: arguments)
        try daemon.start()
        return daemon
    }

    /// The calendar of the daemon's time zone.
    static func calendar(_ zone: String = timeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .current
        return calendar
    }

    /// `YYYY-MM-DD` of today plus `months`, then `days`, in `zone`.
    static func date(months: Int = 0, days: Int = 0, in zone: String = timeZone) -> String {
        let calendar = calendar(zone)
        var date = Date()
        if months != 0 { date = calendar.date(byAdding: .month, value: months, to: date) ?? date }
        if days != 0 { date = calendar.date(byAdding: .day, value: days, to: date) ?? date }
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// An ISO 8601 time `seconds` from now, with the offset of `zone`.
    static func time(inSeconds seconds: Double, in zone: String = timeZone) -> String {
        Timestamp.format(Date().addingTimeInterval(seconds), timeZone: TimeZone(identifier: zone) ?? .current)
    }

    /// A receipt number: `AC` (or the configured prefix), the date, a sequence number.
    static var receiptShape: Regex<Substring> { #/[A-Z0-9]{1,8}\d{8}-\d{4,}/# }

    /// ISO 8601 with milliseconds and an offset.
    static var isoWithOffset: Regex<(Substring, Substring)> {
        #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})/#
    }

    /// Runs receptionctl against `daemon` as the current user, saying who is at the counter.
    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            receptionctl, ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments)
    }

    /// The JSON a `receptionctl --json` run printed.
    static func json(_ result: CommandResult) throws -> JSONValue {
        try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The operator view: receptionctl run as uid 65534 (see ``OtherUser``).
enum Nobody {
    /// Whether the operator tests can run; prints why not when they cannot.
    static var canRun: Bool { OtherUser.canRun("access operator-view tests") }

    /// Opens the daemon's socket to everyone, as a socket_group would to its members.
    static func openUp(_ daemon: TestDaemon) {
        #expect(OtherUser.openUp(daemon))
    }

    /// Runs receptionctl as uid/gid 65534 without supplementary groups: an operator at desk-2.
    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try OtherUser.receptionctl(daemon, ["--workstation", "desk-2", "--operator", "wang.fang"] + arguments)
    }
}

extension RPCConnection {
    /// `access.badges.issue` with the usual defaults for `kind`; `extra` adds or replaces params.
    @discardableResult
    func issue(
        _ kind: String, holder: String = "王芳", idNumber: String = "110101199003071234", unit: String = "3-2-1201",
        validUntil: String? = nil, with extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        try call("access.badges.issue", AccessParams.issue(kind, holder, idNumber, unit, validUntil, extra))
    }

    /// The error `access.badges.issue` answers with (`nil` when it succeeds).
    func issueError(
        _ kind: String, holder: String = "王芳", idNumber: String = "110101199003071234", unit: String = "3-2-1201",
        validUntil: String? = nil, with extra: [String: JSONValue] = [:]
    ) throws -> RPCError? {
        try callError("access.badges.issue", AccessParams.issue(kind, holder, idNumber, unit, validUntil, extra))
    }

    /// `access.keys.register` of a key for a unit.
    @discardableResult
    func register(
        _ tag: String, category: String = "vacant_unit", unit: String = "3-2-1202", building: String = "3",
        hook: String = "A-01"
    ) throws -> JSONValue {
        try call(
            "access.keys.register",
            AccessParams.key(tag, category: category, unit: unit, building: building, hook: hook))
    }

    /// Subscribes to `topics`.
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
}

/// Params builders.
enum AccessParams {
    /// `access.keys.register` params of a key for a unit, on floor 12.
    static func key(_ tag: String, category: String, unit: String, building: String, hook: String) -> JSONValue {
        [
            "tag": .string(tag), "category": .string(category), "unit": .string(unit), "building": .string(building),
            "floor": "12", "hook": .string(hook),
        ]
    }

    /// `access.keys.checkout` params for a staff borrower, due back in two hours (by default).
    static func staffLoan(
        _ tag: String, borrower: String = "维修 陈师傅", dueBack: String = AccessDesk.time(inSeconds: 7200)
    ) -> JSONValue {
        ["tag": .string(tag), "borrower": .string(borrower), "borrowerType": "staff", "dueBack": .string(dueBack)]
    }

    /// `access.keys.checkout` params for an external borrower with an identity card and a deposit;
    /// `extra` adds or replaces params (a `.null` removes one, as the daemon reads it).
    static func externalLoan(
        _ tag: String, borrower: String = "张伟", idNumber: String = "320102198807154321", deposit: Int64 = 5000,
        dueBack: String = AccessDesk.time(inSeconds: 7200), extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "tag": .string(tag), "borrower": .string(borrower), "borrowerType": "external", "idType": "id_card",
            "idNumber": .string(idNumber), "deposit": .int(deposit), "dueBack": .string(dueBack),
        ]
        for (key, value) in extra { params[key] = value }
        return .object(params)
    }

    /// The params of `access.badges.issue`; a tenant gets a lease ending in six months, a
    /// contractor a sponsor, a resident `holderIsOwner`, unless `extra` says otherwise (a
    /// `.null` in `extra` removes the param). `date` gives `YYYY-MM-DD` of today plus months and
    /// days (the daemon's calendar by default; the harness passes its clock's).
    static func issue(
        _ kind: String, _ holder: String, _ idNumber: String, _ unit: String, _ validUntil: String?,
        _ extra: [String: JSONValue], date: (Int, Int) -> String = { AccessDesk.date(months: $0, days: $1) }
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "kind": .string(kind), "holder": .string(holder), "idType": "id_card", "idNumber": .string(idNumber),
            "unit": .string(unit),
        ]
        switch kind {
        case "tenant":
            params["leaseRef"] = "L-2026-0412"
            params["leaseEnd"] = .string(date(6, 0))
            params["validUntil"] = .string(date(6, 0))
        case "contractor":
            params["sponsor"] = "李娜 (owner)"
            params["validUntil"] = .string(date(1, 0))
        case "resident":
            params["holderIsOwner"] = true
            params["validUntil"] = .string(date(12, 0))
        default:
            params["validUntil"] = .string(date(0, 7))
        }
        if let validUntil { params["validUntil"] = .string(validUntil) }
        for (key, value) in extra {
            if value == .null { params.removeValue(forKey: key) } else { params[key] = value }
        }
        return .object(params)
    }
}

/// Checks that `error` is the plugin's rule violation: `validation` (-32007) naming `field`, with
/// `error.data.rule`.
func expectViolation(
    _ error: RPCError?, field: String, rule: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(error?.kind == .validation, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.code == -32007, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.field == field, "\(String(describing: error))", sourceLocation: sourceLocation)
    if let rule {
        #expect(error?.details["rule"] == .string(rule), "\(String(describing: error))", sourceLocation: sourceLocation)
    }
}

extension JSONValue {
    /// The badge of an `{"badge": ...}` reply.
    var badge: JSONValue { self["badge"] ?? .null }
    /// The badge's number.
    var number: String { (self["badge"] ?? self)["number"]?.stringValue ?? "" }
}
