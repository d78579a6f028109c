import Foundation
import Logging
import ReceptionProtocol
import Synchronization

/// Logs a failure that keeps repeating once per distinct cause per interval, with a count,
/// instead of once per occurrence.
///
/// A read-only WAL once gave 99,774 identical error lines in 20 s (one per failed write group),
/// and a read-only database file 5,132 checkpoint warnings in 10 s. Here the first occurrence of
/// a cause is logged at once; later ones within ``interval`` are only counted, and when the
/// interval ends one line says how many there were ("… repeated 4,212 times in the last 60 s").
/// A run of failures that ends (``succeeded()``) is logged once too ("storage writes succeed
/// again after 1,204 failures"). The same counts feed `daemon.status` (``causes``) and the
/// systemd status line.
///
/// A cause is identified by a normalised key (for SQLite, the result code and message without
/// varying numbers: see ``StorageFailure``). At most ``maxCauses`` are tracked at once; the one
/// seen least recently makes room for a new one.
public final class RepeatingErrorLog: @unchecked Sendable {
    /// One cause as `daemon.status` shows it.
    public struct Cause: Sendable {
        /// The normalised key.
        public let key: String
        /// A short name for status lines ("disk full").
        public let summary: String
        /// The most recent full message.
        public let message: String
        /// Occurrences since the cause was first seen in this run of failures.
        public let count: Int
        /// When it was first seen in this run of failures.
        public let firstAt: Date
        /// When it was last seen.
        public let lastAt: Date
        /// When the run of failures it belonged to ended (`nil`: still failing).
        public let recoveredAt: Date?

        /// `{"cause", "message", "count", "firstAt", "lastAt", "current", "recoveredAt"}`.
        public var jsonValue: JSONValue {
            [
                "cause": .string(summary), "message": .string(message), "count": .int(Int64(count)),
                "firstAt": .string(Timestamp.format(firstAt)), "lastAt": .string(Timestamp.format(lastAt)),
                "current": .bool(recoveredAt == nil),
                "recoveredAt": recoveredAt.map { .string(Timestamp.format($0)) } ?? .null,
            ]
        }
    }

    /// What fails, plural, for the repeat and recovery lines: "storage writes", "WAL checkpoints".
    public let subject: String
    /// Repeats of one cause within this many seconds are counted, not logged.
    public let interval: TimeInterval
    /// Most causes tracked at once.
    public let maxCauses: Int
    /// Causes of runs that ended, kept for `daemon.status`.
    public static let recentCauses = 4

    private let level: Logger.Level
    private let logger: Logger
    /// Whether a run of failures is going on: read without the lock on every success.
    private let failing = Atomic<Bool>(false)
    // Everything below is guarded by `lock`.
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var recent: [Cause] = []
    private var failuresInRun = 0
    private var runStartedAt: Date?
    private static let timers = DispatchQueue(label: "receptiond.repeating-error-log")

    private struct Entry {
        var summary: String
        var message: String
        var count: Int
        var firstAt: Date
        var lastAt: Date
        /// Start of the current interval: repeats until its end are counted in `suppressed`.
        var windowStart: Date
        var suppressed: Int
        var reportScheduled: Bool
    }

    /// A log for failures of `subject`, logged at `level`; repeats within `interval` seconds are
    /// counted.
    public init(
        subject: String, interval: TimeInterval = 60, level: Logger.Level = .error, maxCauses: Int = 32,
        logger: Logger
    ) {
        self.subject = subject
        self.interval = interval
        self.level = level
        self.maxCauses = max(1, maxCauses)
        self.logger = logger
    }

