import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Sends service state to the service manager through the `sd_notify(3)` protocol.
///
/// Every call reads `$NOTIFY_SOCKET` afresh (libsystemd does that itself), so a notifier is a stateless value
/// that can be created anywhere and shared freely across tasks. When the daemon was not started by systemd
/// with `Type=notify` (no `$NOTIFY_SOCKET`), every call is a cheap no-op. The environment is never unset, so
/// the notifier keeps working for the life of the process.
///
/// Both filesystem sockets (`/run/systemd/notify`) and abstract sockets (`@...`) are supported.
public struct SystemdNotifier: Sendable {
    /// Creates a notifier. Reads nothing: the socket address is looked up on every send.
    public init() {}

    /// Whether `$NOTIFY_SOCKET` is set (and non-empty), i.e. whether notifications go anywhere.
    public var isEnabled: Bool {
        guard let value = getenv("NOTIFY_SOCKET") else { return false }
        return value.pointee != 0
    }

    /// Tells the service manager that start-up (or a reload) has finished: sends `READY=1`.
    ///
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func ready() -> Bool {
        send("READY=1")
    }

    /// Tells the service manager that a configuration reload has begun.
    ///
    /// Sends `RELOADING=1` together with `MONOTONIC_USEC=<CLOCK_MONOTONIC in µs>`, which systemd ≥ 253 requires
    /// to match the reload against `Type=notify-reload`; older versions ignore the extra field. Follow up with
    /// ``ready()`` once the reload is complete.
    ///
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func reloading() -> Bool {
        send("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }

    /// Tells the service manager that the daemon is shutting down: sends `STOPPING=1`.
    ///
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func stopping() -> Bool {
        send("STOPPING=1")
    }

    /// Sets the free-form status line shown by `systemctl status`: sends `STATUS=<text>`.
    ///
    /// The protocol is line based, so newlines in `text` are replaced by spaces.
    ///
    /// - Parameter text: A short human-readable description of what the daemon is doing.
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func status(_ text: String) -> Bool {
        let oneLine = String(text.map { $0.isNewline ? " " : $0 })
        return send("STATUS=\(oneLine)")
    }

    /// Pings the service manager's watchdog: sends `WATCHDOG=1`.
    ///
    /// Call this at the cadence returned by ``watchdogInterval()``.
    ///
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func watchdog() -> Bool {
        send("WATCHDOG=1")
    }

    /// Asks the service manager to extend the current start, reload or stop timeout:
    /// sends `EXTEND_TIMEOUT_USEC=<µs>`.
    ///
    /// Useful while a long step (for example a database migration) runs during start-up. Must be repeated before
    /// the extension runs out.
    ///
    /// - Parameter duration: How long from now the operation may still take. Negative durations count as zero.
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func extendTimeout(by duration: Duration) -> Bool {
        send("EXTEND_TIMEOUT_USEC=\(Self.microseconds(of: duration))")
    }

    /// Sends a raw notification message, one `VARIABLE=value` assignment per line.
    ///
    /// Content after an embedded NUL character is not sent.
    ///
    /// - Parameter raw: The message, for example `"READY=1\nSTATUS=Serving"`.
    /// - Returns: `true` if the message was delivered, `false` if notifications are disabled or sending failed.
    @discardableResult
    public func send(_ raw: String) -> Bool {
        sd_notify(0, raw) > 0
    }

    /// How often the daemon should ping the watchdog with ``watchdog()``, or `nil` if no watchdog is configured.
    ///
    /// Uses `sd_watchdog_enabled(3)`: the watchdog counts as enabled when `$WATCHDOG_USEC` is set to a positive
    /// value and `$WATCHDOG_PID`, if set, is this process's pid. The returned cadence is half of
    /// `$WATCHDOG_USEC`, as systemd recommends. The environment is left in place.
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        let half = usec / 2
        return .microseconds(Int64(clamping: half == 0 ? 1 : half))
    }

    /// The current `CLOCK_MONOTONIC` time in microseconds.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        guard clock_gettime(CLOCK_MONOTONIC, &now) == 0 else { return 0 }
        return UInt64(now.tv_sec) &* 1_000_000 &+ UInt64(now.tv_nsec / 1_000)
    }

    /// A non-negative duration in whole microseconds.
    static func microseconds(of duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
        if overflow { return .max }
        return whole &+ UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }
}
