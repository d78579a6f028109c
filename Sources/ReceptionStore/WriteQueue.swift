import Foundation
import GRDB
import Logging
import ReceptionProtocol

/// One state-changing request waiting for the writer.
public struct WriteJob: Sendable {
    /// The change: runs inside its own savepoint on the writer connection (raw `sqlite3 *`).
    /// Returns the result JSON text and the events to publish, or an error (the savepoint is
    /// then rolled back; the audit record of the failure still commits).
    public let body: @Sendable (OpaquePointer) -> (Result<String, RPCError>, [PendingEvent])
    /// The audit record: written in the same transaction when the job succeeds, counted in the
    /// store's ``RefusalLedger`` when it fails.
    public let audit: AuditRecord?
    /// Called on the writer thread once the outcome is durable (or the commit failed).
    public let completion: @Sendable (Result<String, RPCError>) -> Void

    /// Creates a job.
    public init(
        audit: AuditRecord?, body: @escaping @Sendable (OpaquePointer) -> (Result<String, RPCError>, [PendingEvent]),
        completion: @escaping @Sendable (Result<String, RPCError>) -> Void
    ) {
        self.body = body
        self.audit = audit
        self.completion = completion
    }
}

/// An event emitted by a write, published only after its transaction commits.
public struct PendingEvent: Sendable {
    /// The topic, `parcels.received`.
    public let topic: String
    /// The event data as JSON text.
    public let data: String
    /// The workstation of the connection that made the change (`daemon.hello`), if named.
    public let workstation: String?
    /// The operator of the connection that made the change (`daemon.hello`), if named.
    public let `operator`: String?
    /// Creates an event.
    public init(topic: String, data: String, workstation: String? = nil, operator operatorName: String? = nil) {
        self.topic = topic
        self.data = data
        self.workstation = workstation
        self.operator = operatorName
    }
}

/// The single writer: a queue of ``WriteJob``s drained by one thread.
///
/// Each drain takes every job queued so far (up to ``maxBatch``) and commits them in one
/// transaction (group commit), each inside its own savepoint so one failing job never rolls back
/// another. Only once the commit is on disk are the events published, in commit order, and the
/// callers answered: with a ``WALSync`` the writer commits at `synchronous=NORMAL` and goes on
/// with the next group while the WAL is `fdatasync`ed for this one; without, the commit itself
/// fsyncs (`synchronous=FULL`).
///
/// A group is refused whole, without touching the database, while the WAL is at its limit
/// (``Checkpointer/walLimitRefusal()``). A failed group is logged through ``failures``: once
/// per cause per minute, however many groups fail.
public final class WriteQueue: @unchecked Sendable {
    // `pending`, `draining` and `stopped` are guarded by `lock`; the rest is immutable.
    /// Most jobs committed in one transaction.
    public let maxBatch = 256
    private let pool: DatabasePool
    private let checkpointer: Checkpointer
    /// Syncs the WAL after commits and answers them; `nil`: each commit syncs itself.
    let walSync: WALSync?
    /// Set on the writer's thread once it went back to `synchronous=FULL` after a failed sync.
    private var committingDurably: Bool
    private let refusals: RefusalLedger
    private let logger: Logger
    /// Failed write groups, logged once per cause per interval; `daemon.status` shows them.
    public let failures: RepeatingErrorLog
    /// The cause under which groups refused at the WAL limit are counted.
    static let walLimitCause = "wal-limit"
    private let lock = NSLock()
    private let idle = NSCondition()
    private var pending: [WriteJob] = []
    private var draining = false
    private var stopped = false
    // The default QoS: on Linux a higher one only asks libdispatch to lower the worker thread's
    // nice value, which an unprivileged daemon may not (RLIMIT_NICE 0): under systemd each new
    // worker thread wrote "Failed to set thread priority for worker thread … errno=13" to the
    // journal, every minute at idle once the departments' sweeps write.
    private let thread = DispatchQueue(label: "receptiond.writer")
    /// Called after each commit with its events, before callers are answered.
    nonisolated(unsafe) public var onCommit: (@Sendable ([PendingEvent]) -> Void)?

    /// Number of transactions committed, for `daemon.status`.
    public var commits: Int { lock.withLock { committed } }
    private var committed = 0

    init(pool: DatabasePool, checkpointer: Checkpointer, refusals: RefusalLedger, walSync: WALSync?, logger: Logger) {
        self.pool = pool
        self.walSync = walSync
        committingDurably = walSync == nil
        self.checkpointer = checkpointer
        self.refusals = refusals
        self.logger = logger
        failures = RepeatingErrorLog(subject: "storage writes", level: .error, logger: logger)
    }

