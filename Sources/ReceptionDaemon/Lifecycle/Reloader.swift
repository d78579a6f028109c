import Foundation
import Logging
import ReceptionProtocol
import ReceptionSystemd
import ReceptionTOML
import UnixSignals

/// Re-reads the config on SIGHUP or `daemon.reload`. A bad file changes nothing: the daemon
/// keeps the running config and says why (log, `STATUS=`, and the reply to `daemon.reload`).
final class Reloader: Sendable {
    private let options: DaemonOptions
    private let settings: SettingsBox
    private let registry: PluginRegistry
    private let notifier: SystemdNotifier
    private let levelBox: LogLevelBox
    private let replyMemory: ReplyMemory
    private let logger: Logger
    private let serial = ReloadLock()
    /// Why the last reload was refused (shown in the status line until a good reload).
    let problem: ReloadProblem

    init(
        options: DaemonOptions, settings: SettingsBox, registry: PluginRegistry, notifier: SystemdNotifier,
        levelBox: LogLevelBox, replyMemory: ReplyMemory, logger: Logger, problem: ReloadProblem = ReloadProblem()
    ) {
        self.problem = problem
        self.replyMemory = replyMemory
        self.options = options
        self.settings = settings
        self.registry = registry
        self.notifier = notifier
        self.levelBox = levelBox
        self.logger = logger
    }

    /// Reloads on every SIGHUP of `signals` until cancelled.
    func watch(_ signals: UnixSignalsSequence) async {
        for await _ in signals {
            _ = await reload(reason: "SIGHUP")
        }
    }

    /// Applies the config file again. Settings that need a restart are reported, not applied.
    func reload(reason: String) async -> Result<JSONValue, RPCError> {
        serial.run {
            notifier.reloading()
            defer { notifier.ready() }
            let old = settings.current
            let new: DaemonConfig
            do throws(ConfigError) {
                new = try options.resolve()
            } catch {
                logger.error("reload (\(reason)) failed, keeping the running config: \(error)")
                problem.set("\(error)")
                notifier.status("reload failed, running config kept: \(error)")
                return .failure(RPCError(.validation, "reload failed, running config kept: \(error)", field: error.key))
            }
            if let error = registry.reconfigure(old: old, new: new) {
                logger.error("reload (\(reason)) failed, keeping the running config: \(error.message)")
                problem.set(error.message)
                notifier.status("reload failed, running config kept: \(error.message)")
                return .failure(
                    RPCError(.validation, "reload failed, running config kept: \(error.message)", field: error.field))
            }
            var restartNeeded: [String] = []
            if new.socketPath != old.socketPath { restartNeeded.append("socket") }
            if new.socketGroup != old.socketGroup { restartNeeded.append("socket_group") }
            if new.stateDirectory != old.stateDirectory { restartNeeded.append("state_dir") }
            if new.pluginDirectory != old.pluginDirectory { restartNeeded.append("plugin_dir") }
            if new.plugins != old.plugins { restartNeeded.append("plugins") }
            if new.limits.maxWALBytes != old.limits.maxWALBytes { restartNeeded.append("max_wal_bytes") }
            if new.timeZone != old.timeZone { restartNeeded.append("time_zone") }
            var applied = new
            applied.timeZone = old.timeZone
            applied.socketPath = old.socketPath
            applied.stateDirectory = old.stateDirectory
            FileLimit.ensure(maxConnections: applied.limits.maxConnections, logger: logger)
            settings.replace(applied)
            // The reply limits are read on every request from ReplyMemory, not from the settings.
            replyMemory.limit = applied.limits.replyMemoryBytes
            replyMemory.maxReplyBytes = applied.limits.maxReplyBytes
            AdminGroupCheck.warnIfMissing(new.adminGroup, logger: logger)
            levelBox.level = new.logLevel
            var message = "config reloaded from \(new.configFile ?? "embedded defaults") (\(reason))"
            if !restartNeeded.isEmpty { message += "; restart to apply: \(restartNeeded.joined(separator: ", "))" }
            logger.notice("\(message)")
            problem.set(nil)
            notifier.status(message)
            return .success([
                "reloaded": true, "file": new.configFile.map { .string($0) } ?? .null,
                "restartRequired": .array(restartNeeded.map { .string($0) }),
            ])
        }
    }
}

/// Runs reloads one at a time. The reload body is synchronous, so a plain lock serializes it
/// (an actor would not: it is re-entered while a nonisolated async body runs).
final class ReloadLock: Sendable {
    private let lock = NSLock()
    func run<T>(_ body: () -> T) -> T { lock.withLock { body() } }
}
