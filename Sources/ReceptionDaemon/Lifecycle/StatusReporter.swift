import Foundation
import ReceptionStore
import ReceptionSystemd
import Synchronization

/// Keeps systemd's `STATUS=` line current: "serving 3 clients, 4 plugins (1 failed)", while
/// the storage fails, why: "…; storage failing: disk full (1,204 writes refused)", and after a
/// refused reload, until the next good one: "…; reload refused, running config kept: …".
struct StatusReporter: Sendable {
    let notifier: SystemdNotifier
    let registry: PluginRegistry
    let connections: ConnectionRegistry
    let store: Store
    let reloadProblem: ReloadProblem
    private let last = LastStatus()
    private let lastReload = LastGeneration()

    init(
        notifier: SystemdNotifier, registry: PluginRegistry, connections: ConnectionRegistry, store: Store,
        reloadProblem: ReloadProblem
    ) {
        self.notifier = notifier
        self.registry = registry
        self.connections = connections
        self.store = store
        self.reloadProblem = reloadProblem
    }

    var text: String {
        let loaded = registry.records.filter(\.isLoaded).count
        let failed = registry.records.count - loaded
        let clients = connections.count
        var text = "serving \(clients) client\(clients == 1 ? "" : "s"), \(loaded) plugin\(loaded == 1 ? "" : "s")"
        if failed > 0 { text += " (\(failed) failed to load)" }
        if let storage = store.statusClause { text += "; " + storage }
        if let refused = reloadProblem.current { text += "; reload refused, running config kept: " + refused }
        return text
    }

    func report(force: Bool = false) {
        let current = text
        // A reload sends its own status line; the next report restores this one even when the
        // counts have not changed.
        let reloads = reloadProblem.generation
        if force || last.swap(current) != current || lastReload.swap(reloads) != reloads { notifier.status(current) }
    }

    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            report()
        }
    }
}

/// The last status line sent.
final class LastStatus: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value = ""
    func swap(_ new: String) -> String {
        lock.withLock {
            let old = value
            value = new
            return old
        }
    }
}

/// Why the last reload was refused, until a reload succeeds (for the status line).
final class ReloadProblem: Sendable {
    private let state = Mutex<(problem: String?, generation: Int)>((nil, 0))

    /// The reason, or `nil` after a good reload.
    var current: String? { state.withLock { $0.problem } }

    /// How many reloads have finished (each sends its own status line).
    var generation: Int { state.withLock { $0.generation } }

    /// Records a refusal (`reason`) or, with `nil`, a good reload.
    func set(_ reason: String?) {
        state.withLock {
            $0.problem = reason
            $0.generation += 1
        }
    }
}

/// The reload generation the last status line was sent at.
final class LastGeneration: Sendable {
    private let value = Mutex<Int>(0)
    func swap(_ new: Int) -> Int {
        value.withLock { old in
            defer { old = new }
            return old
        }
    }
}
