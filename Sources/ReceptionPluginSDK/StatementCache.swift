import Foundation
import GRDBSQLite

/// A statement lent to one ``SQLiteConnection`` method: a cached one (`entry` set) or one
/// prepared for this use only. Give it back with ``StatementCache/release(_:)``.
struct StatementLease {
    /// The prepared statement.
    let statement: OpaquePointer
    /// The cache entry, or `nil` if the statement is finalized on release.
    let entry: CachedStatement?

    /// The statement's result columns, kept with a cached statement until a schema change
    /// re-prepares it. Call after the first step (where a re-prepare happens).
    func layout() -> ColumnLayout {
        guard let entry else { return ColumnLayout(statement: statement) }
        let reprepares = sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let layout = entry.layout, entry.layoutReprepares == reprepares { return layout }
        let layout = ColumnLayout(statement: statement)
        entry.layout = layout
        entry.layoutReprepares = reprepares
        return layout
    }
}

/// One cached prepared statement.
///
/// `inUse` and `retired` are read and written under the cache's lock. `layout` and
/// `layoutReprepares` belong to the call holding the statement (`inUse`): the lock hands
/// the statement from one call to the next.
final class CachedStatement: @unchecked Sendable {
    let statement: OpaquePointer
    var inUse = true
    /// Set when ``StatementCache/finalizeAll()`` found the statement in use: its release finalizes it.
    var retired = false
    var layout: ColumnLayout?
    var layoutReprepares: Int32 = 0

    init(statement: OpaquePointer) { self.statement = statement }
}

/// Prepared statements, kept per connection (`sqlite3 *`) and SQL text for the life of the process.
///
/// Preparing is costly on the daemon's connections (its statement authorizer runs for every
/// column), so each statement is prepared once, with `SQLITE_PREPARE_PERSISTENT`, and reused.
/// After each use it is reset and its bindings cleared (``release(_:)``). If a schema change
/// invalidates it, SQLite re-prepares it on its next step.
///
/// Threads: the host uses one connection on one thread at a time, different connections on
/// different threads at once. The lock guards only the map (lookup, insert, hand-over), never
/// preparing or stepping.
///
/// Lifetime: a cached statement keeps its connection from closing (`sqlite3_close` fails with
/// `SQLITE_BUSY`; `sqlite3_close_v2` leaves a zombie). The host keeps the connections it lends
/// open until the plugin's `shutdown`, which calls ``finalizeAll()``.
///
/// Each plugin library links its own copy of the SDK, so each has its own cache.
enum StatementCache {
    /// At most this many statements are cached per connection; past it, statements are prepared
    /// for one use and finalized (SQL text built from values would otherwise grow the cache forever).
    static let limitPerConnection = 256

    /// The map, keyed by the connection's address, then by SQL text.
    private final class Storage: @unchecked Sendable {
        // `connections` is only touched with `lock` held.
        let lock = NSLock()
        var connections: [Int: [String: CachedStatement]] = [:]
    }

    private static let storage = Storage()

    /// A statement for `sql` on `handle`: the cached one if it is free, else a new one (cached if
    /// there is room). Throws if `sql` does not prepare.
    static func acquire(_ handle: OpaquePointer, _ sql: String) throws(SQLiteError) -> StatementLease {
        let key = Int(bitPattern: handle)
        let (cached, cacheable): (CachedStatement?, Bool) = storage.lock.withLock {
            if let entry = storage.connections[key]?[sql] {
                if sqlite3_db_handle(entry.statement) != handle {
                    // Cannot happen while the host keeps its promise (a connection with cached
                    // statements cannot close, so its address is not reused). Drop the entry
                    // without finalizing: its real connection may be in use on another thread.
                    storage.connections[key]?[sql] = nil
                } else if entry.inUse || sqlite3_stmt_busy(entry.statement) != 0 {
                    // Already running on this connection (a nested use): prepare one for this use.
                    return (nil, false)
                } else {
                    entry.inUse = true
                    return (entry, false)
                }
            }
            return (nil, (storage.connections[key]?.count ?? 0) < limitPerConnection)
        }
        if let cached { return StatementLease(statement: cached.statement, entry: cached) }

        var prepared: OpaquePointer?
        let flags = cacheable ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &prepared, nil)
        guard code == SQLITE_OK, let statement = prepared else {
            if let prepared { sqlite3_finalize(prepared) }
            guard code != SQLITE_OK else {
                // Only spaces or comments: SQLite prepares that to no statement.
                throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement to run", sql: sql)
            }
            let message = sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error"
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
        guard cacheable else { return StatementLease(statement: statement, entry: nil) }
        let entry: CachedStatement? = storage.lock.withLock {
            var statements = storage.connections.removeValue(forKey: key) ?? [:]
            defer { storage.connections[key] = statements }
            guard statements[sql] == nil, statements.count < limitPerConnection else { return nil }
            let entry = CachedStatement(statement: statement)
            statements[sql] = entry
            return entry
        }
        return StatementLease(statement: statement, entry: entry)
    }

    /// Resets the statement and clears its bindings, then hands it back to the cache (or
    /// finalizes it, if it was prepared for this use only or retired meanwhile).
    static func release(_ lease: StatementLease) {
        sqlite3_reset(lease.statement)
        sqlite3_clear_bindings(lease.statement)
        guard let entry = lease.entry else {
            sqlite3_finalize(lease.statement)
            return
        }
        let retired = storage.lock.withLock {
            entry.inUse = false
            return entry.retired
        }
        if retired { sqlite3_finalize(lease.statement) }
    }

    /// Finalizes every cached statement of every connection and empties the cache, so the host
    /// can close its connections. Called from the plugin's `shutdown`, when the host makes no
    /// more calls. A statement still in use (a broken promise) is finalized when released.
    static func finalizeAll() {
        let idle: [CachedStatement] = storage.lock.withLock {
            var idle: [CachedStatement] = []
            for statements in storage.connections.values {
                for entry in statements.values {
                    if entry.inUse {
                        entry.retired = true
                    } else {
                        idle.append(entry)
                    }
                }
            }
            storage.connections = [:]
            return idle
        }
        for entry in idle { sqlite3_finalize(entry.statement) }
    }

    /// Finalizes the statements cached for one connection (before its owner closes it).
    static func finalize(connection handle: OpaquePointer) {
        let idle: [CachedStatement] = storage.lock.withLock {
            guard let statements = storage.connections.removeValue(forKey: Int(bitPattern: handle)) else { return [] }
            var idle: [CachedStatement] = []
            for entry in statements.values {
                if entry.inUse { entry.retired = true } else { idle.append(entry) }
            }
            return idle
        }
        for entry in idle { sqlite3_finalize(entry.statement) }
    }

    /// How many statements are cached for `handle` (for tests).
    static func count(for handle: OpaquePointer) -> Int {
        storage.lock.withLock { storage.connections[Int(bitPattern: handle)]?.count ?? 0 }
    }
}
