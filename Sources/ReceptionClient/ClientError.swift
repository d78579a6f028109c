import ReceptionProtocol

/// Everything that can go wrong talking to the daemon.
public enum ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The socket could not be opened or connected (no daemon, wrong path, no permission).
    case cannotConnect(path: String, reason: String)
    /// A read, write or poll on an open connection failed.
    case io(String)
    /// The daemon did not answer within the timeout.
    case timeout
    /// The connection is closed: the daemon hung up, or ``RPCConnection/close()`` was called.
    case closed
    /// The daemon sent something that is not valid line-delimited JSON-RPC.
    case protocolError(String)
    /// The daemon answered the request with a JSON-RPC error.
    case rpc(RPCError)

    /// A sentence for people.
    public var description: String {
        switch self {
        case .cannotConnect(let path, let reason): return "cannot connect to \(path): \(reason)"
        case .io(let what): return "connection I/O failed: \(what)"
        case .timeout: return "timed out waiting for the daemon"
        case .closed: return "the daemon closed the connection"
        case .protocolError(let what): return "the daemon sent an unexpected reply: \(what)"
        case .rpc(let error): return ClientError.describe(error)
        }
    }

    /// `message [kind, field]`, the form `receptionctl` prints after `error: `.
    public static func describe(_ error: RPCError) -> String {
        var tags = [error.kind.rawValue]
        if let field = error.field { tags.append(field) }
        return "\(error.message) [\(tags.joined(separator: ", "))]"
    }
}
