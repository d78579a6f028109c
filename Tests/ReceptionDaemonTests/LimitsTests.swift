import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// What a client can make the daemon hold is bounded, and hitting a bound costs only that client.
@Suite("Limits", .timeLimit(.minutes(3)))
struct LimitsTests {
    /// Lines of at most 2048 bytes; notes as long as such a line allows, so that only the line
    /// limit can refuse them.
    private static let shortLines = "[daemon]\nmax_line_bytes = 2048\n\n[plugins.example]\nmax_note_length = 100000\n"

    /// A request line of exactly `bytes` bytes (not counting `\n`): a note padded with `x`.
    private func noteLine(id: Int, bytes: Int) -> String {
        let head = #"{"jsonrpc":"2.0","id":\#(id),"method":"example.note.add","params":{"text":""#
        let tail = #""}}"#
        return head + String(repeating: "x", count: bytes - head.utf8.count - tail.utf8.count) + tail
    }

    /// The soft open-file limit of `pid`, from `/proc/<pid>/limits`.
    private func softFileLimit(_ pid: Int32) throws -> Int? {
        let text = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else {
            return nil
        }
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.flatMap { Int($0) }
    }

    @Test(
        "The daemon raises its open-file limit to max_connections + 64 (on reload too), and says so when the hard limit is too low"
    )
    func openFileLimitFollowsMaxConnections() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_connections = 100\n")
        try daemon.start()
        let client = try daemon.connect()
        // A tight limit, as a unit without LimitNOFILE= gives (soft 1024 there), set from outside.
        let lowered = try CommandResult.run("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--nofile=128:4096"])
        #expect(lowered.status == 0, "\(lowered)")
        #expect(try softFileLimit(daemon.pid) == 128)

        try daemon.rewriteConfig("[daemon]\nmax_connections = 1100\n")
        _ = try client.call("daemon.reload")
        #expect(try softFileLimit(daemon.pid) == 1164)
        #expect(daemon.log.contains("raised the open-file limit from 128 to 1164"))

        let capped = try CommandResult.run("/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--nofile=128:512"])
        #expect(capped.status == 0, "\(capped)")
        try daemon.rewriteConfig("[daemon]\nmax_connections = 2000\n")
        _ = try client.call("daemon.reload")
        #expect(try softFileLimit(daemon.pid) == 512, "raised as far as the hard limit allows")
        #expect(daemon.log.contains("max_connections = 2000 needs 2064 open files, but the limit is 512"))
        #expect(try client.call("daemon.ping")["pong"] == true)
        _ = try daemon.stop()
    }

    @Test(
        "With max_line_bytes = 2048 a 5000-byte line answers -32008 limit (id null, data.limit 2048) and the same connection answers a ping"
    )
    func overlongLine() throws {
        let daemon = try TestDaemon(config: Self.shortLines)
        try daemon.start()
        let client = try daemon.connect()
        let line = noteLine(id: 1, bytes: 5000)
        #expect(line.utf8.count == 5000)
        let reply = try client.exchangeLine(line)
        #expect(reply["id"] == .null, "\(reply.serialized())")
        #expect(reply.errorCode == -32008, "\(reply.serialized())")
        #expect(reply.errorKind == "limit", "\(reply.serialized())")
        #expect(reply["error"]?["data"]?["limit"] == 2048, "\(reply.serialized())")
        let pong = try client.exchangeLine(#"{"jsonrpc":"2.0","id":"next","method":"daemon.ping"}"#)
        #expect(pong["id"] == "next", "\(pong.serialized())")
        #expect(pong["result"]?["pong"] == true)
        // The discarded line was not executed.
        #expect(try client.call("example.note.list")["notes"] == [])
        try daemon.stop()
    }

    @Test("A line of exactly max_line_bytes is served; one byte more is refused")
    func lineLimitBoundary() throws {
        let daemon = try TestDaemon(config: Self.shortLines)
        try daemon.start()
        let client = try daemon.connect()
        let fits = try client.exchangeLine(noteLine(id: 1, bytes: 2048))
        #expect(fits["id"] == 1, "\(fits.serialized())")
        #expect(fits["result"]?["id"] != nil, "a 2048-byte line must be served: \(fits.serialized())")
        let over = try client.exchangeLine(noteLine(id: 2, bytes: 2049))
        #expect(over.errorCode == -32008, "\(over.serialized())")
        #expect(over["id"] == .null)
        #expect(try client.call("example.note.list")["notes"]?.arrayValue?.count == 1)
        try daemon.stop()
    }

    @Test(
        "The terminator does not count: a line of exactly max_line_bytes ending in \\r\\n is served, whether the \\r arrives with the line or alone; one byte more is refused"
    )
    func lineLimitBoundaryCRLF() throws {
        let daemon = try TestDaemon(config: Self.shortLines)
        try daemon.start()
        let client = try daemon.connect()
        try client.send(bytes: Array(noteLine(id: 1, bytes: 2048).utf8) + [0x0D, 0x0A])
        let fits = try client.readJSONLine()
        #expect(fits["result"]?["id"] != nil, "a 2048-byte line with CRLF must be served: \(fits.serialized())")
        // The line and its \r in one write, the \n a moment later: the decoder must wait for it.
        try client.send(bytes: Array(noteLine(id: 2, bytes: 2048).utf8) + [0x0D])
        usleep(100_000)
        try client.send(bytes: [0x0A])
        let split = try client.readJSONLine()
        #expect(split["result"]?["id"] != nil, "\(split.serialized())")
        try client.send(bytes: Array(noteLine(id: 3, bytes: 2049).utf8) + [0x0D, 0x0A])
        let over = try client.readJSONLine()
        #expect(over.errorCode == -32008, "\(over.serialized())")
        #expect(try client.call("example.note.list")["notes"]?.arrayValue?.count == 2)
        try daemon.stop()
    }

    @Test("An overlong line arriving in pieces is answered once, then the connection resynchronises on the next line")
    func overlongLineInPieces() throws {
        let daemon = try TestDaemon(config: Self.shortLines)
        try daemon.start()
        let client = try daemon.connect()
        let bytes = Array(noteLine(id: 1, bytes: 6000).utf8)
        try client.send(bytes: Array(bytes[0..<3000]))
        usleep(100_000)
        try client.send(bytes: Array(bytes[3000..<4500]))
        usleep(100_000)
        try client.send(bytes: Array(bytes[4500...]) + [0x0A])
        let first = try client.readJSONLine()
        #expect(first.errorCode == -32008, "\(first.serialized())")
        // Exactly one error for the one line: the next line is the ping's reply.
        let pong = try client.exchangeLine(#"{"jsonrpc":"2.0","id":2,"method":"daemon.ping"}"#)
        #expect(pong["id"] == 2, "\(pong.serialized())")
        #expect(try client.call("example.note.list")["notes"] == [], "the discarded line was executed")
        try daemon.stop()
    }

    @Test("A client that sent half a line gets no reply and holds up no one else; its line is served once complete")
    func stalledClient() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let stalled = try daemon.connect()
        try stalled.send(bytes: Array(#"{"jsonrpc":"2.0","id":"slow","method":"daemon.pi"#.utf8))
        let other = try daemon.connect()
        let pong = try other.call("daemon.ping", timeout: .seconds(15))
        #expect(pong["pong"] == true)
        let note = try other.call(
            "example.note.add", ["text": "served while another client stalls"], timeout: .seconds(15))
        #expect(note["id"] != nil)
        #expect(try stalled.staysSilent(for: .milliseconds(500)), "half a line must not be answered")
        try stalled.send(bytes: Array(#"ng"}"#.utf8) + [0x0A])
        let reply = try stalled.readJSONLine()
        #expect(reply["id"] == "slow", "\(reply.serialized())")
        #expect(reply["result"]?["pong"] == true, "\(reply.serialized())")
        try daemon.stop()
    }

    @Test("With idle_timeout_seconds = 1 an idle connection gets a daemon.closing notification, then EOF")
    func idleConnectionClosed() throws {
        let daemon = try TestDaemon(config: "[daemon]\nidle_timeout_seconds = 1\n")
        try daemon.start()
        let idle = try daemon.connect()
        let notice = try idle.readJSONLine(timeout: .seconds(15))
        #expect(notice["jsonrpc"] == "2.0")
        #expect(notice["method"] == "daemon.closing", "\(notice.serialized())")
        #expect(notice["id"] == nil, "a server notification has no id: \(notice.serialized())")
        #expect(notice["params"]?["reason"]?.stringValue?.isEmpty == false, "\(notice.serialized())")
        #expect(try idle.readUntilClosed(timeout: .seconds(15)) == [], "nothing after daemon.closing but EOF")
        try daemon.stop()
    }

    @Test(
        "With idle_timeout_seconds = 1 a subscribed connection is not closed after 2.5 s, nor is one that keeps talking"
    )
    func subscribedAndBusyConnectionsStay() throws {
        let daemon = try TestDaemon(config: "[daemon]\nidle_timeout_seconds = 1\n")
        try daemon.start()
        let subscriber = try daemon.connect()
        let busy = try daemon.connect()
        let subscribed = try subscriber.exchangeLine(
            #"{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"topics":["example"]}}"#)
        #expect(subscribed["result"]?["topics"] == ["example"], "\(subscribed.serialized())")
        // The busy connection pings every 300 ms through the same 2.5 s.
        let done = runOnThreads(1) { _ -> Bool in
            for n in 0..<8 {
                let pong = try busy.exchangeLine(#"{"jsonrpc":"2.0","id":\#(n),"method":"daemon.ping"}"#)
                guard pong["id"] == .int(Int64(n)) else { throw TestDaemonError("busy got \(pong.serialized())") }
                usleep(300_000)
            }
            return true
        }
        #expect((try? done[0].get()) == true, "\(done[0])")
        #expect(try subscriber.staysSilent(for: .milliseconds(100)), "a subscriber got a line while idle")
        let pong = try subscriber.exchangeLine(#"{"jsonrpc":"2.0","id":2,"method":"daemon.ping"}"#)
        #expect(pong["id"] == 2, "\(pong.serialized())")
        // ... and it still receives events.
        let writer = try daemon.connect()
        try writer.call("example.note.add", ["text": "still listening"])
        let event = try subscriber.readJSONLine()
        #expect(event["method"] == "event", "\(event.serialized())")
        #expect(event["params"]?["data"]?["text"] == "still listening")
        try daemon.stop()
    }

    @Test(
        "With max_connections = 2 a third connection gets one limit error line and EOF; after one closes, a new one is served"
    )
    func connectionLimit() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_connections = 2\n")
        try daemon.start()
        let first = try daemon.connect()
        #expect(try first.call("daemon.ping")["pong"] == true)
        // The harness's readiness probe may still hold a slot for a moment: wait until only `first` counts.
        #expect(try pollUntil { try first.call("daemon.status")["connections"]?["current"] == 1 })
        // The count drops as a closed connection goes; its slot may be freed a moment later on a
        // busy machine: a second connection is served once it is (each refused try holds none).
        var admitted: RPCConnection?
        #expect(
            pollUntil {
                guard let candidate = try? daemon.connect() else { return false }
                if (try? candidate.call("daemon.ping"))?["pong"] == true {
                    admitted = candidate
                    return true
                }
                candidate.close()
                return false
            })
        let second = try #require(admitted)
        #expect(try second.call("daemon.ping")["pong"] == true)

        let third = try daemon.connect()
        let lines = try third.readUntilClosed(timeout: .seconds(15))
        #expect(lines.count == 1, "expected one error line, then EOF: \(lines)")
        let refusal = try JSONValue.parse(try #require(lines.first))
        #expect(refusal["id"] == .null, "\(refusal.serialized())")
        #expect(refusal.errorCode == -32008, "\(refusal.serialized())")
        #expect(refusal.errorKind == "limit", "\(refusal.serialized())")
        #expect(refusal["error"]?["data"]?["limit"] == 2, "\(refusal.serialized())")

        let status = try first.call("daemon.status")
        #expect(status["connections"]?["current"] == 2, "\(status.serialized())")
        #expect(status["connections"]?["max"] == 2)
        #expect((status["connections"]?["refused"]?.intValue ?? 0) >= 1, "\(status.serialized())")

        // The two admitted connections are unaffected.
        #expect(try second.call("daemon.ping")["pong"] == true)
        second.close()
        let socket = daemon.socketPath
        let served = pollUntil {
            guard let fresh = try? RPCConnection(socketPath: socket, timeout: .seconds(5)) else { return false }
            defer { fresh.close() }
            return (try? fresh.call("daemon.ping", timeout: .seconds(5))["pong"]) == true
        }
        #expect(served, "no new connection was served after one of the two closed")
        try daemon.stop()
    }
}
