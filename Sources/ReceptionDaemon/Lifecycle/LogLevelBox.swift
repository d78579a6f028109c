import Foundation
import Logging

/// The daemon-wide log level, changeable at run time (SIGHUP with a new `log_level`).
public final class LogLevelBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value: Logger.Level

    /// Creates a box holding `level`.
    public init(_ level: Logger.Level) { value = level }

    /// The current level.
    public var level: Logger.Level {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// Wraps a log handler so its threshold follows a ``LogLevelBox``.
public struct DynamicLevelLogHandler: LogHandler {
    private var inner: any LogHandler
    private let box: LogLevelBox

    /// Wraps `inner`.
    public init(_ inner: any LogHandler, box: LogLevelBox) {
        self.inner = inner
        self.box = box
        self.inner.logLevel = .trace
    }

    public var logLevel: Logger.Level {
        get { box.level }
        set {}
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        inner.log(event: event)
    }
}
