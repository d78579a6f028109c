import CReceptionABI
import Foundation
import Logging
import ReceptionProtocol

/// A plugin shared library that loaded and described itself: the host side of the ABI.
///
/// Calls cross the C table only; params, results, errors and events cross as JSON bytes.
public final class PluginLibrary: @unchecked Sendable {
    // Immutable after init; the table is owned by the plugin and lives for the process.
    /// Where it was loaded from.
    public let path: String
    /// What it declared.
    public let manifest: PluginManifest
    private let table: UnsafePointer<rcp_plugin>

    init(path: String, table: UnsafePointer<rcp_plugin>, manifest: PluginManifest) {
        self.path = path
        self.table = table
        self.manifest = manifest
    }

    /// Hands the plugin its config section (a JSON object). Returns the plugin's error, if any.
    public func configure(_ config: JSONValue) -> RPCError? {
        var text = config.serialized()
        var out = rcp_owned_bytes(data: nil, len: 0)
        let status = text.withUTF8 { buffer in
            table.pointee.configure(table.pointee.context, rcp_bytes(data: buffer.baseAddress, len: buffer.count), &out)
        }
        let reply = take(out)
        guard status == RCP_OK else {
            if let json = try? JSONValue.parse(reply), let error = RPCError(json: json) { return error }
            return RPCError(.validation, "plugin \(manifest.name) rejected its config")
        }
        return nil
    }

    /// Calls a method. `params` are the bytes of the request's params object (as sent, or as
    /// checked for a call between departments); `db` is the raw `sqlite3 *` of the connection for
    /// this call.
    ///
    /// Returns the result JSON text, or the plugin's error. Never throws: a misbehaving plugin's
    /// reply that is not valid error JSON becomes an internal error.
    public func call(
        method: String, params: [UInt8], caller: CallerRecord, db: OpaquePointer, writable: Bool,
        context: CallContext
    ) -> Result<String, RPCError> {
        var method = method
        var out = rcp_owned_bytes(data: nil, len: 0)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        let status = method.withUTF8 { methodBuffer in
            caller.withABIRecord { callerRecord in
                params.withUnsafeBufferPointer { paramsBuffer in
                    var call = rcp_call(
                        size: UInt32(MemoryLayout<rcp_call>.size),
                        method: rcp_bytes(data: methodBuffer.baseAddress, len: methodBuffer.count),
                        params: rcp_bytes(data: paramsBuffer.baseAddress, len: paramsBuffer.count),
                        caller: callerRecord,
                        db: UnsafeMutableRawPointer(db),
                        writable: writable ? 1 : 0,
                        call_context: unmanaged.toOpaque(),
                        emit_event: writable ? CallContext.emitCallback : nil,
                        log: CallContext.logCallback)
                    return table.pointee.handle(table.pointee.context, &call, &out)
                }
            }
        }
        let reply = take(out)
        if status == RCP_OK {
            // The result is spliced into a reply line as is: it must be one JSON text on one line.
            // (A cheap check on the hot path; the SDK always writes valid compact JSON.)
            guard !reply.isEmpty, !reply.contains(UInt8(ascii: "\n")) else {
                return .failure(
                    .internalError(
                        "plugin \(manifest.name) returned a result for \(method) that is not one line of JSON"))
            }
            return .success(String(decoding: reply, as: UTF8.self))
        }
        if let json = try? JSONValue.parse(reply), let error = RPCError(json: json) {
            return .failure(error)
        }
        return .failure(.internalError("plugin \(manifest.name) returned an unreadable error"))
    }

    /// Hands the plugin the events of one commit on its topics (a JSON array), if it wants them.
    public func committed(_ eventsJSON: String) {
        guard table.pointee.size >= PluginTableSize.withCommitted, let committed = table.pointee.committed else {
            return
        }
        var text = eventsJSON
        text.withUTF8 { buffer in
            committed(table.pointee.context, rcp_bytes(data: buffer.baseAddress, len: buffer.count))
        }
    }

    /// Tells the plugin the daemon is stopping: it finishes its own queued work within `grace`
    /// while background writes still commit. Plugins built before the hook existed are skipped.
    public func stop(grace: Duration) {
        guard table.pointee.size >= PluginTableSize.withStop, let stop = table.pointee.stop else { return }
        let milliseconds = grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000
        stop(table.pointee.context, UInt32(clamping: max(0, milliseconds)))
    }

    /// Tells the plugin the daemon is ready: it starts its own timers. Plugins built before the
    /// hook existed are skipped.
    public func started() {
        guard table.pointee.size >= PluginTableSize.withStarted, let started = table.pointee.started else { return }
        started(table.pointee.context)
    }

    /// Tells the plugin the daemon has stopped: the last thing before its connections close.
    public func shutdown() {
        table.pointee.shutdown(table.pointee.context)
    }

