import CReceptionABI
import Foundation
import GRDBSQLite

/// Exposes a ``DepartmentPlugin`` through the C ABI the daemon loads.
///
/// Call it from the one `@_cdecl("receptiond_plugin_entry")` function of your library; the SDK
/// builds the versioned function table, moves JSON across it, and maps every error.
public enum PluginExport {
    /// Builds the plugin table for `plugin`. `host` is the daemon's `rcp_host` table.
    public static func entry<Plugin: DepartmentPlugin>(_ plugin: Plugin.Type, host: UnsafeRawPointer?)
        -> UnsafeRawPointer?
    {
        guard let host else { return nil }
        let hostTable = host.assumingMemoryBound(to: rcp_host.self).pointee
        guard hostTable.abi_version == RECEPTION_PLUGIN_ABI_VERSION else { return nil }
        let runtime = TypedRuntime<Plugin>(host: HostHandle(table: hostTable))
        let table = UnsafeMutablePointer<rcp_plugin>.allocate(capacity: 1)
        // The table and the runtime live as long as the process: the daemon never unloads plugins
        // (dlclose cannot unload Swift libraries).
        table.initialize(
            to: rcp_plugin(
                abi_version: RECEPTION_PLUGIN_ABI_VERSION,
                size: UInt32(MemoryLayout<rcp_plugin>.size),
                context: Unmanaged.passRetained(runtime as AnyRuntime).toOpaque(),
                describe: { context, out in
                    guard let runtime = AnyRuntime.from(context) else { return RCP_ERROR }
                    out.pointee = OwnedBytes.make(runtime.describe())
                    return RCP_OK
                },
                configure: { context, config, out in
                    guard let runtime = AnyRuntime.from(context) else { return RCP_ERROR }
                    if let error = runtime.configure(Bytes.copy(config)) {
                        out.pointee = OwnedBytes.make(error.jsonValue.serialized())
                        return RCP_ERROR
                    }
                    out.pointee = rcp_owned_bytes(data: nil, len: 0)
                    return RCP_OK
                },
                handle: { context, call, out in
                    guard let runtime = AnyRuntime.from(context) else { return RCP_ERROR }
                    switch runtime.handle(call.pointee) {
                    case .success(let text):
                        out.pointee = OwnedBytes.make(text)
                        return RCP_OK
                    case .failure(let error):
                        out.pointee = OwnedBytes.make(error.jsonValue.serialized())
                        return RCP_ERROR
                    }
                },
                release: { _, bytes in free(bytes.data) },
                shutdown: { context in
                    AnyRuntime.from(context)?.shutdown()
                    // The host closes its connections next: cached statements would keep them open.
                    StatementCache.finalizeAll()
                },
                committed: { context, events in AnyRuntime.from(context)?.committed(Bytes.copy(events)) }
            ))
        return UnsafeRawPointer(table)
    }
}

/// The host's callbacks, captured once.
struct HostHandle: @unchecked Sendable {
    // The host table's function pointer and context stay valid for the life of the process.
    let table: rcp_host

    func log(_ level: Int32, _ message: String) {
        var text = message
        text.withUTF8 { buffer in
            table.log(table.context, level, rcp_bytes(data: buffer.baseAddress, len: buffer.count))
        }
    }

    func submitWrite(_ method: String, _ params: String) {
        var method = method
        var params = params
        method.withUTF8 { methodBuffer in
            params.withUTF8 { paramsBuffer in
                table.submit_write(
                    table.context, rcp_bytes(data: methodBuffer.baseAddress, len: methodBuffer.count),
                    rcp_bytes(data: paramsBuffer.baseAddress, len: paramsBuffer.count))
            }
        }
    }
}

/// Type-erased runtime so the C callbacks (which cannot be generic) can reach the plugin.
class AnyRuntime: @unchecked Sendable {
    static func from(_ context: UnsafeMutableRawPointer?) -> AnyRuntime? {
        guard let context else { return nil }
        return Unmanaged<AnyRuntime>.fromOpaque(context).takeUnretainedValue()
    }
    func describe() -> String { "{}" }
    func configure(_ bytes: [UInt8]) -> RPCError? { nil }
    func handle(_ call: rcp_call) -> Result<String, RPCError> { .failure(.internalError("no plugin")) }
    func shutdown() {}
    func committed(_ bytes: [UInt8]) {}
}

/// The runtime of one plugin type: its configured instance and its method table.
final class TypedRuntime<Plugin: DepartmentPlugin>: AnyRuntime, @unchecked Sendable {
    // `instance` is written by configure (before any call, and on reload while the daemon holds
    // calls) and read by handle; the lock makes that safe on any thread.
    private let lock = NSLock()
    private var instance: Plugin?
    private let methods: [String: Method<Plugin>]
    private let host: HostHandle

