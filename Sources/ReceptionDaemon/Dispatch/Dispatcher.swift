import Foundation
import Logging
import NIOCore
import ReceptionPluginHost
import ReceptionProtocol
import ReceptionStore
import Synchronization

/// What the dispatcher answers a line with.
enum DispatchReply: Sendable {
    /// The reply (or `nil` for notifications) is ready now: no task, no hop.
    case immediate(String?)
    /// The outcome comes from a reader thread or the writer (no task on the way); `frame` turns
    /// it into the reply line, on the connection's event loop rather than on the writer.
    case pending(Pending<Outcome>, frame: @Sendable (Outcome) -> String?)
    /// The reply needs another task (built-ins that wait, batches). `elements` is the number of
    /// requests in a batch, 0 for a single request.
    case deferred(@Sendable () async -> String?, elements: Int)

    /// How many requests the reply answers against the connection's in-flight limit: a batch's
    /// element count, 0 for a single request (which counts as one).
    var weight: Int {
        if case .deferred(_, let elements) = self { return elements }
        return 0
    }
}

/// Turns request lines into reply lines: parses the envelope, handles batches and
/// notifications, checks roles and params, and routes to a built-in or a plugin.
///
/// Every error of every layer becomes a reply in ``RPCResponse/failure(id:error:)``; nothing
/// else writes error JSON.
final class Dispatcher: Sendable {
    let registry: PluginRegistry
    let store: Store
    let hub: EventHub
    let stats: RequestStats
    let settings: SettingsBox
    let builtins: Builtins
    let logger: Logger
    /// The daemon-wide account of reply bytes in memory (`reply_memory_bytes`).
    let replyMemory: ReplyMemory
    private let drainingFlag = LockedFlag()
    /// `forbidden` refusals, logged at notice once per method and uid per minute, with a count.
    private let forbiddenLog: RepeatingErrorLog

    init(
        registry: PluginRegistry, store: Store, hub: EventHub, stats: RequestStats, settings: SettingsBox,
        builtins: Builtins, replyMemory: ReplyMemory, logger: Logger
    ) {
        self.replyMemory = replyMemory
        self.stats = stats
        self.registry = registry
        self.store = store
        self.hub = hub
        self.settings = settings
        self.builtins = builtins
        self.logger = logger
        forbiddenLog = RepeatingErrorLog(subject: "refused calls", level: .notice, maxCauses: 64, logger: logger)
    }

    /// Once set, new requests answer `unavailable` while in-flight ones finish.
    func beginDraining() { drainingFlag.set() }

    /// Handles one line from a connection.
    func handle(line: ByteBuffer, connection: ConnectionState) -> DispatchReply {
        let json: JSONValue
        let paramsRange: Range<Int>?
        do {
            (json, paramsRange) = try JSONValue.parseRecordingParams(line.readableBytesView)
        } catch {
            stats.started()
            stats.finished(error: .parse)
            return .immediate(RPCResponse.failure(id: .null, error: .parseError(error.reason)))
        }
        switch json {
        case .array(let elements):
            return batch(elements, connection: connection)
        default:
            // The params go to a plugin as the client wrote them: one copy of their bytes, not
            // the parsed value written out again (ABI 2).
            let rawParams = paramsRange.flatMap { range -> [UInt8]? in
                guard line.getInteger(at: line.readerIndex + range.lowerBound, as: UInt8.self) == UInt8(ascii: "{")
                else { return nil }
                return line.getBytes(at: line.readerIndex + range.lowerBound, length: range.count)
            }
            return single(json, connection: connection, rawParams: rawParams)
        }
    }

