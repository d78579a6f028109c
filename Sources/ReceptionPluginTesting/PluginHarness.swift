import Foundation
import GRDBSQLite
@_spi(Runtime) import ReceptionPluginSDK

/// Runs a department in-process, the way the daemon runs it, for tests of its rules.
///
/// ```swift
/// let desk = try PluginHarness(AccessPlugin.self, config: [:], caller: .operator("li.na"))
/// let issued = try desk.call("access.badges.issue", ["kind": "tenant", ...])
/// #expect(try desk.callError("access.badges.issue", [...]).rule == "tenant_within_lease")
/// ```
///
/// What it shares with the daemon, so that a test that passes here passes over the socket:
/// - the manifest is read and checked by the contract's ``PluginManifest`` (a schema keyword the
///   daemon does not enforce fails the harness's init, as it fails the plugin's load);
/// - every call passes ``CallAdmission`` (role, then params against the schema, `-32602` naming
///   the field) and runs through the SDK's ``PluginRuntime``, the code behind the C ABI;
/// - the caller is a ``CallerRecord`` with the harness clock's time as `now`;
/// - a write runs in its own savepoint on the writer connection, rolled back when it fails,
///   its events published (numbered, timed) only when it commits, and then handed to the
///   plugin's `committed` hook; its audit record keeps what ``Redaction`` keeps;
/// - a read runs in a read transaction on a separate read-only connection.
///
/// What it does not: sockets, batches, limits on replies, the daemon's audit table. Those are
/// tested through the real daemon. Every statement a call runs is also checked against
/// ``PortableSQL``: a department's SQL must run on PostgreSQL too.
///
/// With `neighbours`, the harness serves their methods too (a test puts parcels on the shelf
/// through `parcels.receive` before the department under test reads them through `context.call`).
///
/// Not thread-safe: one test drives one harness.
public final class PluginHarness<Plugin: DepartmentPlugin> {
    /// Who calls next (change it between calls).
    public var caller: TestCaller
    /// The clock every call reads.
    public let clock: TestClock
    /// Every event committed so far, in order.
    public private(set) var events: [HarnessEvent] = []
    /// The events of the last call (empty when it failed or emitted none).
    public private(set) var lastEvents: [HarnessEvent] = []
    /// The audit record of every write call, committed or not.
    public private(set) var audit: [HarnessAuditRecord] = []
    /// What the plugin logged, as (level, message).
    public var logLines: [(level: Int32, message: String)] { log.lines }
    /// Background calls the plugin submitted and ``runBackground()`` has not run yet.
    public var pendingBackground: [(method: String, params: String)] { background.queued }
    /// The manifest, as the daemon read it.
    public let manifest: PluginManifest
    /// The property's time zone the plugin runs in (the daemon's `[daemon] time_zone`).
    public let timeZone: TimeZone

    private let runtime: PluginRuntime<Plugin>
    private let directory: URL
    private let writer: OpaquePointer
    private let reader: OpaquePointer
    private let background = BackgroundQueue()
    private let log = LogCollector()
    private var sequence: Int64 = 0
    private var requests = 0
    private var closed = false
    /// The departments run beside this one, by name.
    private var neighbours: [String: Department] = [:]
    /// The plugin's migrations not applied yet (``init(_:config:caller:clock:timeZone:neighbours:migrations:)``
    /// was told to stop early); ``migrate()`` applies them.
    private var unapplied: [MigrationDescriptor] = []

