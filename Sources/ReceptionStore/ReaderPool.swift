import Foundation
import GRDBSQLite
import ReceptionProtocol

/// Read-only connections, each owned by a thread of its own, for plugin reads.
///
/// A plugin read is handed from the event loop straight to one of these threads and its outcome
/// straight back, with no Swift task and no dispatch queue in between: on the hot path (a badge
/// check, a unit's held parcels) those hops cost more CPU than the indexed lookup itself. Each
/// read runs in its own read transaction (one consistent WAL snapshot, never blocked by the
/// writer). The connections are plain SQLite handles, without GRDB's statement authorizer, and
/// stay open until ``closeConnections()``, after ``stop()``, so plugins may cache prepared
/// statements on them until their `shutdown`, which the daemon calls in between.
public final class ReaderPool: @unchecked Sendable {
    /// One read: runs on a reader thread with its connection (`nil` if it could not be opened).
    public typealias Work = @Sendable (OpaquePointer?) -> Void

    // `queue`, `head`, `stopped` and `running` are guarded by `condition`; `handles` is
    // immutable after init and closed only once every thread has finished.
    private let condition = NSCondition()
    private let handles: [OpaquePointer]
    private var closed = false
    private var queue: [Work] = []
    private var head = 0
    private var stopped = false
    private var running = 0
    private var threads: [Thread] = []

    /// The number of reader threads.
    public let count: Int

