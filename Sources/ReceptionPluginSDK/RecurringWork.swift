import Dispatch
import Synchronization

/// A minute job: the SDK has no timer of its own in the daemon, so a department that must act
/// on time passing (announce an overdue task, mark a visitor past the curfew) submits one of its
/// own write methods, usually with role ``MethodRole/system``, through ``BackgroundWork`` on a
/// timer. Start it from ``DepartmentPlugin/started(background:)`` and stop it in
/// ``DepartmentPlugin/shutdown(within:)``:
///
/// ```swift
/// let sweep = RecurringWork(method: "meetings.tasks.sweep")
/// public func started(background: BackgroundWork) { sweep.start(background) }
/// public func shutdown(within grace: Duration) { sweep.stop() }
/// ```
///
/// The method is submitted once at once (what fell due while the daemon was down is handled
/// right after it starts), then every `interval`. The daemon runs it on the writer as itself,
/// audited like any write; the testing kit queues it for `runBackground()`.
public final class RecurringWork: Sendable {
    /// The method submitted.
    public let method: String
    private let interval: Duration
    private let timer = Mutex<(any DispatchSourceTimer)?>(nil)

    /// Work that submits `method` with empty params every `interval` once started.
    public init(method: String, every interval: Duration = .seconds(60)) {
        self.method = method
        self.interval = interval
    }

    /// Submits the method now and starts the timer; a second start does nothing.
    public func start(_ background: BackgroundWork) {
        timer.withLock { timer in
            guard timer == nil else { return }
            let method = self.method
            background.submit(method, .object([:]))
            let parts = interval.components
            let milliseconds = max(1, Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000))
            let every = DispatchTimeInterval.milliseconds(milliseconds)
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "receptiond.recurring.\(method)"))
            source.schedule(
                deadline: .now() + every, repeating: every, leeway: .milliseconds(max(1, milliseconds / 60)))
            source.setEventHandler { background.submit(method, .object([:])) }
            source.resume()
            timer = source
        }
    }

    /// Stops the timer (nothing more is submitted).
    public func stop() {
        timer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
    }
}
