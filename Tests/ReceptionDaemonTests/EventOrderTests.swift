import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The order of an event and the reply to the write that emitted it, on a connection that is
/// both the writer and a subscriber (protocol.md, "Events"; the daemon's threads are described
/// at the top of `Sources/ReceptionDaemon/ReceptionDaemon.swift`).
@Suite("Event before reply", .timeLimit(.minutes(3)))
struct EventOrderTests {
    @Test(
        "A connection subscribed to example that adds notes gets each note's example.noted event before the reply to its add: one at a time, 200 pipelined, and in a batch"
    )
    func eventPrecedesReply() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let desk = try daemon.connect()
        _ = try desk.call("events.subscribe", ["topics": ["example.noted"]])

        // One write at a time, then 200 pipelined (committed in groups of several).
        for n in 0..<20 {
            let id = try desk.sendRequest("example.note.add", ["text": .string("one at a time \(n)")])
            try Self.expectEventsFirst(desk, requests: [id])
        }
        var ids: Set<Int64> = []
        for n in 0..<200 { ids.insert(try desk.sendRequest("example.note.add", ["text": .string("pipelined \(n)")])) }
        try Self.expectEventsFirst(desk, requests: ids)

        // A batch of five adds: the five events come before the batch's one reply line.
        let batch = (1...5).map { n in
            RPCRequest(id: .int(Int64(1000 + n)), method: "example.note.add", params: ["text": .string("batch \(n)")])
                .serialized()
        }
        try desk.send(line: "[" + batch.joined(separator: ",") + "]")
        var seenEvents: Set<Int64> = []
        while true {
            let text = try #require(try desk.readLine(timeout: .seconds(20)), "the connection ended")
            let line = try JSONValue.parse(text)
            if let note = line["params"]?["data"]?["id"]?.intValue, line["method"] == "event" {
                seenEvents.insert(note)
                continue
            }
            let notes = (line.arrayValue ?? []).compactMap { $0["result"]?["id"]?.intValue }
            #expect(notes.count == 5, "\(text)")
            #expect(Set(notes).isSubset(of: seenEvents), "the batch's reply came before its events: \(text)")
            break
        }
        #expect(try daemon.stop() == 0)
    }

    /// Reads raw lines until the replies to `requests` have all come, and expects the event of
    /// each added note (matched by the note's id) to have come before the reply that returned it.
    static func expectEventsFirst(_ desk: RPCConnection, requests: Set<Int64>) throws {
        var seenEvents: Set<Int64> = []
        var replies = 0
        while replies < requests.count {
            let text = try #require(try desk.readLine(timeout: .seconds(20)), "the connection ended")
            let line = try JSONValue.parse(text)
            if line["method"] == "event" {
                let note = try #require(line["params"]?["data"]?["id"]?.intValue, "\(text)")
                seenEvents.insert(note)
                continue
            }
            let id = try #require(line["id"]?.intValue, "\(text)")
            #expect(requests.contains(id), "\(text)")
            let note = try #require(line["result"]?["id"]?.intValue, "\(text)")
            #expect(seenEvents.contains(note), "the reply to request \(id) (note \(note)) came before its event")
            replies += 1
        }
    }
}
