import Foundation

/// Who is calling, as the daemon established it from the socket's peer credentials and
/// `daemon.hello`.
public struct Caller: Sendable, Decodable {
    /// The peer's user id (SO_PEERCRED).
    public let uid: Int
    /// The peer's group id.
    public let gid: Int
    /// The peer's process id.
    public let pid: Int
    /// `admin` or `operator`.
    public let role: String
    /// The counter workstation, when the client said `daemon.hello`.
    public let workstation: String?
    /// The person at the counter, when the client said `daemon.hello`.
    public let `operator`: String?
    /// The request's id as the daemon logs it.
    public let requestId: String?

    /// Whether the caller has the admin role (full identity numbers are shown only to admins).
    public var isAdmin: Bool { role == "admin" }

    /// Reads the caller object the daemon sends with every call (one small JSON object; read
    /// without `JSONDecoder`, which cost more than a badge lookup). `nil` if it is malformed.
    init?(json bytes: [UInt8]) {
        guard let object = try? JSONValue.parse(bytes), case .object = object,
            let uid = object["uid"]?.intValue, let gid = object["gid"]?.intValue, let pid = object["pid"]?.intValue,
            let role = object["role"]?.stringValue
        else { return nil }
        self.uid = Int(uid)
        self.gid = Int(gid)
        self.pid = Int(pid)
        self.role = role
        self.workstation = object["workstation"]?.stringValue
        self.operator = object["operator"]?.stringValue
        self.requestId = object["requestId"]?.stringValue
    }
}

/// What the host hands a call: the database and the caller. Internal to the SDK.
struct CallEnvironment {
    let db: SQLiteConnection
    let caller: Caller
    let now: Date
    let log: PluginLogger
    let emit: ((String, String) -> Void)?
}

/// The context of a read-only call.
public struct ReadContext {
    /// A read-only connection, inside a read transaction for the call's duration.
    public let db: SQLiteConnection
    /// Who is calling.
    public let caller: Caller
    /// The call's time.
    public let now: Date
    /// Logs through the daemon (journald under systemd), tagged with the plugin and request.
    public let log: PluginLogger

    init(environment: CallEnvironment) {
        db = environment.db
        caller = environment.caller
        now = environment.now
        log = environment.log
    }
}

/// The context of a state-changing call. Everything it writes, the audit record and the events it
/// emits commit together, or not at all when the handler throws.
public struct WriteContext {
    /// The writer connection, inside the transaction the host owns. Do not BEGIN/COMMIT yourself.
    public let db: SQLiteConnection
    /// Who is calling.
    public let caller: Caller
    /// The call's time.
    public let now: Date
    /// Logs through the daemon.
    public let log: PluginLogger
    private let emitter: ((String, String) -> Void)?

    init(environment: CallEnvironment) {
        db = environment.db
        caller = environment.caller
        now = environment.now
        log = environment.log
        emitter = environment.emit
    }

    /// Queues an event for subscribers; it is published after the commit, in commit order,
    /// and dropped if this call fails.
    public func emit<Data: Encodable>(_ topic: String, _ data: Data) throws {
        let text: String
        if let raw = data as? RawJSON {
            text = raw.text
        } else if let value = data as? JSONValue {
            text = value.serialized()
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            text = String(decoding: try encoder.encode(data), as: UTF8.self)
        }
        emitter?(topic, text)
    }
}
