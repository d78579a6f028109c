import Dispatch
import ReceptionPluginSDK
import Synchronization

/// The minute job. The SDK has no timer: a plugin acts on time passing only by submitting its own
/// write methods through ``BackgroundWork``, which it is handed after a commit. So the first
/// commit after the daemon starts (any write of this department) starts a timer of the plugin's
/// own that submits `meetings.tasks.sweep` once a minute; the sweep runs on the writer as the
/// daemon (role system), announces newly overdue tasks once and creates the day's `open_rooms`.
/// Until that first write after a start, nothing is announced (reads still show `overdue`).
final class Ticker: Sendable {
    /// The running timer, if any.
    private let timer = Mutex<(any DispatchSourceTimer)?>(nil)

    /// Starts the timer unless it runs already.
    func start(_ background: BackgroundWork) {
        timer.withLock { timer in
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "meetings.ticker"))
            source.schedule(deadline: .now() + .seconds(60), repeating: .seconds(60), leeway: .seconds(1))
            source.setEventHandler { background.submit("meetings.tasks.sweep", .object([:])) }
            source.resume()
            timer = source
        }
    }

    /// Stops the timer.
    func stop() {
        timer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
    }
}
