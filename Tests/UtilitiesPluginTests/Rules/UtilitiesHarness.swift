import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// The utilities department in-process (``PluginHarness``): the rule suites in this folder run
/// every call through the daemon's contract code (schema, role, savepoint per write, events after
/// the commit, audit) on a temporary SQLite file, with a clock they move by hand.
typealias UtilitiesHarness = PluginHarness<UtilitiesPlugin>

extension PluginHarness where Plugin == UtilitiesPlugin {
    /// A utilities desk on a fresh database: `config` is its `[plugins.utilities]` section, the
    /// caller operator li.na at desk-1 unless a test says otherwise.
    static func utilities(config: JSONValue = [:], caller: TestCaller = .operator("li.na")) throws -> UtilitiesHarness {
        try UtilitiesHarness(UtilitiesPlugin.self, config: config, caller: caller)
    }

    /// `utilities.request` for `unit` with `cash` fen (electricity on a remote unless `extra` says
    /// otherwise); the request.
    @discardableResult
    func request(
        _ unit: String = "3-2-1201", cash: Int64 = 20_000, utility: String = "electricity", medium: String = "remote",
        _ extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        var params: [String: JSONValue] = [
            "unit": .string(unit), "payer": "王芳", "utility": .string(utility), "cash": .int(cash),
            "medium": .string(medium), "mediumRef": "E-0001",
        ]
        for (name, value) in extra { params[name] = value }
        return try call("utilities.request", .object(params))
    }

    /// `utilities.batches.create` for agent 张师傅 with `extra` params; the batch.
    @discardableResult
    func handOver(_ extra: [String: JSONValue] = [:]) throws -> JSONValue {
        var params: [String: JSONValue] = ["agent": "张师傅"]
        for (name, value) in extra { params[name] = value }
        return try call("utilities.batches.create", .object(params))
    }

    /// `utilities.cashOnHand`.
    func cashOnHand() throws -> JSONValue { try call("utilities.cashOnHand") }

    /// `utilities.get`.
    func get(_ number: JSONValue?) throws -> JSONValue { try call("utilities.get", ["number": number ?? .null]) }
}

/// A bought result for `number`: `spent` fen for `credited` units.
func bought(_ number: JSONValue?, spent: Int64, credited: String = "100", receipt: String = "GD-1") -> JSONValue {
    [
        "number": number ?? .null, "outcome": "bought", "spent": .int(spent), "credited": .string(credited),
        "utilityReceipt": .string(receipt),
    ]
}

/// A failed result for `number`.
func failed(_ number: JSONValue?, reason: String = "卡片读不出") -> JSONValue {
    ["number": number ?? .null, "outcome": "failed", "reason": .string(reason)]
}