    /// Opens `count` read-only connections on the database at `path` and starts their threads.
    /// Throws if a connection cannot be opened.
    public init(path: String, count: Int) throws(RPCError) {
        self.count = max(1, count)
        var handles: [OpaquePointer] = []
        for _ in 0..<self.count {
            do throws(RPCError) {
                handles.append(try Self.open(path))
            } catch {
                for handle in handles { sqlite3_close_v2(handle) }
                throw error
            }
        }
        self.handles = handles
        running = handles.count
        for index in handles.indices {
            let thread = Thread { [self] in serve(self.handles[index]) }
            thread.name = "receptiond.reader.\(index)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Queues a read. It runs as soon as a reader thread is free, in submission order.
    /// After ``stop()`` it runs at once on the caller's thread with no connection.
    public func submit(_ work: @escaping Work) {
        condition.lock()
        if stopped {
            condition.unlock()
            work(nil)
            return
        }
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Lets queued reads finish and stops the threads; the connections stay open.
    /// Later submissions run at once with no connection.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// Stops the threads if needed, then closes every connection.
    public func closeConnections() {
        stop()
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return }
        closed = true
        for handle in handles { sqlite3_close_v2(handle) }
    }

    private func serve(_ handle: OpaquePointer) {
        while true {
            condition.lock()
            while head == queue.count, !stopped { condition.wait() }
            if head == queue.count {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let work = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            work(handle)
        }
    }

    private static func open(_ path: String) throws(RPCError) -> OpaquePointer {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
            if let handle { sqlite3_close_v2(handle) }
            throw RPCError(.storage, "cannot open a reader on \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 10_000)
        sqlite3_extended_result_codes(handle, 1)
        // Pages come from the kernel's page cache through a mapping rather than a pread(2) each.
        sqlite3_exec(handle, "PRAGMA mmap_size = 1073741824", nil, nil, nil)
        return handle
    }
}

/// Runs `body` inside one read transaction on a reader connection: every statement of one
/// plugin read sees the same committed snapshot.
public enum ReadTransaction {
    /// Runs `body` between `BEGIN` and `COMMIT` on `handle`.
    ///
    /// `BEGIN` and `COMMIT` are prepared once per reader thread and connection and reused, not
    /// parsed for every read.
    public static func run<T>(_ handle: OpaquePointer, _ body: () -> Result<T, RPCError>) -> Result<T, RPCError> {
        let statements = TransactionStatements.forThread(handle)
        guard statements.begin() == SQLITE_OK else {
            return .failure(RPCError(.storage, "cannot begin a read: \(String(cString: sqlite3_errmsg(handle)))"))
        }
        let result = body()
        // A read transaction has nothing to keep; COMMIT only ends the snapshot.
        // (COMMIT succeeds while a statement is still stepped, and that statement's read
        // transaction simply goes on: the transaction state, not the autocommit flag, tells.)
        if statements.commit() != SQLITE_OK || sqlite3_txn_state(handle, nil) != SQLITE_TXN_NONE {
            // A statement the plugin left stepped keeps the snapshot (and the WAL) pinned, and the
            // next read on this connection would not see newer commits: reset them all.
            var statement = sqlite3_next_stmt(handle, nil)
            while let current = statement {
                if sqlite3_stmt_busy(current) != 0 { sqlite3_reset(current) }
                statement = sqlite3_next_stmt(handle, current)
            }
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
        }
        return result
    }
}

/// `BEGIN` and `COMMIT` prepared on one connection, kept per thread (a reader thread has one
/// connection): finalized when the thread exits, before the pool closes its connections (and a
/// connection closed first, with `sqlite3_close_v2`, waits for them).
final class TransactionStatements {
    let handle: OpaquePointer
    private let beginStatement: OpaquePointer?
    private let commitStatement: OpaquePointer?

    private init(_ handle: OpaquePointer) {
        self.handle = handle
        beginStatement = Self.prepare(handle, "BEGIN")
        commitStatement = Self.prepare(handle, "COMMIT")
    }

    deinit {
        sqlite3_finalize(beginStatement)
        sqlite3_finalize(commitStatement)
    }

    /// Steps `BEGIN` (a statement of its own when it could not be prepared).
    func begin() -> Int32 { Self.run(beginStatement, handle, "BEGIN") }
    /// Steps `COMMIT`.
    func commit() -> Int32 { Self.run(commitStatement, handle, "COMMIT") }

    private static func run(_ statement: OpaquePointer?, _ handle: OpaquePointer, _ sql: String) -> Int32 {
        guard let statement else { return sqlite3_exec(handle, sql, nil, nil, nil) }
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        return code == SQLITE_DONE ? SQLITE_OK : code
    }

    private static func prepare(_ handle: OpaquePointer, _ sql: String) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK
        else {
            sqlite3_finalize(statement)
            return nil
        }
        return statement
    }

    /// The statements of this thread for `handle`, prepared on first use.
    static func forThread(_ handle: OpaquePointer) -> TransactionStatements {
        if let raw = pthread_getspecific(key) {
            let cached = Unmanaged<TransactionStatements>.fromOpaque(raw).takeUnretainedValue()
            if cached.handle == handle { return cached }
            Unmanaged<TransactionStatements>.fromOpaque(raw).release()
        }
        let made = TransactionStatements(handle)
        pthread_setspecific(key, Unmanaged.passRetained(made).toOpaque())
        return made
    }

    /// The thread-local slot; its destructor releases (finalizes) a thread's statements.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<TransactionStatements>.fromOpaque(raw).release()
        }
        return key
    }()
}

extension Savepoint {
    /// Whether the transaction `handle` was in has ended (SQLite rolls the whole transaction back
    /// on some errors: a full disk, an I/O error).
    public static func transactionEnded(_ handle: OpaquePointer) -> Bool { sqlite3_get_autocommit(handle) != 0 }
}

/// A savepoint inside the writer's transaction: a method one department calls inside another's
/// call runs in one, undone alone when it fails.
public enum Savepoint {
    /// Runs `body` inside `SAVEPOINT name`; released on success, rolled back to and released on
    /// failure.
    public static func run<T>(_ handle: OpaquePointer, name: String, _ body: () -> Result<T, RPCError>)
        -> Result<T, RPCError>
    {
        guard sqlite3_exec(handle, "SAVEPOINT \(name)", nil, nil, nil) == SQLITE_OK else {
            return .failure(RPCError(.storage, "cannot begin a savepoint: \(String(cString: sqlite3_errmsg(handle)))"))
        }
        let result = body()
        switch result {
        case .success:
            if sqlite3_exec(handle, "RELEASE \(name)", nil, nil, nil) != SQLITE_OK {
                let message = String(cString: sqlite3_errmsg(handle))
                sqlite3_exec(handle, "ROLLBACK TO \(name)", nil, nil, nil)
                sqlite3_exec(handle, "RELEASE \(name)", nil, nil, nil)
                return .failure(RPCError(.storage, "cannot release a savepoint: \(message)"))
            }
        case .failure:
            sqlite3_exec(handle, "ROLLBACK TO \(name)", nil, nil, nil)
            sqlite3_exec(handle, "RELEASE \(name)", nil, nil, nil)
        }
        return result
    }
}