    private func single(
        _ json: JSONValue, connection: ConnectionState, batch: BatchBudget? = nil, rawParams: [UInt8]? = nil
    ) -> DispatchReply {
        let request: RPCRequest
        switch RPCRequest.from(json) {
        case .failure(let failure):
            stats.started()
            stats.finished(error: failure.error.kind)
            return .immediate(RPCResponse.failure(id: failure.id, error: failure.error))
        case .success(let parsed):
            request = parsed
        }
        stats.started()
        // A read's result past the limit is refused rather than sent; a write's reply always goes
        // out, since its change is committed (write results are small). The method's access is
        // looked up only for a batch element or a result over the limit.
        let maxReply = replyMemory.maxReplyBytes
        let method = request.method
        let bound: @Sendable (Outcome) -> Outcome = { [self] outcome in
            if let batch { return batch.admit(outcome, isRead: access(of: method) != .write) }
            return Self.capped(outcome, at: maxReply) { access(of: method) != .write }
        }
        switch route(request, connection: connection, batch: batch, rawParams: rawParams) {
        case .now(let outcome):
            return .immediate(finish(request, bound(outcome), connection))
        case .later(let work):
            return .deferred({ [self] in finish(request, bound(await work()), connection) }, elements: 0)
        case .pending(let outcome):
            if let batch {
                // Admitted as each result arrives (on its reader), so a refused result is freed
                // at once rather than held until the batch's earlier elements are done.
                let admitted = Pending<Outcome>()
                outcome.whenComplete { admitted.complete(bound($0)) }
                return .pending(admitted, frame: { [self] in finish(request, $0, connection) })
            }
            // Counted against the daemon-wide budget as soon as the reader has made it, so that
            // results piling up behind a client that reads nothing cannot pass the budget (a
            // read refused with `limit` frees its result at once). The connection takes the
            // bytes over when it frames the reply.
            // Small results (under ``reservedResultBytes``) are counted only when the connection
            // frames them: the shared counters are not touched twice per request on the hot path,
            // and what can pile up uncounted is at most max_connections × max_in_flight × 4 KiB.
            let admitted = Pending<Outcome>()
            outcome.whenComplete { [self] result in
                admitted.complete(reserve(result, isRead: { access(of: method) != .write }))
            }
            return .pending(
                admitted,
                frame: { [self] result in
                    if case .success(.raw(let text)) = result, text.utf8.count >= Self.reservedResultBytes {
                        replyMemory.release(text.utf8.count)
                    }
                    return finish(request, bound(result), connection)
                })
        }
    }

    /// Results at least this large are counted in ``ReplyMemory`` as soon as they are made.
    static let reservedResultBytes = 4096

    /// `outcome` with its result counted in ``ReplyMemory``; a read's result that does not fit
    /// in the daemon's budget becomes a `limit` error (a write's is counted regardless: its
    /// change is committed).
    private func reserve(_ outcome: Outcome, isRead: () -> Bool) -> Outcome {
        guard case .success(.raw(let text)) = outcome else { return outcome }
        let size = text.utf8.count
        if size < Self.reservedResultBytes || replyMemory.reserve(size) { return outcome }
        if !isRead() {
            replyMemory.add(size)
            return outcome
        }
        return .failure(
            RPCError(
                .limit,
                "the daemon is holding its limit of \(replyMemory.limit) bytes of unread replies; this read's result was not kept. Retry shortly",
                details: ["limit": .int(Int64(replyMemory.limit))]))
    }

    /// Whether `method` reads, writes or acts on the connection (`nil`: unknown method).
    private func access(of method: String) -> MethodDescriptor.Access? {
        if let builtin = builtins.table[method] { return builtin.descriptor.access }
        return registry.route(method)?.1.access
    }

    /// `outcome`, or a `limit` error when its result is longer than `limit` bytes and
    /// `isRead()` says it changed nothing.
    static func capped(_ outcome: Outcome, at limit: Int, isRead: () -> Bool) -> Outcome {
        switch outcome {
        case .success(.raw(let text)) where text.utf8.count > limit && isRead():
            return .failure(BatchBudget.tooLarge(bytes: text.utf8.count, limit: limit, batch: false))
        case .success(.value(let value)):
            let text = value.serialized()
            if text.utf8.count > limit, isRead() {
                return .failure(BatchBudget.tooLarge(bytes: text.utf8.count, limit: limit, batch: false))
            }
            return .success(.raw(text))
        default:
            return outcome
        }
    }

