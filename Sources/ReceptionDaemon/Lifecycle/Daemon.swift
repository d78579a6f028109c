import Foundation
import Logging
import ReceptionPluginHost
import ReceptionProtocol
import ReceptionStore
import ReceptionSystemd
import ServiceLifecycle
import UnixSignals

/// The daemon as a swift-service-lifecycle `Service`: start-up, serving, reload, watchdog,
/// and the graceful stop.
///
/// Start-up order: open the database, load plugins (each configured and migrated), listen,
/// then `READY=1`. SIGTERM: `STOPPING=1`, stop accepting, let in-flight requests finish (bounded
/// by `shutdown_grace_seconds`), close connections, drain the writer, close the database, exit 0.
/// SIGHUP: `RELOADING=1`, re-read the config (keeping the old one if the new one is wrong), `READY=1`.
public final class Daemon: Service, Sendable {
    private let options: DaemonOptions
    private let initialConfig: DaemonConfig
    private let logger: Logger
    private let notifier = SystemdNotifier()
    private let levelBox: LogLevelBox

    /// Reader threads for plugin reads: one per core the process may run on, 2 to 8. More than
    /// the cores only adds thread switches: on 2 cores, 4 readers cost `verify` 35 µs of CPU per
    /// request where 2 cost 28, and `pending` 48 where 2 cost 39-47 (issue 18, alternating runs).
    static var readerThreads: Int { min(8, max(2, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Creates the daemon from resolved options and config.
    public init(options: DaemonOptions, config: DaemonConfig, logger: Logger, levelBox: LogLevelBox) {
        self.options = options
        self.initialConfig = config
        self.logger = logger
        self.levelBox = levelBox
    }

    public func run() async throws {
        let config = initialConfig
        let started = Date()
        // Trap SIGHUP before anything else: from READY=1 on, systemd may send it at any moment,
        // and its default action would kill the daemon. Signals are buffered until watched.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        if !MemoryTrimmer.configureAllocator() {
            logger.warning("could not set the allocator's thresholds; memory freed after bursts may be kept")
        }
        do {
            try FileManager.default.createDirectory(
                atPath: config.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750]
            )
        } catch {
            throw StartupError("cannot create state directory \(config.stateDirectory): \(error.localizedDescription)")
        }
        // Before the database is touched: one daemon per state directory.
        let stateLock = try StateDirectoryLock(stateDirectory: config.stateDirectory)
        defer { withExtendedLifetime(stateLock) {} }
        let store: Store
        do {
            store = try Store(
                path: config.databasePath, readers: Self.readerThreads,
                maxWALBytes: Int64(config.limits.maxWALBytes), logger: logger)
        } catch {
            throw StartupError(error.message)
        }
        AdminGroupCheck.warnIfMissing(config.adminGroup, logger: logger)
        FileLimit.ensure(maxConnections: config.limits.maxConnections, logger: logger)
        let registry = PluginRegistry.load(config: config, store: store, logger: logger)
        let settings = SettingsBox(config)
        let replyMemory = ReplyMemory(limit: config.limits.replyMemoryBytes, maxReply: config.limits.maxReplyBytes)
        let hub = EventHub(settings: settings, replyMemory: replyMemory, logger: logger)
        store.writer.onCommit = { events in registry.deliverCommitted(hub.publish(events)) }
        let connections = ConnectionRegistry()
        let stats = RequestStats()
        let reloader = Reloader(
            options: options, settings: settings, registry: registry, notifier: notifier, levelBox: levelBox,
            replyMemory: replyMemory, logger: logger)
        let builtins = Builtins(
            info: DaemonInfo(
                version: ReceptionVersion.current, startedAt: started, socketPath: config.socketPath,
                stateDirectory: config.stateDirectory),
            registry: registry, store: store, hub: hub, stats: stats, connections: connections, settings: settings,
            replyMemory: replyMemory, reload: { await reloader.reload(reason: "daemon.reload") })
        let dispatcher = Dispatcher(
            registry: registry, store: store, hub: hub, stats: stats, settings: settings, builtins: builtins,
            replyMemory: replyMemory, logger: logger)

        PluginHostBridge.setSubmitter { plugin, method, params in
            dispatcher.submitInternal(plugin: plugin, method: method, params: params)
        }

        let server: SocketServer
        do {
            server = try await SocketServer.start(
                config: config, dispatcher: dispatcher, connections: connections, settings: settings, logger: logger)
        } catch {
            store.close()
            throw StartupError(error.message)
        }
        let status = StatusReporter(
            notifier: notifier, registry: registry, connections: connections, store: store,
            reloadProblem: reloader.problem)
        let failed = registry.records.filter { !$0.isLoaded }.count
        logger.notice(
            "receptiond \(ReceptionVersion.current) ready: \(registry.records.count - failed) plugins loaded, \(failed) failed, socket \(server.path)"
        )
        // Plugins start their own timers once background writes are accepted and the socket listens.
        for record in registry.records where record.isLoaded { record.library?.started() }
        notifier.ready()
        status.report(force: true)

        await withDiscardingTaskGroup { group in
            group.addTask { await reloader.watch(hangups) }
            group.addTask { await Watchdog(notifier: self.notifier, dispatcher: dispatcher, logger: self.logger).run() }
            group.addTask { await status.run() }
            group.addTask { await MemoryTrimmer().run() }
            try? await gracefulShutdown()
            group.cancelAll()
        }

        // Graceful stop.
        notifier.stopping()
        notifier.status("stopping: finishing \(stats.current) requests in flight")
        logger.notice("stopping: no new connections; finishing requests in flight")
        dispatcher.beginDraining()
        await server.stopAccepting()
        let grace = Duration.seconds(settings.current.limits.shutdownGraceSeconds)
        await server.closeConnections(connections, grace: grace)
        if stats.current > 0 {
            logger.warning(
                "\(stats.current) requests still running after the grace period; their connections are closed, queued writes still commit"
            )
        }
        // Plugins finish their own queued work (the parcels notifier runs what is queued) while
        // the writer still commits what that work submits.
        let stopGrace = Duration.seconds(max(1, settings.current.limits.shutdownGraceSeconds / 2))
        for record in registry.records where record.isLoaded { record.library?.stop(grace: stopGrace) }
        // Writes already queued commit (their clients may be gone: like any lost connection, the
        // outcome is then in the audit log), while the event loops their completions use still run.
        store.writer.drainAndStop()
        // Reads chained on those writes (read your writes) were handed to the readers as the
        // writes completed: let them finish while the event loops can still take their replies.
        store.readers.stop()
        await server.stopEventLoops()
        // Plugins hear `shutdown` while the connections they were lent are still open (they may
        // hold prepared statements on them), but with no read or write running.
        for record in registry.records where record.isLoaded { record.library?.shutdown() }
        store.close()
        logger.notice("stopped cleanly")
    }
}

/// A start-up failure, printed as one readable line before the process exits non-zero.
public struct StartupError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A misspelt `admin_group` would silently leave only root as admin: say so.
enum AdminGroupCheck {
    static func warnIfMissing(_ group: String?, logger: Logger) {
        guard let group, RoleResolver.gid(of: group) == nil else { return }
        logger.warning("admin_group \"\(group)\" does not exist on this system; only root has the admin role")
    }
}
