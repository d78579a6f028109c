import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the cases plugin, and what the socket tests' desk does often.
enum CasesCounter {
    /// The plugin directory of a cases daemon.
    static let plugins: [String: TestDaemon.PluginFile] = ["cases": .product("libreceptiond-cases.so")]
    /// The daemon's time zone: case numbers, report periods and days follow it (UTC+8 all year).
    static let timeZone = "Asia/Shanghai"
    /// The built receptionctl.
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Starts a daemon with the cases plugin in `timeZone`.
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

    /// `date` in the daemon's zone, ISO 8601 with its offset.
    static func iso(_ date: Date) -> String {
        Timestamp.format(date, timeZone: TimeZone(identifier: timeZone) ?? .current)
    }

    /// The report month whose period (the day after `endDay` to `endDay`, 28 for cases, 30 for
    /// services) holds `date` in the daemon's zone.
    static func reportMonth(of date: Date = Date(), endDay: Int = 28) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        var year = parts.year ?? 2026
        var month = parts.month ?? 1
        if (parts.day ?? 1) > endDay {
            month += 1
            if month == 13 {
                month = 1
                year += 1
            }
        }
        return String(format: "%04d-%02d", year, month)
    }

    /// `cases.open` params of a `category` case from unit 3-2-1201; `extra` adds or replaces members.
    static func report(_ category: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "channel": "phone", "reporter": "王女士", "unit": "3-2-1201", "contact": "13912345678",
            "category": .string(category), "description": "厨房水管漏水，楼下天花板渗水",
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }
}

extension RPCConnection {
    /// Opens a case; its id.
    @discardableResult
    func openCase(_ category: String, _ extra: [String: JSONValue] = [:]) throws -> String {
        try call("cases.open", CasesCounter.report(category, extra))["case"]?.stringValue ?? ""
    }

    /// Dispatches case `id`; the order's id.
    func dispatchCase(_ id: String, to department: String = "engineering", due: String? = nil) throws -> String {
        var params: [String: JSONValue] = ["case": .string(id), "department": .string(department)]
        if let due { params["due"] = .string(due) }
        return try call("cases.dispatch", .object(params))["order"]?.stringValue ?? ""
    }

    /// The next `event` notification's params (`topic`, `seq`, `time`, `data`).
    func nextCaseEvent(timeout: Duration = .seconds(10)) throws -> JSONValue {
        while true {
            guard let message = try nextNotification(timeout: timeout) else {
                throw TestDaemonError("the daemon closed the connection before the next event")
            }
            if message["method"] == "event", let params = message["params"] { return params }
        }
    }
}
