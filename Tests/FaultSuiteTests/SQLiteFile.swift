import Foundation
import GRDBSQLite
import ReceptionTestSupport

/// The daemon's database file opened by the test itself through the SQLite C library: to run
/// `PRAGMA integrity_check` after a crash, and to hold a write lock against the daemon.
final class SQLiteFile {
    /// The file.
    let path: String
    private let handle: OpaquePointer

    /// Opens `path`: read-only unless `writable`. Waits up to `busyMillis` for a lock.
    init(path: String, writable: Bool = false, busyMillis: Int32 = 5_000) throws {
        self.path = path
        var opened: OpaquePointer?
        let flags = (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(code)"
            sqlite3_close(opened)
            throw TestDaemonError("cannot open \(path): \(message)")
        }
        handle = opened
        sqlite3_busy_timeout(handle, busyMillis)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Every row of `sql`, each column as text (`NULL` as `nil`).
    func rows(_ sql: String) throws -> [[String?]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw TestDaemonError("cannot prepare \(sql): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        var rows: [[String?]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return rows }
            guard step == SQLITE_ROW else {
                throw TestDaemonError("\(sql) failed: \(String(cString: sqlite3_errmsg(handle)))")
            }
            rows.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    sqlite3_column_text(statement, column).map { String(cString: $0) }
                })
        }
    }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "code \(sqlite3_errcode(handle))"
            sqlite3_free(message)
            throw TestDaemonError("\(sql) failed: \(text)")
        }
    }

    /// `PRAGMA integrity_check`'s lines: `["ok"]` for a sound file.
    func integrityCheck() throws -> [String] {
        try rows("PRAGMA integrity_check").map { $0.first.flatMap { $0 } ?? "NULL" }
    }
}
