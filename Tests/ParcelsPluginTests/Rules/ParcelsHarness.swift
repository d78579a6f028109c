import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// The parcels department in-process (``PluginHarness``): the rule suites under `Rules/` run
/// every call through the daemon's contract code (schema, role, savepoint per write, events after
/// the commit, audit) on a temporary SQLite file, with a clock they move by hand. What only the
/// real daemon can show (the socket, other connections, receptionctl, the notifier process, the
/// daemon's audit table and log) stays in the socket suites beside this folder.
typealias ParcelsHarness = PluginHarness<ParcelsPlugin>

extension PluginHarness where Plugin == ParcelsPlugin {
    /// A parcels desk on a fresh database: `config` is its `[plugins.parcels]` section, the caller
    /// operator li.na at desk-1 unless a test says otherwise.
    static func parcels(config: JSONValue = [:], caller: TestCaller = .operator("li.na")) throws -> ParcelsHarness {
        try ParcelsHarness(ParcelsPlugin.self, config: config, caller: caller)
    }

    /// `parcels.receive` with the usual defaults; returns the item.
    @discardableResult
    func receive(
        _ kind: String = "parcel", recipient: String = "李娜", unit: String = "3-2-1201",
        with extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        var params: [String: JSONValue] = [
            "kind": .string(kind), "recipient": .string(recipient), "unit": .string(unit),
        ]
        for (key, value) in extra { params[key] = value }
        return try call("parcels.receive", .object(params))
    }

    /// `parcels.pickup` of `codes` by `name`, with an identity card ending in `last4`.
    @discardableResult
    func pickup(_ codes: [String], by name: String = "李娜", proxy: Bool = false, last4: String = "1234") throws
        -> JSONValue
    {
        try call("parcels.pickup", Self.pickupParams(codes, by: name, proxy: proxy, last4: last4))
    }

    /// The params of a `parcels.pickup` of `codes` (an identity card ending in `last4`).
    static func pickupParams(_ codes: [String], by name: String = "李娜", proxy: Bool = false, last4: String = "1234")
        -> JSONValue
    {
        var params: [String: JSONValue] = [
            "codes": .array(codes.map { .string($0) }), "collectedBy": .string(name), "idType": "id_card",
            "idLast4": .string(last4),
        ]
        if proxy { params["proxy"] = true }
        return .object(params)
    }

    /// The codes `parcels.pending` answers for `unit`, in its order.
    func pendingCodes(unit: String) throws -> [String] {
        (try call("parcels.pending", ["unit": .string(unit)])["items"]?.arrayValue ?? []).map(\.code)
    }

    /// The item a code names, as `parcels.get` answers it.
    func item(_ code: String) throws -> JSONValue {
        try call("parcels.get", ["code": .string(code)])
    }

    /// How many items are stored, whatever their state.
    func storedItems() throws -> Int64 {
        try query("SELECT count(*) AS n FROM parcels_items").first?.int("n") ?? -1
    }

    /// The clock's time as the plugin writes it on the wire (ISO 8601, milliseconds, the local offset).
    var nowText: String { Timestamp.format(clock.now) }
}
