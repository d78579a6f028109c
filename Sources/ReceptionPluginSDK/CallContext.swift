import Foundation

/// Who is calling, as the daemon established it from the socket's peer credentials and
/// `daemon.hello` (see ``CallerRecord``).
public struct Caller: Sendable {
    /// The peer's user id (SO_PEERCRED).
    public let uid: Int
    /// The peer's group id.
    public let gid: Int
    /// The peer's process id.
    public let pid: Int
    /// `admin`, `operator`, or `system` for the plugin's own background work.
    public let role: String
    /// The counter workstation, when the client said `daemon.hello`.
    public let workstation: String?
    /// The person at the counter, when the client said `daemon.hello`.
    public let `operator`: String?
    /// The request's id as the daemon logs it.
    public let requestId: String?

    /// Whether the caller has the admin role (full identity numbers are shown only to admins).
    public var isAdmin: Bool { role == "admin" }

    /// Who did something, as recorded on a row: the operator the connection named, else `uid N`.
    public var actorName: String {
        if let name = `operator`, !name.isEmpty { return name }
        return "uid \(uid)"
    }

    /// The caller of a record.
    public init(_ record: CallerRecord) {
        uid = record.uid
        gid = record.gid
        pid = record.pid
        role = record.role
        workstation = record.workstation
        self.operator = record.operator
        requestId = record.requestId
    }
}

/// What the runtime hands a call: the database, the caller, the clock reading, the logger and
/// the event sink.
struct CallEnvironment {
    let db: SQLiteConnection
    let caller: Caller
    let now: Date
    let log: PluginLogger
    let emit: ((String, String) -> Void)?
}

/// The context of a read-only call.
public struct ReadContext<Plugin: DepartmentPlugin> {
    /// A read-only connection, inside a read transaction for the call's duration.
    public let db: SQLiteConnection
    /// Who is calling.
    public let caller: Caller
    /// The call's time (one reading for the whole call).
    public let now: Date
    /// Logs through the daemon (journald under systemd), tagged with the plugin and request.
    public let log: PluginLogger

    init(environment: CallEnvironment) {
        db = environment.db
        caller = environment.caller
        now = environment.now
        log = environment.log
    }

    /// Today in the daemon's time zone.
    public var today: CivilDate { CivilDate(localDateOf: now) }
    /// The daemon's time zone (`[daemon] time_zone`), which the daemon makes the process's local
    /// zone at start-up: ``CivilDate`` and `Timestamp.format` already use it.
    public var timeZone: TimeZone { .current }
    /// The call's time in milliseconds since 1970, for ranges over `*_ms` columns.
    public var nowMs: Int64 { EpochMillis.of(now) }
}

/// The context of a state-changing call. Everything it writes, the audit record and the events it
/// emits commit together, or not at all when the handler throws.
public struct WriteContext<Plugin: DepartmentPlugin> {
    /// The writer connection, inside the transaction the host owns. Do not BEGIN/COMMIT yourself.
    public let db: SQLiteConnection
    /// Who is calling.
    public let caller: Caller
    /// The call's time (one reading for the whole call).
    public let now: Date
    /// The who and when for the row's `*_at`, `*_ms`, `*_by` columns.
    public let stamp: Stamp
    /// Logs through the daemon.
    public let log: PluginLogger
    private let emitter: ((String, String) -> Void)?

    init(environment: CallEnvironment) {
        db = environment.db
        caller = environment.caller
        now = environment.now
        stamp = Stamp(caller: environment.caller, date: environment.now)
        log = environment.log
        emitter = environment.emit
    }

    /// Today in the daemon's time zone.
    public var today: CivilDate { CivilDate(localDateOf: now) }
    /// The daemon's time zone (`[daemon] time_zone`), which the daemon makes the process's local
    /// zone at start-up: ``CivilDate`` and `Timestamp.format` already use it.
    public var timeZone: TimeZone { .current }

    /// Queues an event for subscribers; it is published after the commit, in commit order,
    /// and dropped if this call fails. `data` is a record, a `JSONValue`, `RawJSON`, or any
    /// `Encodable` (written with sorted keys).
    public func emit(_ topic: Plugin.Topic, _ data: some Encodable) throws {
        emitter?(topic.rawValue, try ResultText.of(data))
    }
}
