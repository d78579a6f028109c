import CReceptionABI
import Foundation
import Synchronization

/// Exposes a ``DepartmentPlugin`` through the C ABI the daemon loads: a thin adapter that moves
/// bytes between the ABI's buffers and ``PluginRuntime``, which holds all the behaviour.
///
/// Call it from the one `@_cdecl("receptiond_plugin_entry")` function of your library.
public enum PluginExport {
    /// Builds the plugin table for `plugin`. `host` is the daemon's `rcp_host` table.
    public static func entry<Plugin: DepartmentPlugin>(_ plugin: Plugin.Type, host: UnsafeRawPointer?)
        -> UnsafeRawPointer?
    {
        guard let host else { return nil }
        // Read member by member, never copied whole (see the header's note on struct metadata).
        let hostTable = host.assumingMemoryBound(to: rcp_host.self)
        guard hostTable.pointee.abi_version == RECEPTION_PLUGIN_ABI_VERSION else { return nil }
        let handle = HostHandle(table: hostTable)
        // A host older than the `call` member predates `started` as well: the SDK then starts
        // the plugin itself after its first configure, so its timers still run.
        let hostStarts = hostTable.pointee.size >= HostHandle.sizeWithCall
        let runtime = PluginRuntime<Plugin>(
            background: BackgroundWork(
                submit: { method, params in handle.submitWrite(method, params) },
                log: { level, message in handle.log(level, message) }))
        let adapter: AnyAdapter = Adapter(runtime: runtime, host: handle, hostStarts: hostStarts)
        // The table is written member by member into zeroed memory of this build's size, never
        // copied whole: the Swift runtime uniques an imported C struct's metadata by name across
        // every loaded library, so a plugin built against an older header (a shorter rcp_plugin)
        // loaded first would make a whole-struct copy here stop short of the newer members.
        // The table and the adapter live as long as the process: the daemon never unloads
        // plugins (dlclose cannot unload Swift libraries).
        let byteCount = MemoryLayout<rcp_plugin>.size
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: byteCount, alignment: MemoryLayout<rcp_plugin>.alignment)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        let table = memory.bindMemory(to: rcp_plugin.self, capacity: 1)
        table.pointee.abi_version = RECEPTION_PLUGIN_ABI_VERSION
        table.pointee.size = UInt32(byteCount)
        table.pointee.context = Unmanaged.passRetained(adapter).toOpaque()
        table.pointee.describe = { context, out in
            guard let adapter = AnyAdapter.from(context) else { return RCP_ERROR }
            out.pointee = OwnedBytes.make(adapter.describe())
            return RCP_OK
        }
        table.pointee.configure = { context, config, out in
            guard let adapter = AnyAdapter.from(context) else { return RCP_ERROR }
            if let error = adapter.configure(Bytes.copy(config)) {
                out.pointee = OwnedBytes.make(error.jsonValue.serialized())
                return RCP_ERROR
            }
            out.pointee = rcp_owned_bytes(data: nil, len: 0)
            return RCP_OK
        }
        table.pointee.handle = { context, call, out in
            guard let adapter = AnyAdapter.from(context) else { return RCP_ERROR }
            switch adapter.handle(call) {
            case .success(let text):
                out.pointee = OwnedBytes.make(text)
                return RCP_OK
            case .failure(let error):
                out.pointee = OwnedBytes.make(error.jsonValue.serialized())
                return RCP_ERROR
            }
        }
        table.pointee.release = { _, bytes in free(bytes.data) }
        table.pointee.shutdown = { context in
            // The host closes its connections next: cached statements would keep them open.
            AnyAdapter.from(context)?.finalizeStatements()
        }
        table.pointee.committed = { context, events in AnyAdapter.from(context)?.committed(Bytes.copy(events)) }
        table.pointee.stop = { context, graceMs in AnyAdapter.from(context)?.stop(within: .milliseconds(graceMs)) }
        table.pointee.started = { context in AnyAdapter.from(context)?.started() }
        return UnsafeRawPointer(table)
    }
}

