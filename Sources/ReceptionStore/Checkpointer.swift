import Foundation
import GRDBSQLite
import Logging

/// Copies the WAL back into the database file on a thread of its own, so the writer never does.
///
/// SQLite's default is an automatic checkpoint inside whichever commit pushes the WAL past 1,000
/// pages: that commit then also writes those pages into the database file and fsyncs it, and
/// every request of its group waits (tens of milliseconds with a large database). Here the
/// writer's WAL hook counts frames and wakes this thread once the WAL holds ``threshold``
/// frames (16,000 pages, 64 MiB: the hot index pages a busy desk rewrites in every commit are
/// then copied once per many commits, not once per few); it runs a PASSIVE checkpoint on its own
/// connection, which never blocks the writer or the readers. A quarter past the threshold the
/// writer finishes the job after a commit, at most every 16th commit (see ``hook``; a top-up
/// that finds the thread's checkpoint running is retried after the next commit), so the WAL
/// starts over and stays bounded. Installing the hook turns SQLite's automatic checkpoint off.
final class Checkpointer: @unchecked Sendable {
    /// WAL frames (pages) after which a checkpoint is started.
    let threshold: Int32
    // `requested`, `stopped`, `finished` and `closed` are guarded by `condition`.
    private let condition = NSCondition()
    private var requested = false
    private var stopped = false
    private var finished = false
    private var closed = false
    /// Commits since the writer last topped a checkpoint up. Touched only by ``hook``, which
    /// SQLite runs on the writer's thread, one commit at a time.
    private var commitsSinceTopUp = 0
    /// Commits between two top-ups at most: if readers keep the WAL from starting over, the
    /// writer must not pay for a checkpoint (and its fsync) on every commit.
    static let topUpInterval = 16
    private let handle: OpaquePointer
    private let logger: Logger
    private var thread: Thread?

    /// Opens the checkpoint connection on `path` and installs the hook on `writer`.
    /// `threshold` is clamped to 1…1,000,000 pages.
    init(path: String, writer: OpaquePointer, threshold: Int32 = 16_000, logger: Logger) throws {
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            if let opened { sqlite3_close_v2(opened) }
            throw CheckpointerError(message: "cannot open the checkpoint connection (code \(code))")
        }
        sqlite3_busy_timeout(opened, 10_000)
        // The checkpoint fsyncs the database file before it lets the WAL be reused.
        sqlite3_exec(opened, "PRAGMA synchronous = FULL", nil, nil, nil)
        // A connection that has not read the database yet does not know it is in WAL mode, and
        // its checkpoints would silently do nothing.
        guard sqlite3_exec(opened, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(opened))
            sqlite3_close_v2(opened)
            throw CheckpointerError(message: "cannot read the database for checkpoints: \(message)")
        }
        self.handle = opened
        self.threshold = min(max(threshold, 1), 1_000_000)
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "receptiond.checkpoint"
        self.thread = thread
        thread.start()
        sqlite3_wal_hook(writer, Self.hook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by SQLite on the writer's thread after each commit with the WAL's frame count.
    ///
    /// Only a writer can start the WAL over, and only if every frame was copied back *before*
    /// its transaction began; under steady writes the background checkpoint always trails the
    /// next transaction, and the WAL would grow for ever. So once the WAL is a quarter past the
    /// threshold, the writer tops the checkpoint up itself, here, after its commit (as SQLite's
    /// own automatic checkpoint does): by then the thread has copied the bulk, so this copies the
    /// few frames since and syncs, and the next transaction starts the WAL over.
    private static let hook:
        @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32)
            -> Int32 = { context, db, _, frames in
                guard let context else { return SQLITE_OK }
                let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
                checkpointer.commitsSinceTopUp += 1
                if frames >= checkpointer.threshold + checkpointer.threshold / 4, let db,
                    checkpointer.commitsSinceTopUp >= topUpInterval
                {
                    // SQLITE_BUSY (at once, without waiting) while the thread's checkpoint
                    // runs: the very next commit tries again, since the thread's checkpoint
                    // does not cover the frames written meanwhile and only a writer's can let
                    // the WAL start over. Waiting another 16 commits let the WAL grow past
                    // 5 MiB in a 64-page test while fsyncs were slow.
                    if sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) != SQLITE_BUSY {
                        checkpointer.commitsSinceTopUp = 0
                    }
                } else if frames >= checkpointer.threshold {
                    checkpointer.request()
                }
                return SQLITE_OK
            }

    private func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while !requested, !stopped { condition.wait() }
            let stop = stopped
            requested = false
            condition.unlock()
            if stop { break }
            var logFrames: Int32 = 0
            var copied: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
            if code == SQLITE_OK {
                logger.trace("background WAL checkpoint: \(copied) of \(logFrames) frames copied")
            }
            if code != SQLITE_OK, code != SQLITE_BUSY {
                let message = String(cString: sqlite3_errmsg(handle))
                logger.warning("background WAL checkpoint failed: \(message)")
            }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Removes the hook from `writer`, stops the thread and closes its connection. Call only
    /// once no more commits come; a second call does nothing.
    func stop(writer: OpaquePointer?) {
        if let writer { sqlite3_wal_hook(writer, nil, nil) }
        condition.lock()
        if closed {
            condition.unlock()
            return
        }
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        closed = true
        condition.unlock()
        sqlite3_close_v2(handle)
    }
}

/// The checkpoint connection could not be set up.
struct CheckpointerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
