import Foundation
import GRDB
import Logging
import ReceptionProtocol

/// The daemon's SQLite database: one WAL file, one writer, several readers.
///
/// Writes go through ``writer`` (a queue drained by one thread; a commit is answered once the WAL
/// is fsynced), reads through ``read(_:)`` on their own connections, so a read never waits
/// behind a write.
public final class Store: Sendable {
    /// The database file.
    public let path: String
    /// The single writer.
    public let writer: WriteQueue
    /// Reader threads with their own connections, for plugin reads.
    public let readers: ReaderPool
    /// What a commit's reply waits for and the `journal_mode` read back at open (`full`, `wal`):
    /// shown by `daemon.status`. `full`: every commit is on disk before it is answered, whether
    /// SQLite fsyncs in the commit (`synchronous=FULL`) or ``WALSync`` right after it.
    public let durability: (synchronous: String, journalMode: String)
    let pool: DatabasePool
    private let logger: Logger
    let checkpointer: Checkpointer
    /// Refused writes, counted per method and kind (`audit.refusals`).
    let refusalLedger: RefusalLedger

    /// Opens (creating if needed) the database at `path` and its daemon tables, with `readers`
    /// reader threads and a background checkpoint once the WAL holds `checkpointPages` pages
    /// (or a quarter of `maxWALBytes`, if less). Writes are refused with `storage` while the WAL
    /// holds `maxWALBytes` and no checkpoint can copy it back.
    public init(
        path: String, readers: Int = 4, checkpointPages: Int32 = 16_000, maxWALBytes: Int64 = 1 << 30,
        syncAfterCommit: Bool = true, logger: Logger
    ) throws(RPCError) {
        self.path = path
        self.logger = logger
        var configuration = Configuration()
        configuration.label = "receptiond"
        // GRDB's readers serve the daemon's own reads (audit, backup); plugins use `readers`.
        configuration.maximumReaderCount = 2
        configuration.busyMode = .timeout(10)
        // GRDB's queues default to user-initiated, which on Linux asks libdispatch to lower their
        // threads' nice value: refused to an unprivileged daemon, and logged by libdispatch.
        configuration.qos = .default
        let opened: DatabasePool
        let synchronous: Int
        let journalMode: String
        do {
            opened = try DatabasePool(path: path, configuration: configuration)
            // Durability: a commit is answered only after the WAL is fsynced. The writer commits
            // at synchronous=NORMAL (no fsync inside the commit) and WALSync fdatasyncs the WAL
            // before the group's callers are answered, while the writer goes on with the next
            // group (see WALSync); without it (`syncAfterCommit` false) SQLite fsyncs in each
            // commit (synchronous=FULL). Set after the pool is open: GRDB's WAL set-up puts the
            // writer to NORMAL.
            synchronous = try opened.writeWithoutTransaction { db in
                try db.execute(sql: syncAfterCommit ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL")
                // Reads of the file go through a mapping; the writer's cache (8 MB) holds the
                // pages it changed and those it must read back from the WAL. Not larger: at each
                // commit SQLite walks the whole cache's hash table (pcache1TruncateUnsafe); with
                // 64 MiB that walk was 10% of the writer's time and durable receive 15% slower.
                try db.execute(sql: "PRAGMA cache_size = -8000")
                try db.execute(sql: "PRAGMA mmap_size = 1073741824")
                // Each request of a group runs in a savepoint; SQLite keeps the pages it changes
                // in a sub-journal, which past 64 KiB went to a temporary file in /var/tmp
                // (created, written and unlinked for every group: more page writes than the
                // WAL itself). In memory it is truncated at each RELEASE, so it holds the old
                // contents of one request's pages at most (a 200-item receiveBatch: about 10 MB).
                // It also keeps the writer's sorts in memory: a migration that indexes a million
                // rows sorts their keys in RAM (tens of MB) instead of spilling to a file.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            }
            journalMode = try opened.writeWithoutTransaction { db in
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
            }
            try opened.write { db in try Schema.createDaemonTables(db) }
        } catch {
            throw RPCError(.storage, "cannot open database \(path): \(error)")
        }
        guard synchronous == (syncAfterCommit ? 1 : 2) else {
            throw RPCError(
                .storage,
                "cannot make \(path) durable: PRAGMA synchronous is \(synchronous), not \(syncAfterCommit ? "NORMAL (1) with a sync after each commit" : "FULL (2)")"
            )
        }
        pool = opened
        durability = ("full", journalMode)
        var writerHandle: OpaquePointer?
        do {
            let handle = try opened.writeWithoutTransaction { db -> OpaquePointer in
                guard let handle = db.sqliteConnection else { throw RPCError(.storage, "writer connection is closed") }
                return handle
            }
            writerHandle = handle
            checkpointer = try Checkpointer(
                path: path, writer: handle, threshold: checkpointPages, limitBytes: maxWALBytes, logger: logger)
        } catch {
            try? opened.close()
            throw RPCError(.storage, "cannot set up checkpoints on \(path): \(error)")
        }
        do throws(RPCError) {
            self.readers = try ReaderPool(path: path, count: readers)
        } catch {
            checkpointer.stop(writer: writerHandle)
            try? opened.close()
            throw error
        }
        let guardedCheckpointer = checkpointer
        refusalLedger = RefusalLedger(
            pool: opened, mayWrite: { guardedCheckpointer.walLimitRefusal() == nil }, logger: logger)
        writer = WriteQueue(
            pool: opened, checkpointer: checkpointer, refusals: refusalLedger,
            walSync: syncAfterCommit ? WALSync(databasePath: path, logger: logger) : nil, logger: logger)
    }

    /// Runs `body` on a read-only connection, off the caller's thread. `body` receives the raw
    /// `sqlite3 *` for plugins and GRDB's `Database` for the daemon's own queries.
    public func read<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer, Database) throws -> T)
        async throws(RPCError) -> T
    {
        do {
            return try await pool.read { db in
                guard let connection = db.sqliteConnection else {
                    throw RPCError(.storage, "database connection is closed")
                }
                return try body(connection, db)
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.storage, "read failed: \(error)")
        }
    }