/// The host's callbacks.
struct HostHandle: @unchecked Sendable {
    // The host table, its function pointers and context stay valid for the life of the process.
    let table: UnsafePointer<rcp_host>

    /// A host table with `call`: all of today's (the ABI only appends; `call` is the last member).
    static let sizeWithCall = UInt32(MemoryLayout<rcp_host>.size)

    func log(_ level: Int32, _ message: String) {
        var text = message
        text.withUTF8 { buffer in
            table.pointee.log(table.pointee.context, level, rcp_bytes(data: buffer.baseAddress, len: buffer.count))
        }
    }

    func submitWrite(_ method: String, _ params: String) {
        var method = method
        var params = params
        method.withUTF8 { methodBuffer in
            params.withUTF8 { paramsBuffer in
                table.pointee.submit_write(
                    table.pointee.context, rcp_bytes(data: methodBuffer.baseAddress, len: methodBuffer.count),
                    rcp_bytes(data: paramsBuffer.baseAddress, len: paramsBuffer.count))
            }
        }
    }

    /// The host's `call` for the running call `callContext`, when the host has one.
    func neighbourCall(_ callContext: CallContextPointer) -> ((String, String) -> Result<String, RPCError>)? {
        guard table.pointee.size >= Self.sizeWithCall, let call = table.pointee.call else { return nil }
        let hostContext = table.pointee.context
        return { method, params in
            var method = method
            var params = params
            var out = rcp_owned_bytes(data: nil, len: 0)
            let status = method.withUTF8 { methodBuffer in
                params.withUTF8 { paramsBuffer in
                    call(
                        hostContext, callContext.pointer,
                        rcp_bytes(data: methodBuffer.baseAddress, len: methodBuffer.count),
                        rcp_bytes(data: paramsBuffer.baseAddress, len: paramsBuffer.count), &out)
                }
            }
            let reply = out.data.map { Array(UnsafeBufferPointer(start: $0, count: out.len)) } ?? []
            free(out.data)
            if status == RCP_OK { return .success(String(decoding: reply, as: UTF8.self)) }
            if let json = try? JSONValue.parse(reply), let error = RPCError(json: json) { return .failure(error) }
            return .failure(.internalError("\(method) failed with an unreadable error"))
        }
    }
}

/// The adapter the C callbacks (which cannot be generic) reach through the table's context.
class AnyAdapter: @unchecked Sendable {
    static func from(_ context: UnsafeMutableRawPointer?) -> AnyAdapter? {
        guard let context else { return nil }
        return Unmanaged<AnyAdapter>.fromOpaque(context).takeUnretainedValue()
    }
    func describe() -> String { "{}" }
    func configure(_ bytes: [UInt8]) -> RPCError? { nil }
    func handle(_ call: UnsafePointer<rcp_call>) -> Result<String, RPCError> { .failure(.internalError("no plugin")) }
    func committed(_ bytes: [UInt8]) {}
    func stop(within grace: Duration) {}
    func started() {}
    func finalizeStatements() {}
}

/// The adapter of one plugin type.
final class Adapter<Plugin: DepartmentPlugin>: AnyAdapter, @unchecked Sendable {
    // Immutable after init; the runtime is Sendable.
    let runtime: PluginRuntime<Plugin>
    let host: HostHandle
    /// Whether the host calls `started` (else the first successful configure does).
    let hostStarts: Bool
    private let startedOnce = Mutex<Bool>(false)

    init(runtime: PluginRuntime<Plugin>, host: HostHandle, hostStarts: Bool) {
        self.runtime = runtime
        self.host = host
        self.hostStarts = hostStarts
    }

    override func describe() -> String { runtime.describe() }

    override func configure(_ bytes: [UInt8]) -> RPCError? {
        let error: RPCError?
        if bytes.isEmpty {
            error = runtime.configure(.object([:]))
        } else {
            do {
                error = runtime.configure(try JSONValue.parse(bytes))
            } catch {
                return RPCError(.validation, "[plugins.\(Plugin.name)]: the config section could not be read: \(error)")
            }
        }
        if error == nil, !hostStarts,
            startedOnce.withLock({ started in
                defer { started = true }
                return !started
            })
        {
            runtime.started()
        }
        return error
    }

