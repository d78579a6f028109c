import Foundation
import GRDB
import Logging
import ReceptionProtocol

/// The daemon's SQLite database: one WAL file, one writer, several readers.
///
/// Writes go through ``writer`` (a queue drained by one thread, committing with
/// `synchronous=FULL`), reads through ``read(_:)`` on their own connections, so a read never waits
/// behind a write.
public final class Store: Sendable {
    /// The database file.
    public let path: String
    /// The single writer.
    public let writer: WriteQueue
    let pool: DatabasePool
    private let logger: Logger

    /// Opens (creating if needed) the database at `path` and its daemon tables.
    public init(path: String, readers: Int = 4, logger: Logger) throws(RPCError) {
        self.path = path
        self.logger = logger
        var configuration = Configuration()
        configuration.label = "receptiond"
        configuration.maximumReaderCount = max(1, readers)
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Durability: a commit returns only after the WAL is fsynced.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in try Schema.createDaemonTables(db) }
        } catch {
            throw RPCError(.storage, "cannot open database \(path): \(error)")
        }
        writer = WriteQueue(pool: pool, logger: logger)
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
    public func backup(to destination: String) async throws(RPCError) -> Int64 {
        let temporary = destination + ".partial"
        do {
            try? FileManager.default.removeItem(atPath: temporary)
            let target = try DatabaseQueue(path: temporary)
            try await Task.detached { [pool] in
                try pool.backup(to: target)
                try target.close()
            }.value
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, destination) == 0 else {
                throw RPCError(.storage, "cannot rename backup into place: \(String(cString: strerror(errno)))")
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: destination)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch let error as RPCError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RPCError(.storage, "backup to \(destination) failed: \(error)")
        }
    }

    /// Finishes queued writes, then closes every connection (checkpointing the WAL).
    public func close() {
        writer.drainAndStop()
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
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
                """)
    }
}
