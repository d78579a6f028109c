import ReceptionProtocol

/// Whether a method reads or changes state.
public enum MethodAccess: String, Sendable, Codable {
    /// Reads only: runs on a read-only connection, never waits behind writes.
    case read
    /// Changes state: runs on the single writer, committed durably before the reply, audited.
    case write
    /// A built-in that touches only the connection or the daemon (hello, subscribe).
    case connection
}

/// Who may call a method.
public enum MethodRole: String, Sendable, Codable {
    /// Anyone who can open the socket.
    case `operator`
    /// Root and members of the configured admin group only.
    case admin
    /// Not callable over the socket and not listed: only the plugin's own background work calls
    /// it, as the daemon itself.
    case system

    /// Whether a caller with `role` (`admin` or `operator`; `system` for background work) may
    /// call a method that requires this role.
    public func admits(_ role: String) -> Bool {
        switch self {
        case .operator: return true
        case .admin: return role == "admin" || role == "system"
        case .system: return role == "system"
        }
    }
}
