import Foundation
import ReceptionClient

/// A well-behaved desk during abuse: its own connection sends `daemon.ping` every ~5 ms, one at
/// a time, waiting for each reply, and records how long each took. Runs on its own thread, so it
/// competes with the load like a real desk does. Its p99 is the fault suite's fairness figure.
///
/// ```swift
/// let probe = try PingProbe(socketPath: daemon.socketPath)
/// probe.start()
/// // ... abuse ...
/// let pings = probe.stop()        // pings.count, pings.p50Ms, pings.p99Ms, pings.maxMs
/// ```
public final class PingProbe: @unchecked Sendable {
    /// The latencies seen, in milliseconds.
    public struct Latencies: Sendable, CustomStringConvertible {
        /// Pings answered.
        public var count: Int
        /// Pings that failed (an error reply, a timeout, the connection lost or refused).
        public var failures: Int
        /// The first failure, for the test's message.
        public var firstFailure: String?
        /// Median latency.
        public var p50Ms: Double
        /// 99th percentile latency.
        public var p99Ms: Double
        /// Slowest ping.
        public var maxMs: Double

        public var description: String {
            String(
                format: "%d pings, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d failed", count, p50Ms, p99Ms, maxMs,
                failures) + (firstFailure.map { " (first: \($0))" } ?? "")
        }
    }

    /// The socket pinged.
    public let socketPath: String
    /// Time from one ping's send to the next one's.
    public let interval: Duration
    /// How long one ping may take before it counts as failed.
    public let timeout: Duration
    // Guarded by `lock`.
    private let lock = NSLock()
    private var samples: [Double] = []
    private var failures = 0
    private var firstFailure: String?
    private var running = false
    private var finished = DispatchSemaphore(value: 0)

    /// Prepares a probe of the daemon at `socketPath`. It connects in ``start()``.
    public init(socketPath: String, interval: Duration = .milliseconds(5), timeout: Duration = .seconds(10)) {
        self.socketPath = socketPath
        self.interval = interval
        self.timeout = timeout
    }

    /// Connects and pings until ``stop()``. A lost connection is counted as a failure and
    /// reopened at the next tick.
    public func start() {
        lock.lock()
        running = true
        samples.removeAll(keepingCapacity: true)
        finished = DispatchSemaphore(value: 0)
        let done = finished
        lock.unlock()
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.start()
    }

    /// Runs for `duration` on the calling thread, then returns the latencies.
    public func run(for duration: Duration) -> Latencies {
        start()
        Thread.sleep(
            forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        return stop()
    }

    /// Stops pinging and returns the latencies.
    @discardableResult
    public func stop() -> Latencies {
        lock.lock()
        let wasRunning = running
        running = false
        let done = finished
        lock.unlock()
        if wasRunning { done.wait() }
        return latencies
    }

    /// The latencies so far.
    public var latencies: Latencies {
        lock.lock()
        defer { lock.unlock() }
        let sorted = samples.sorted()
        return Latencies(
            count: sorted.count, failures: failures, firstFailure: firstFailure,
            p50Ms: Self.percentile(sorted, 0.50), p99Ms: Self.percentile(sorted, 0.99), maxMs: sorted.last ?? 0)
    }

    /// The `fraction` percentile of ascending `sorted` values (nearest rank); 0 when empty.
    public static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func fail(_ reason: String) {
        lock.lock()
        failures += 1
        if firstFailure == nil { firstFailure = reason }
        lock.unlock()
    }

    private func run() {
        let clock = ContinuousClock()
        var connection: RPCConnection?
        var next = clock.now
        while isRunning {
            next = next.advanced(by: interval)
            do {
                let open = try connection ?? RPCConnection(socketPath: socketPath, timeout: timeout)
                connection = open
                let started = clock.now
                let reply = try open.call("daemon.ping", [:], timeout: timeout)
                let elapsed = clock.now - started
                guard reply["pong"] == .bool(true) else {
                    fail("daemon.ping answered \(reply.serialized())")
                    continue
                }
                let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                lock.lock()
                samples.append(millis)
                lock.unlock()
            } catch {
                fail("\(error)")
                connection?.close()
                connection = nil
            }
            let now = clock.now
            if next > now {
                let wait = next - now
                usleep(
                    useconds_t(wait.components.seconds * 1_000_000 + wait.components.attoseconds / 1_000_000_000_000))
            } else {
                next = now
            }
        }
        connection?.close()
    }
}
