/// The stable, machine-readable category of an error: `error.data.kind` on the wire.
///
/// An opaque string wrapper rather than an enum so that new kinds never break existing clients
/// (a client that meets an unknown kind treats it by its JSON-RPC `code`).
public struct ErrorKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The JSON text was not valid JSON (JSON-RPC -32700).
    public static let parse = ErrorKind(rawValue: "parse")
    /// The JSON was not a valid JSON-RPC request (-32600).
    public static let invalidRequest = ErrorKind(rawValue: "invalid_request")
    /// No such method (-32601).
    public static let methodNotFound = ErrorKind(rawValue: "method_not_found")
    /// Params failed validation: wrong type, missing or unknown field, broken rule. Carries `field`.
    public static let validation = ErrorKind(rawValue: "validation")
    /// The thing named does not exist.
    public static let notFound = ErrorKind(rawValue: "not_found")
    /// The change clashes with existing state (a duplicate, a key already lent).
    public static let conflict = ErrorKind(rawValue: "conflict")
    /// The thing exists but its current state does not allow this transition.
    public static let invalidState = ErrorKind(rawValue: "invalid_state")
    /// The caller's role may not call this method.
    public static let forbidden = ErrorKind(rawValue: "forbidden")
    /// The method's plugin is not loaded, or the daemon is shutting down.
    public static let unavailable = ErrorKind(rawValue: "unavailable")
    /// The database failed (disk full, I/O error, busy beyond the timeout).
    public static let storage = ErrorKind(rawValue: "storage")
    /// A limit was hit: line too long, too many connections, too much in flight.
    public static let limit = ErrorKind(rawValue: "limit")
    /// A bug: something that should not happen did. The log has details.
    public static let `internal` = ErrorKind(rawValue: "internal")

    /// The JSON-RPC `error.code` for this kind. The one place where kinds map to codes.
    public var code: Int {
        switch self {
        case .parse: return -32700
        case .invalidRequest: return -32600
        case .methodNotFound: return -32601
        case .internal: return -32603
        case .notFound: return -32001
        case .conflict: return -32002
        case .invalidState: return -32003
        case .forbidden: return -32004
        case .unavailable: return -32005
        case .storage: return -32006
        case .validation: return -32007
        case .limit: return -32008
        default: return -32000
        }
    }
}
