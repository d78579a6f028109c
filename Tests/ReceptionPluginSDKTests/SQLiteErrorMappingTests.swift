import GRDBSQLite
import ReceptionProtocol
import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

/// How a SQLite failure reaches the wire: a CHECK or NOT NULL failure is a bad value in a field
/// (`validation` with that field, no raw SQL), a UNIQUE or FOREIGN KEY failure clashes with
/// stored state (`conflict`), anything else is `storage`. The messages are SQLite's own (3.40).
@Suite("SDK SQLite error mapping")
struct SQLiteErrorMappingTests {
    /// SQLITE_CONSTRAINT_CHECK, _NOTNULL, _UNIQUE and SQLITE_IOERR_WRITE.
    static let check: Int32 = 275
    static let notNull: Int32 = 1299
    static let unique: Int32 = 2067
    static let ioWrite: Int32 = 778

    @Test(
        "A CHECK failure is validation naming the column's wire field, for an unnamed constraint and for one named after its column",
        arguments: [
            ("CHECK constraint failed: id_last4 IS NULL OR length(id_last4) = 4", "idLast4"),
            ("CHECK constraint failed: kind IN ('letter','parcel')", "kind"),
            ("CHECK constraint failed: fee >= 0", "fee"),
            ("CHECK constraint failed: length(id_last4) = 4", "idLast4"),
            ("CHECK constraint failed: deposit_status", "depositStatus"),
        ])
    func checkIsValidation(message: String, field: String) {
        let error = SQLiteError(code: Self.check, message: message, sql: "INSERT ...").rpcError
        #expect(error.kind == .validation)
        #expect(error.field == field, "\(error)")
        #expect(!error.message.contains("CHECK constraint failed"), "no raw SQLite text: \(error.message)")
    }

    @Test("A NOT NULL failure is validation naming the column; UNIQUE stays conflict; an I/O error is storage")
    func otherKinds() {
        let notNull = SQLiteError(
            code: Self.notNull, message: "NOT NULL constraint failed: parcels_items.unit", sql: ""
        )
        .rpcError
        #expect(notNull.kind == .validation)
        #expect(notNull.field == "unit")
        let unique = SQLiteError(
            code: Self.unique, message: "UNIQUE constraint failed: access_badges.number", sql: ""
        ).rpcError
        #expect(unique.kind == .conflict)
        let io = SQLiteError(code: Self.ioWrite, message: "disk I/O error", sql: "").rpcError
        #expect(io.kind == .storage)
    }

    @Test(
        "Through a real SQLite connection: the parcels CHECK on id_last4 and a NOT NULL come back as validation naming the field, a duplicate as conflict"
    )
    func realSQLite() throws {
        let database = try TestDatabase()
        let handle = try database.open()
        defer { sqlite3_close_v2(handle) }
        let db = SQLiteConnection(handle: handle)
        try db.executeScript(
            """
            CREATE TABLE items (
                code TEXT NOT NULL UNIQUE,
                unit TEXT NOT NULL,
                id_last4 TEXT CHECK (id_last4 IS NULL OR length(id_last4) = 4)
            );
            """)
        func failure(_ sql: String, _ arguments: [SQLValue]) -> RPCError? {
            do {
                try db.execute(sql, arguments)
                return nil
            } catch {
                return error.rpcError
            }
        }
        let insert = "INSERT INTO items (code, unit, id_last4) VALUES (?, ?, ?)"
        // Four combining sequences: four graphemes, eight scalars for length().
        let check = failure(insert, [.text("A2B3"), .text("3-2-1201"), .text(String(repeating: "x\u{301}", count: 4))])
        #expect(check?.kind == .validation)
        #expect(check?.field == "idLast4")
        let notNull = failure(insert, [.text("A2B3"), .null, .text("1234")])
        #expect(notNull?.kind == .validation)
        #expect(notNull?.field == "unit")
        #expect(failure(insert, [.text("A2B3"), .text("3-2-1201"), .text("1234")]) == nil)
        let duplicate = failure(insert, [.text("A2B3"), .text("3-2-1201"), .text("5678")])
        #expect(duplicate?.kind == .conflict)
    }
}
