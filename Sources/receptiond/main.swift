import ArgumentParser
import Foundation
import Logging
import ReceptionDaemon
import ReceptionProtocol
import ReceptionSystemd
import ServiceLifecycle
import Synchronization

/// `receptiond`: the front-desk daemon.
@main
struct ReceptionDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receptiond",
        abstract: "The front-desk daemon: serves the reception plugins over a Unix socket.",
        discussion: """
            Run with no flags it works out of the box: state and socket in ./.receptiond, plugins from the \
            directory of this binary. Under systemd it takes its directories from RUNTIME_DIRECTORY, \
            STATE_DIRECTORY and CONFIGURATION_DIRECTORY, and its socket from socket activation. \
            Precedence: flags, then the config file, then systemd's directories, then the defaults.

            Signals: SIGTERM/SIGINT stop gracefully, SIGHUP reloads the config file.
            Exit status: 0 after a clean stop, 1 when start-up fails (the reason is logged), \
            78 when the config file is invalid.

            --check-config [FILE] checks a config file (FILE, else --config, else the default) as the \
            daemon would read it, plugin sections included, and exits 0 or 78 without starting: \
            run it before `systemctl reload receptiond`.
            """,
        version: ReceptionVersion.current)

    @Option(name: .long, help: "Config file (TOML). Default: /etc/receptiond/receptiond.conf if it exists.")
    var config: String?

    @Option(name: .long, help: "Unix socket path to listen on.")
    var socket: String?

    @Option(name: .customLong("state-dir"), help: "Directory for the database and backups.")
    var stateDir: String?

    @Option(name: .customLong("plugin-dir"), help: "Directory holding libreceptiond-<name>.so plugins.")
    var pluginDir: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Flag(name: .long, help: "Stay in the foreground (always the case; accepted for compatibility).")
    var foreground = false

    @Flag(
        name: .customLong("check-config"),
        help: "Check the config file (FILE, else --config, else the default), plugin sections included; exit 0 or 78.")
    var checkConfig = false

    @Argument(help: "With --check-config: the config file to check.")
    var file: String?

    func validate() throws {
        if file != nil, !checkConfig {
            throw ValidationError(
                "a file argument is taken only with --check-config; to run with it, use --config FILE")
        }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Runs the daemon. Synchronous on purpose: the async work runs in a task at the default
    /// priority while the main thread waits. An async `main` runs at user-initiated, and on
    /// Linux every task at that priority asks libdispatch to lower its worker thread's nice
    /// value; an unprivileged daemon may not (RLIMIT_NICE 0), and libdispatch wrote "Failed to
    /// set thread priority for worker thread … errno=13" to the journal for each refusal.
    func run() throws {
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let command = self
        Task.detached(priority: .medium) {
            let result: Result<Void, any Error>
            do {
                try await command.serve()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        try outcome.withLock { $0 }?.get()
    }

    /// Everything `run` does, in a task.
    func serve() async throws {
        // Database files and backups: owner and group at most. A stricter mask given by the
        // caller (the unit's UMask=0077: owner only) is kept, never loosened.
        let inherited = umask(0o027)
        umask(inherited | 0o027)
        // Our own path from /proc/self/exe only: argv may be empty (execve with argc 0, or an
        // LD_PRELOAD shim) or name anything at all.
        let executable: String
        do {
            executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        } catch {
            FileHandle.standardError.write(
                Data(
                    "receptiond: cannot find its own executable through /proc/self/exe (is /proc mounted?): \(error.localizedDescription)\n"
                        .utf8))
            throw ExitCode(1)
        }
        let options = DaemonOptions(
            configFile: checkConfig ? (file ?? config) : config, socketPath: socket, stateDirectory: stateDir,
            pluginDirectory: pluginDir,
            logLevel: logLevel.flatMap(Logger.Level.init(rawValue:)),
            executableDirectory: (executable as NSString).deletingLastPathComponent)
        let daemonConfig: DaemonConfig
        do {
            daemonConfig = try options.resolve()
        } catch {
            FileHandle.standardError.write(Data("receptiond: invalid config: \(error)\n".utf8))
            throw ExitCode(78)
        }
        if checkConfig { try check(daemonConfig) }
        // Before the logger, the plugins and any thread: every local day is the configured zone's.
        _ = DaemonTimeZone.startupEnvironment  // read before TZ is set
        DaemonTimeZone.apply(daemonConfig.timeZone)
        let box = LogLevelBox(daemonConfig.logLevel)
        LoggingSystem.bootstrap { label in
            DynamicLevelLogHandler(
                LogDestination.makeHandler(label: label, identifier: "receptiond", level: .trace), box: box)
        }
        let logger = Logger(label: "receptiond")
        if daemonConfig.timeZoneGuessed {
            logger.warning(
                "the system's time zone has no IANA name (TZ=\(DaemonTimeZone.startupEnvironment["TZ"] ?? "unset"), /etc/localtime not a link, no /etc/timezone): using \(daemonConfig.timeZone); set [daemon] time_zone (e.g. Asia/Shanghai) to be sure"
            )
        }
        let daemon = Daemon(options: options, config: daemonConfig, logger: logger, levelBox: box)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: daemon, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "receptiond.lifecycle")))
        do {
            try await group.run()
        } catch let error as StartupError {
            logger.critical("cannot start: \(error.message)")
            throw ExitCode(1)
        } catch let error as ServiceGroupError {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
    }

    /// `--check-config`: the plugins' sections too, then exit 0 or 78 without starting.
    func check(_ daemonConfig: DaemonConfig) throws -> Never {
        DaemonTimeZone.apply(daemonConfig.timeZone)
        var logger = Logger(label: "receptiond.check-config") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        let report = ConfigCheck.plugins(of: daemonConfig, logger: logger)
        let file = daemonConfig.configFile ?? "the embedded defaults (no config file)"
        for warning in report.warnings {
            FileHandle.standardError.write(Data("receptiond: warning: \(warning)\n".utf8))
        }
        if !report.errors.isEmpty {
            for error in report.errors {
                FileHandle.standardError.write(Data("receptiond: invalid config: \(error)\n".utf8))
            }
            throw ExitCode(78)
        }
        print(
            "receptiond: \(file): OK; plugins configured: \(report.configured.sorted().joined(separator: ", "))"
                + (report.configured.isEmpty ? "none" : ""))
        throw ExitCode.success
    }
}