    private func batch(_ elements: [JSONValue], connection: ConnectionState) -> DispatchReply {
        guard !elements.isEmpty else {
            return .immediate(RPCResponse.failure(id: .null, error: .invalidRequest("a batch must not be empty")))
        }
        let limit = settings.current.limits.maxBatch
        guard elements.count <= limit else {
            return .immediate(
                RPCResponse.failure(
                    id: .null,
                    error: RPCError(
                        .limit, "batch of \(elements.count) requests exceeds the limit of \(limit)",
                        details: ["limit": .int(Int64(limit))])))
        }
        // Every element is routed now, in order (so its writes queue in order); replies are
        // collected as they complete, within `max_reply_bytes` for the whole batch.
        let budget = BatchBudget(limit: replyMemory.maxReplyBytes, memory: replyMemory)
        let parts = elements.map { single($0, connection: connection, batch: budget) }
        return .deferred(
            {
                var replies: [String] = []
                for part in parts {
                    switch part {
                    case .immediate(let reply): if let reply { replies.append(reply) }
                    case .pending(let outcome, let frame):
                        if let reply = frame(await outcome.value) { replies.append(reply) }
                    case .deferred(let work, _): if let reply = await work() { replies.append(reply) }
                    }
                }
                // The connection accounts for the joined line itself once it has it.
                defer { budget.finish() }
                return replies.isEmpty ? nil : "[" + replies.joined(separator: ",") + "]"
            }, elements: elements.count)
    }

    /// The reply line for `outcome` (`nil` for a notification); an error's message is in the
    /// language the connection asked for in `daemon.hello`, when it has a translation.
    private func finish(_ request: RPCRequest, _ outcome: Outcome, _ connection: ConnectionState) -> String? {
        switch outcome {
        case .success:
            stats.finished(error: nil)
        case .failure(let error):
            stats.finished(error: error.kind)
        }
        guard let id = request.id else { return nil }
        switch outcome {
        case .success(.value(let value)): return RPCResponse.success(id: id, result: value)
        case .success(.raw(let text)): return RPCResponse.success(id: id, rawResult: text)
        case .failure(let error):
            return RPCResponse.failure(id: id, error: error.presented(in: connection.language))
        }
    }

    /// Routes one valid request.
    private func route(
        _ request: RPCRequest, connection: ConnectionState, batch: BatchBudget? = nil, rawParams: [UInt8]? = nil
    ) -> Step {
        let method = request.method
        if let builtin = builtins.table[method] {
            if let refusal = check(builtin.descriptor, request, connection) { return .now(.failure(refusal)) }
            let step = builtin.run(request.params, connection)
            // Read your own writes holds for built-in reads too (audit.query after a write).
            if case .later(let work) = step, builtin.descriptor.access == .read,
                let precedingWrite = connection.lastWrite
            {
                return .later {
                    _ = await precedingWrite.value
                    return await work()
                }
            }
            return step
        }
        if let (record, descriptor) = registry.route(method), descriptor.role != .system {
            guard record.isLoaded, let library = record.library else {
                return .now(.failure(unavailable(record)))
            }
            if let refusal = check(descriptor, request, connection) {
                if descriptor.access == .write { auditRefusal(request, descriptor, connection, refusal) }
                return .now(.failure(refusal))
            }
            return callPlugin(library, record, descriptor, request, connection, batch: batch, rawParams: rawParams)
        }
        if let record = registry.failedOwner(of: method) {
            return .now(.failure(unavailable(record)))
        }
        return .now(.failure(.methodNotFound(method)))
    }

    /// Runs a plugin's background write (`submit_write`) on the writer as the daemon itself.
    /// Only the plugin's own write methods are accepted; the outcome is logged and audited.
    func submitInternal(plugin: String, method: String, params: [UInt8]) {
        guard let (record, descriptor) = registry.route(method), record.name == plugin, descriptor.access == .write,
            record.isLoaded, let library = record.library
        else {
            logger.error("plugin \(plugin) submitted \(method), which is not one of its write methods; ignored")
            return
        }
        guard let params = try? JSONValue.parse(params), case .object = params else {
            logger.error("plugin \(plugin) submitted \(method) with params that are not a JSON object; ignored")
            return
        }
        // While the daemon drains, background writes still run (a plugin's shutdown hook
        // finishes its queued work through them); once the writer has stopped it refuses them.
        // Checked like any call (schema, bounds, unknown members), as the daemon itself.
        if let refusal = CallAdmission.refusal(descriptor, params: params, role: "system", uid: 0, adminGroup: nil) {
            logger.warning("background \(method) refused: \(refusal)", metadata: ["plugin": "\(plugin)"])
            return
        }
        let request = RPCRequest(id: nil, method: method, params: params)
        let step = callPlugin(library, record, descriptor, request, ConnectionState.system)
        guard case .pending(let pending) = step else { return }
        stats.started()
        pending.whenComplete { [stats, logger] outcome in
            switch outcome {
            case .success: stats.finished(error: nil)
            case .failure(let error) where error.kind == .storage:
                // The writer logs storage failures, once per cause per minute.
                stats.finished(error: error.kind)
                logger.debug("background \(method) failed: \(error)", metadata: ["plugin": "\(plugin)"])
            case .failure(let error):
                stats.finished(error: error.kind)
                logger.warning("background \(method) failed: \(error)", metadata: ["plugin": "\(plugin)"])
            }
        }
    }