    /// Applies a plugin's migrations that have not run yet, each in its own transaction.
    /// Returns the identifiers applied now. Stops at the first failing one.
    public func migrate(plugin: String, migrations: [(id: String, sql: String)]) throws(RPCError) -> [String] {
        var applied: [String] = []
        for migration in migrations {
            do {
                let done = try pool.write { db -> Bool in
                    let exists =
                        try Bool.fetchOne(
                            db, sql: "SELECT 1 FROM daemon_migrations WHERE plugin = ? AND id = ?",
                            arguments: [plugin, migration.id]) ?? false
                    if exists { return false }
                    try db.execute(sql: migration.sql)
                    try db.execute(
                        sql: "INSERT INTO daemon_migrations (plugin, id, applied_at) VALUES (?, ?, ?)",
                        arguments: [plugin, migration.id, Timestamp.format(Date())])
                    return true
                }
                if done { applied.append(migration.id) }
            } catch {
                throw RPCError(.storage, "migration \(migration.id) of plugin \(plugin) failed: \(error)")
            }
        }
        return applied
    }

    /// Writes a consistent snapshot of the whole database to `destination` (SQLite's online
    /// backup API on a reader; writers keep going). Returns its size in bytes.
    ///
    /// The copy is made under a unique temporary name in the destination's directory (mode 0600:
    /// it holds residents' data), fsynced, then published with `link(2)`, which never replaces
    /// an existing file: two backups to one name cannot clobber each other, and the loser gets
    /// `conflict`. It runs on a thread of its own, not on a Swift concurrency worker.
    public func backup(to destination: String) async throws(RPCError) -> Int64 {
        let directory = (destination as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.receptiond-backup-\(UUID().uuidString).partial"
        defer { unlink(temporary) }
        do {
            let pool = self.pool
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                Self.backupQueue.async {
                    do {
                        let target = try DatabaseQueue(path: temporary)
                        try pool.backup(to: target)
                        try target.close()
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
            chmod(temporary, 0o600)
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
        } catch {
            throw RPCError(.storage, "backup to \(destination) failed: \(error)")
        }
        guard link(temporary, destination) == 0 else {
            let code = errno
            if code == EEXIST {
                throw RPCError(.conflict, "\(destination) already exists; backups never overwrite", field: "path")
            }
            throw RPCError(.storage, "cannot put the backup at \(destination): \(String(cString: strerror(code)))")
        }
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            Glibc.close(directoryFD)
        }
        var info = stat()
        return stat(destination, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Backups run here, one at a time, off the Swift concurrency pool.
    private static let backupQueue = DispatchQueue(label: "receptiond.backup")

    /// Finishes queued writes and reads, then closes every connection (checkpointing the WAL).
    public func close() {
        writer.drainAndStop()
        refusalLedger.close()
        readers.closeConnections()
        do {
            try pool.writeWithoutTransaction { db in
                checkpointer.stop(writer: db.sqliteConnection)
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try pool.close()
        } catch {
            logger.error("closing the database failed: \(error)")
        }
    }
}

/// The daemon's own tables.
enum Schema {
    static func createDaemonTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS daemon_migrations (
                    plugin TEXT NOT NULL,
                    id TEXT NOT NULL,
                    applied_at TEXT NOT NULL,
                    PRIMARY KEY (plugin, id)
                );
                CREATE TABLE IF NOT EXISTS daemon_audit (
                    id INTEGER PRIMARY KEY,
                    time TEXT NOT NULL,
                    time_ms INTEGER NOT NULL,
                    uid INTEGER NOT NULL,
                    gid INTEGER NOT NULL,
                    pid INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    workstation TEXT,
                    operator TEXT,
                    request_id TEXT,
                    method TEXT NOT NULL,
                    params TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    error_kind TEXT,
                    error_message TEXT
                );
                CREATE INDEX IF NOT EXISTS daemon_audit_time ON daemon_audit (time_ms);
                CREATE INDEX IF NOT EXISTS daemon_audit_method ON daemon_audit (method, id);
                CREATE TABLE IF NOT EXISTS daemon_audit_refusals (
                    method TEXT NOT NULL,
                    error_kind TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    first_time TEXT NOT NULL,
                    first_time_ms INTEGER NOT NULL,
                    last_time TEXT NOT NULL,
                    last_time_ms INTEGER NOT NULL,
                    first_sample TEXT NOT NULL,
                    recent_samples TEXT NOT NULL,
                    PRIMARY KEY (method, error_kind)
                );
                """)
    }
}
