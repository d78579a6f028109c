import ArgumentParser

/// The exit statuses `receptionctl` uses. Scripts may rely on them.
enum ExitStatus {
    /// The command did what was asked.
    static let success = ExitCode(0)
    /// The daemon answered with an error, or the connection failed after it was made
    /// (timeout, daemon went away, unreadable reply), or `watch` was dropped by the daemon.
    static let failed = ExitCode(1)
    /// The command line was wrong: unknown option or method, bad value, missing option.
    static let usage = ExitCode(2)
    /// The daemon could not be reached at all.
    static let cannotConnect = ExitCode(3)
}
