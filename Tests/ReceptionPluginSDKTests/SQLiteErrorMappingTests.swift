import ReceptionProtocol
import Testing

@testable import ReceptionPluginSDK

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
}
