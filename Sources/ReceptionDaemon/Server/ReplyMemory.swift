import Foundation
import NIOCore
import Synchronization

/// The daemon-wide account of reply bytes held in memory: replies waiting to be written on every
/// connection, and the parts of batch replies still being assembled.
///
/// Each connection also has its own budget (`reply_buffer_bytes`); this one bounds the sum, so
/// that many connections each just under their own budget cannot exhaust the machine. From
/// three quarters of the budget, a connection holding more than its share (the budget divided
/// by the connections holding replies) stops being read: the heaviest pause first. At the
/// budget, every connection still holding unread replies pauses, so the total stays within the
/// budget plus one reply per connection; a desk whose last answer it has read holds nothing and
/// goes on being served. When the total falls back under three quarters, the paused
/// connections are woken to read again.
final class ReplyMemory: Sendable {
    private let total = Atomic<Int>(0)
    private let holders = Atomic<Int>(0)
    private let limitBytes: Atomic<Int>
    private let paused = Mutex<[Int: @Sendable () -> Void]>([:])
    /// How many connections are in ``paused``, so that a release takes the lock only when one is.
    private let pausedNow = Atomic<Int>(0)
    private let highWater = Atomic<Int>(0)

    private let maxReply: Atomic<Int>

    /// Creates an account with a budget of `limit` bytes, for replies of at most `maxReply`.
    init(limit: Int, maxReply: Int) {
        limitBytes = Atomic(limit)
        self.maxReply = Atomic(maxReply)
    }

    /// The longest reply (`max_reply_bytes`), kept here so that requests read it without
    /// taking the settings lock.
    var maxReplyBytes: Int {
        get { maxReply.load(ordering: .relaxed) }
        set { maxReply.store(newValue, ordering: .relaxed) }
    }

    /// The budget in bytes (`reply_memory_bytes`).
    var limit: Int {
        get { limitBytes.load(ordering: .relaxed) }
        set { limitBytes.store(newValue, ordering: .relaxed) }
    }

    /// Bytes held now.
    var bytes: Int { total.load(ordering: .relaxed) }
    /// The most bytes held at once since start.
    var peakBytes: Int { highWater.load(ordering: .relaxed) }
    /// Connections paused by this budget now.
    var pausedCount: Int { pausedNow.load(ordering: .relaxed) }

    /// Counts `count` more bytes, unconditionally (they are already in memory).
    func add(_ count: Int) {
        let now = total.add(count, ordering: .relaxed).newValue
        if now > highWater.load(ordering: .relaxed) { highWater.store(now, ordering: .relaxed) }
    }

    /// Counts `count` more bytes only if the total stays within the budget.
    func reserve(_ count: Int) -> Bool {
        var current = total.load(ordering: .relaxed)
        while true {
            guard current + count <= limit else { return false }
            let (exchanged, original) = total.compareExchange(
                expected: current, desired: current + count, ordering: .relaxed)
            if exchanged {
                if current + count > highWater.load(ordering: .relaxed) {
                    highWater.store(current + count, ordering: .relaxed)
                }
                return true
            }
            current = original
        }
    }

    /// Gives back `count` bytes; wakes the paused connections once the total is back under
    /// three quarters of the budget.
    func release(_ count: Int) {
        guard count > 0 else { return }
        // Sequentially consistent with ``pause(_:resume:)``: a release that lowers the total and
        // a pause that registers must not both miss each other.
        let now = total.subtract(count, ordering: .sequentiallyConsistent).newValue
        if now < softLimit { wakePaused() }
    }

    /// Where pausing starts: three quarters of the budget.
    private var softLimit: Int { limit / 4 * 3 }

    /// A connection starts or stops holding replies (for the fair share).
    func holderChanged(holding: Bool) {
        holders.add(holding ? 1 : -1, ordering: .relaxed)
    }

    /// Whether a connection holding `held` bytes must stop reading now.
    func mustPause(holding held: Int) -> Bool {
        guard held > 0 else { return false }
        let current = total.load(ordering: .relaxed)
        let budget = limit
        if current >= budget { return true }
        guard current >= budget / 4 * 3 else { return false }
        return held >= budget / max(1, holders.load(ordering: .relaxed))
    }

    /// Registers connection `id` as paused; `resume` runs (once) when the total is under budget.
    func pause(_ id: Int, resume: @escaping @Sendable () -> Void) {
        paused.withLock { table in
            table[id] = resume
            pausedNow.store(table.count, ordering: .sequentiallyConsistent)
        }
        // The total may have dropped between the check and the registration.
        if total.load(ordering: .sequentiallyConsistent) < softLimit { wakePaused() }
    }

    /// Forgets connection `id` (it closed or resumed on its own).
    func forget(_ id: Int) {
        guard pausedNow.load(ordering: .relaxed) > 0 else { return }
        paused.withLock { table in
            table.removeValue(forKey: id)
            pausedNow.store(table.count, ordering: .relaxed)
        }
    }

    private func wakePaused() {
        guard pausedNow.load(ordering: .sequentiallyConsistent) > 0 else { return }
        let waiting: [@Sendable () -> Void] = paused.withLock { table in
            if table.isEmpty { return [] }
            let all = Array(table.values)
            table.removeAll()
            pausedNow.store(0, ordering: .relaxed)
            return all
        }
        for resume in waiting { resume() }
    }
}
