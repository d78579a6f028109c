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
        let changed = last.changed(current, reloads: reloadProblem.generation)
        if force || changed { notifier.status(current) }
    }

    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            report()
        }
    }
}

/// What the last status line was sent for: its text and the reload generation then.
final class LastStatus: Sendable {
    private let value = Mutex<(text: String, reloads: Int)>(("", 0))

    /// Records `text` at reload generation `reloads`; whether either differs from the last.
    func changed(_ text: String, reloads: Int) -> Bool {
        value.withLock { last in
            defer { last = (text, reloads) }
            return last.text != text || last.reloads != reloads
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
