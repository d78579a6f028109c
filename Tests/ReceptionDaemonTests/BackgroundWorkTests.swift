import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Plugins react to their own committed events and queue background writes (`submit_write`)
/// that the daemon runs on the writer as itself, audited with role `system`.
@Suite("Background work of plugins")
struct BackgroundWorkTests {
    @Test("a committed example.noted event makes the plugin stamp the note through a system write")
    func committedEventTriggersBackgroundWrite() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let note = try client.call("example.note.add", ["text": "parcel for 3-2-1201"])
        let id = try #require(note["id"]?.intValue)
        #expect(note["stampedAt"] == .null, "the reply is sent before the background work runs")

        var stamped: JSONValue?
        for _ in 0..<200 {
            let notes = try client.call("example.note.list")["notes"]?.arrayValue ?? []
            if let found = notes.first(where: { $0["id"]?.intValue == id }), found["stampedAt"]?.stringValue != nil {
                stamped = found
                break
            }
            usleep(20_000)
        }
        let stampedAt = try #require(stamped?["stampedAt"]?.stringValue)
        #expect(Timestamp.parse(stampedAt) != nil)

        let audit = try client.call("audit.query", ["method": "example.note.stamp"])
        let record = try #require(audit["records"]?.arrayValue?.first)
        #expect(record["role"] == "system")
        #expect(record["operator"] == "receptiond")
        #expect(record["outcome"] == "ok")
        #expect(record["params"]?["id"]?.intValue == id)
        try daemon.stop()
    }

    @Test("a system method is neither callable over the socket nor listed by daemon.methods")
    func systemMethodsAreHidden() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        do {
            _ = try client.call("example.note.stamp", ["id": 1])
            Issue.record("example.note.stamp answered over the socket")
        } catch {
            guard case .rpc(let rpcError) = error else {
                Issue.record("unexpected failure \(error)")
                return
            }
            #expect(rpcError.code == -32601)
            #expect(rpcError.kind == .methodNotFound)
        }
        let names = (try client.call("daemon.methods")["methods"]?.arrayValue ?? []).compactMap {
            $0["name"]?.stringValue
        }
        #expect(names.contains("example.note.add"))
        #expect(!names.contains("example.note.stamp"))
        try daemon.stop()
    }
}