    private func take(_ bytes: rcp_owned_bytes) -> [UInt8] {
        guard let data = bytes.data else { return [] }
        let copy = Array(UnsafeBufferPointer(start: data, count: bytes.len))
        table.pointee.release(table.pointee.context, bytes)
        return copy
    }
}

/// How long a plugin table is that has a given appended member (the ABI only ever appends:
/// `started` is the last member, `stop` the one before, `committed` the one before that).
/// `MemoryLayout.offset(of:)` gives `nil` for the members of an imported C struct, so the sizes
/// are counted from the end.
enum PluginTableSize {
    /// A table with `started`: all of today's table.
    static let withStarted = UInt32(MemoryLayout<rcp_plugin>.size)
    /// A table with `stop`: all but `started`.
    static let withStop = withStarted - UInt32(MemoryLayout<UnsafeRawPointer?>.size)
    /// A table with `committed`: all but `stop` and `started`.
    static let withCommitted = withStop - UInt32(MemoryLayout<UnsafeRawPointer?>.size)
}

/// The host's state for one call: the events it emitted and the logger tagged for it.
public final class CallContext: @unchecked Sendable {
    // Used only on the thread running the call, for the call's duration.
    /// Events queued by the call as (topic, data JSON text), in emit order.
    public private(set) var events: [(topic: String, data: String)] = []
    /// Topics the plugin may emit.
    let allowedTopics: Set<String>
    private let makeLogger: @Sendable () -> Logger
    /// The call's logger, tagged with its connection and request: built on first use only (most
    /// calls never log, and building the metadata cost more than a badge lookup).
    lazy var logger: Logger = makeLogger()
    /// An event with an undeclared topic: reported after the call.
    public private(set) var badTopic: String?
    /// Runs another plugin's method inside this call (the host table's `call`): method and params
    /// bytes to the result JSON text or the error. Set by the daemon; `nil` refuses such calls.
    public var neighbour: ((String, [UInt8]) -> Result<String, RPCError>)?

    /// Creates a call context.
    public init(logger: @autoclosure @escaping @Sendable () -> Logger, allowedTopics: Set<String>) {
        self.makeLogger = logger
        self.allowedTopics = allowedTopics
    }

    /// Set when a method called inside this one failed in a way that ended the transaction:
    /// the call fails with it, whatever the plugin answered.
    public private(set) var poisoned: RPCError?

    /// Fails this call with `error`, whatever the plugin answers (the first error wins).
    public func poison(_ error: RPCError) { if poisoned == nil { poisoned = error } }

    /// Adds the events a method called inside this one emitted (already checked against its
    /// own plugin's topics), after this call's own events so far.
    public func adopt(_ events: [(topic: String, data: String)]) { self.events.append(contentsOf: events) }

    /// Runs `method` through ``neighbour``.
    func callNeighbour(_ method: String, _ params: [UInt8]) -> Result<String, RPCError> {
        guard let neighbour else {
            return .failure(RPCError(.unavailable, "\(method) cannot be called from inside this call"))
        }
        return neighbour(method, params)
    }

    static let emitCallback: @convention(c) (UnsafeMutableRawPointer?, rcp_bytes, rcp_bytes) -> Void = {
        context, topic, data in
        guard let context else { return }
        let call = Unmanaged<CallContext>.fromOpaque(context).takeUnretainedValue()
        let topicText = String(decoding: UnsafeBufferPointer(start: topic.data, count: topic.len), as: UTF8.self)
        guard call.allowedTopics.contains(topicText) else {
            call.badTopic = topicText
            return
        }
        let dataText = String(decoding: UnsafeBufferPointer(start: data.data, count: data.len), as: UTF8.self)
        call.events.append((topicText, dataText))
    }

    static let logCallback: @convention(c) (UnsafeMutableRawPointer?, Int32, rcp_bytes) -> Void = {
        context, level, message in
        guard let context else { return }
        let call = Unmanaged<CallContext>.fromOpaque(context).takeUnretainedValue()
        let text = String(decoding: UnsafeBufferPointer(start: message.data, count: message.len), as: UTF8.self)
        call.logger.log(level: LogLevelMapping.level(level), "\(text)")
    }
}

/// Maps ABI log levels to swift-log levels.
enum LogLevelMapping {
    static func level(_ raw: Int32) -> Logger.Level {
        switch raw {
        case RCP_LOG_TRACE: return .trace
        case RCP_LOG_DEBUG: return .debug
        case RCP_LOG_INFO: return .info
        case RCP_LOG_NOTICE: return .notice
        case RCP_LOG_WARNING: return .warning
        case RCP_LOG_ERROR: return .error
        default: return .critical
        }
    }
}
