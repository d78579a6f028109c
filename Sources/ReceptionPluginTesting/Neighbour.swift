import Foundation
@_spi(Runtime) import ReceptionPluginSDK

/// Another department run beside the one under test, so that the tested department's calls to
/// it (`context.call("access.keys.register", …)`) run as they do in the daemon: in the same
/// transaction, as the same caller, with its migrations applied to the same database.
///
/// ```swift
/// let desk = try PluginHarness(VisitorsPlugin.self, neighbours: [Neighbour(AccessPlugin.self)])
/// ```
public struct Neighbour {
    let name: String
    let make: (TimeZone, BackgroundWork) throws -> Department

    /// `plugin`, configured from `config` (its `[plugins.<name>]` section).
    public init<Plugin: DepartmentPlugin>(_ plugin: Plugin.Type, config: JSONValue = .object([:])) {
        name = Plugin.name
        make = { zone, background in
            let runtime = PluginRuntime<Plugin>(background: background, timeZone: zone)
            let manifest = try PluginManifest(json: JSONValue.parse(runtime.describe()))
            return Department(
                manifest: manifest,
                configure: { runtime.configure(config) },
                handle: { method, params, caller, db, log, emit, neighbour in
                    runtime.handle(
                        method: method, params: params, caller: caller, db: db, log: log, emit: emit,
                        neighbour: neighbour)
                },
                committed: { runtime.committed($0) })
        }
    }
}

/// One department as the harness drives it, whatever its plugin type.
struct Department {
    /// Its manifest, as the daemon reads it.
    let manifest: PluginManifest
    /// Applies its config section.
    let configure: () -> RPCError?
    /// Runs one call through its runtime.
    let handle:
        (
            String, [UInt8], CallerRecord, OpaquePointer, @escaping @Sendable (Int32, String) -> Void,
            ((String, String) -> Void)?, ((String, String) -> Result<String, RPCError>)?
        ) -> Result<String, RPCError>
    /// Hands it committed events on its topics (a ``CommittedEventRecord`` JSON array).
    let committed: ([UInt8]) -> Void
}
