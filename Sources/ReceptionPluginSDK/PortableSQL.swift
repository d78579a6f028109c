import Synchronization

/// The SQL a plugin may write: what PostgreSQL also runs, so that a PostgreSQL store for
/// portfolios of properties can come later without rewriting the departments.
///
/// Allowed: `SELECT`/`INSERT`/`UPDATE`/`DELETE` with `?` placeholders (the SDK binds values and
/// may rewrite placeholders), `WHERE`, `JOIN`, `GROUP BY`, `ORDER BY`, `LIMIT`/`OFFSET`, `CASE`,
/// `coalesce`, `count`, `sum`, `min`, `max`, `length`, `lower`, `upper`, `IN`, `LIKE`,
/// `INSERT ... ON CONFLICT (...) DO UPDATE`, and in migrations `CREATE TABLE`/`INDEX` with
/// `INTEGER PRIMARY KEY`, `CHECK`, `UNIQUE` and partial (`WHERE`) indexes. Row ids come from
/// ``SQLiteConnection/insert(_:_:)``, never from `rowid` or `last_insert_rowid()`.
///
/// Refused (SQLite only): `ifnull`, `iif`, `total`, `group_concat`, `printf`, `instr`, `glob`,
/// the date functions (`julianday`, `strftime`, `datetime`, `date(`, `unixepoch`), `typeof`,
/// `randomblob`, `last_insert_rowid`, `changes()`, `rowid`, `PRAGMA`, `INDEXED BY`, `INSERT OR ...`,
/// `REPLACE INTO`, `WITHOUT ROWID`, `AUTOINCREMENT`, `ATTACH`.
///
/// The daemon does not check (a plugin's SQL runs as written); the testing kit does, on every
/// statement a test runs, so a department's tests fail on non-portable SQL.
public enum PortableSQL {
    /// The connections (by address) whose statements are checked: the testing kit's.
    private static let checked = Mutex<Set<Int>>([])
    /// How many there are, read on every statement without the lock.
    private static let checkedCount = Atomic<Int>(0)

    /// Whether statements on `handle` are checked.
    static func isEnforced(on handle: OpaquePointer) -> Bool {
        guard checkedCount.load(ordering: .relaxed) > 0 else { return false }
        return checked.withLock { $0.contains(Int(bitPattern: handle)) }
    }

    /// Checks (or stops checking) every statement run on `connection`.
    @_spi(Runtime)
    public static func enforce(_ on: Bool, on connection: SQLiteConnection) {
        let key = Int(bitPattern: connection.handle)
        let count = checked.withLock { set in
            if on { set.insert(key) } else { set.remove(key) }
            return set.count
        }
        checkedCount.store(count, ordering: .relaxed)
    }

    /// The SQLite-only constructs, as lower-case text that must not appear.
    static let refused = [
        "ifnull(", "iif(", "total(", "group_concat(", "printf(", "instr(", " glob ", "julianday(", "strftime(",
        "datetime(", " date(", "unixepoch(", "typeof(", "randomblob(", "last_insert_rowid(", "changes()", "rowid",
        "pragma ", "insert or ", "replace into", "without rowid", "autoincrement", "attach ", "indexed by",
    ]

    /// Refuses `sql` when it uses a SQLite-only construct.
    public static func check(_ sql: String) throws(SQLiteError) {
        let text = " " + sql.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for construct in refused where text.contains(construct) {
            throw SQLiteError(
                code: 1,
                message:
                    "not portable SQL: \"\(construct.trimmingCharacters(in: .whitespaces))\" is SQLite-only (see PortableSQL)",
                sql: sql)
        }
    }
}