    func unavailable(_ record: PluginRegistry.Record) -> RPCError {
        RPCError(
            .unavailable, "plugin \(record.name) is not available: \(record.error ?? "not loaded")",
            details: ["plugin": .string(record.name)])
    }

    /// Draining, role and params checks shared by built-ins and plugins.
    private func check(_ descriptor: MethodDescriptor, _ request: RPCRequest, _ connection: ConnectionState)
        -> RPCError?
    {
        if drainingFlag.isSet, descriptor.name != "daemon.ping" {
            return RPCError(.unavailable, "the daemon is shutting down; retry shortly")
        }
        return CallAdmission.refusal(
            descriptor, params: request.params, role: connection.role, uid: Int(connection.peer.uid),
            adminGroup: settings.adminGroup)
    }

    private func callPlugin(
        _ library: PluginLibrary, _ record: PluginRegistry.Record, _ descriptor: MethodDescriptor,
        _ request: RPCRequest,
        _ connection: ConnectionState, batch: BatchBudget? = nil, rawParams: [UInt8]? = nil
    ) -> Step {
        let requestID = connection.nextRequestID()
        let caller = connection.caller(requestID: requestID)
        let params = rawParams ?? request.params.serializedBytes()
        let baseLogger = logger
        let method = request.method
        // The tagged logger is built only when something is logged.
        let identity = connection.identity
        let pluginLogger: @Sendable () -> Logger = {
            var callLogger = baseLogger
            for (key, value) in connection.metadata(requestID: requestID, method: method, identity: identity) {
                callLogger[metadataKey: key] = value
            }
            return callLogger
        }
        let topics = record.topics
        let background = connection.role == "system"
        switch descriptor.access {
        case .read, .connection:
            let readers = store.readers
            let outcome = Pending<Outcome>()
            let read: @Sendable () -> Void = {
                readers.submit { handle in
                    guard let handle else {
                        outcome.complete(.failure(RPCError(.unavailable, "the daemon is shutting down")))
                        return
                    }
                    // The batch's replies are already over its limit: this read would be refused.
                    if let batch, let refusal = batch.refusal {
                        outcome.complete(.failure(refusal))
                        return
                    }
                    let result = ReadTransaction.run(handle) {
                        let context = CallContext(logger: pluginLogger(), allowedTopics: [])
                        context.neighbour = self.neighbourCalls(
                            connection: connection, caller: caller, db: handle, writable: false, parent: context,
                            depth: 0, logger: pluginLogger)
                        return Dispatcher.run(context) {
                            library.call(
                                method: method, params: params, caller: caller, db: handle, writable: false,
                                context: context)
                        }
                    }
                    outcome.complete(result.map { .raw($0) })
                }
            }
            // Read your own writes: a read pipelined after a write runs once the write is durable.
            if let precedingWrite = connection.lastWrite {
                precedingWrite.whenComplete { _ in read() }
            } else {
                read()
            }
            return .pending(outcome)
        case .write:
            let audit = auditRecord(request, descriptor, connection, requestID: requestID)
            // Queued now, in the order lines are read, not when a task gets to run.
            let ticket = WriteTicket()
            store.writer.submit(
                WriteJob(
                    audit: audit,
                    body: { db in
                        let context = CallContext(logger: pluginLogger(), allowedTopics: topics)
                        context.neighbour = self.neighbourCalls(
                            connection: connection, caller: caller, db: db, writable: true, parent: context,
                            depth: 0, logger: pluginLogger)
                        var result = Dispatcher.run(context) {
                            library.call(
                                method: method, params: params, caller: caller, db: db, writable: true,
                                context: context)
                        }
                        if let bad = context.badTopic {
                            result = .failure(.internalError("plugin emitted undeclared event topic \(bad)"))
                        }
                        if let poisoned = context.poisoned { result = .failure(poisoned) }
                        // Who made the change travels with each event, as the audit record names them.
                        let events = context.events.map {
                            PendingEvent(
                                topic: $0.topic, data: $0.data, workstation: audit.workstation,
                                operator: audit.operator)
                        }
                        return (result, events)
                    }, completion: { ticket.complete($0) }))
            connection.lastWrite = ticket
            return .pending(
                ticket.map { outcome in
                    switch outcome {
                    case .success:
                        // The access log of changes: every committed write a client made, at info
                        // with who and where (the plugin's own background writes, such as a minute
                        // sweep, at debug: no journal lines at idle).
                        if background {
                            if baseLogger.logLevel <= .debug { pluginLogger().debug("\(method) committed") }
                        } else if baseLogger.logLevel <= .info {
                            pluginLogger().info("\(method) committed")
                        }
                    case .failure(let error) where error.kind == .internal:
                        pluginLogger().error("\(method) failed: \(error)")
                    case .failure(let error) where error.kind == .storage:
                        // The writer logs storage failures, once per cause per minute.
                        if baseLogger.logLevel <= .debug { pluginLogger().debug("\(method) failed: \(error)") }
                    case .failure(let error):
                        if baseLogger.logLevel <= .debug { pluginLogger().debug("\(method) refused: \(error)") }
                    }
                    return outcome.map { .raw($0) }
                })
        }
    }

