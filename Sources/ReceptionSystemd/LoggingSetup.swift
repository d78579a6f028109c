import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Chooses between the journal and plain standard-error logging, and installs the choice in swift-log.
public enum LogDestination {
    /// Whether standard error is connected to the journal.
    ///
    /// True when `$JOURNAL_STREAM` is set to `<device>:<inode>` and those match `fstat(2)` of standard error, as
    /// `systemd.exec(5)` documents. A child whose stderr was redirected elsewhere sees no match, even though it
    /// inherited the variable.
    public static func connectedToJournal() -> Bool {
        guard let raw = getenv("JOURNAL_STREAM") else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return journalStream(String(cString: raw), matchesDevice: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Whether a `$JOURNAL_STREAM` value (`<device>:<inode>`, both decimal) names the given device and inode.
    static func journalStream(_ value: String, matchesDevice device: UInt64, inode: UInt64) -> Bool {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let parsedDevice = UInt64(parts[0]), let parsedInode = UInt64(parts[1]) else {
            return false
        }
        return parsedDevice == device && parsedInode == inode
    }

    /// Installs the daemon's log handlers as swift-log's global factory.
    ///
    /// Chooses ``JournaldLogHandler`` if ``connectedToJournal()`` is true at the time of the call, otherwise
    /// ``StderrLogHandler``; every `Logger` created afterwards gets a handler with `logLevel` set to `level`.
    /// Only the first call in a process has an effect (later calls return `false`); the process must not call
    /// `LoggingSystem.bootstrap` anywhere else, as swift-log traps on a second bootstrap.
    ///
    /// - Parameters:
    ///   - identifier: The program name, for example `receptiond`.
    ///   - level: The initial minimum level of every handler.
    ///   - metadataProvider: Contextual metadata (for example task-local request ids) added to every record.
    /// - Returns: `true` if this call installed the handlers.
    @discardableResult
    public static func bootstrap(
        identifier: String,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Bool {
        guard bootstrapped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return false }
        let journal = connectedToJournal()
        LoggingSystem.bootstrap(
            { label, provider in
                makeHandler(
                    label: label, identifier: identifier, level: level, metadataProvider: provider, journal: journal)
            },
            metadataProvider: metadataProvider)
        return true
    }

    /// Builds the handler ``bootstrap(identifier:level:metadataProvider:)`` would install, without touching
    /// swift-log's global state: a ``JournaldLogHandler`` when ``connectedToJournal()`` is true now, otherwise a
    /// ``StderrLogHandler``.
    ///
    /// - Parameters:
    ///   - label: The `Logger` label.
    ///   - identifier: The program name, for example `receptiond`.
    ///   - level: The handler's initial `logLevel`; it stays settable.
    ///   - metadataProvider: Contextual metadata added to every record.
    /// - Returns: The handler, for `Logger(label:factory:)`.
    public static func makeHandler(
        label: String,
        identifier: String,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        makeHandler(
            label: label, identifier: identifier, level: level, metadataProvider: metadataProvider,
            journal: connectedToJournal())
    }

    private static func makeHandler(
        label: String,
        identifier: String,
        level: Logger.Level,
        metadataProvider: Logger.MetadataProvider?,
        journal: Bool
    ) -> any LogHandler {
        if journal {
            JournaldLogHandler(label: label, identifier: identifier, level: level, metadataProvider: metadataProvider)
        } else {
            StderrLogHandler(label: label, identifier: identifier, level: level, metadataProvider: metadataProvider)
        }
    }

    /// Set by the first ``bootstrap(identifier:level:metadataProvider:)``.
    private static let bootstrapped = Atomic<Bool>(false)
}
