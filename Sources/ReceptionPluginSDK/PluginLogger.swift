import CReceptionABI

/// Writes log lines through the daemon's logger. The daemon adds the plugin name, method,
/// request id, workstation and operator as structured fields.
public struct PluginLogger: Sendable {
    let sink: @Sendable (Int32, String) -> Void

    /// A logger writing to `sink` (ABI level, message).
    @_spi(Runtime)
    public init(sink: @escaping @Sendable (Int32, String) -> Void) { self.sink = sink }

    /// Debug detail, off by default.
    public func debug(_ message: String) { sink(RCP_LOG_DEBUG, message) }
    /// Normal operation.
    public func info(_ message: String) { sink(RCP_LOG_INFO, message) }
    /// Noteworthy but normal.
    public func notice(_ message: String) { sink(RCP_LOG_NOTICE, message) }
    /// Something went wrong but the call goes on (a notifier command failed...).
    public func warning(_ message: String) { sink(RCP_LOG_WARNING, message) }
    /// The call failed.
    public func error(_ message: String) { sink(RCP_LOG_ERROR, message) }
}
