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

/// What the runtime hands a call: the database, the caller, the clock reading, the zone, the
/// logger, the event sink and the way to call another department.
struct CallEnvironment {
    let db: SQLiteConnection
    let caller: Caller
    let now: Date
    let timeZone: TimeZone
    let log: PluginLogger
    let emit: ((String, String) -> Void)?
    let neighbour: NeighbourCall?
}

/// Calls another department's method inside the running call: (method, params JSON) to the
/// result JSON text or the error. The daemon's host and the testing kit make these.
typealias NeighbourCall = (String, String) -> Result<String, RPCError>

/// Runs `method` of another department through `neighbour` and reads its result.
func callNeighbour(_ neighbour: NeighbourCall?, _ method: String, _ params: JSONValue) throws(RPCError) -> JSONValue {
    guard let neighbour else {
        throw RPCError(
            .unavailable, "\(method) cannot be called from here: the daemon offers no calls between departments"
        )
        .localized("zh", "无法在此调用 \(method)：守护进程不支持部门之间的调用")
    }
    let text: String
    switch neighbour(method, params.serialized()) {
    case .success(let result): text = result
    case .failure(let error): throw error
    }
    do {
        return try JSONValue.parse(Array(text.utf8))
    } catch {
        throw RPCError.internalError("\(method) returned a result that is not JSON")
    }
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

    /// The property's time zone: the daemon's `[daemon] time_zone`, which the daemon makes the
    /// process's zone at start-up (``CivilDate`` and `Timestamp.format` use it), or the zone a
    /// test gave the testing kit.
    public let timeZone: TimeZone
    private let neighbour: NeighbourCall?

    init(environment: CallEnvironment) {
        db = environment.db
        caller = environment.caller
        now = environment.now
        timeZone = environment.timeZone
        log = environment.log
        neighbour = environment.neighbour
    }

    /// Today in the property's time zone.
    public var today: CivilDate { CivilDate(of: now, in: timeZone) }

    /// Calls a read method of another department (`access.keys.list`) on this call's connection
    /// and snapshot, as this caller (its role is checked, and its params against the method's
    /// schema). Departments never import each other: this is how one reads another's register.
    /// A department that is not loaded → `unavailable`.
    public func call(_ method: String, _ params: JSONValue) throws(RPCError) -> JSONValue {
        try callNeighbour(neighbour, method, params)
    }
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

    /// The property's time zone: the daemon's `[daemon] time_zone`, which the daemon makes the
    /// process's zone at start-up (``CivilDate`` and `Timestamp.format` use it), or the zone a
    /// test gave the testing kit.
    public let timeZone: TimeZone
    private let neighbour: NeighbourCall?

    init(environment: CallEnvironment) {
        db = environment.db
        caller = environment.caller
        now = environment.now
        timeZone = environment.timeZone
        stamp = Stamp(caller: environment.caller, date: environment.now, timeZone: environment.timeZone)
        log = environment.log
        emitter = environment.emit
        neighbour = environment.neighbour
    }

    /// Today in the property's time zone.
    public var today: CivilDate { CivilDate(of: now, in: timeZone) }

    /// Calls a method of another department (`access.keys.register`) inside this call: on the
    /// writer, in this call's transaction, as this caller (its role is checked, and its params
    /// against the method's schema). What it changes and the events it emits commit with this
    /// call, or not at all when this call fails; when it fails, its changes are undone and its
    /// error is thrown here (catch it to refuse in your own words). Departments never import each
    /// other: this is how one writes on another's register. A department that is not loaded →
    /// `unavailable`. The audit record is this call's.
    public func call(_ method: String, _ params: JSONValue) throws(RPCError) -> JSONValue {
        try callNeighbour(neighbour, method, params)
    }

    /// Queues an event for subscribers; it is published after the commit, in commit order,
    /// and dropped if this call fails. `data` is a record, a `JSONValue`, `RawJSON`, or any
    /// `Encodable` (written with sorted keys).
    public func emit(_ topic: Plugin.Topic, _ data: some Encodable) throws {
        emitter?(topic.rawValue, try ResultText.of(data))
    }
}
