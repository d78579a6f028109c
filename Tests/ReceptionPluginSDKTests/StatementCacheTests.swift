import Foundation
import GRDBSQLite
import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

/// A WAL database file in a temporary directory, opened as many times as a test needs.
final class TestDatabase {
    let directory: String
    let path: String

    init() throws {
        directory = NSTemporaryDirectory() + "sdk-statement-cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/test.sqlite"
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Opens a read-write connection in WAL mode.
    func open() throws -> OpaquePointer {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard code == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw SQLiteError(code: code, message: "cannot open \(path)", sql: "")
        }
        sqlite3_extended_result_codes(handle, 1)
        let connection = SQLiteConnection(handle: handle)
        try connection.executeScript("PRAGMA journal_mode = WAL")
        return handle
    }
}

/// The statements still prepared on `handle`.
func preparedStatements(_ handle: OpaquePointer) -> [OpaquePointer] {
    var statements: [OpaquePointer] = []
    var statement = sqlite3_next_stmt(handle, nil)
    while let current = statement {
        statements.append(current)
        statement = sqlite3_next_stmt(handle, current)
    }
    return statements
}

/// Whether any statement on `handle` is stepped and not reset.
func anyStatementBusy(_ handle: OpaquePointer) -> Bool {
    preparedStatements(handle).contains { sqlite3_stmt_busy($0) != 0 }
}

/// `PRAGMA wal_checkpoint(TRUNCATE)` on `handle`: (busy, log frames, checkpointed frames).
func truncateCheckpoint(_ handle: OpaquePointer) throws -> (busy: Int64, log: Int64, checkpointed: Int64) {
    let row = try #require(try SQLiteConnection(handle: handle).queryOne("PRAGMA wal_checkpoint(TRUNCATE)"))
    return (row.values[0].int ?? -1, row.values[1].int ?? -1, row.values[2].int ?? -1)
}

/// Finalizes the cache and closes `handle` with `sqlite3_close` (not v2): SQLITE_OK only if no
/// statement of the connection is left.
func finalizeAndClose(_ handle: OpaquePointer) -> Int32 {
    StatementCache.finalizeAll()
    return sqlite3_close(handle)
}

