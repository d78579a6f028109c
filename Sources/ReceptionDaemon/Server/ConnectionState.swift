import Foundation
import Logging
import NIOCore
import ReceptionPluginHost
import ReceptionProtocol
import Synchronization

/// What the daemon knows about one client connection: who it is, what it said in
/// `daemon.hello`, and what it subscribed to. Shared by the connection's handler, the
/// dispatcher and the event hub, hence the lock.
public final class ConnectionState: @unchecked Sendable {
    // Mutable members are guarded by `lock`; the rest is immutable.
    /// Daemon-unique connection number.
    public let id: Int
    /// SO_PEERCRED of the peer.
    public let peer: PeerIdentity
    /// The connection's channel; `nil` for the watchdog's internal probe.
    let channel: (any Channel)?
    private let lock = NSLock()
    private var _role: String
    private var _workstation: String?
    private var _operator: String?
    private var _locale: String?
    private var _topics: [String]?
    private var requestCounter = 0
    private var _lastWrite: WriteTicket?
    /// Bytes of events written to this connection that the kernel has not taken yet: what
    /// `subscriber_buffer_bytes` bounds (the connection's own replies are not counted here).
    let unsentEventBytes = Atomic<Int>(0)

    init(id: Int, peer: PeerIdentity, role: String, channel: (any Channel)?, operator name: String? = nil) {
        self.id = id
        self.peer = peer
        self._role = role
        self.channel = channel
        self._operator = name
    }

    /// `admin` or `operator`.
    public var role: String { lock.withLock { _role } }
    /// From `daemon.hello`.
    public var workstation: String? { lock.withLock { _workstation } }
    /// From `daemon.hello`.
    public var operatorName: String? { lock.withLock { _operator } }
    /// From `daemon.hello`: the locale the connection reads messages in (`zh_CN`), if it named one.
    public var locale: String? { lock.withLock { _locale } }
    /// The language of ``locale`` that error messages are translated to (`zh`), or `nil` for English.
    public var language: String? { lock.withLock { _locale.flatMap(Self.language(of:)) } }

    /// The language part of a locale name: `zh_CN.UTF-8` → `zh`; `nil` for English, `C` and `POSIX`.
    static func language(of locale: String) -> String? {
        let code = locale.prefix { $0.isLetter }.lowercased()
        return code.isEmpty || code == "en" || code == "c" || code == "posix" ? nil : code
    }

    /// Subscribed topic prefixes, `nil` when not subscribed.
    public var topics: [String]? { lock.withLock { _topics } }
    /// The connection's most recently queued write, which its later reads wait for.
    var lastWrite: WriteTicket? {
        get { lock.withLock { _lastWrite } }
        set { lock.withLock { _lastWrite = newValue } }
    }
    /// Whether the connection receives events (and so is exempt from the idle timeout).
    public var isSubscribed: Bool { lock.withLock { _topics != nil } }

    /// The identity the watchdog's health check dispatches as.
    static let internalProbe = ConnectionState(
        id: 0, peer: PeerIdentity(uid: Int(getuid()), gid: Int(getgid()), pid: Int(getpid())), role: "operator",
        channel: nil)

    /// The identity of the daemon's own background work (plugin `submit_write` calls).
    static let system = ConnectionState(
        id: 0, peer: PeerIdentity(uid: Int(getuid()), gid: Int(getgid()), pid: Int(getpid())), role: "system",
        channel: nil, operator: "receptiond")

    func identify(workstation: String?, operator name: String?, locale: String? = nil) {
        lock.withLock {
            if let workstation { _workstation = workstation }
            if let name { _operator = name }
            if let locale { _locale = locale }
        }
    }

    func setRole(_ role: String) { lock.withLock { _role = role } }

    func setTopics(_ topics: [String]?) { lock.withLock { _topics = topics } }

    /// A new daemon-side request id, `c<connection>-<n>`, for logs and audit.
    func nextRequestID() -> String {
        let number = lock.withLock {
            requestCounter += 1
            return requestCounter
        }
        return "c\(id)-\(number)"
    }

    /// Log metadata naming this connection's peer and identity.
    func metadata(requestID: String? = nil, method: String? = nil) -> Logger.Metadata {
        metadata(requestID: requestID, method: method, identity: identity)
    }

    /// The workstation and operator `daemon.hello` named, as they are now.
    var identity: (workstation: String?, operator: String?) { lock.withLock { (_workstation, _operator) } }

    /// Log metadata with the identity as it was when a request was read (`identity`), so a line
    /// logged later, after the commit, names who made the request.
    func metadata(requestID: String?, method: String?, identity: (workstation: String?, operator: String?))
        -> Logger.Metadata
    {
        let (workstation, operatorName) = identity
        var metadata: Logger.Metadata = ["peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)", "connection": "\(id)"]
        if let workstation { metadata["workstation"] = "\(workstation)" }
        if let operatorName { metadata["operator"] = "\(operatorName)" }
        if let requestID { metadata["request_id"] = "\(requestID)" }
        if let method {
            metadata["method"] = "\(method)"
            if let plugin = method.split(separator: ".").first { metadata["plugin"] = "\(plugin)" }
        }
        return metadata
    }

    /// The caller handed to plugins (``CallerRecord``), with the call's time.
    func caller(requestID: String, now: Date = Date()) -> CallerRecord {
        let (role, workstation, operatorName) = lock.withLock { (_role, _workstation, _operator) }
        return CallerRecord(
            uid: Int(peer.uid), gid: Int(peer.gid), pid: Int(peer.pid), role: role, workstation: workstation,
            operator: operatorName, requestId: requestID,
            nowMs: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The identity as `daemon.hello` answers it.
    var identityJSON: JSONValue {
        let (role, workstation, operatorName, locale) = lock.withLock { (_role, _workstation, _operator, _locale) }
        return [
            "connection": .int(Int64(id)), "uid": .int(Int64(peer.uid)), "gid": .int(Int64(peer.gid)),
            "pid": .int(Int64(peer.pid)), "role": .string(role),
            "workstation": workstation.map { .string($0) } ?? .null,
            "operator": operatorName.map { .string($0) } ?? .null,
            "locale": locale.map { .string($0) } ?? .null,
        ]
    }
}
