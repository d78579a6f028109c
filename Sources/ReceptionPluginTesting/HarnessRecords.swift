@_exported import ReceptionPluginSDK

/// An event a call emitted, as subscribers would receive it after the commit.
public struct HarnessEvent: Sendable {
    /// The topic (`access.badge.issued`).
    public let topic: String
    /// The harness's sequence number (from 1).
    public let seq: Int64
    /// Commit time, ISO 8601 with offset.
    public let time: String
    /// The data the handler emitted.
    public let data: JSONValue
    /// The method whose call emitted it.
    public let method: String
}

/// One write call as the daemon's audit log keeps it: who, what (private fields masked, long
/// strings capped, as ``Redaction`` does in the daemon), and the outcome.
public struct HarnessAuditRecord: Sendable {
    /// The method.
    public let method: String
    /// The caller's role.
    public let role: String
    /// The caller's operator.
    public let `operator`: String?
    /// The caller's workstation.
    public let workstation: String?
    /// The params as recorded.
    public let params: JSONValue
    /// `nil` when the change committed; the error's kind when it was refused or failed.
    public let errorKind: String?
}

/// Why a harness call did not go as the test said it would.
public struct HarnessFailure: Error, CustomStringConvertible {
    /// What happened.
    public let description: String
}

extension RPCError {
    /// The business rule a `validation` error names (`error.data.rule`), if any.
    public var rule: String? { details["rule"]?.stringValue }
}
