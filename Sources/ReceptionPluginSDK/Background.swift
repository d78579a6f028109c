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

    /// Creates an event.
    public init(topic: String, seq: Int64, time: String, data: JSONValue) {
        self.topic = topic
        self.seq = seq
        self.time = time
        self.data = data
    }
}

/// Work a plugin does outside a request: it queues calls of its own write methods (usually
/// ones with role ``MethodRole/system``), which the daemon runs on the writer as itself,
/// audited like any other change.
public struct BackgroundWork: Sendable {
    let submitter: @Sendable (String, String) -> Void
    let logSink: @Sendable (Int32, String) -> Void

    /// Background work that hands its calls to `submit` (method, params JSON) and its log lines
    /// to `log` (level, message). The daemon's host and the testing kit make these.
    @_spi(Runtime)
    public init(
        submit: @escaping @Sendable (String, String) -> Void, log: @escaping @Sendable (Int32, String) -> Void
    ) {
        submitter = submit
        logSink = log
    }

    /// Queues `method` with `params`; returns at once. The outcome is logged by the daemon.
    public func submit(_ method: String, _ params: JSONValue) {
        submitter(method, params.serialized())
    }

    /// Logs through the daemon.
    public var log: PluginLogger { PluginLogger(sink: logSink) }
}
