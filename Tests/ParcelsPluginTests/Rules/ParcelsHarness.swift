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

extension PluginHarness: ParcelsCounter where Plugin == ParcelsPlugin {}

extension PluginHarness where Plugin == ParcelsPlugin {
    /// A parcels desk on a fresh database: `config` is its `[plugins.parcels]` section, the caller
    /// operator li.na at desk-1 unless a test says otherwise.
    static func parcels(config: JSONValue = [:], caller: TestCaller = .operator("li.na")) throws -> ParcelsHarness {
        try ParcelsHarness(ParcelsPlugin.self, config: config, caller: caller)
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
