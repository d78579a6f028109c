import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Refused writes are audited in a bounded way: counted per method and error kind with the
/// first and the latest few kept (`audit.refusals`), not one durable audit row each.
@Suite("Refused writes: counted per method and kind, with samples")
struct RefusedWritesTests {
    @Test(
        "300 refused writes add no audit row each: audit.refusals counts them per method and kind with the first and the latest three, and the counts survive a restart",
        .enabled(if: getuid() == 0, "audit.refusals is admin-only; as root the test connection is admin"))
    func refusedWritesAreCounted() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let desk = try daemon.counter(desk: "desk-3")
        try desk.call("example.note.add", ["text": "fine"])
        // 150 refused by the schema, 150 by the plugin's rule, pipelined.
        var ids: [Int64] = []
        for index in 0..<300 {
            let text: JSONValue = index < 150 ? .int(Int64(index)) : "   "
            ids.append(try desk.sendRequest("example.note.add", ["text": text]))
        }
        for id in ids {
            #expect(throws: ClientError.self) { _ = try desk.awaitReply(id: id) }
        }

        let records = try desk.call("audit.query", ["method": "example.note.add"])["records"]?.arrayValue ?? []
        #expect(records.count == 1, "only the successful write has an audit record: \(records.count)")
        #expect(records.first?["outcome"] == "ok")

        let refusals = try #require(
            try desk.call("audit.refusals", ["method": "example.note.add"])["refusals"]?.arrayValue)
        #expect(refusals.count == 1, "\(refusals)")
        let tally = try #require(refusals.first)
        #expect(tally["method"] == "example.note.add")
        #expect(tally["kind"] == "validation")
        #expect(tally["count"] == 300)
        #expect(Timestamp.parse(tally["firstAt"]?.stringValue ?? "") != nil, "\(tally.serialized())")
        #expect(Timestamp.parse(tally["lastAt"]?.stringValue ?? "") != nil)
        let first = try #require(tally["first"])
        #expect(first["params"]?["text"] == 0, "the first refusal: \(first.serialized())")
        #expect(first["workstation"] == "desk-3")
        #expect(first["operator"] == "li.na")
        #expect(first["uid"] == 0)
        #expect(first["role"] == "admin")
        #expect(first["error"]?["kind"] == "validation")
        #expect(first["error"]?["message"]?.stringValue?.contains("text") == true)
        let recent = tally["recent"]?.arrayValue ?? []
        #expect(recent.count == 3)
        #expect(recent.allSatisfy { $0["params"]?["text"] == "   " }, "the latest three: \(recent)")
        #expect(try desk.call("audit.refusals", ["method": "parcels."])["refusals"]?.arrayValue?.isEmpty == true)
        #expect(try desk.call("example.note.list")["notes"]?.arrayValue?.count == 1, "nothing refused was stored")
        #expect(try daemon.stop() == 0)

        // A daemon started on that database has the counts: they were saved at shutdown.
        let restarted = try TestDaemon()
        try FileManager.default.createDirectory(atPath: restarted.stateDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: daemon.stateDirectory + "/receptiond.sqlite",
            toPath: restarted.stateDirectory + "/receptiond.sqlite")
        try restarted.start()
        let admin = try restarted.connect()
        let saved = try admin.call("audit.refusals")["refusals"]?.arrayValue ?? []
        #expect(saved.count == 1)
        #expect(saved.first?["count"] == 300)
        #expect(saved.first?["first"]?["params"]?["text"] == 0)
        #expect(
            try admin.call("audit.query")["records"]?.arrayValue?.filter { $0["method"] == "example.note.add" }.count
                == 1)
        try restarted.stop()
    }

    @Test(
        "200 forbidden writes from an operator give one notice line, not 200, and 200 in audit.refusals with who tried",
        .otherUserCanConnect)
    func forbiddenFloodIsLoggedOnce() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        #expect(OtherUser.openUp(daemon))
        let lines = (1...200).map { requestLine(id: .int(Int64($0)), "example.note.purge") + "\n" }.joined()
        let run = try CommandResult.run(
            OtherUser.setpriv,
            [
                "--reuid=\(OtherUser.uid)", "--regid=\(OtherUser.uid)", "--clear-groups", "/usr/bin/socat", "-t", "3",
                "-",
                "UNIX-CONNECT:\(daemon.socketPath)",
            ], stdin: Data(lines.utf8))
        let replies = run.stdout.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        #expect(replies.count == 200, "\(run)")
        #expect(replies.allSatisfy { $0.errorKind == "forbidden" })

        let admin = try daemon.connect()
        let tally = try admin.call("audit.refusals", ["method": "example.note.purge"])["refusals"]?.arrayValue?.first
        #expect(tally?["kind"] == "forbidden")
        #expect(tally?["count"] == 200)
        #expect(tally?["recent"]?.arrayValue?.first?["uid"] == 65534)
        #expect(tally?["first"]?["role"] == "operator")

        let logged = daemon.log.split(separator: "\n").filter { $0.contains("example.note.purge refused") }
        #expect(logged.count == 1, "\(logged.count) lines for 200 refusals")
        #expect(logged.first?.contains("notice") == true, "\(logged.first ?? "")")
        try daemon.stop()
    }
}
