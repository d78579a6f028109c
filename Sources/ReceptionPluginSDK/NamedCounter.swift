/// Named counters in a plugin's own table (`name TEXT PRIMARY KEY, value INTEGER`): the numbers
/// of the day (`UT20261205-0001`), of a prefix (`T000012`). Call on the writer, inside the write
/// that uses the number, so a refused write gives its number back.
public enum NamedCounter {
    /// The next value of `name` in `table` (1 for a new counter).
    public static func next(_ name: String, table: String, in db: SQLiteConnection) throws -> Int64 {
        try db.execute(
            """
            INSERT INTO \(table) (name, value) VALUES (?, 1)
            ON CONFLICT (name) DO UPDATE SET value = \(table).value + 1
            """, [name])
        guard let value = try db.queryOne("SELECT value FROM \(table) WHERE name = ?", [name])?.int("value") else {
            throw RPCError.internalError("counter \(name) vanished from \(table)")
        }
        return value
    }
}

/// Amounts of money in messages for people (the wire keeps integer minor units).
public enum MoneyText {
    /// Fen as yuan with two decimals: `12345` → `123.45`, `-5` → `-0.05`.
    public static func decimal(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// Fen as a clerk reads yuan: `5000` → `¥50.00`, `-5000` → `-¥50.00`.
    public static func yuan(_ fen: Int64) -> String {
        fen < 0 ? "-¥" + decimal(-fen) : "¥" + decimal(fen)
    }
}
