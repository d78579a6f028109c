import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `events.subscribe` and the `event` notifications: committed changes only, numbered, filtered
/// by topic prefix, and a subscriber that stops reading is dropped rather than buffered forever.
@Suite("Events", .timeLimit(.minutes(3)))
struct EventTests {
    private static var isoWithOffset: Regex<(Substring, Substring)> {
        #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/#
    }

    private func subscribe(_ client: RPCConnection, _ topics: [String]) throws -> Int64 {
        let result = try client.call("events.subscribe", ["topics": .array(topics.map { .string($0) })])
        #expect(result["topics"] == .array(topics.map { .string($0) }), "\(result.serialized())")
        return try #require(result["seq"]?.intValue, "events.subscribe answers the last seq: \(result.serialized())")
    }

    @Test(
        "A subscriber to example receives {jsonrpc, method: event, params: {topic, seq, time, data}} for each note, seq counting up by 1"
    )
    func eventShape() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let a = try daemon.connect()
        let b = try daemon.connect()
        let start = try subscribe(a, ["example"])
        #expect(start == 0, "a fresh daemon has sent no events yet: its first event is seq 1")
        var notes: [JSONValue] = []
        for n in 1...3 {
            notes.append(try b.call("example.note.add", ["text": .string("event \(n)")]))
        }
        for (index, note) in notes.enumerated() {
            // Raw lines: exactly what the daemon wrote.
            let event = try a.readJSONLine()
            #expect(Set((event.objectValue ?? [:]).keys) == ["jsonrpc", "method", "params"], "\(event.serialized())")
            #expect(event["jsonrpc"] == "2.0")
            #expect(event["method"] == "event")
            let params = try #require(event["params"])
            #expect(
                Set((params.objectValue ?? [:]).keys) == ["topic", "seq", "time", "data", "workstation", "operator"],
                "\(event.serialized())")
            // Connection b never said hello: who made the change is not known.
            #expect(params["workstation"] == .null && params["operator"] == .null, "\(event.serialized())")
            #expect(params["topic"] == "example.noted")
            #expect(
                params["seq"] == .int(start + Int64(index) + 1),
                "seq must count up by one from \(start): \(event.serialized())")
            #expect(params["data"] == note, "the event carries the note as the writer got it: \(event.serialized())")
            let time = try #require(params["time"]?.stringValue)
            #expect(time.wholeMatch(of: Self.isoWithOffset) != nil, "time \(time) is not ISO 8601 with offset")
            #expect(Timestamp.parse(time) != nil, "time \(time) does not parse")
        }
        #expect(try b.call("daemon.status")["events"]?["seq"] == .int(start + 3))
        try daemon.stop()
    }

    @Test("Topic prefixes match whole segments: example, example.noted and [] receive; other and exam receive nothing")
    func topicFiltering() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let receivers = try ["example", "example.noted", nil].map { topic -> RPCConnection in
            let client = try daemon.connect()
            _ = try subscribe(client, topic.map { [$0] } ?? [])
            return client
        }
        let outsiders = try ["other", "exam"].map { topic -> RPCConnection in
            let client = try daemon.connect()
            _ = try subscribe(client, [topic])
            return client
        }
        let writer = try daemon.connect()
        try writer.call("example.note.add", ["text": "for some eyes only"])
        // Positive controls first: once they have the event, it has been handed out.
        for receiver in receivers {
            let event = try #require(try receiver.nextNotification(timeout: .seconds(15)))
            #expect(event["params"]?["topic"] == "example.noted")
            #expect(event["params"]?["data"]?["text"] == "for some eyes only")
        }
        // An outsider's ping round-trip comes back with no event before it.
        for outsider in outsiders {
            #expect(try outsider.call("daemon.ping")["pong"] == true)
            #expect(outsider.queuedNotificationCount == 0, "an outsider received an event it did not subscribe to")
            #expect(try outsider.staysSilent(for: .milliseconds(200)))
        }
        try daemon.stop()
    }

    @Test("A failed write emits no event and uses no seq number")
    func failedWriteIsSilent() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let a = try daemon.connect()
        let b = try daemon.connect()
        let start = try subscribe(a, ["example"])
        // A business-rule failure and a schema failure.
        #expect(try b.callError("example.note.add", ["text": "   "])?.code == -32007)
        #expect(try b.callError("example.note.add", ["text": 5])?.code == -32602)
        // A batch where the middle element fails.
        let batch = try b.exchangeLine(
            """
            [{"jsonrpc":"2.0","id":1,"method":"example.note.add","params":{"text":"batch ok 1"}},\
            {"jsonrpc":"2.0","id":2,"method":"example.note.add","params":{"text":" "}},\
            {"jsonrpc":"2.0","id":3,"method":"example.note.add","params":{"text":"batch ok 2"}}]
            """)
        #expect(batch.arrayValue?.count == 3, "\(batch.serialized())")
        try b.call("example.note.add", ["text": "after the failures"])

        var seen: [(Int64, String)] = []
        for _ in 0..<3 {
            let event = try #require(try a.nextNotification(timeout: .seconds(15)))
            seen.append(
                (event["params"]?["seq"]?.intValue ?? -1, event["params"]?["data"]?["text"]?.stringValue ?? "?"))
        }
        #expect(seen.map(\.1) == ["batch ok 1", "batch ok 2", "after the failures"])
        #expect(seen.map(\.0) == [start + 1, start + 2, start + 3], "a failed write consumed a seq number: \(seen)")
        #expect(try a.call("daemon.ping")["pong"] == true)
        #expect(a.queuedNotificationCount == 0, "an extra event arrived")
        try daemon.stop()
    }

    @Test("events.unsubscribe answers {topics: []} and stops delivery on that connection only")
    func unsubscribeStops() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let a = try daemon.connect()
        let control = try daemon.connect()
        let writer = try daemon.connect()
        _ = try subscribe(a, ["example"])
        _ = try subscribe(control, ["example"])
        try writer.call("example.note.add", ["text": "before"])
        #expect(try a.nextNotification(timeout: .seconds(15))?["params"]?["data"]?["text"] == "before")
        #expect(try control.nextNotification(timeout: .seconds(15))?["params"]?["data"]?["text"] == "before")

        let result = try a.call("events.unsubscribe")
        #expect(result == ["topics": []], "\(result.serialized())")
        try writer.call("example.note.add", ["text": "after"])
        #expect(try control.nextNotification(timeout: .seconds(15))?["params"]?["data"]?["text"] == "after")
        #expect(try a.call("daemon.ping")["pong"] == true)
        #expect(a.queuedNotificationCount == 0, "an event arrived after events.unsubscribe")
        #expect(try a.staysSilent(for: .milliseconds(200)))
        #expect(try writer.call("daemon.status")["events"]?["subscribers"] == 1)
        try daemon.stop()
    }

    @Test(
        "Four writers at once: two subscribers see the same events, seq consecutive, in commit order (note ids ascending)"
    )
    func commitOrderAcrossWriters() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let watchers = try (0..<2).map { _ in try daemon.connect() }
        let starts = try watchers.map { try subscribe($0, ["example"]) }
        let socket = daemon.socketPath
        let writes = runOnThreads(4) { worker -> Int in
            let client = try RPCConnection(socketPath: socket, timeout: .seconds(30))
            defer { client.close() }
            for n in 0..<25 { try client.call("example.note.add", ["text": .string("w\(worker) n\(n)")]) }
            return 25
        }
        for outcome in writes { #expect(throws: Never.self) { try outcome.get() } }

        var streams: [[(seq: Int64, id: Int64)]] = []
        for (watcher, start) in zip(watchers, starts) {
            var stream: [(seq: Int64, id: Int64)] = []
            for _ in 0..<100 {
                let event = try #require(try watcher.nextNotification(timeout: .seconds(15)))
                stream.append(
                    (event["params"]?["seq"]?.intValue ?? -1, event["params"]?["data"]?["id"]?.intValue ?? -1))
            }
            #expect(stream.map(\.seq) == Array((start + 1)...(start + 100)), "seq not consecutive")
            #expect(stream.map(\.id) == stream.map(\.id).sorted(), "events not in commit order")
            #expect(Set(stream.map(\.id)).count == 100)
            streams.append(stream)
        }
        #expect(streams[0].map(\.id) == streams[1].map(\.id), "two subscribers saw different streams")
        try daemon.stop()
    }

    @Test(
        "A subscriber that never reads is dropped (subscribers falls to 0, 'subscriber dropped' logged) while the writer goes on"
    )
    func slowSubscriberDropped() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nsubscriber_buffer_bytes = 4096\n\n[plugins.example]\nmax_note_length = 100000\n")
        try daemon.start()
        let slow = try daemon.connect()
        let start = try subscribe(slow, ["example"])
        let writer = try daemon.connect()
        #expect(try writer.call("daemon.status")["events"]?["subscribers"] == 1)

        // Up to 2000 notes of 2 KB, 50 to a batch; stop early once the daemon has let go of the slow subscriber.
        let text = String(repeating: "parcel for 3-2-1201, ", count: 100).prefix(2048)
        var written = 0
        while written < 2000 {
            let batch = (1...50).map { n in
                requestLine(id: .int(Int64(written + n)), "example.note.add", ["text": .string(String(text))])
            }
            let reply = try writer.exchangeLine("[" + batch.joined(separator: ",") + "]", timeout: .seconds(30))
            let results = try #require(reply.arrayValue, "\(reply.serialized().prefix(300))")
            try #require(
                results.count == 50 && results.allSatisfy { $0["result"] != nil },
                "batch at \(written) failed: \(results.first { $0["error"] != nil }?.serialized() ?? "")")
            written += 50
            if try writer.call("daemon.status")["events"]?["subscribers"] == 0 { break }
        }
        let dropped = try pollUntil { try writer.call("daemon.status")["events"]?["subscribers"] == 0 }
        #expect(dropped, "the slow subscriber is still subscribed after \(written) notes")
        #expect(pollUntil { daemon.log.contains("subscriber dropped") }, "no 'subscriber dropped' in the log")
        // The daemon still answers, and still takes writes.
        #expect(try writer.call("daemon.ping")["pong"] == true)
        #expect(try writer.call("example.note.add", ["text": "after the drop"])["id"] != nil)

        // What the slow subscriber got before being cut off: consecutive events, maybe the
        // events.dropped notice, then EOF.
        let lines = try slow.readUntilClosed(timeout: .seconds(15))
        var expectedSeq = start + 1
        for (index, line) in lines.enumerated() {
            let message = try JSONValue.parse(line)
            if message["method"] == "events.dropped" {
                #expect(message["params"]?["reason"]?.stringValue?.isEmpty == false)
                #expect(
                    index == lines.count - 1,
                    "events.dropped is the final notice, yet \(lines.count - 1 - index) lines follow it")
                continue
            }
            #expect(message["method"] == "event", "\(line.prefix(200))")
            #expect(message["params"]?["seq"] == .int(expectedSeq), "a gap in what was delivered before the drop")
            expectedSeq += 1
        }
        #expect(
            Int(expectedSeq - start - 1) < written, "the slow subscriber was sent every event: it was never dropped")
        try daemon.stop()
    }
}
