import Foundation
import GRDBSQLite
import Logging
import ReceptionProtocol
import Testing

@testable import ReceptionStore

/// Refused writes counted per method and kind in a table of one row each, on a real SQLite file.
@Suite("RefusalLedger: refused writes counted, not one audit row each", .timeLimit(.minutes(5)))
struct RefusalLedgerTests {
    private static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func refusal(_ index: Int, method: String = "example.note.add") -> AuditRecord {
        AuditRecord(
            time: Date(), uid: 1000 + index % 3, gid: 1000, pid: 4242, role: "operator", workstation: "desk-\(index)",
            operator: "li.na", requestID: "c1-\(index)", method: method, params: #"{"text":"try \#(index)"}"#)
    }

    /// One integer from `sql` on the file at `path`, read with a plain connection.
    private static func integer(_ path: String, _ sql: String) -> Int64? {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else { return nil }
        defer { sqlite3_close_v2(db) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { return nil }
        defer { sqlite3_finalize(statement) }
        return sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : nil
    }

    @Test("1,000 refusals of one method and kind and 10 of another are two rows, with their counts, after a restart")
    func countsAreOneRowPerMethodAndKind() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/test.sqlite"
        let store = try Store(path: path, readers: 1, logger: Logger(label: "test"))
        for index in 0..<1_000 {
            store.recordRefusal(Self.refusal(index), error: RPCError(.validation, "text must not be blank #\(index)"))
        }
        for index in 0..<10 {
            store.recordRefusal(
                Self.refusal(index, method: "example.note.purge"), error: RPCError(.forbidden, "admins only"))
        }
        store.close()

        #expect(Self.integer(path, "SELECT count(*) FROM daemon_audit_refusals") == 2)
        #expect(Self.integer(path, "SELECT count(*) FROM daemon_audit") == 0, "no row per refusal")
        #expect(
            Self.integer(
                path,
                "SELECT count FROM daemon_audit_refusals WHERE method = 'example.note.add' AND error_kind = 'validation'"
            )
                == 1_000)

        let reopened = try Store(path: path, readers: 1, logger: Logger(label: "test"))
        defer { reopened.close() }
        let tallies = try await reopened.refusals(method: nil)
        #expect(tallies.count == 2)
        let add = try #require(tallies.first { $0["method"] == "example.note.add" })
        #expect(add["kind"] == "validation")
        #expect(add["count"] == 1_000)
        #expect(add["first"]?["params"]?["text"] == "try 0", "the first refusal is kept")
        #expect(add["first"]?["error"]?["message"] == "text must not be blank #0")
        let recent = add["recent"]?.arrayValue ?? []
        #expect(recent.map { $0["requestId"] } == ["c1-999", "c1-998", "c1-997"], "the latest three, newest first")
        #expect(recent.first?["workstation"] == "desk-999")
        #expect(Timestamp.parse(add["lastAt"]?.stringValue ?? "") != nil)
        #expect(try await reopened.refusals(method: "example.note.purge").first?["count"] == 10)
        #expect(try await reopened.refusals(method: "example.").count == 2)
        #expect(try await reopened.refusals(method: "parcels.").isEmpty)
    }

    @Test("A query counts saved and unsaved refusals once each, across flushes")
    func savedAndUnsavedAreCountedOnce() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Store(path: directory + "/test.sqlite", readers: 1, logger: Logger(label: "test"))
        defer { store.close() }
        let error = RPCError(.conflict, "already lent")
        for index in 0..<5 { store.recordRefusal(Self.refusal(index), error: error) }
        #expect(try await store.refusals(method: nil).first?["count"] == 5, "unsaved counts are visible at once")
        store.refusalLedger.flush()
        for index in 5..<8 { store.recordRefusal(Self.refusal(index), error: error) }
        let merged = try #require(try await store.refusals(method: nil).first)
        #expect(merged["count"] == 8)
        #expect(merged["first"]?["requestId"] == "c1-0")
        #expect(merged["recent"]?.arrayValue?.map { $0["requestId"] } == ["c1-7", "c1-6", "c1-5"])
        store.refusalLedger.flush()
        #expect(try await store.refusals(method: nil).first?["count"] == 8)
    }

    @Test("A sample keeps an excerpt of oversized params, not all of them")
    func samplesAreBounded() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Store(path: directory + "/test.sqlite", readers: 1, logger: Logger(label: "test"))
        defer { store.close() }
        var record = Self.refusal(0)
        record.params =
            "{"
            + (0..<2000).map { #""k\#($0)":"\#(String(repeating: "v", count: 100))""# }.joined(
                separator: ",") + "}"
        store.recordRefusal(record, error: RPCError(.validation, String(repeating: "m", count: 100_000)))
        let tally = try #require(try await store.refusals(method: nil).first)
        let sample = tally["first"]?.serialized() ?? ""
        #expect(sample.utf8.count < 8_000, "a sample of \(sample.utf8.count) bytes")
        #expect(tally["first"]?["params"]?.stringValue?.hasSuffix("bytes)") == true)
    }
}
