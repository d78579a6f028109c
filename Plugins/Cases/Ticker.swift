import Dispatch
import ReceptionPluginSDK
import Synchronization

/// The minute job. The SDK has no timer: a plugin acts on time passing by submitting its own
/// write methods through ``BackgroundWork``. When the daemon is ready
/// (``CasesPlugin/started(background:)``) a timer of the plugin's own submits
/// `cases.workorders.sweep` at once and then once a minute; the sweep runs on the writer as the
/// daemon (role system) and announces each newly overdue work order once.
final class Ticker: Sendable {
    /// The running timer, if any.
    private let timer = Mutex<(any DispatchSourceTimer)?>(nil)

    /// Starts the timer unless it runs already.
    func start(_ background: BackgroundWork) {
        timer.withLock { timer in
            guard timer == nil else { return }
            background.submit("cases.workorders.sweep", .object([:]))
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "cases.ticker"))
            source.schedule(deadline: .now() + .seconds(60), repeating: .seconds(60), leeway: .seconds(1))
            source.setEventHandler { background.submit("cases.workorders.sweep", .object([:])) }
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
