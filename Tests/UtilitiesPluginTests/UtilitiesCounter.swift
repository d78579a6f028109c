import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the utilities plugin, and what the socket tests' desk does often: a
/// resident's prepayment, the batch to the agent, the agent's return, the shift check.
enum UtilitiesCounter {
    /// The plugin directory of a utilities daemon.
    static let plugins: [String: TestDaemon.PluginFile] = ["utilities": .product("libreceptiond-utilities.so")]
    /// The daemon's time zone: request numbers and report periods follow its days.
    static let timeZone = "Asia/Shanghai"
    /// The built receptionctl.
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Starts a daemon with the utilities plugin in `timeZone`.
    static func start(config: String? = nil) throws -> TestDaemon {
        let daemon = try TestDaemon(config: config, plugins: plugins, environment: ["TZ": timeZone])
        try daemon.start()
        return daemon
    }

    /// The report period (`YYYY-MM`) holding today in the daemon's zone, with `report_day` 28:
    /// the 29th and later belong to the next month's period.
    static func reportMonth(reportDay: Int = 28) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .current
        var date = Date()
        if calendar.component(.day, from: date) > reportDay {
            date = calendar.date(byAdding: .month, value: 1, to: date) ?? date
        }
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }

    /// Runs receptionctl against `daemon` as clerk li.na at desk-1.
    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            receptionctl, ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments)
    }

    /// `utilities.request` params; `extra` adds or replaces members.
    static func request(
        unit: String, payer: String, utility: String, cash: Int64, medium: String, mediumRef: String? = nil,
        extra: [String: JSONValue] = [:]
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "unit": .string(unit), "payer": .string(payer), "utility": .string(utility), "cash": .int(cash),
            "medium": .string(medium),
        ]
        if let mediumRef { params["mediumRef"] = .string(mediumRef) }
        for (key, value) in extra { params[key] = value }
        return .object(params)
    }

    /// One result of `utilities.batches.return`: bought, with what was spent and credited.
    static func bought(_ number: String, spent: Int64, credited: String, receipt: String) -> JSONValue {
        [
            "number": .string(number), "outcome": "bought", "spent": .int(spent), "credited": .string(credited),
            "utilityReceipt": .string(receipt),
        ]
    }

    /// One result of `utilities.batches.return`: the purchase failed.
    static func failed(_ number: String, reason: String) -> JSONValue {
        ["number": .string(number), "outcome": "failed", "reason": .string(reason)]
    }
}

/// The records inside replies, whichever way the plugin wraps them.
extension JSONValue {
    /// The request of a reply: its `request` member when that is a record, else the reply itself.
    var utilityRequest: JSONValue {
        if let inner = self["request"], inner.objectValue != nil { return inner }
        return self
    }

    /// The batch of a reply: its `batch` member when that is a record, else the reply itself (a
    /// batch's own `batch` member is its id).
    var utilityBatch: JSONValue {
        if let inner = self["batch"], inner.objectValue != nil { return inner }
        return self
    }

    /// A money member in fen (`-1` when absent, so a comparison with a real amount fails).
    func fen(_ member: String) -> Int64 { self[member]?.intValue ?? -1 }
}

extension RPCConnection {
    /// `utilities.request`; returns the request.
    @discardableResult
    func prepay(
        unit: String, payer: String, utility: String, cash: Int64, medium: String, mediumRef: String? = nil,
        extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        try call(
            "utilities.request",
            UtilitiesCounter.request(
                unit: unit, payer: payer, utility: utility, cash: cash, medium: medium, mediumRef: mediumRef,
                extra: extra)
        ).utilityRequest
    }

    /// `utilities.get` of one request.
    func request(_ number: String) throws -> JSONValue {
        try call("utilities.get", ["number": .string(number)]).utilityRequest
    }

    /// `utilities.cashOnHand`.
    func cashOnHand() throws -> JSONValue {
        try call("utilities.cashOnHand")
    }
}