    /// Builds the plugin from `config` (its `[plugins.<name>]` section) on a new SQLite file in
    /// a temporary directory with its migrations applied, for a property in `timeZone` (the
    /// daemon's `[daemon] time_zone`: days, opening hours and `context.today` follow it).
    /// `neighbours` are other departments the plugin calls (their migrations are applied too).
    public init(
        _ plugin: Plugin.Type, config: JSONValue = .object([:]), caller: TestCaller = .operator("li.na"),
        clock: TestClock = TestClock(), timeZone: TimeZone = .current, neighbours: [Neighbour] = [],
        migrations applied: Int? = nil
    ) throws {
        self.caller = caller
        self.clock = clock
        self.timeZone = timeZone
        let background = self.background
        let log = self.log
        let work = BackgroundWork(
            submit: { method, params in background.append(method, params) },
            log: { level, message in log.append(level, message) })
        runtime = PluginRuntime<Plugin>(background: work, timeZone: timeZone)
        manifest = try PluginManifest(json: JSONValue.parse(runtime.describe()))
        var departments: [Department] = []
        for neighbour in neighbours {
            // A neighbour's background work is not run by the harness (it is not the plugin under test).
            let department = try neighbour.make(
                timeZone, BackgroundWork(submit: { _, _ in }, log: { level, message in log.append(level, message) }))
            departments.append(department)
            self.neighbours[neighbour.name] = department
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "receptiond-harness-\(Plugin.name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("receptiond.sqlite").path
        writer = try Self.open(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        // As the daemon's writer (GRDB) has them: WAL, foreign keys enforced. Not durable (the
        // daemon's synchronous = FULL): a test's database is thrown away, and an fsync per
        // commit made a rule test wait on the disk.
        try Self.exec(writer, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF")
        let own = manifest.migrations.prefix(applied ?? manifest.migrations.count)
        unapplied = Array(manifest.migrations.dropFirst(own.count))
        for migration in departments.flatMap(\.manifest.migrations) + own {
            try Self.apply(migration, on: writer)
        }
        reader = try Self.open(path, flags: SQLITE_OPEN_READONLY)
        PortableSQL.enforce(true, on: SQLiteConnection(handle: writer))
        PortableSQL.enforce(true, on: SQLiteConnection(handle: reader))
        for department in departments {
            if let error = department.configure() { throw error }
        }
        if let error = runtime.configure(config) { throw error }
    }

    /// Tells the plugin the daemon is ready (its ``DepartmentPlugin/started(background:)``), as
    /// the daemon does once at start: a plugin starts its timers here. What they submit waits in
    /// ``pendingBackground`` for ``runBackground()``.
    public func start() {
        runtime.started()
    }

    deinit { close() }

    /// Calls `method` with `params` as ``caller``; the result, or the error the daemon would answer.
    @discardableResult
    public func call(_ method: String, _ params: JSONValue = .object([:])) throws(RPCError) -> JSONValue {
        try run(method, params, as: caller).get()
    }

    /// Calls `method`, which must fail; the error. Throws ``HarnessFailure`` when it succeeds.
    public func callError(_ method: String, _ params: JSONValue = .object([:])) throws -> RPCError {
        switch run(method, params, as: caller) {
        case .success(let result):
            throw HarnessFailure(description: "\(method) succeeded, expected an error: \(result.serialized())")
        case .failure(let error):
            return error
        }
    }

    /// Runs the background calls the plugin submitted (as the daemon itself, role `system`),
    /// including those they submit in turn; their errors.
    @discardableResult
    public func runBackground() -> [RPCError] {
        var errors: [RPCError] = []
        while let (method, params) = background.next() {
            // As the daemon: only the plugin's own write methods run as background work.
            guard manifest.methods.first(where: { $0.name == method })?.access == .write else {
                errors.append(RPCError(.internal, "background work submitted \(method), which is not a write method"))
                continue
            }
            let parsed = (try? JSONValue.parse(params)) ?? .null
            if case .failure(let error) = run(method, parsed, as: .system) { errors.append(error) }
        }
        return errors
    }

    /// Runs a read-only query on the database (to look at what a call stored).
    public func query(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> [Row] {
        try SQLiteConnection(handle: reader).query(sql, arguments)
    }

    /// Calls the plugin's shutdown hook, then closes the database and removes its directory.
    public func shutdown(within grace: Duration = .seconds(5)) {
        runtime.stop(within: grace)
        close()
    }

    // MARK: The call path

    private func run(_ method: String, _ params: JSONValue, as caller: TestCaller) -> Result<JSONValue, RPCError> {
        lastEvents = []
        guard !closed else { return .failure(RPCError(.unavailable, "the harness is shut down")) }
        // A neighbour's own methods are served too (to put things on its registers), as the
        // daemon serves every loaded department.
        let owner = method.split(separator: ".").first.map(String.init) ?? method
        let department = owner == Plugin.name ? nil : neighbours[owner]
        let methods = department?.manifest.methods ?? manifest.methods
        guard let descriptor = methods.first(where: { $0.name == method }),
            descriptor.role != .system || department == nil
        else {
            return .failure(.methodNotFound(method))
        }
        let handle:
            (
                String, [UInt8], CallerRecord, OpaquePointer, @escaping @Sendable (Int32, String) -> Void,
                ((String, String) -> Void)?, ((String, String) -> Result<String, RPCError>)?
            ) -> Result<String, RPCError> =
                department?.handle ?? { [runtime] method, params, caller, db, log, emit, neighbour in
                    runtime.handle(
                        method: method, params: params, caller: caller, db: db, log: log, emit: emit,
                        neighbour: neighbour)
                }
        if let refusal = CallAdmission.refusal(
            descriptor, params: params, role: caller.role, uid: caller.uid, adminGroup: nil)
        {
            if descriptor.access == .write { record(descriptor, params, caller, error: refusal) }
            return .failure(refusal)
        }
        requests += 1
        let callerRecord = CallerRecord(
            uid: caller.uid, gid: caller.uid, pid: Int(getpid()), role: caller.role, workstation: caller.workstation,
            operator: caller.operator, requestId: "h-\(requests)", nowMs: EpochMillis.of(clock.now))
        let paramsBytes = params.serializedBytes()
        let log = self.log
        let logSink: @Sendable (Int32, String) -> Void = { level, message in log.append(level, message) }
        let outcome: Result<String, RPCError>
        switch descriptor.access {
        case .read, .connection:
            guard sqlite3_exec(reader, "BEGIN", nil, nil, nil) == SQLITE_OK else {
                return .failure(RPCError(.storage, "cannot begin a read"))
            }
            outcome = handle(
                method, paramsBytes, callerRecord, reader, logSink, nil,
                neighbourCalls(
                    caller: caller, callerRecord: callerRecord, db: reader, emitted: nil, log: logSink, depth: 0))
            sqlite3_exec(reader, "COMMIT", nil, nil, nil)
            if sqlite3_txn_state(reader, nil) != SQLITE_TXN_NONE { sqlite3_exec(reader, "ROLLBACK", nil, nil, nil) }
        case .write:
            let emitted = EmittedEvents()
            guard sqlite3_exec(writer, "SAVEPOINT job", nil, nil, nil) == SQLITE_OK else {
                return .failure(RPCError(.storage, "cannot begin a write"))
            }
            let topics = Set(department?.manifest.topics ?? manifest.topics)
            var result = handle(
                method, paramsBytes, callerRecord, writer, logSink,
                { topic, data in emitted.append(topic, data, allowed: topics) },
                neighbourCalls(
                    caller: caller, callerRecord: callerRecord, db: writer, emitted: emitted, log: logSink, depth: 0))
            if case .success = result, let bad = emitted.badTopic {
                result = .failure(.internalError("plugin emitted undeclared event topic \(bad)"))
            }
            if case .success = result, sqlite3_exec(writer, "RELEASE job", nil, nil, nil) != SQLITE_OK {
                // The release of the outermost savepoint is the commit: a failure there (a deferred
                // constraint) fails the call, as the daemon's COMMIT would.
                let message = String(cString: sqlite3_errmsg(writer))
                result = .failure(RPCError(.storage, "the change was not saved: \(message)"))
            }
            switch result {
            case .success:
                record(descriptor, params, caller, error: nil)
                publish(emitted.list, method: method)
            case .failure(let error):
                sqlite3_exec(writer, "ROLLBACK TO job", nil, nil, nil)
                sqlite3_exec(writer, "RELEASE job", nil, nil, nil)
                record(descriptor, params, caller, error: error)
            }
            outcome = result
        }
        return outcome.flatMap { text in
            do {
                return .success(try JSONValue.parse(text))
            } catch {
                return .failure(.internalError("\(method) returned a result that is not JSON: \(text)"))
            }
        }
    }

    /// The `call` handler for a call as `caller`: routes to a neighbour (or the plugin itself),
    /// as the daemon does (role and params checked, a savepoint in a write, events adopted).
    private func neighbourCalls(
        caller: TestCaller, callerRecord: CallerRecord, db: OpaquePointer, emitted: EmittedEvents?,
        log: @escaping @Sendable (Int32, String) -> Void, depth: Int
    ) -> (String, String) -> Result<String, RPCError> {
        { [self] method, paramsText in
            let name = method.split(separator: ".").first.map(String.init) ?? method
            let department: Department?
            if name == Plugin.name {
                let runtime = self.runtime
                department = Department(
                    manifest: manifest, configure: { nil },
                    handle: { method, params, caller, db, log, emit, neighbour in
                        runtime.handle(
                            method: method, params: params, caller: caller, db: db, log: log, emit: emit,
                            neighbour: neighbour)
                    }, committed: { _ in })
            } else {
                department = neighbours[name]
            }
            guard let department,
                let descriptor = department.manifest.methods.first(where: { $0.name == method }),
                descriptor.role != .system, descriptor.access != .connection
            else {
                return .failure(
                    RPCError(
                        .unavailable, "the \(name) department is not loaded: nothing serves \(method)",
                        details: ["plugin": .string(name), "method": .string(method)]))
            }
            guard depth < 4 else { return .failure(.internalError("calls between departments nest deeper than 4")) }
            guard descriptor.access == .read || emitted != nil else {
                return .failure(.internalError("\(method) changes data: a read cannot call it"))
            }
            let params = (try? JSONValue.parse(Array(paramsText.utf8))) ?? .null
            if let refusal = CallAdmission.refusal(
                descriptor, params: params, role: caller.role, uid: caller.uid, adminGroup: nil)
            {
                return .failure(refusal)
            }
            let child = emitted.map { _ in EmittedEvents() }
            let topics = Set(department.manifest.topics)
            let savepoint = "neighbour_\(depth)"
            if child != nil { sqlite3_exec(db, "SAVEPOINT \(savepoint)", nil, nil, nil) }
            // The params as checked, not the text as sent (as the daemon does).
            var result = department.handle(
                method, params.serializedBytes(), callerRecord, db, log,
                child.map { child in { topic, data in child.append(topic, data, allowed: topics) } },
                neighbourCalls(
                    caller: caller, callerRecord: callerRecord, db: db, emitted: child, log: log, depth: depth + 1))
            if case .success = result, let bad = child?.badTopic {
                result = .failure(.internalError("plugin emitted undeclared event topic \(bad)"))
            }
            if let child {
                switch result {
                case .success:
                    sqlite3_exec(db, "RELEASE \(savepoint)", nil, nil, nil)
                    for event in child.list { emitted?.append(event.topic, event.data, allowed: nil) }
                case .failure:
                    sqlite3_exec(db, "ROLLBACK TO \(savepoint)", nil, nil, nil)
                    sqlite3_exec(db, "RELEASE \(savepoint)", nil, nil, nil)
                }
            }
            return result
        }
    }

    private func record(_ descriptor: MethodDescriptor, _ params: JSONValue, _ caller: TestCaller, error: RPCError?) {
        audit.append(
            HarnessAuditRecord(
                method: descriptor.name, role: caller.role, operator: caller.operator, workstation: caller.workstation,
                params: Redaction.capped(Redaction.apply(params, keys: descriptor.redact)),
                errorKind: error?.kind.rawValue))
    }

    private func publish(_ emitted: [(topic: String, data: String)], method: String) {
        guard !emitted.isEmpty else { return }
        let time = Timestamp.format(clock.now)
        var committed: [CommittedEventRecord] = []
        for event in emitted {
            sequence += 1
            committed.append(CommittedEventRecord(topic: event.topic, seq: sequence, time: time, data: event.data))
            let published = HarnessEvent(
                topic: event.topic, seq: sequence, time: time, data: (try? JSONValue.parse(event.data)) ?? .null,
                method: method)
            events.append(published)
            lastEvents.append(published)
        }
        // Each department hears the events on the topics its `committed` hook asked for (all of
        // its own by default), as the daemon delivers them.
        let own = Set(manifest.committedTopics ?? manifest.topics)
        let mine = committed.filter { own.contains($0.topic) }
        if !mine.isEmpty { runtime.committed(Array(CommittedEventRecord.json(mine).utf8)) }
        for department in neighbours.values {
            let topics = Set(department.manifest.committedTopics ?? department.manifest.topics)
            let theirs = committed.filter { topics.contains($0.topic) }
            if !theirs.isEmpty { department.committed(Array(CommittedEventRecord.json(theirs).utf8)) }
        }
    }

    private func close() {
        guard !closed else { return }
        closed = true
        for handle in [writer, reader] {
            PortableSQL.enforce(false, on: SQLiteConnection(handle: handle))
            SQLiteConnection(handle: handle).finalizeStatements()
        }
        sqlite3_close(reader)
        sqlite3_close(writer)
        try? FileManager.default.removeItem(at: directory)
    }

    private static func open(_ path: String, flags: Int32) throws -> OpaquePointer {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            if let handle { sqlite3_close(handle) }
            throw HarnessFailure(description: "cannot open \(path): SQLite error \(code)")
        }
        return handle
    }

    /// Applies the plugin's migrations that `init(..., migrations:)` held back, in order, as the
    /// daemon applies a new release's migrations to a database an older one made.
    public func migrate() throws {
        while !unapplied.isEmpty {
            try Self.apply(unapplied.removeFirst(), on: writer)
        }
    }

    /// Runs `migration` in its own transaction, as the daemon does.
    private static func apply(_ migration: MigrationDescriptor, on writer: OpaquePointer) throws {
        do {
            try exec(writer, "BEGIN IMMEDIATE")
            try exec(writer, migration.sql)
            try exec(writer, "COMMIT")
        } catch {
            sqlite3_exec(writer, "ROLLBACK", nil, nil, nil)
            throw HarnessFailure(description: "migration \(migration.id) of \(Plugin.name) failed: \(error)")
        }
    }

    private static func exec(_ handle: OpaquePointer, _ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw HarnessFailure(description: text)
        }
    }
}

/// Background calls queued by the plugin (from its `committed` hook or its own threads).
final class BackgroundQueue: @unchecked Sendable {
    // Guarded by `lock`: a plugin may submit from its own threads.
    private let lock = NSLock()
    private var items: [(method: String, params: String)] = []

    func append(_ method: String, _ params: String) { lock.withLock { items.append((method, params)) } }
    func next() -> (String, String)? { lock.withLock { items.isEmpty ? nil : items.removeFirst() } }
    var queued: [(method: String, params: String)] { lock.withLock { items } }
}

/// What the plugin logged.
final class LogCollector: @unchecked Sendable {
    // Guarded by `lock`: a plugin may log from its own threads.
    private let lock = NSLock()
    private var collected: [(level: Int32, message: String)] = []

    func append(_ level: Int32, _ message: String) { lock.withLock { collected.append((level, message)) } }
    var lines: [(level: Int32, message: String)] { lock.withLock { collected } }
}

/// The events one call emitted, before its commit.
final class EmittedEvents {
    private(set) var list: [(topic: String, data: String)] = []
    /// A topic the emitting department did not declare.
    private(set) var badTopic: String?
    /// Adds an event unless its topic is not among `allowed` (`nil`: checked already).
    func append(_ topic: String, _ data: String, allowed: Set<String>?) {
        if let allowed, !allowed.contains(topic) {
            badTopic = topic
            return
        }
        list.append((topic, data))
    }
}