    init(host: HostHandle) {
        self.host = host
        var table: [String: Method<Plugin>] = [:]
        for method in Plugin.methods { table[method.name] = method }
        self.methods = table
    }

    override func describe() -> String {
        let manifest: JSONValue = [
            "name": .string(Plugin.name), "version": .string(Plugin.version), "summary": .string(Plugin.summary),
            "topics": .array(Plugin.topics.map { .string($0) }),
            "methods": .array(Plugin.methods.map(\.manifestEntry)),
            "migrations": .array(Plugin.migrations.map { ["id": .string($0.id), "sql": .string($0.sql)] }),
        ]
        return manifest.serialized()
    }

    override func configure(_ bytes: [UInt8]) -> RPCError? {
        do {
            let json = bytes.isEmpty ? JSONValue.object([:]) : try JSONValue.parse(bytes)
            let config = PluginConfig(json.objectValue ?? [:], section: "[plugins.\(Plugin.name)]")
            let plugin = try Plugin(config: config)
            try config.finish()
            lock.withLock { instance = plugin }
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            return RPCError(.validation, "[plugins.\(Plugin.name)]: \(error)")
        }
    }

    override func handle(_ call: rcp_call) -> Result<String, RPCError> {
        let name = String(decoding: Bytes.copy(call.method), as: UTF8.self)
        guard let method = methods[name] else { return .failure(.methodNotFound(name)) }
        guard let plugin = lock.withLock({ instance }) else {
            return .failure(RPCError(.unavailable, "plugin \(Plugin.name) is not configured"))
        }
        guard let db = call.db else { return .failure(.internalError("no database connection for \(name)")) }
        guard let caller = Caller(json: Bytes.copy(call.caller)) else {
            return .failure(.internalError("the caller the daemon sent could not be read"))
        }
        let callLog = call.log
        // The call context stays valid for the duration of the call, which is as long as the
        // logger and emitter (held only by the handler's context) can be used.
        let callContext = CallContextPointer(pointer: call.call_context)
        let logger = PluginLogger { level, message in
            var text = message
            text.withUTF8 { buffer in
                callLog(callContext.pointer, level, rcp_bytes(data: buffer.baseAddress, len: buffer.count))
            }
        }
        var emit: ((String, String) -> Void)?
        if call.writable != 0, let emitEvent = call.emit_event {
            emit = { topic, data in
                var topic = topic
                var data = data
                topic.withUTF8 { topicBuffer in
                    data.withUTF8 { dataBuffer in
                        emitEvent(
                            callContext.pointer, rcp_bytes(data: topicBuffer.baseAddress, len: topicBuffer.count),
                            rcp_bytes(data: dataBuffer.baseAddress, len: dataBuffer.count))
                    }
                }
            }
        }
        let environment = CallEnvironment(
            db: SQLiteConnection(handle: OpaquePointer(db)), caller: caller, now: Date(), log: logger, emit: emit)
        do {
            return .success(try method.invoke(plugin, Bytes.copy(call.params), environment))
        } catch {
            return .failure(error)
        }
    }

    override func committed(_ bytes: [UInt8]) {
        guard let plugin = lock.withLock({ instance }), let list = try? JSONValue.parse(bytes).arrayValue else {
            return
        }
        let events = list.compactMap { entry -> CommittedEvent? in
            guard let topic = entry["topic"]?.stringValue else { return nil }
            return CommittedEvent(
                topic: topic, seq: entry["seq"]?.intValue ?? 0, time: entry["time"]?.stringValue ?? "",
                data: entry["data"] ?? .null)
        }
        plugin.committed(events, background: BackgroundWork(host: host))
    }

    override func shutdown() {
        host.log(RCP_LOG_DEBUG, "plugin \(Plugin.name) shut down")
    }
}

/// The host's per-call context pointer, valid for the duration of one call.
struct CallContextPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?
}

/// Copies borrowed ABI bytes into Swift memory.
enum Bytes {
    static func copy(_ bytes: rcp_bytes) -> [UInt8] {
        guard let data = bytes.data, bytes.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: bytes.len))
    }
}

/// Allocates bytes the host hands back through `release`.
enum OwnedBytes {
    static func make(_ text: String) -> rcp_owned_bytes {
        var text = text
        return text.withUTF8 { buffer in
            guard let memory = malloc(max(buffer.count, 1))?.assumingMemoryBound(to: UInt8.self) else {
                return rcp_owned_bytes(data: nil, len: 0)
            }
            if let base = buffer.baseAddress { memory.initialize(from: base, count: buffer.count) }
            return rcp_owned_bytes(data: memory, len: buffer.count)
        }
    }
}
