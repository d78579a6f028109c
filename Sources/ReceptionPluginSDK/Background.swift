import CReceptionABI

/// An event as committed and published: what ``DepartmentPlugin/committed(_:background:)`` gets.
public struct CommittedEvent: Sendable {
    /// `parcels.notified`.
    public let topic: String
    /// The daemon's event sequence number.
    public let seq: Int64
    /// Commit time, ISO 8601 with offset.
    public let time: String
    /// The data the handler emitted.
    public let data: JSONValue
}

/// Work a plugin does outside a request: it queues calls of its own write methods (usually
/// ones with role ``MethodRole/system``), which the daemon runs on the writer as itself,
/// audited like any other change.
public struct BackgroundWork: Sendable {
    let host: HostHandle

    /// Queues `method` with `params`; returns at once. The outcome is logged by the daemon.
    public func submit(_ method: String, _ params: JSONValue) {
        host.submitWrite(method, params.serialized())
    }

    /// Logs through the daemon.
    public var log: PluginLogger {
        PluginLogger { [host] level, message in host.log(level, message) }
    }
}