    override func handle(_ callPointer: UnsafePointer<rcp_call>) -> Result<String, RPCError> {
        // Read member by member (see the header's note on struct metadata).
        guard callPointer.pointee.size >= CallRecordSize.current else {
            return .failure(.internalError("the daemon's call record is shorter than this plugin's ABI"))
        }
        let name = String(decoding: Bytes.buffer(callPointer.pointee.method), as: UTF8.self)
        guard let db = callPointer.pointee.db else {
            return .failure(.internalError("no database connection for \(name)"))
        }
        guard let caller = CallerRecord(abi: callPointer.pointee.caller) else {
            return .failure(.internalError("the caller the daemon sent could not be read"))
        }
        let callLog = callPointer.pointee.log
        let writable = callPointer.pointee.writable != 0
        let emitEvent = callPointer.pointee.emit_event
        // The call context stays valid for the duration of the call, which is as long as the
        // logger and emitter (held only by the handler's context) can be used.
        let callContext = CallContextPointer(pointer: callPointer.pointee.call_context)
        var emit: ((String, String) -> Void)?
        if writable, let emitEvent {
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
        // The call's context lives only until this returns; a logger a plugin kept past the call
        // (sent to a thread of its own) then logs through the host's plugin-wide log instead.
        let alive = CallAlive()
        defer { alive.end() }
        let host = self.host
        // Only during the call and on its thread: a context kept past the call, or handed to
        // another thread, must not reach the host's call context (gone, or the writer's
        // connection in use by this thread).
        let callThread = pthread_self()
        let neighbour = host.neighbourCall(callContext).map { call in
            { (method: String, params: String) -> Result<String, RPCError> in
                guard pthread_equal(pthread_self(), callThread) != 0 else {
                    return .failure(
                        RPCError(.unavailable, "\(method) can be called only from the calling request's own thread"))
                }
                var result: Result<String, RPCError> = .failure(
                    RPCError(.unavailable, "\(method): the calling request has ended"))
                _ = alive.ifAlive { result = call(method, params) }
                return result
            }
        }
        return runtime.handle(
            method: name, params: Bytes.buffer(callPointer.pointee.params), caller: caller, db: OpaquePointer(db),
            log: { level, message in
                let logged = alive.ifAlive {
                    var text = message
                    text.withUTF8 { buffer in
                        callLog(callContext.pointer, level, rcp_bytes(data: buffer.baseAddress, len: buffer.count))
                    }
                }
                if !logged { host.log(level, message) }
            }, emit: emit, neighbour: neighbour)
    }

    override func committed(_ bytes: [UInt8]) { runtime.committed(bytes) }
    override func stop(within grace: Duration) { runtime.stop(within: grace) }
    override func started() { runtime.started() }
    override func finalizeStatements() { runtime.finalizeStatements() }
}

/// Whether a call is still running: its per-call callbacks may be used only until it returns.
final class CallAlive: Sendable {
    private let running = Mutex<Bool>(true)

    /// Runs `body` if the call is still running (holding it running meanwhile); whether it ran.
    func ifAlive(_ body: () -> Void) -> Bool {
        running.withLock { running in
            guard running else { return false }
            body()
            return true
        }
    }

    /// The call has returned.
    func end() { running.withLock { $0 = false } }
}

/// The host's per-call context pointer, valid for the duration of one call.
struct CallContextPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?
}

/// The size of the call record this plugin was built with (the host's must be at least this).
enum CallRecordSize {
    static let current = UInt32(MemoryLayout<rcp_call>.size)
}

/// Copies borrowed ABI bytes into Swift memory.
enum Bytes {
    /// Borrowed bytes as a buffer, valid only while the call that received them runs.
    static func buffer(_ bytes: rcp_bytes) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes.len > 0 ? bytes.data : nil, count: bytes.data == nil ? 0 : bytes.len)
    }

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