    /// Records `count` occurrences (a failed group of 12 writes is 12) of the failure `key`.
    /// Logs `message` (which should say what failed) at once if the cause is new or was quiet
    /// for a whole interval; otherwise only counts it, for the line at the interval's end.
    public func record(
        key: String, summary: String, message: String, count: Int = 1, metadata: Logger.Metadata? = nil
    ) {
        let now = Date()
        var line: String?
        var evicted: String?
        var schedule: (key: String, at: Date)?
        lock.withLock {
            failing.store(true, ordering: .relaxed)
            failuresInRun += count
            if runStartedAt == nil { runStartedAt = now }
            if var entry = entries[key] {
                entry.count += count
                entry.lastAt = now
                entry.message = message
                if entry.suppressed == 0, now.timeIntervalSince(entry.windowStart) >= interval {
                    // Quiet for a whole interval: this is news again.
                    entry.windowStart = now
                    line = "\(message) (\(Self.grouped(entry.count)) times since \(Timestamp.format(entry.firstAt)))"
                } else {
                    entry.suppressed += count
                    if !entry.reportScheduled {
                        entry.reportScheduled = true
                        schedule = (key, entry.windowStart.addingTimeInterval(interval))
                    }
                }
                entries[key] = entry
            } else {
                if entries.count >= maxCauses, let oldest = entries.min(by: { $0.value.lastAt < $1.value.lastAt }) {
                    entries[oldest.key] = nil
                    if oldest.value.suppressed > 0 { evicted = repeatLine(oldest.value, now: now) }
                }
                // The line logged now stands for all `count` occurrences (one failed group).
                entries[key] = Entry(
                    summary: summary, message: message, count: count, firstAt: now, lastAt: now, windowStart: now,
                    suppressed: 0, reportScheduled: false)
                line = message
            }
        }
        if let evicted { logger.log(level: level, "\(evicted)") }
        if let line { logger.log(level: level, "\(line)", metadata: metadata) }
        if let schedule {
            let delay = max(0, schedule.at.timeIntervalSinceNow)
            Self.timers.asyncAfter(deadline: .now() + delay) { [weak self] in self?.report(schedule.key) }
        }
    }

    /// Ends a run of failures, if one is going on: logs once how many there were. Cheap when
    /// nothing failed (an atomic load), so it may be called after every success.
    public func succeeded() {
        guard failing.load(ordering: .relaxed) else { return }
        let now = Date()
        let line: String? = lock.withLock {
            guard failuresInRun > 0 else { return nil }
            let causes = entries.values.sorted { $0.count > $1.count }
            let list = causes.map { "\($0.summary): \(Self.grouped($0.count))" }.joined(separator: "; ")
            let since = runStartedAt.map { " since \(Timestamp.format($0))" } ?? ""
            let text = "\(subject) succeed again after \(Self.grouped(failuresInRun)) failures\(since) (\(list))"
            let ended = entries.map { key, entry in
                Cause(
                    key: key, summary: entry.summary, message: entry.message, count: entry.count,
                    firstAt: entry.firstAt, lastAt: entry.lastAt, recoveredAt: now)
            }
            recent = Array((ended.sorted { $0.lastAt > $1.lastAt } + recent).prefix(Self.recentCauses))
            entries = [:]
            failuresInRun = 0
            runStartedAt = nil
            failing.store(false, ordering: .relaxed)
            return text
        }
        if let line { logger.notice("\(line)") }
    }

    /// Whether failures were recorded since the last success.
    public var isFailing: Bool { failing.load(ordering: .relaxed) }

    /// Failures since the last success, all causes together.
    public var failureCount: Int { lock.withLock { failuresInRun } }

    /// The causes of the current run of failures (most recent first), then those of runs that
    /// ended.
    public var causes: [Cause] {
        lock.withLock {
            let current = entries.map { key, entry in
                Cause(
                    key: key, summary: entry.summary, message: entry.message, count: entry.count,
                    firstAt: entry.firstAt, lastAt: entry.lastAt, recoveredAt: nil)
            }
            return current.sorted { $0.lastAt > $1.lastAt } + recent
        }
    }

    /// The end of `key`'s interval: one line with the repeats counted in it, and a new interval.
    private func report(_ key: String) {
        let now = Date()
        let line: String? = lock.withLock {
            guard var entry = entries[key] else { return nil }
            entry.reportScheduled = false
            guard entry.suppressed > 0 else {
                entries[key] = entry
                return nil
            }
            let text = repeatLine(entry, now: now)
            entry.suppressed = 0
            entry.windowStart = now
            entries[key] = entry
            return text
        }
        if let line { logger.log(level: level, "\(line)") }
    }

    private func repeatLine(_ entry: Entry, now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(entry.windowStart).rounded())
        return
            "\(subject): \(entry.summary) repeated \(Self.grouped(entry.suppressed)) times in the last \(seconds) s (last: \(entry.message))"
    }

    /// `4212` → `"4,212"`.
    public static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return number < 0 ? "-" + out : out
    }
}