// The cache is process-wide and `finalizeAll()` empties it for every connection: one test at a time.
@Suite("SDK prepared-statement cache and rows", .serialized)
struct StatementCacheTests {
    @Test("A statement is prepared once per connection and SQL text and gives the same results every time")
    func reuse() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let db = SQLiteConnection(handle: handle)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        for index in 1...20 { try db.execute("INSERT INTO t (id, name) VALUES (?, ?)", [index, "n\(index)"]) }
        #expect(StatementCache.count(for: handle) == 2)
        for round in 0..<500 {
            let low = round % 20
            let rows = try db.query("SELECT id, name FROM t WHERE id > ? ORDER BY id", [low])
            #expect(rows.count == 20 - low)
            #expect(rows.first?.int("id") == Int64(low + 1))
            #expect(rows.first?.string("name") == "n\(low + 1)")
            #expect(try db.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 20)
        }
        #expect(StatementCache.count(for: handle) == 4)
        #expect(preparedStatements(handle).count == 4)
        #expect(!anyStatementBusy(handle))
        #expect(finalizeAndClose(handle) == SQLITE_OK)
    }

    @Test("A statement whose step fails (UNIQUE) is reset: the next use of the same SQL works")
    func failedStepIsReset() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let db = SQLiteConnection(handle: handle)
        try db.execute("CREATE TABLE t (code TEXT NOT NULL UNIQUE)")
        let insert = "INSERT INTO t (code) VALUES (?)"
        try db.execute(insert, ["a"])
        do {
            try db.execute(insert, ["a"])
            Issue.record("a duplicate was inserted")
        } catch {
            #expect(error.isConstraint, "\(error)")
            #expect(error.code == SQLITE_CONSTRAINT | (8 << 8), "\(error)")  // SQLITE_CONSTRAINT_UNIQUE
        }
        #expect(!anyStatementBusy(handle))
        #expect(sqlite3_get_autocommit(handle) != 0)
        try db.execute(insert, ["b"])
        #expect(try db.query("SELECT code FROM t ORDER BY code").map { $0.string("code") } == ["a", "b"])

        // Inside a transaction (as on the daemon's writer): a failed statement does not stay
        // active, so the transaction can still commit.
        try db.executeScript("BEGIN IMMEDIATE")
        #expect(throws: SQLiteError.self) { try db.execute(insert, ["b"]) }
        try db.execute(insert, ["c"])
        try db.executeScript("COMMIT")
        #expect(try db.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 3)

        // A wrong argument count fails before stepping, and leaves the statement usable.
        #expect(throws: SQLiteError.self) { try db.execute(insert, []) }
        try db.execute(insert, ["d"])
        #expect(StatementCache.count(for: handle) == 4)
        #expect(finalizeAndClose(handle) == SQLITE_OK)
    }

    @Test("After a query, also one failing mid-way, no read transaction is left open")
    func readsEndTheirTransaction() throws {
        let database = try TestDatabase()
        let reader = try database.open()
        let writer = try database.open()
        let readDB = SQLiteConnection(handle: reader)
        let writeDB = SQLiteConnection(handle: writer)
        try writeDB.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)")
        try writeDB.execute("INSERT INTO t (doc) VALUES ('{\"a\":1}'), ('{\"a\":2}')")

        // Control: a statement stepped and not reset holds a snapshot that blocks the checkpoint.
        var stuck: OpaquePointer?
        #expect(sqlite3_prepare_v2(reader, "SELECT id FROM t", -1, &stuck, nil) == SQLITE_OK)
        #expect(sqlite3_step(stuck) == SQLITE_ROW)
        try writeDB.execute("INSERT INTO t (doc) VALUES ('{}')")
        #expect(try truncateCheckpoint(writer).busy == 1)
        sqlite3_finalize(stuck)

        for round in 0..<3 {
            let rows = try readDB.query("SELECT id, json_extract(doc, '$.a') AS a FROM t ORDER BY id")
            #expect(rows.count == 3 + round)
            try writeDB.execute("INSERT INTO t (doc) VALUES ('{}')")
            #expect(sqlite3_get_autocommit(reader) != 0)
            #expect(!anyStatementBusy(reader))
            let checkpoint = try truncateCheckpoint(writer)
            #expect(checkpoint.busy == 0 && checkpoint.log == 0, "\(checkpoint)")
        }

        // The second row's JSON is malformed: the step fails after the first row.
        try writeDB.execute("INSERT INTO t (id, doc) VALUES (1000, '{}'), (1001, 'not json')")
        let failing = "SELECT json_extract(doc, '$.a') AS a FROM t WHERE id >= ? ORDER BY id"
        #expect(throws: SQLiteError.self) { try readDB.query(failing, [999]) }
        try writeDB.execute("INSERT INTO t (doc) VALUES ('{}')")
        #expect(!anyStatementBusy(reader))
        let checkpoint = try truncateCheckpoint(writer)
        #expect(checkpoint.busy == 0 && checkpoint.log == 0, "\(checkpoint)")
        // The same statement works again, with other arguments.
        #expect(try readDB.query(failing, [1002]).count == 1)

        #expect(finalizeAndClose(reader) == SQLITE_OK)
        #expect(sqlite3_close(writer) == SQLITE_OK)
    }

    @Test("Text holding U+0000 round-trips whole")
    func nulInText() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let db = SQLiteConnection(handle: handle)
        try db.execute("CREATE TABLE t (value TEXT)")
        let texts = ["a\u{0}b", "\u{0}", "", "héllo \u{0} wörld ✓", "end\u{0}"]
        for text in texts { try db.execute("INSERT INTO t (value) VALUES (?)", [text]) }
        let rows = try db.query("SELECT value, length(CAST(value AS BLOB)) AS bytes FROM t ORDER BY rowid")
        #expect(rows.map { $0.string("value") } == texts.map { Optional($0) })
        #expect(rows.map { $0.int("bytes") } == texts.map { Int64($0.utf8.count) })
        #expect(finalizeAndClose(handle) == SQLITE_OK)
    }

    @Test("More distinct SQL texts than the cache holds: all work, the excess is finalized after use")
    func beyondTheBound() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let db = SQLiteConnection(handle: handle)
        let limit = StatementCache.limitPerConnection
        for round in 0..<2 {
            for index in 0..<(limit + 50) {
                let row = try db.queryOne("SELECT ? + \(index) AS total", [round])
                #expect(row?.int("total") == Int64(index + round))
            }
        }
        #expect(StatementCache.count(for: handle) == limit)
        #expect(preparedStatements(handle).count == limit)
        #expect(!anyStatementBusy(handle))
        #expect(finalizeAndClose(handle) == SQLITE_OK)
    }

    @Test("finalizeAll() releases every connection: sqlite3_close succeeds, and the cache fills again")
    func finalizeAllThenClose() throws {
        let database = try TestDatabase()
        let first = try database.open()
        let second = try database.open()
        for handle in [first, second] {
            let db = SQLiteConnection(handle: handle)
            try db.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
            try db.execute("INSERT INTO t (x) VALUES (?)", [1])
            _ = try db.query("SELECT x FROM t")
        }
        // Cached statements keep a connection from closing...
        #expect(sqlite3_close(first) == SQLITE_BUSY)
        StatementCache.finalizeAll()
        #expect(StatementCache.count(for: first) == 0 && StatementCache.count(for: second) == 0)
        #expect(preparedStatements(first).isEmpty && preparedStatements(second).isEmpty)
        // ...and a connection still in use after finalizeAll() caches again.
        #expect(try SQLiteConnection(handle: second).query("SELECT x FROM t").count == 2)
        #expect(StatementCache.count(for: second) == 1)
        #expect(sqlite3_close(first) == SQLITE_OK)
        #expect(finalizeAndClose(second) == SQLITE_OK)
    }

    @Test("A statement already in use gets one of its own for the nested use, finalized afterwards")
    func nestedUse() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let sql = "SELECT 1"
        let outer = try StatementCache.acquire(handle, sql)
        #expect(outer.entry != nil)
        let inner = try StatementCache.acquire(handle, sql)
        #expect(inner.entry == nil)
        #expect(inner.statement != outer.statement)
        StatementCache.release(inner)
        StatementCache.release(outer)
        #expect(preparedStatements(handle).count == 1)
        let again = try StatementCache.acquire(handle, sql)
        #expect(again.statement == outer.statement)
        StatementCache.release(again)

        // Released after finalizeAll() (a host breaking its promise): finalized then, not leaked.
        let late = try StatementCache.acquire(handle, sql)
        StatementCache.finalizeAll()
        #expect(preparedStatements(handle).count == 1)
        StatementCache.release(late)
        #expect(preparedStatements(handle).isEmpty)
        #expect(sqlite3_close(handle) == SQLITE_OK)
    }

    @Test("A bad statement fails with SQLite's message and caches nothing")
    func prepareFailure() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let db = SQLiteConnection(handle: handle)
        do {
            try db.execute("SELEC 1")
            Issue.record("a syntax error was accepted")
        } catch {
            #expect(error.message.contains("syntax error"), "\(error)")
            #expect(error.sql == "SELEC 1")
        }
        #expect(throws: SQLiteError.self) { try db.execute("  -- only a comment") }
        #expect(StatementCache.count(for: handle) == 0)
        #expect(finalizeAndClose(handle) == SQLITE_OK)
    }

    @Test("Rows share one column map; lookups by name, missing and repeated names behave as before")
    func rows() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        let db = SQLiteConnection(handle: handle)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)")
        try db.execute("INSERT INTO t VALUES (1, 'one', 1.5, x'00ff'), (2, NULL, NULL, x'')")
        let rows = try db.query("SELECT id, name, score, data, id AS name FROM t ORDER BY id")
        #expect(rows.count == 2)
        #expect(rows[0].columns == ["id", "name", "score", "data", "name"])
        #expect(rows[0].layout === rows[1].layout)
        #expect(rows[0].values == [.integer(1), .text("one"), .real(1.5), .blob([0, 255]), .integer(1)])
        #expect(rows[0]["name"] == .text("one"))
        #expect(rows[0]["missing"] == .null)
        #expect(rows[0].string("name") == "one" && rows[0].int("id") == 1)
        #expect(rows[0]["score"].double == 1.5)
        #expect(rows[1]["name"] == .null && rows[1]["data"] == .blob([]))

        // The map is kept with the statement, and rebuilt when a schema change re-prepares it.
        let again = try db.query("SELECT * FROM t WHERE id = ?", [1])
        #expect(again.first?.columns == ["id", "name", "score", "data"])
        try db.execute("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'")
        let altered = try db.query("SELECT * FROM t WHERE id = ?", [1])
        #expect(altered.first?.columns == ["id", "name", "score", "data", "note"])
        #expect(altered.first?.string("note") == "n")
        #expect(try db.query("SELECT * FROM t WHERE id = ?", [3]).isEmpty)
        #expect(finalizeAndClose(handle) == SQLITE_OK)
    }
}
