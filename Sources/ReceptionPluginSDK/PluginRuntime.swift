import Foundation
import Synchronization

/// One plugin type, configured and ready for calls: the code between the contract's bytes and a
/// plugin's typed handlers. The C ABI adapter (``PluginExport``) and the in-process testing kit
/// (`ReceptionPluginTesting`) both call exactly this, so a call behaves the same in both.
@_spi(Runtime)
public final class PluginRuntime<Plugin: DepartmentPlugin>: Sendable {
    /// The configured plugin. Replaced whole by `configure` (at start and on reload, between calls
    /// or concurrently with them: a call uses the instance it read).
    private let instance = ReadMostly<Plugin?>(nil)
    private let methods: [String: Method<Plugin>]
    private let background: BackgroundWork
    /// The property's zone: the process's in the daemon, the test's in the testing kit.
    private let timeZone: TimeZone

    /// A runtime whose background work goes to `background`, for a property in `timeZone`.
    public init(background: BackgroundWork, timeZone: TimeZone = .current) {
        self.background = background
        self.timeZone = timeZone
        var table: [String: Method<Plugin>] = [:]
        for method in Plugin.methods { table[method.name] = method }
        methods = table
    }

    /// The manifest as JSON text.
    public func describe() -> String { Plugin.manifest.jsonValue.serialized() }

    /// Builds the plugin from its config section (a JSON object); the error names the key.
    public func configure(_ section: JSONValue) -> RPCError? {
        // A record type that is not one (a stored property that is not a @Column) would read
        // every row as empty: refuse the plugin instead, naming the property.
        if let problem = Plugin.methods.lazy.compactMap(\.problem).first {
            return RPCError(.internal, "plugin \(Plugin.name) cannot run: \(problem)")
        }
        let config = PluginConfig(
            section.objectValue ?? [:], section: "[plugins.\(Plugin.name)]", timeZone: timeZone)
        do {
            let plugin = try Plugin(config: config)
            try config.finish()
            instance.replace(plugin)
            return nil
        } catch {
            return error
        }
    }

    /// Handles one call: `method` with `params` (JSON text the daemon has checked against the
    /// method's schema) from `caller` on `db`, as the testing kit makes it: the caller goes
    /// through the ABI's binary record (written and read as the daemon and the C adapter do).
    /// `neighbour` runs another department's method inside this call (method, params JSON),
    /// when the host offers it. Returns the result JSON text.
    public func handle(
        method name: String, params: [UInt8], caller: CallerRecord, db: OpaquePointer,
        log: @escaping @Sendable (Int32, String) -> Void, emit: ((String, String) -> Void)?,
        neighbour: ((String, String) -> Result<String, RPCError>)? = nil
    ) -> Result<String, RPCError> {
        guard let record = caller.withABIRecord({ CallerRecord(abi: $0) }) else {
            return .failure(.internalError("the caller could not be read"))
        }
        return params.withUnsafeBufferPointer { params in
            handle(method: name, params: params, caller: record, db: db, log: log, emit: emit, neighbour: neighbour)
        }
    }

    /// Handles one call as the daemon makes it through the ABI: the params borrowed for the
    /// call, the caller already read from its binary record.
    public func handle(
        method name: String, params: UnsafeBufferPointer<UInt8>, caller record: CallerRecord, db: OpaquePointer,
        log: @escaping @Sendable (Int32, String) -> Void, emit: ((String, String) -> Void)?,
        neighbour: ((String, String) -> Result<String, RPCError>)? = nil
    ) -> Result<String, RPCError> {
        guard let method = methods[name] else { return .failure(.methodNotFound(name)) }
        guard let plugin = instance.current else {
            return .failure(RPCError(.unavailable, "plugin \(Plugin.name) is not configured"))
        }
        let environment = CallEnvironment(
            db: SQLiteConnection(handle: db), caller: Caller(record), now: EpochMillis.date(record.nowMs),
            timeZone: timeZone, log: PluginLogger(sink: log), emit: emit, neighbour: neighbour)
        do {
            return .success(try method.invoke(plugin, params, environment))
        } catch {
            return .failure(error)
        }
    }

    /// Hands the plugin the events of one commit (``CommittedEventRecord`` JSON array).
    public func committed(_ bytes: [UInt8]) {
        guard let plugin = instance.current else { return }
        let events = CommittedEventRecord.parse(bytes).map {
            CommittedEvent(topic: $0.topic, seq: $0.seq, time: $0.time, data: $0.data)
        }
        if !events.isEmpty { plugin.committed(events, background: background) }
    }

    /// The plugin's ``DepartmentPlugin/started(background:)``: the daemon is ready.
    public func started() {
        instance.current?.started(background: background)
    }

    /// The plugin's ``DepartmentPlugin/shutdown(within:)``.
    public func stop(within grace: Duration) {
        instance.current?.shutdown(within: grace)
    }

    /// Finalizes the statements the SDK kept on the connections it was lent (the host closes
    /// them next).
    public func finalizeStatements() {
        StatementCache.finalizeAll()
    }
}
