import Foundation

/// Samples a process's memory from `/proc/<pid>/status` on a background thread, to state the
/// fault suite's "peak RSS" figure and to check that memory comes back after abuse.
///
/// `VmRSS` is what the process holds now; `VmHWM` is the kernel's own high-water mark of it since
/// the process started, so a peak between two samples is not missed.
///
/// ```swift
/// let probe = ProcessProbe(pid: daemon.pid)
/// probe.start()
/// // ... load ...
/// let memory = probe.stop()      // memory.peakMiB, memory.currentMiB
/// ```
public final class ProcessProbe: @unchecked Sendable {
    /// One reading of the process's memory, in MiB.
    public struct Memory: Sendable, CustomStringConvertible {
        /// The highest `VmRSS` sampled, or `VmHWM` when that is higher.
        public var peakMiB: Double
        /// `VmRSS` at the last sample.
        public var currentMiB: Double
        /// `VmHWM` at the last sample: the kernel's peak since the process started.
        public var highWaterMiB: Double
        /// How many samples were taken.
        public var samples: Int

        public var description: String {
            String(
                format: "peak %.1f MiB, current %.1f MiB (VmHWM %.1f MiB, %d samples)", peakMiB, currentMiB,
                highWaterMiB, samples)
        }
    }

    /// The process watched.
    public let pid: Int32
    /// Time between samples.
    public let interval: Duration
    // Guarded by `lock`.
    private let lock = NSLock()
    private var memory = Memory(peakMiB: 0, currentMiB: 0, highWaterMiB: 0, samples: 0)
    private var running = false
    private var finished = DispatchSemaphore(value: 0)

    /// Prepares a probe of `pid`, sampling every `interval`.
    public init(pid: Int32, interval: Duration = .milliseconds(20)) {
        self.pid = pid
        self.interval = interval
    }

    /// `VmRSS` and `VmHWM` of `pid` now, in MiB; `nil` when the process is gone.
    public static func read(pid: Int32) -> (rssMiB: Double, highWaterMiB: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var rss: Double?
        var hwm: Double?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = kibibytes(line).map { $0 / 1024 } }
            if line.hasPrefix("VmHWM:") { hwm = kibibytes(line).map { $0 / 1024 } }
        }
        guard let rss, let hwm else { return nil }
        return (rss, hwm)
    }

    /// The number in a `/proc/<pid>/status` line such as `VmRSS:    12345 kB`.
    private static func kibibytes(_ line: Substring) -> Double? {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) }
    }

    /// One sample now (also what ``start()``'s thread does).
    @discardableResult
    public func sample() -> Memory {
        lock.lock()
        defer { lock.unlock() }
        if let now = Self.read(pid: pid) {
            memory.currentMiB = now.rssMiB
            memory.highWaterMiB = now.highWaterMiB
            memory.peakMiB = max(memory.peakMiB, now.rssMiB, now.highWaterMiB)
            memory.samples += 1
        }
        return memory
    }

    /// Starts sampling on a background thread until ``stop()``.
    public func start() {
        lock.lock()
        running = true
        finished = DispatchSemaphore(value: 0)
        let done = finished
        lock.unlock()
        let pause = useconds_t(
            max(1, interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000))
        let thread = Thread { [self] in
            while isRunning {
                sample()
                usleep(pause)
            }
            done.signal()
        }
        thread.start()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Stops sampling, takes a last sample, and returns what was seen.
    @discardableResult
    public func stop() -> Memory {
        lock.lock()
        let wasRunning = running
        running = false
        let done = finished
        lock.unlock()
        if wasRunning { done.wait() }
        return sample()
    }

    /// What was seen so far, without a new sample.
    public var memorySoFar: Memory {
        lock.lock()
        defer { lock.unlock() }
        return memory
    }
}

/// The name the fault-suite brief uses for ``ProcessProbe``.
public typealias RSSProbe = ProcessProbe
