import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Calls between departments through the real daemon (the host table's `call`): the notebook's
/// `example.note.relay` writes a note and calls another method inside the same change.
@Suite("Calls between departments through the daemon")
struct NeighbourCallTests {
    @Test("a nested write commits with its caller, its events are published with the caller's, in order")
    func nestedWriteCommits() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.call("events.subscribe", ["topics": ["example"]])
        let client = try daemon.counter()
        let reply = try client.call(
            "example.note.relay",
            ["text": "outer", "method": "example.note.add", "params": ["text": "inner"]])
        let inner = try #require(reply["reply"]?["id"]?.intValue, "\(reply)")
        #expect(reply["note"]?.intValue == inner - 1)
        var texts: [String] = []
        for _ in 0..<2 {
            let event = try #require(try watcher.nextNotification(timeout: .seconds(15)))
            texts.append(event["params"]?["data"]?["text"]?.stringValue ?? "?")
            #expect(event["params"]?["operator"] == "li.na", "the nested event names the clerk: \(event)")
        }
        #expect(texts == ["outer", "inner"])
        let notes = try client.call("example.note.list")["notes"]?.arrayValue?.compactMap { $0["text"]?.stringValue }
        #expect(notes == ["inner", "outer"])
        let audit = try client.call("audit.query", ["method": "example.note.add"])["records"]?.arrayValue ?? []
        #expect(audit.isEmpty, "the audit record is the outer call's: \(audit)")
        #expect(try daemon.stop() == 0)
    }

    @Test("a nested call that fails is undone alone (a savepoint); failing the caller undoes both")
    func failuresUndo() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.counter()
        // relay → relay → a department that is not loaded: the inner relay's note is undone,
        // the outer one keeps its note and reports the error.
        let kept = try client.call(
            "example.note.relay",
            [
                "text": "outer", "method": "example.note.relay", "keepNote": true,
                "params": ["text": "inner", "method": "access.keys.register", "params": [:]],
            ])
        #expect(kept["error"]?["data"]?["kind"] == "unavailable", "\(kept)")
        #expect(kept["error"]?["data"]?["plugin"] == "access", "\(kept)")
        var notes = try client.call("example.note.list")["notes"]?.arrayValue?.compactMap { $0["text"]?.stringValue }
        #expect(notes == ["outer"], "the inner note was rolled back with its failed call")
        let failed = try client.callError(
            "example.note.relay", ["text": "doomed", "method": "example.note.add", "params": ["txet": "typo"]])
        #expect(
            failed?.code == -32602 && failed?.field == "text",
            "checked as a request would be: \(String(describing: failed))")
        notes = try client.call("example.note.list")["notes"]?.arrayValue?.compactMap { $0["text"]?.stringValue }
        #expect(notes == ["outer"], "the doomed note is not kept")
        #expect(try daemon.stop() == 0)
    }
}
