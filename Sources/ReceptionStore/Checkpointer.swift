import Foundation
import GRDBSQLite
import Logging
import ReceptionProtocol
import Synchronization

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
///
/// When checkpoints cannot run (the database file became read-only, a read holds an old
/// snapshot), the WAL would grow until the disk is full: a read-only database file once let it
/// reach 968 MB in 15 s with nothing visible to clients. So the hook also keeps the WAL's size
/// (frames × frame size, no `stat()`), and once it reaches ``limitBytes`` the writer refuses
/// writes (``walLimitRefusal()``) until a checkpoint has copied the whole WAL back, so that the
/// next transaction starts it over. Meanwhile this thread retries the checkpoint by itself.
/// Failed checkpoints are logged through ``failures``: once per cause per minute.
final class Checkpointer: @unchecked Sendable {
    /// WAL frames (pages) after which a checkpoint is started.
    let threshold: Int32
    /// The WAL size at which writes are refused until a checkpoint succeeds.
    let limitBytes: Int64
    /// Bytes of one WAL frame: a page and its 24-byte header.
    let frameBytes: Int64
    /// Failed checkpoints, logged once per cause per interval, for `daemon.status`.
    let failures: RepeatingErrorLog
    /// The WAL's frame count after the last commit (from the hook).
    private let walFrames = Atomic<Int32>(0)
    /// The frame count of a WAL that a checkpoint copied back whole (-1: none yet): when it
    /// equals ``walFrames``, the next write transaction starts the WAL over.
    private let copiedThrough = Atomic<Int32>(-1)
    /// Why the last checkpoint did not copy the whole WAL (`nil`: it did).
    private let problem = Mutex<String?>(nil)
    /// How long the thread waits before retrying a checkpoint that failed, or one that must
    /// finish before writes are accepted again.
    static let retryDelay: TimeInterval = 0.5
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
    /// `threshold` is clamped to 1…1,000,000 pages, and to a quarter of `limitBytes`: the
    /// checkpoint must start well before writes are refused.
    init(
        path: String, writer: OpaquePointer, threshold: Int32 = 16_000, limitBytes: Int64 = 1 << 30, logger: Logger
    ) throws {
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
        frameBytes = Self.pageSize(opened) + 24
        self.limitBytes = max(limitBytes, 1)
        let limitPages = Int32(clamping: self.limitBytes / frameBytes / 4)
        self.threshold = max(min(threshold, 1_000_000, limitPages), 1)
        self.logger = logger
        failures = RepeatingErrorLog(subject: "WAL checkpoints", level: .warning, logger: logger)
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
                checkpointer.walFrames.store(frames, ordering: .relaxed)
                checkpointer.commitsSinceTopUp += 1
                if frames >= checkpointer.threshold + checkpointer.threshold / 4, let db,
                    checkpointer.commitsSinceTopUp >= topUpInterval
                {
                    // SQLITE_BUSY (at once, without waiting) while the thread's checkpoint
                    // runs: the very next commit tries again, since the thread's checkpoint
                    // does not cover the frames written meanwhile and only a writer's can let
                    // the WAL start over. Waiting another 16 commits let the WAL grow past
                    // 5 MiB in a 64-page test while fsyncs were slow.
                    var logFrames: Int32 = -1
                    var copied: Int32 = -1
                    let code = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
                    if code != SQLITE_BUSY {
                        checkpointer.commitsSinceTopUp = 0
                        checkpointer.note(code: code, logFrames: logFrames, copied: copied, connection: db)
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
        var retry = false
        while true {
            condition.lock()
            while !requested, !stopped {
                if retry {
                    // Timed out: try again, though no commit asked.
                    if !condition.wait(until: Date().addingTimeInterval(Self.retryDelay)) { break }
                } else {
                    condition.wait()
                }
            }
            let stop = stopped
            requested = false
            condition.unlock()
            if stop { break }
            var logFrames: Int32 = -1
            var copied: Int32 = -1
            let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
            if code == SQLITE_OK {
                logger.trace("background WAL checkpoint: \(copied) of \(logFrames) frames copied")
            }
            note(code: code, logFrames: logFrames, copied: copied, connection: handle)
            retry = (code != SQLITE_OK && code != SQLITE_BUSY) || overLimit
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Records a checkpoint's outcome (the thread's or the writer's top-up): what it copied,
    /// and a failure or a recovery through ``failures``.
    private func note(code: Int32, logFrames: Int32, copied: Int32, connection: OpaquePointer) {
        if code == SQLITE_OK {
            if logFrames >= 0, copied == logFrames {
                copiedThrough.store(logFrames, ordering: .relaxed)
                problem.withLock { $0 = nil }
            } else if copied >= 0 {
                problem.withLock {
                    $0 =
                        "a checkpoint copied only \(copied) of \(logFrames) frames (a read transaction holds an older snapshot)"
                }
            }
            failures.succeeded()
        } else if code != SQLITE_BUSY {
            let failure = StorageFailure(
                code: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)))
            problem.withLock { $0 = "the last checkpoint failed: \(failure.message)" }
            failures.record(
                key: failure.key, summary: failure.summary, message: "WAL checkpoint failed: \(failure.message)")
        }
    }

    /// The WAL's size after the last commit, as its frames make it.
    var walBytes: Int64 { Self.walBytes(frames: walFrames.load(ordering: .relaxed), frameBytes: frameBytes) }

    /// Whether the WAL has reached ``limitBytes`` and the next transaction could not start it over.
    var overLimit: Bool {
        let frames = walFrames.load(ordering: .relaxed)
        return Self.walBytes(frames: frames, frameBytes: frameBytes) >= limitBytes
            && copiedThrough.load(ordering: .relaxed) != frames
    }

    /// The `storage` error a write gets while the WAL is at its limit and no checkpoint has
    /// copied it back yet (`nil`: writes may go on). Asks for a checkpoint each time, so that
    /// writes resume as soon as one succeeds.
    func walLimitRefusal() -> RPCError? {
        guard overLimit else { return nil }
        request()
        let bytes = walBytes
        let reason = problem.withLock { $0 } ?? "no checkpoint has copied it back yet"
        return RPCError(
            .storage,
            "the change was not saved: the WAL holds \(Self.describe(bytes: bytes)), at its limit of \(Self.describe(bytes: limitBytes)) ([daemon] max_wal_bytes), and cannot be copied back into the database: \(reason). Reads still work; writes resume once a checkpoint succeeds",
            details: [
                "walBytes": .int(bytes), "maxWalBytes": .int(limitBytes),
                "checkpointError": .string(reason),
            ])
    }

    /// The size of a WAL of `frames` frames: a 32-byte header, then the frames.
    static func walBytes(frames: Int32, frameBytes: Int64) -> Int64 {
        frames > 0 ? 32 + Int64(frames) * frameBytes : 0
    }

    /// `1048576` → `"1.0 MiB"`.
    static func describe(bytes: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }

    /// The database's page size, read on `connection` (4096 if it cannot be read).
    private static func pageSize(_ connection: OpaquePointer) -> Int64 {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "PRAGMA page_size", -1, &statement, nil) == SQLITE_OK, let statement else {
            return 4096
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return 4096 }
        let size = sqlite3_column_int64(statement, 0)
        return size > 0 ? size : 4096
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
