import Dispatch
import ReceptionPluginSDK
import Synchronization

/// The minute job. The SDK has no timer: a plugin acts on time passing only by submitting its own
/// write methods through ``BackgroundWork``. When the daemon is ready
/// (``VisitorsPlugin/started(background:)``) a timer of the plugin's own submits `visitors.sweep`
/// at once (a visitor who passed the curfew while the daemon was down is announced) and then once
/// a minute; the sweep runs on the writer as the daemon (role system) and marks visits on site
/// past the curfew `overstay`, announcing each once. Reads (`visitors.overstays`, a visit's
/// `overstay`) count a visit past its curfew even before the sweep reaches it.
final class Ticker: Sendable {
    /// The running timer, if any.
    private let timer = Mutex<(any DispatchSourceTimer)?>(nil)
    /// How often it submits the sweep: a minute (tests use less).
    private let interval: DispatchTimeInterval

    /// A ticker that submits the sweep every `interval` once started.
    init(every interval: DispatchTimeInterval = .seconds(60)) { self.interval = interval }

    /// Starts the timer unless it runs already.
    func start(_ background: BackgroundWork) {
        timer.withLock { timer in
            guard timer == nil else { return }
            background.submit("visitors.sweep", .object([:]))
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "visitors.ticker"))
            source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
            source.setEventHandler { background.submit("visitors.sweep", .object([:])) }
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
