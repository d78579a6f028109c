import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Durability settings as the writer really runs them, audit records that cannot be used to
/// leak identity numbers or fill the disk, and backups that never clobber each other.
@Suite("Durability, audit hardening and backup races")
struct DurabilityAndBackupHardeningTests {
    @Test("daemon.status reports the writer in WAL mode with synchronous=FULL (fsync on every commit)")
    func writerIsDurable() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let status = try daemon.connect().call("daemon.status")
        #expect(status["storage"]?["synchronous"] == "full")
        #expect(status["storage"]?["journalMode"] == "wal")
        try daemon.stop()
    }

    @Test("an identity number sent as a JSON number is still masked in the sample of the refused call")
    func numericIdentityNumberIsMasked() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        try client.send(
            line:
                #"{"jsonrpc":"2.0","id":1,"method":"example.note.add","params":{"text":"x","idNumber":110101199003071234}}"#
        )
        let reply = try JSONValue.parse(try #require(try client.readLine(timeout: .seconds(15))))
        #expect(reply["error"]?["code"] == -32602)
        let refusals = try client.call("audit.refusals", ["method": "example.note.add"])
        let params = try #require(refusals["refusals"]?.arrayValue?.first?["first"]?["params"])
        #expect(params["idNumber"] == "****1234", "\(params)")
        #expect(!refusals.serialized().contains("110101199003071234"), "full number in the audit")
        try daemon.stop()
    }

    @Test("a refused call with a huge string keeps only a short excerpt in its sample")
    func auditedParamsAreCapped() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let huge = String(repeating: "长", count: 200_000)
        do {
            _ = try client.call("example.note.add", ["text": .string(huge)])
            Issue.record("a 200,000-character note was accepted")
        } catch {}
        let refusals = try client.call("audit.refusals", ["method": "example.note.add"])["refusals"]?.arrayValue ?? []
        let text = try #require(refusals.first?["first"]?["params"]?["text"]?.stringValue)
        #expect(text.utf8.count < 2000, "audit kept \(text.utf8.count) bytes")
        #expect(text.contains("600000 bytes"), "\(text.suffix(40))")
        try daemon.stop()
    }

    @Test("two backups to the same name at once: exactly one succeeds, the other is a conflict, the file is whole")
    func concurrentBackupsToOneName() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let setup = try daemon.connect()
        for index in 0..<20 { try setup.call("example.note.add", ["text": .string("note \(index)")]) }
        let first = try daemon.connect()
        let second = try daemon.connect()
        let a = try first.sendRequest("admin.backup", ["path": "same.sqlite"])
        let b = try second.sendRequest("admin.backup", ["path": "same.sqlite"])
        var outcomes: [String] = []
        for (client, id) in [(first, a), (second, b)] {
            do {
                _ = try client.awaitReply(id: id)
                outcomes.append("ok")
            } catch {
                guard case .rpc(let rpcError) = error else { throw error }
                outcomes.append(rpcError.kind.rawValue)
            }
        }
        #expect(outcomes.sorted() == ["conflict", "ok"], "\(outcomes)")
        let path = daemon.stateDirectory + "/backups/same.sqlite"
        let header = try #require(FileManager.default.contents(atPath: path)?.prefix(16))
        #expect(String(decoding: header, as: UTF8.self).hasPrefix("SQLite format 3"))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o077 == 0, "backup readable by group/others")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory + "/backups")
            .filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        try daemon.stop()
    }

    @Test(
        "a backup name that is absolute or climbs out with .. is refused naming path and saying where backups go; nothing is written"
    )
    func backupNamesStayInBackups() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        for path in [
            "../escape.sqlite", "a/../../escape.sqlite", "./x.sqlite", daemon.directory + "/abs.sqlite",
            "/tmp/x.sqlite",
        ] {
            let error = try #require(
                try client.callError("admin.backup", ["path": .string(path)]), "\(path) was accepted")
            #expect(error.field == "path" && error.code == -32602, "\(path): \(error)")
            #expect(error.message.contains(daemon.stateDirectory + "/backups"), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/abs.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/escape.sqlite"))
        try daemon.stop()
    }
}
