import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The audit trail (who did what, private numbers masked) and online backups that restore.
///
/// `audit.query` and `admin.backup` are admin methods; the tests run as root, which is admin.
@Suite("Audit and backup", .timeLimit(.minutes(3)))
struct AuditAndBackupTests {
    private static let idNumber = "110101199003071234"

    /// The records `audit.query` answers for `params`, and its `nextCursor`.
    private func audit(_ client: RPCConnection, _ params: JSONValue) throws -> (records: [JSONValue], next: JSONValue?)
    {
        let result = try client.call("audit.query", params)
        let records = try #require(result["records"]?.arrayValue, "\(result.serialized())")
        return (records, result["nextCursor"])
    }

    @Test(
        "A write after daemon.hello is audited with workstation, operator, uid, outcome ok and the identity number masked to ****1234; the log never holds the number",
        .enabled(if: getuid() == 0, "audit.query is admin-only; as root the test connection is admin"))
    func auditRecordOfAWrite() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let hello = try client.call("daemon.hello", ["workstation": "desk-2", "operator": "wang.fang"])
        #expect(hello["workstation"] == "desk-2")
        #expect(hello["operator"] == "wang.fang")
        #expect(hello["uid"] == .int(Int64(getuid())))
        #expect(hello["role"] == "admin")
        let note = try client.call("example.note.add", ["text": "x", "idNumber": .string(Self.idNumber)])
        #expect(note["author"] == "wang.fang", "the plugin sees the operator from daemon.hello: \(note.serialized())")

        let (records, next) = try audit(client, ["method": "example.note.add"])
        #expect(records.count == 1, "\(records)")
        #expect(next == .null)
        let record = try #require(records.first)
        #expect(record["method"] == "example.note.add")
        #expect(record["workstation"] == "desk-2")
        #expect(record["operator"] == "wang.fang")
        #expect(record["uid"] == 0)
        #expect(record["gid"] == .int(Int64(getgid())))
        #expect(record["pid"] == .int(Int64(getpid())), "the pid is the client's, from SO_PEERCRED")
        #expect(record["role"] == "admin")
        #expect(record["outcome"] == "ok")
        #expect(record["error"] == .null, "\(record.serialized())")
        #expect(record["params"]?["idNumber"] == "****1234", "\(record.serialized())")
        #expect(record["params"]?["text"] == "x")
        #expect(record["requestId"]?.stringValue?.isEmpty == false, "\(record.serialized())")
        let time = try #require(record["time"]?.stringValue)
        #expect(Timestamp.parse(time) != nil, "\(time)")
        #expect(!record.serialized().contains(Self.idNumber))

