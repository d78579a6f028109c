import GRDBSQLite
import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

/// Runs `body` on a new in-memory SQLite database through the SDK's connection, then finalizes
/// the statements the SDK kept and closes it.
func withMemoryDatabase(_ body: (SQLiteConnection) throws -> Void) throws {
    var handle: OpaquePointer?
    #expect(sqlite3_open(":memory:", &handle) == SQLITE_OK)
    let db = try #require(handle.map(SQLiteConnection.init(handle:)))
    defer {
        db.finalizeStatements()
        sqlite3_close(handle)
    }
    try body(db)
}
