import Foundation
import GRDBSQLite
import Logging
import ReceptionProtocol
import Testing

@testable import ReceptionStore

/// The store's threads on a real SQLite file: reader threads that never wait for the writer,
/// and WAL checkpoints that run beside it and keep the WAL bounded.
@Suite("Store: reader threads and background checkpoints", .timeLimit(.minutes(5)))
struct StoreThreadsTests {
    /// A fresh state directory with a store in it.
    private static func openStore(readers: Int = 2, checkpointPages: Int32 = 16_000) throws -> (Store, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try Store(
            path: directory + "/test.sqlite", readers: readers, checkpointPages: checkpointPages,
            logger: Logger(label: "test"))
        return (store, directory)
    }

    /// Runs SQL on the writer (durably) and returns the outcome.
    private static func write(_ store: Store, _ sql: String) async -> Result<String, RPCError> {
        await store.writer.perform(audit: nil) { db in
            let code = sqlite3_exec(db, sql, nil, nil, nil)
            if code != SQLITE_OK { return (.failure(RPCError(.storage, "code \(code)")), []) }
            return (.success("{}"), [])
        }
    }

    /// One integer from a query on a reader thread (`nil` if the read could not run).
    private static func readInteger(_ store: Store, _ sql: String) async -> Int64? {
        await withCheckedContinuation { continuation in
            store.readers.submit { handle in
                guard let handle else { return continuation.resume(returning: nil) }
                var statement: OpaquePointer?
                guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                    return continuation.resume(returning: nil)
                }
                defer { sqlite3_finalize(statement) }
                let value = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : nil
                continuation.resume(returning: value)
            }
        }
    }

    @Test("A reader thread sees every committed write, and answers while the writer is inside a transaction")
    func readsNeverWaitForTheWriter() async throws {
        let (store, directory) = try Self.openStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        #expect(try await Self.write(store, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)").get() == "{}")
        #expect(await Self.readInteger(store, "SELECT count(*) FROM t") == 1)

        // Hold the writer inside its transaction (an uncommitted row written) until the read has answered.
        let readDone = DispatchSemaphore(value: 0)
        let writerInside = DispatchSemaphore(value: 0)
        store.writer.submit(
            WriteJob(
                audit: nil,
                body: { db in
                    sqlite3_exec(db, "INSERT INTO t VALUES (2)", nil, nil, nil)
                    writerInside.signal()
                    let answered = readDone.wait(timeout: .now() + 10) == .success
                    return (answered ? .success("{}") : .failure(RPCError(.storage, "the read waited")), [])
                }, completion: { _ in }))
        writerInside.wait()
        let duringWrite = await Self.readInteger(store, "SELECT count(*) FROM t")
        readDone.signal()
        #expect(duringWrite == 1, "the read answered from the last commit, without waiting for the open transaction")
        #expect(await Self.write(store, "SELECT 1").map { _ in true } == .success(true))
        #expect(await Self.readInteger(store, "SELECT count(*) FROM t") == 2, "and sees the write once committed")
    }

    @Test("Reader connections are read-only")
    func readersCannotWrite() async throws {
        let (store, directory) = try Self.openStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        _ = await Self.write(store, "CREATE TABLE t (v INTEGER)")
        let code: Int32 = await withCheckedContinuation { continuation in
            store.readers.submit { handle in
                continuation.resume(
                    returning: handle.map { sqlite3_exec($0, "INSERT INTO t VALUES (1)", nil, nil, nil) } ?? -1)
            }
        }
        #expect(code == SQLITE_READONLY)
    }

    @Test("The WAL is checkpointed in the background and stays bounded while the writer keeps committing")
    func walStaysBounded() async throws {
        // A checkpoint every 64 pages (the writer tops up at most every 16th commit); 400 commits
        // of about 8 pages each would grow an uncheckpointed WAL to more than 12 MiB.
        let (store, directory) = try Self.openStore(checkpointPages: 64)
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        _ = await Self.write(store, "CREATE TABLE blobs (b BLOB)")
        var largestWAL: Int64 = 0
        for _ in 0..<400 {
            let outcome = await Self.write(store, "INSERT INTO blobs VALUES (randomblob(30000))")
            #expect(throws: Never.self) { try outcome.get() }
            let size =
                (try? FileManager.default.attributesOfItem(atPath: directory + "/test.sqlite-wal")[.size])
                .flatMap { $0 as? Int64 } ?? 0
            largestWAL = max(largestWAL, size)
        }
        #expect(await Self.readInteger(store, "SELECT count(*) FROM blobs") == 400)
        #expect(largestWAL > 0)
        #expect(
            largestWAL < 4 * 1024 * 1024,
            "the WAL was reused after background checkpoints (largest \(largestWAL) bytes)")
    }

    @Test("A request's savepoint keeps its sub-journal in memory: no temporary file, however many pages it changes")
    func savepointJournalStaysInMemory() async throws {
        let (store, directory) = try Self.openStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        // About 100 pages that exist before the request: changing them inside its savepoint makes
        // SQLite keep their old contents (400 KiB), which it spills to a file past 64 KiB unless
        // temporary storage is in memory.
        _ = await Self.write(
            store,
            """
            CREATE TABLE blobs (b BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
            INSERT INTO blobs SELECT randomblob(3000) FROM n;
            """)
        let outcome = await store.writer.perform(audit: nil) { db in
            let code = sqlite3_exec(db, "UPDATE blobs SET b = randomblob(3000)", nil, nil, nil)
            guard code == SQLITE_OK else { return (.failure(RPCError(.storage, "code \(code)")), []) }
            // SQLite names its temporary files etilqs_… and unlinks them at once; the open
            // descriptor still shows where it pointed.
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            let targets = descriptors.compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
            }
            return (.success(targets.filter { $0.contains("etilqs") }.joined(separator: "\n")), [])
        }
        #expect(try outcome.get() == "", "temporary files open while the request ran")
    }

    @Test("A statement a read leaves stepped is reset: the next read on that connection sees newer commits")
    func leftoverStatementIsReset() async throws {
        let (store, directory) = try Self.openStore(readers: 1)
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        _ = await Self.write(store, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2)")
        // A careless read: steps a statement once and returns without resetting it.
        let leftover: StatementBox? = await withCheckedContinuation { continuation in
            store.readers.submit { handle in
                guard let handle else { return continuation.resume(returning: nil) }
                let result: Result<StatementBox?, RPCError> = ReadTransaction.run(handle) {
                    var statement: OpaquePointer?
                    sqlite3_prepare_v2(handle, "SELECT v FROM t", -1, &statement, nil)
                    if let statement { sqlite3_step(statement) }
                    return .success(statement.map(StatementBox.init))
                }
                continuation.resume(returning: (try? result.get()) ?? nil)
            }
        }
        let statement = try #require(leftover)
        #expect(sqlite3_stmt_busy(statement.pointer) == 0, "reset by the read transaction")
        _ = await Self.write(store, "INSERT INTO t VALUES (3)")
        let count: Int64? = await withCheckedContinuation { continuation in
            store.readers.submit { handle in
                guard let handle else { return continuation.resume(returning: nil) }
                let result: Result<Int64, RPCError> = ReadTransaction.run(handle) {
                    var counting: OpaquePointer?
                    sqlite3_prepare_v2(handle, "SELECT count(*) FROM t", -1, &counting, nil)
                    defer { sqlite3_finalize(counting) }
                    guard let counting, sqlite3_step(counting) == SQLITE_ROW else { return .success(-1) }
                    return .success(sqlite3_column_int64(counting, 0))
                }
                sqlite3_finalize(statement.pointer)
                continuation.resume(returning: try? result.get())
            }
        }
        #expect(count == 3)
    }

    @Test("After stop, reads run at once with no connection instead of hanging")
    func readsAfterStop() async throws {
        let (store, directory) = try Self.openStore()
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        store.readers.stop()
        let gotConnection: Bool = await withCheckedContinuation { continuation in
            store.readers.submit { handle in continuation.resume(returning: handle != nil) }
        }
        #expect(!gotConnection)
    }
}

/// A statement handle carried between threads in a test (used by one thread at a time).
private struct StatementBox: @unchecked Sendable {
    let pointer: OpaquePointer
}