    /// Queues a job. Fails at once with `unavailable` once the store is closing.
    public func submit(_ job: WriteJob) {
        let (accepted, start): (Bool, Bool) = lock.withLock {
            if stopped { return (false, false) }
            pending.append(job)
            if draining { return (true, false) }
            draining = true
            return (true, true)
        }
        guard accepted else {
            job.completion(.failure(RPCError(.unavailable, "the daemon is shutting down")))
            return
        }
        if start { thread.async { self.drain() } }
    }

    /// Queues a job and waits for its durable outcome.
    public func perform(
        audit: AuditRecord?, _ body: @escaping @Sendable (OpaquePointer) -> (Result<String, RPCError>, [PendingEvent])
    ) async -> Result<String, RPCError> {
        await withCheckedContinuation { continuation in
            submit(WriteJob(audit: audit, body: body, completion: { continuation.resume(returning: $0) }))
        }
    }

    /// Waits until every queued job is committed, then refuses new ones.
    public func drainAndStop() {
        lock.withLock { stopped = true }
        idle.lock()
        while lock.withLock({ draining || !pending.isEmpty }) {
            _ = idle.wait(until: Date().addingTimeInterval(0.05))
        }
        idle.unlock()
        // Every committed group answered once it is on disk.
        walSync?.stop()
    }

    private func drain() {
        while true {
            let batch: [WriteJob] = lock.withLock {
                let count = min(pending.count, maxBatch)
                let taken = Array(pending.prefix(count))
                pending.removeFirst(count)
                if taken.isEmpty { draining = false }
                return taken
            }
            if batch.isEmpty {
                idle.lock()
                idle.broadcast()
                idle.unlock()
                return
            }
            commit(batch)
        }
    }

    private func commit(_ batch: [WriteJob]) {
        if let refusal = checkpointer.walLimitRefusal() {
            failures.record(
                key: Self.walLimitCause, summary: "WAL limit reached",
                message: "write transaction of \(batch.count) requests refused: \(refusal.message)", count: batch.count)
            refuse(batch, refusal)
            return
        }
        var outcomes: [Result<String, RPCError>] = []
        var events: [PendingEvent] = []
        outcomes.reserveCapacity(batch.count)
        // After a failed sync the writer no longer trusts one: each commit syncs itself again.
        let switchToFull = !committingDurably && walSync?.isDegraded == true
        do {
            try pool.writeWithoutTransaction { db in
                if switchToFull { try db.execute(sql: "PRAGMA synchronous = FULL") }
                try db.inTransaction(.immediate) {
                    guard let connection = db.sqliteConnection else {
                        throw RPCError(.storage, "database connection is closed")
                    }
                    for job in batch {
                        try db.cachedStatement(sql: "SAVEPOINT job").execute()
                        let (outcome, jobEvents) = job.body(connection)
                        switch outcome {
                        case .success:
                            try db.cachedStatement(sql: "RELEASE job").execute()
                            try job.audit?.insert(db, outcome: outcome)
                            events.append(contentsOf: jobEvents)
                        case .failure:
                            try db.cachedStatement(sql: "ROLLBACK TO job").execute()
                            try db.cachedStatement(sql: "RELEASE job").execute()
                        }
                        outcomes.append(outcome)
                    }
                    return .commit
                }
            }
        } catch {
            let cause = StorageFailure(error)
            failures.record(
                key: cause.key, summary: cause.summary,
                message: "write transaction of \(batch.count) requests failed: \(cause.message)", count: batch.count)
            refuse(batch, RPCError(.storage, "the change was not saved: \(error)"))
            return
        }
        if switchToFull { committingDurably = true }
        failures.succeeded()
        lock.withLock { committed += 1 }
        let answer: () -> Void = { [self] in
            if !events.isEmpty { onCommit?(events) }
            for (job, outcome) in zip(batch, outcomes) {
                if case .failure(let error) = outcome, let audit = job.audit { refusals.record(audit, error: error) }
                job.completion(outcome)
            }
        }
        guard let walSync else {
            answer()
            return
        }
        walSync.submit(
            WALSync.Group(
                committedDurably: committingDurably, durable: answer,
                failed: { [self] error in
                    // The jobs that changed nothing keep their own error; the others may be lost.
                    for (job, outcome) in zip(batch, outcomes) {
                        let reply: Result<String, RPCError> = outcome.flatMap { _ in .failure(error) }
                        if case .failure(let error) = reply, let audit = job.audit {
                            refusals.record(audit, error: error)
                        }
                        job.completion(reply)
                    }
                }),
            // A lone request with nothing behind it syncs here (no thread hop for a single desk);
            // a group's answers go out from the sync thread, so the writer starts on whoever
            // comes back first instead of answering the whole group itself.
            mayRunHere: batch.count == 1 && lock.withLock { pending.isEmpty })
    }

    /// Answers every job of `batch` with `failure`, counting each as a refusal of its method.
    private func refuse(_ batch: [WriteJob], _ failure: RPCError) {
        for job in batch {
            if let audit = job.audit { refusals.record(audit, error: failure) }
            job.completion(.failure(failure))
        }
    }
}
