import Foundation
import Logging
import ReceptionProtocol
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Makes committed write groups durable and only then answers them: the writer commits a group
/// (SQLite at `synchronous=NORMAL`, so the commit does not wait for the disk) and goes on with the
/// next group while this `fdatasync`s the WAL; each group's events are published and its
/// callers answered once a sync that began after its commit has returned.
///
/// That overlaps the disk's flush of one group with the CPU work of the next, where a commit at
/// `synchronous=FULL` held the writer for both. The promise to a client is unchanged: a reply
/// that says success is sent only after its change is on disk. What changes is what other
/// connections' reads may see: a change committed and not yet synced, for up to one
/// `fdatasync` (a reader could show a parcel that a power cut then takes away; its receiver
/// was never answered, and any write that depends on it is answered only after a later sync,
/// which covers it too, since the WAL is appended in commit order).
///
/// When the writer has nothing else queued it syncs on its own thread (`mayRunHere`), so a lone
/// desk pays no thread hop. A failed `fdatasync` answers the groups it covered, and every group
/// committed before the writer notices (``isDegraded``), with `storage`; the writer then commits
/// at `synchronous=FULL` again: after an fsync error the kernel may have dropped the dirty pages,
/// and no later sync can vouch for them.
final class WALSync: @unchecked Sendable {
    /// One committed group: what to do once it is durable, or once its sync failed.
    struct Group {
        /// Committed at `synchronous=FULL` (after a failed sync): durable already.
        let committedDurably: Bool
        /// Publishes the group's events and answers its callers.
        let durable: () -> Void
        /// Answers the group's callers with `error` (the sync failed; the change may be lost).
        let failed: (RPCError) -> Void
    }

    // `queue`, `busy`, `stopped`, `running`, `descriptor` and `degraded` are guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Group] = []
    private var busy = false
    private var stopped = false
    private var running = false
    private var descriptor: Int32 = -1
    private let walPath: String
    private let directory: String
    private let logger: Logger
    /// `fdatasync`, replaceable in tests.
    private let sync: @Sendable (Int32) -> Int32
    /// Number of `fdatasync` calls made, for `daemon.status` and tests.
    var syncs: Int { syncCount.load(ordering: .relaxed) }
    private let syncCount = Atomic<Int>(0)
    private var degraded = false

    /// Whether a sync failed: the writer must commit at `synchronous=FULL` from now on.
    var isDegraded: Bool { condition.withLock { degraded } }

    /// A syncer for the WAL of the database at `databasePath`.
    init(databasePath: String, logger: Logger, sync: @escaping @Sendable (Int32) -> Int32 = { fdatasync($0) }) {
        walPath = databasePath + "-wal"
        directory = (databasePath as NSString).deletingLastPathComponent
        self.logger = logger
        self.sync = sync
        running = true
        let thread = Thread { [self] in serve() }
        thread.name = "receptiond.walsync"
        thread.start()
    }

    /// Hands over a committed group. With `mayRunHere` (nothing else waits for the writer) and no
    /// sync in progress, syncs on the caller's thread before returning; otherwise the sync
    /// thread covers it, with every group handed over meanwhile.
    func submit(_ group: Group, mayRunHere: Bool) {
        if group.committedDurably {
            group.durable()
            return
        }
        condition.lock()
        if stopped, !running {
            // No thread is left: sync here.
            condition.unlock()
            flush([group])
            return
        }
        queue.append(group)
        if mayRunHere, !busy {
            flushQueued()
            condition.unlock()
            return
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every group handed over is answered, then stops the thread. Groups handed
    /// over afterwards are synced on the caller's thread.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running { condition.wait() }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while queue.isEmpty || busy, !stopped { condition.wait() }
            while busy { condition.wait() }
            if queue.isEmpty, stopped {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            flushQueued()
            condition.unlock()
        }
    }

    /// Takes every queued group and syncs and answers them with the lock released, holding
    /// `busy` meanwhile. Called and returns with `condition` locked and `busy` clear.
    private func flushQueued() {
        busy = true
        let taken = queue
        queue.removeAll(keepingCapacity: true)
        condition.unlock()
        flush(taken)
        condition.lock()
        busy = false
        condition.broadcast()
    }

    /// One `fdatasync` of the WAL for `groups` (all committed before it starts), then their
    /// answers in commit order.
    private func flush(_ groups: [Group]) {
        if let error = syncWAL() {
            for group in groups { group.failed(error) }
        } else {
            for group in groups { group.durable() }
        }
    }

    /// Syncs the WAL; `nil` when it is on disk. Runs on one thread at a time (`busy`).
    private func syncWAL() -> RPCError? {
        if isDegraded {
            return RPCError(.storage, "the change may not be on disk: an earlier fdatasync of \(walPath) failed")
        }
        if descriptor < 0 {
            let opened = open(walPath, O_RDWR | O_CLOEXEC)
            guard opened >= 0 else { return degrade("cannot open \(walPath): \(String(cString: strerror(errno)))") }
            // The WAL's directory entry too, the first time (SQLite does the same for a new WAL).
            let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
            if directoryDescriptor >= 0 {
                _ = fsync(directoryDescriptor)
                close(directoryDescriptor)
            }
            condition.lock()
            descriptor = opened
            condition.unlock()
        }
        let code = sync(descriptor)
        syncCount.add(1, ordering: .relaxed)
        if code != 0 { return degrade("fdatasync of \(walPath) failed: \(String(cString: strerror(errno)))") }
        return nil
    }

    /// After a failed sync: the writer syncs at each commit from now on; the groups this sync
    /// covered are answered with `storage`.
    private func degrade(_ reason: String) -> RPCError {
        let first = condition.withLock {
            defer { degraded = true }
            return !degraded
        }
        if first {
            logger.critical(
                "\(reason); every commit now waits for SQLite's own fsync (synchronous=FULL); the changes answered with this error may be lost"
            )
        }
        return RPCError(.storage, "the change may not be on disk: \(reason)")
    }
}
