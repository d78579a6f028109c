import Foundation
import Logging
import ReceptionProtocol
import Synchronization
import Testing

@testable import ReceptionStore

/// A committed write group is answered only once a sync of the WAL that began after its commit
/// has returned; the writer meanwhile goes on with the next group.
@Suite("WAL sync after commit: nothing is answered before it is on disk", .timeLimit(.minutes(2)))
struct WALSyncTests {
    /// A WAL file of our own (the syncer opens `<database>-wal`).
    private static func database() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("walsync-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/test.sqlite"
        FileManager.default.createFile(atPath: path + "-wal", contents: Data("frames".utf8))
        return path
    }

    /// What happened, in order, across threads.
    final class Journal: Sendable {
        private let lines = Mutex<[String]>([])
        func note(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A sync that waits until the test lets it return, noting when it starts and ends.
    final class GatedSync: Sendable {
        let journal: Journal
        private let gates = Mutex<Int>(0)
        private let result: Int32
        init(journal: Journal, result: Int32 = 0) {
            self.journal = journal
            self.result = result
        }
        /// Lets one waiting (or the next) sync return.
        func open() { gates.withLock { $0 += 1 } }
        func sync(_ descriptor: Int32) -> Int32 {
            journal.note("sync starts")
            while !gates.withLock({ gates in
                guard gates > 0 else { return false }
                gates -= 1
                return true
            }) { usleep(1000) }
            journal.note("sync ends")
            return result
        }
    }

    private static func waitFor(_ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !condition(), Date() < deadline { usleep(1000) }
    }

    private static func group(_ name: String, _ journal: Journal, durably: Bool = false) -> WALSync.Group {
        WALSync.Group(
            committedDurably: durably, durable: { journal.note("\(name) answered") },
            failed: { journal.note("\(name) failed: \($0.kind)") })
    }

    @Test("a group committed while a sync runs waits for the next sync; each is answered in commit order")
    func answeredOnlyAfterItsSync() throws {
        let journal = Journal()
        let gate = GatedSync(journal: journal)
        let walSync = WALSync(databasePath: try Self.database(), logger: Logger(label: "test"), sync: gate.sync)
        walSync.submit(Self.group("A", journal), mayRunHere: false)
        Self.waitFor { journal.all.contains("sync starts") }
        // B commits while A's sync is running: that sync does not cover it.
        walSync.submit(Self.group("B", journal), mayRunHere: false)
        usleep(20_000)
        #expect(journal.all == ["sync starts"], "nothing is answered before its sync returns")
        gate.open()
        Self.waitFor { journal.all.count >= 4 }
        #expect(journal.all == ["sync starts", "sync ends", "A answered", "sync starts"])
        gate.open()
        Self.waitFor { journal.all.contains("B answered") }
        #expect(journal.all.suffix(2) == ["sync ends", "B answered"])
        #expect(walSync.syncs == 2)
        walSync.stop()
    }

    @Test("groups committed during one sync share the next one")
    func groupsShareASync() throws {
        let journal = Journal()
        let gate = GatedSync(journal: journal)
        let walSync = WALSync(databasePath: try Self.database(), logger: Logger(label: "test"), sync: gate.sync)
        walSync.submit(Self.group("A", journal), mayRunHere: false)
        Self.waitFor { journal.all.contains("sync starts") }
        for name in ["B", "C", "D"] { walSync.submit(Self.group(name, journal), mayRunHere: false) }
        gate.open()
        gate.open()
        Self.waitFor { journal.all.contains("D answered") }
        #expect(walSync.syncs == 2, "\(journal.all)")
        #expect(
            journal.all.filter { $0.hasSuffix("answered") } == ["A answered", "B answered", "C answered", "D answered"])
        walSync.stop()
    }

    @Test("with nothing else queued the writer syncs on its own thread and the group is answered before submit returns")
    func lonelyGroupSyncsInline() throws {
        let journal = Journal()
        let gate = GatedSync(journal: journal)
        gate.open()
        let walSync = WALSync(databasePath: try Self.database(), logger: Logger(label: "test"), sync: gate.sync)
        walSync.submit(Self.group("A", journal), mayRunHere: true)
        #expect(journal.all == ["sync starts", "sync ends", "A answered"])
        walSync.stop()
    }

    @Test("a failed sync fails the groups it covered and every later one not committed durably; the writer is told")
    func failedSyncIsNotTrustedAgain() throws {
        let journal = Journal()
        let gate = GatedSync(journal: journal, result: -1)
        gate.open()
        let walSync = WALSync(databasePath: try Self.database(), logger: Logger(label: "test"), sync: gate.sync)
        #expect(!walSync.isDegraded)
        walSync.submit(Self.group("A", journal), mayRunHere: true)
        #expect(journal.all.last == "A failed: storage")
        #expect(walSync.isDegraded, "the writer must commit at synchronous=FULL from now on")
        // Committed at NORMAL before the writer noticed: no sync vouches for it.
        walSync.submit(Self.group("B", journal), mayRunHere: true)
        #expect(journal.all.last == "B failed: storage")
        // Committed at FULL: on disk already.
        walSync.submit(Self.group("C", journal, durably: true), mayRunHere: false)
        #expect(journal.all.last == "C answered")
        #expect(walSync.syncs == 1, "no sync is attempted after one failed")
        walSync.stop()
    }

    @Test("stop answers every group handed over before it returns")
    func stopDrains() throws {
        let journal = Journal()
        let gate = GatedSync(journal: journal)
        let walSync = WALSync(databasePath: try Self.database(), logger: Logger(label: "test"), sync: gate.sync)
        walSync.submit(Self.group("A", journal), mayRunHere: false)
        walSync.submit(Self.group("B", journal), mayRunHere: false)
        gate.open()
        gate.open()
        walSync.stop()
        #expect(journal.all.contains("A answered") && journal.all.contains("B answered"), "\(journal.all)")
    }

    @Test("a store commits at NORMAL, syncs the WAL itself and says so in its health")
    func storeUsesWALSync() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("walsync-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try Store(path: directory + "/test.sqlite", readers: 1, logger: Logger(label: "test"))
        #expect(store.durability.synchronous == "full")
        let before = store.writer.walSync?.syncs ?? -1
        let outcome = await store.writer.perform(audit: nil) { db in
            (.success("{}"), [])
        }
        #expect((try? outcome.get()) == "{}")
        #expect((store.writer.walSync?.syncs ?? 0) > before)
        #expect(store.healthJSON["commitSync"] == "wal-sync")
        store.close()
    }
}
