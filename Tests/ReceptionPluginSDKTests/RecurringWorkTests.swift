import Foundation
@_spi(Runtime) import ReceptionPluginSDK
import Synchronization
import Testing

/// `RecurringWork`: the minute job of meetings, visitors and cases (here with a shorter interval).
@Suite("RecurringWork: a department's minute job")
struct RecurringWorkTests {
    @Test("once started (twice is once), it submits the method at once and every interval, and stops when told")
    func submitsAtOnceThenEveryInterval() async throws {
        let submitted = Mutex<[String]>([])
        let background = BackgroundWork(
            submit: { method, params in submitted.withLock { $0.append("\(method) \(params)") } }, log: { _, _ in })
        let work = RecurringWork(method: "visitors.sweep", every: .milliseconds(20))
        let started = ContinuousClock.now
        work.start(background)
        #expect(submitted.withLock { $0 } == ["visitors.sweep {}"], "the first one at once, before the timer")
        work.start(background)
        try await Task.sleep(for: .milliseconds(400))
        work.stop()
        let elapsed = ContinuousClock.now - started
        let calls = submitted.withLock { $0 }
        #expect(calls.count >= 3)
        // One at the start, then one timer firing at most once per 20 ms of the time that
        // passed; a second timer would double that.
        #expect(calls.count <= Int(elapsed / .milliseconds(20)) + 2, "one timer, not two")
        #expect(Set(calls) == ["visitors.sweep {}"])
        try await Task.sleep(for: .milliseconds(100))
        #expect(submitted.withLock { $0.count } == calls.count, "stopped")
    }
}