    private func auditRecord(
        _ request: RPCRequest, _ descriptor: MethodDescriptor, _ connection: ConnectionState, requestID: String
    ) -> AuditRecord {
        AuditRecord(
            time: Date(), uid: connection.peer.uid, gid: connection.peer.gid, pid: connection.peer.pid,
            role: connection.role, workstation: connection.workstation, operator: connection.operatorName,
            requestID: requestID, method: request.method,
            params: Redaction.capped(Redaction.apply(request.params, keys: descriptor.redact)).serialized())
    }

    /// A refused write (forbidden, invalid params) is counted in the store's refusal ledger:
    /// who tried what, per method and kind, without a durable row each. A `forbidden` one is
    /// logged at notice, once per method and uid per minute with a count.
    private func auditRefusal(
        _ request: RPCRequest, _ descriptor: MethodDescriptor, _ connection: ConnectionState, _ error: RPCError
    ) {
        let record = auditRecord(request, descriptor, connection, requestID: connection.nextRequestID())
        store.recordRefusal(record, error: error)
        if error.kind == .forbidden {
            forbiddenLog.record(
                key: "\(request.method) uid \(connection.peer.uid)",
                summary: "\(request.method) forbidden to uid \(connection.peer.uid)",
                message: "\(request.method) refused: \(error)", metadata: connection.metadata(method: request.method))
        } else if logger.logLevel <= .debug {
            logger.debug("\(request.method) refused: \(error)", metadata: connection.metadata(method: request.method))
        }
    }
}

/// A method's outcome before it is framed: a value to serialize or a plugin's JSON text.
enum Payload: Sendable {
    case value(JSONValue)
    case raw(String)
}

typealias Outcome = Result<Payload, RPCError>

/// A routed request: done now, running on a reader or the writer, or work for a task.
enum Step: Sendable {
    case now(Outcome)
    case pending(Pending<Outcome>)
    case later(@Sendable () async -> Outcome)
}

/// A flag set once, read from any thread (on every request: an atomic, not a lock).
final class LockedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// The current daemon settings, replaced whole on reload.
final class SettingsBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var config: DaemonConfig
    init(_ config: DaemonConfig) { self.config = config }
    var current: DaemonConfig { lock.withLock { config } }
    /// The admin group alone, read on every request without copying the whole config.
    var adminGroup: String? { lock.withLock { config.adminGroup } }
    func replace(_ new: DaemonConfig) { lock.withLock { config = new } }
}