        // Refused writes carrying the number, by the schema and by the plugin, are not logged with it either.
        #expect(try client.callError("example.note.add", ["idNumber": .string(Self.idNumber)])?.code == -32602)
        #expect(
            try client.callError("example.note.add", ["text": " ", "idNumber": .string(Self.idNumber)])?.code == -32007)
        try client.call("example.note.add", ["text": "flush the writer"])
        let all = try audit(client, ["method": "example.note.add"]).records
        #expect(all.count == 2, "the two successful writes")
        #expect(all.allSatisfy { !$0.serialized().contains(Self.idNumber) })
        #expect(all.filter { $0["params"]?["idNumber"] == "****1234" }.count == 1)
        // The refusals are counted in audit.refusals, their samples masked too.
        let refusals = try client.call("audit.refusals", ["method": "example.note.add"])
        #expect(refusals["refusals"]?.arrayValue?.first?["count"] == 2, "\(refusals.serialized())")
        #expect(!refusals.serialized().contains(Self.idNumber))
        #expect(refusals["refusals"]?.arrayValue?.first?["first"]?["params"]?["idNumber"] == "****1234")

        try daemon.stop()
        #expect(!daemon.log.isEmpty)
        #expect(!daemon.log.contains(Self.idNumber), "daemon.log holds the identity number in clear")
        // Nor does anything on disk: the plugin never stores it and the audit masks it.
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory)
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: daemon.stateDirectory + "/" + file))
            #expect(data.range(of: Data(Self.idNumber.utf8)) == nil, "\(file) holds the identity number in clear")
        }
    }

    @Test(
        "A failed write, for a broken business rule or for bad params, adds no audit record: audit.refusals counts it under its method and kind, with who tried what",
        .enabled(if: getuid() == 0, "audit.query is admin-only; as root the test connection is admin"))
    func failedWritesAudited() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        try client.call("daemon.hello", ["workstation": "desk-3"])
        #expect(try client.callError("example.note.add", ["text": 12])?.code == -32602)
        #expect(try client.callError("example.note.add", ["text": "   "])?.kind == .validation)
        try client.call("example.note.add", ["text": "fine"])

        let records = try audit(client, ["method": "example.note.add"]).records
        #expect(records.map { $0["outcome"] } == ["ok"], "\(records)")
        let refusals = try #require(
            try client.call("audit.refusals", ["method": "example.note.add"])["refusals"]?.arrayValue)
        #expect(refusals.count == 1, "one entry per method and kind: \(refusals)")
        let tally = try #require(refusals.first)
        #expect(tally["kind"] == "validation")
        #expect(tally["count"] == 2)
        let schema = try #require(tally["first"])
        #expect(schema["error"]?["kind"] == "validation", "\(schema.serialized())")
        #expect(schema["error"]?["message"]?.stringValue?.isEmpty == false)
        #expect(schema["params"]?["text"] == 12)
        #expect(schema["workstation"] == "desk-3")
        let rule = try #require(tally["recent"]?.arrayValue?.first, "newest first")
        #expect(rule["error"]?["kind"] == "validation", "\(rule.serialized())")
        #expect(rule["error"]?["message"]?.stringValue?.contains("text") == true, "\(rule.serialized())")
        #expect(rule["params"]?["text"] == "   ")
        #expect(rule["workstation"] == "desk-3")
        // The failures stored no note.
        #expect(try client.call("example.note.list")["notes"]?.arrayValue?.count == 1)
        try daemon.stop()
    }

    @Test(
        "audit.query pages with limit and nextCursor: 5 records read as 2 + 2 + 1, newest first, none repeated",
        .enabled(if: getuid() == 0, "audit.query is admin-only; as root the test connection is admin"))
    func auditPagination() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        for n in 1...5 { try client.call("example.note.add", ["text": .string("page note \(n)")]) }

        var pages: [[JSONValue]] = []
        var cursor: JSONValue? = nil
        repeat {
            var params: [String: JSONValue] = ["method": "example.note.add", "limit": 2]
            if let cursor { params["cursor"] = cursor }
            let (records, next) = try audit(client, .object(params))
            pages.append(records)
            cursor = next == .null ? nil : next
            #expect(pages.count <= 3, "more pages than records")
        } while cursor != nil && pages.count <= 3
        #expect(pages.map(\.count) == [2, 2, 1])
        let texts = pages.flatMap { $0 }.compactMap { $0["params"]?["text"]?.stringValue }
        #expect(texts == (1...5).reversed().map { "page note \($0)" })
        let ids = pages.flatMap { $0 }.compactMap { $0["id"]?.intValue }
        #expect(ids == ids.sorted(by: >))
        #expect(Set(ids).count == 5)

        // A method prefix ending in "." selects the plugin's methods (the example plugin's own
        // background writes among them); a prefix that is not a whole segment selects nothing.
        let byPrefix = try audit(client, ["method": "example.", "limit": 1000]).records
        #expect(byPrefix.allSatisfy { $0["method"]?.stringValue?.hasPrefix("example.") == true }, "\(byPrefix)")
        #expect(byPrefix.filter { $0["method"] == "example.note.add" }.count == 5)
        #expect(try audit(client, ["method": "exam."]).records.isEmpty)
        let bad = try client.callError("audit.query", ["limit": 0])
        #expect(bad?.code == -32602 && bad?.field == "limit", "\(String(describing: bad))")
        try daemon.stop()
    }

    @Test(
        "audit.query filters by since (at or after), until (before), workstation and uid; a time without offset is -32602",
        .enabled(if: getuid() == 0, "audit.query is admin-only; as root the test connection is admin"))
    func auditFilters() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let deskA = try daemon.connect()
        let deskB = try daemon.connect()
        try deskA.call("daemon.hello", ["workstation": "desk-a"])
        try deskB.call("daemon.hello", ["workstation": "desk-b"])
        try deskA.call("example.note.add", ["text": "a1"])
        try deskB.call("example.note.add", ["text": "b1"])
        try deskA.call("example.note.add", ["text": "a2"])

        let all = try audit(deskA, ["method": "example.note.add"]).records
        #expect(all.compactMap { $0["params"]?["text"]?.stringValue } == ["a2", "b1", "a1"])
        let deskOnly = try audit(deskA, ["method": "example.note.add", "workstation": "desk-b"]).records
        #expect(deskOnly.compactMap { $0["params"]?["text"]?.stringValue } == ["b1"])
        #expect(try audit(deskA, ["method": "example.note.add", "uid": .int(Int64(getuid()))]).records.count == 3)
        #expect(try audit(deskA, ["method": "example.note.add", "uid": 4_000_000]).records.isEmpty)

        // since a record's own time includes it; until its own time excludes it.
        let middle = try #require(all[1]["time"])
        let since = try audit(deskA, ["method": "example.note.add", "since": middle]).records
        #expect(since.contains { $0["params"]?["text"] == "b1" }, "since must include a record at exactly that time")
        #expect(since.contains { $0["params"]?["text"] == "a2" })
        let until = try audit(deskA, ["method": "example.note.add", "until": middle]).records
        #expect(!until.contains { $0["params"]?["text"] == "b1" }, "until must exclude a record at exactly that time")
        #expect(!until.contains { $0["params"]?["text"] == "a2" })
        #expect(try audit(deskA, ["since": "2999-01-01T00:00:00+00:00"]).records.isEmpty)
        #expect(try audit(deskA, ["until": "2000-01-01T00:00:00+08:00"]).records.isEmpty)

        let noOffset = try deskA.callError("audit.query", ["since": "2026-11-26T10:00:00"])
        #expect(noOffset?.code == -32602 && noOffset?.field == "since", "\(String(describing: noOffset))")
        let garbage = try deskA.callError("audit.query", ["until": "yesterday"])
        #expect(garbage?.code == -32602 && garbage?.field == "until", "\(String(describing: garbage))")
        try daemon.stop()
    }

    @Test(
        "A backup taken while another connection writes is a consistent snapshot: every stored note has its audit record",
        .enabled(if: getuid() == 0, "admin.backup is admin-only; as root the test connection is admin"))
    func backupDuringWrites() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let path = daemon.stateDirectory + "/backups/during.sqlite"
        let socket = daemon.socketPath
        let started = DispatchSemaphore(value: 0)
        let outcomes = runOnThreads(2) { role -> Int64 in
            let client = try RPCConnection(socketPath: socket, timeout: .seconds(30))
            defer { client.close() }
            if role == 0 {
                for n in 1...300 {
                    try client.call("example.note.add", ["text": .string("busy \(n)")])
                    if n == 20 { started.signal() }
                }
                return 300
            }
            _ = started.wait(timeout: .now() + 30)
            return try client.call("admin.backup", ["path": "during.sqlite"])["bytes"]?.intValue ?? 0
        }
        #expect((try? outcomes[0].get()) == 300, "\(outcomes[0])")
        #expect(((try? outcomes[1].get()) ?? 0) > 0, "\(outcomes[1])")
        try daemon.stop()

        let restored = try TestDaemon()
        try FileManager.default.createDirectory(atPath: restored.stateDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: restored.stateDirectory + "/receptiond.sqlite")
        try restored.start()
        let client = try restored.connect()
        let notes = try #require(try client.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue)
        let records = try audit(client, ["method": "example.note.add", "limit": 1000]).records
        #expect(notes.count >= 20, "the backup started after 20 notes were acknowledged")
        #expect(
            records.filter { $0["outcome"] == "ok" }.count == notes.count,
            "notes and their audit records are out of step")
        // A snapshot holds a prefix of the writes: busy 1 … busy k, nothing missing in between.
        let texts = notes.compactMap { $0["text"]?.stringValue }.reversed()
        #expect(Array(texts) == (1...notes.count).map { "busy \($0)" })
        try restored.stop()
    }

    @Test(
        "admin.backup writes a snapshot (bytes > 0), refuses to overwrite it (conflict), and a daemon started on it has the notes from before the backup",
        .enabled(if: getuid() == 0, "admin.backup is admin-only; as root the test connection is admin"))
    func backupAndRestore() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let path = daemon.stateDirectory + "/backups/2026/b.sqlite"
        for n in 1...3 { try client.call("example.note.add", ["text": .string("before backup \(n)")]) }

        let backup = try client.call("admin.backup", ["path": "2026/b.sqlite"])
        #expect(backup["path"] == .string(path), "a subdirectory of backups is made as needed")
        let bytes = try #require(backup["bytes"]?.intValue)
        #expect(bytes > 0)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
        #expect(size?.int64Value == bytes, "bytes must be the file's size")
        #expect(backup["durationMs"]?.intValue != nil)
        #expect(Timestamp.parse(backup["time"]?.stringValue ?? "") != nil, "\(backup.serialized())")
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

        let again = try #require(try client.callError("admin.backup", ["path": "2026/b.sqlite"]))
        #expect(again.code == -32002)
        #expect(again.kind == .conflict)
        #expect(again.field == "path")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value == bytes)

        // A relative name lands under <state>/backups/.
        let named = try client.call("admin.backup", ["path": "nightly.sqlite"])
        #expect(named["path"] == .string(daemon.stateDirectory + "/backups/nightly.sqlite"), "\(named.serialized())")
        #expect(FileManager.default.fileExists(atPath: daemon.stateDirectory + "/backups/nightly.sqlite"))

        // Written after the backup: must not be in the restored daemon.
        try client.call("example.note.add", ["text": "after backup"])
        try daemon.stop()

        let restored = try TestDaemon()
        try FileManager.default.createDirectory(atPath: restored.stateDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: restored.stateDirectory + "/receptiond.sqlite")
        try restored.start()
        let second = try restored.connect()
        let notes = try #require(try second.call("example.note.list")["notes"]?.arrayValue)
        #expect(
            notes.compactMap { $0["text"]?.stringValue } == ["before backup 3", "before backup 2", "before backup 1"])
        // The audit trail came along too.
        #expect(try audit(second, ["method": "example.note.add"]).records.count == 3)
        // And the restored daemon writes on top of it.
        let next = try second.call("example.note.add", ["text": "after restore"])
        #expect((next["id"]?.intValue ?? 0) > (notes.first?["id"]?.intValue ?? Int64.max))
        try restored.stop()
    }
}
