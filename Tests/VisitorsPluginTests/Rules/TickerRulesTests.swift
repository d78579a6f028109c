import Foundation
@_spi(Runtime) import ReceptionPluginSDK
import Synchronization
import Testing

@testable import VisitorsPlugin

/// The minute job's timer: the SDK has no timer, so the plugin's own thread submits
/// `visitors.sweep` through the daemon's background work (here with a shorter interval).
@Suite("visitors rules: the minute job's timer")
struct TickerRulesTests {
    @Test("once started (twice is once), the timer submits visitors.sweep {} every interval, and stops when told")
    func tickerSubmitsTheSweep() async throws {
        let submitted = Mutex<[String]>([])
        let background = BackgroundWork(
            submit: { method, params in submitted.withLock { $0.append("\(method) \(params)") } }, log: { _, _ in })
        let ticker = Ticker(every: .milliseconds(20))
        let started = ContinuousClock.now
        ticker.start(background)
        ticker.start(background)
        try await Task.sleep(for: .milliseconds(400))
        ticker.stop()
        let elapsed = ContinuousClock.now - started
        let calls = submitted.withLock { $0 }
        #expect(calls.count >= 3)
        // One sweep at the start, then one timer firing at most once per 20 ms of the time that
        // passed; a second timer would double that.
        #expect(calls.count <= Int(elapsed / .milliseconds(20)) + 2, "one timer, not two")
        #expect(Set(calls) == ["visitors.sweep {}"])
        try await Task.sleep(for: .milliseconds(100))
        #expect(submitted.withLock { $0.count } == calls.count, "stopped")
    }
}
