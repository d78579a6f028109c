import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Graceful stop against the real daemon: no reply is cut in half, every acknowledged write is
/// on disk, and the socket file is cleaned up.
@Suite("Graceful shutdown")
struct ShutdownTests {
    /// The replies a client read, checked line by line.
    struct Replies {
        var successes: [Int64: JSONValue] = [:]
        var shuttingDown: [Int64] = []
        var ids: [Int64] = []
        var problems: [String] = []
    }

    /// Splits raw bytes into reply lines and sorts them into successes and "shutting down" errors;
    /// anything else is a problem.
    static func classify(_ bytes: [UInt8]) -> Replies {
        var replies = Replies()
        if let last = bytes.last, last != 0x0A {
            replies.problems.append(
                "the stream ends in a partial line: \(String(decoding: bytes.suffix(120), as: UTF8.self))")
        }
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let text = String(decoding: line, as: UTF8.self)
            guard let json = try? JSONValue.parse(Array(line)) else {
                replies.problems.append("not JSON: \(text)")
                continue
            }
            guard let id = json["id"]?.intValue else {
                replies.problems.append("reply without a numeric id: \(text)")
                continue
            }
            replies.ids.append(id)
            if let result = json["result"] {
                replies.successes[id] = result
            } else if let error = json["error"], let rpc = RPCError(json: error), rpc.kind == .unavailable,
                rpc.message.contains("shutting down")
            {
                replies.shuttingDown.append(id)
            } else {
                replies.problems.append("neither a success nor a shutting-down error: \(text)")
            }
        }
        return replies
    }

    @Test(
        "SIGTERM amid 300 pipelined writes: whole replies only, each a success or 'shutting down'; exit 0; socket removed"
    )
    func sigtermDuringPipelinedWrites() throws {
        try Self.pipelinedWritesThenSIGTERM(config: nil, total: 300)
    }

    @Test("SIGTERM amid 1000 pipelined writes with max_in_flight_per_connection = 1: the same guarantees hold")
    func sigtermDuringSlowlyReadWrites() throws {
        // The smallest in-flight window: requests queue up behind one another when the signal lands.
        try Self.pipelinedWritesThenSIGTERM(
            config: """
                [daemon]
                max_in_flight_per_connection = 1
                """, total: 1000)
    }

    /// Pipelines `total` `example.note.add` on one connection the daemon has already answered a
    /// ping on, sends SIGTERM the moment they are written, reads to the end, then checks the
    /// replies and (after a restart on the same state directory) that exactly the acknowledged
    /// notes were committed.
    static func pipelinedWritesThenSIGTERM(config: String?, total: Int) throws {
        let daemon = try TestDaemon(config: config)
        try daemon.start()
        let fd = try RawUnixSocket.connect(to: daemon.socketPath)
        defer { close(fd) }
        // A ping first, so the connection is set up on the daemon's side before the signal.
        try RawUnixSocket.writeAll(fd, Array((RPCRequest(id: .int(0), method: "daemon.ping").serialized() + "\n").utf8))
        var received: [UInt8] = []
        while !received.contains(0x0A) {
            guard let chunk = try RawUnixSocket.readSome(fd, timeout: .seconds(30)), !chunk.isEmpty else {
                Issue.record("no pong:\n\(daemon.log)")
                return
            }
            received += chunk
        }
        let pongEnd = received.firstIndex(of: 0x0A)! + 1
        #expect(String(decoding: received[..<pongEnd], as: UTF8.self).contains("\"pong\":true"))
        received.removeFirst(pongEnd)

        var payload = ""
        for index in 1...total {
            let request = RPCRequest(
                id: .int(Int64(index)), method: "example.note.add", params: ["text": .string("note \(index)")])
            payload += request.serialized() + "\n"
        }
        try RawUnixSocket.writeAll(fd, Array(payload.utf8))
        daemon.signal(SIGTERM)
        received += try RawUnixSocket.readToEnd(fd)
        #expect(try daemon.waitForExit() == 0, "\(daemon.log)")

        let replies = classify(received)
        #expect(replies.problems.isEmpty, "\(replies.problems.prefix(5))")
        // Replies come in request order, so what arrived is exactly requests 1...n: none lost in between.
        #expect(replies.ids == Array(1..<(1 + Int64(replies.ids.count))))
        #expect(replies.ids.count <= total)
        #expect(Set(replies.ids).count == replies.ids.count, "a request was answered twice")
        for (id, note) in replies.successes {
            #expect(note["text"] == .string("note \(id)"), "reply \(id): \(note)")
        }
        print(
            "shutdown: \(replies.successes.count) writes acknowledged, \(replies.shuttingDown.count) refused as shutting down, \(total - replies.ids.count) unanswered"
        )
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the socket file was left behind")
        #expect(daemon.log.contains("stopped cleanly"), "\(daemon.log)")

        // Durability: a new daemon on the same state directory has every acknowledged note.
        let restarted = try TestDaemon(arguments: ["--state-dir", daemon.stateDirectory])
        try restarted.start()
        let client = try restarted.connect()
        #expect(try client.call("daemon.status")["stateDir"] == .string(daemon.stateDirectory))
        let notes = try client.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue ?? []
        var stored: [Int64: String] = [:]
        for note in notes {
            if let id = note["id"]?.intValue, let text = note["text"]?.stringValue { stored[id] = text }
        }
        for (_, note) in replies.successes {
            guard let noteID = note["id"]?.intValue else {
                Issue.record("acknowledged note without an id: \(note)")
                continue
            }
            #expect(stored[noteID] == note["text"]?.stringValue, "acknowledged note \(note) is missing after restart")
        }
        // And nothing was committed behind the client's back: every stored note was acknowledged.
        #expect(
            stored.count == replies.successes.count,
            "\(stored.count) notes stored, \(replies.successes.count) acknowledged")
        #expect(try restarted.stop() == 0)
    }

    @Test("SIGINT stops the daemon cleanly: exit 0, the socket removed")
    func sigintExitsZero() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.call("example.note.add", ["text": "before SIGINT"])["text"] == "before SIGINT")
        daemon.signal(SIGINT)
        #expect(try daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(daemon.log.contains("stopped cleanly"), "\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        // The open client sees the end of the stream, not a hang.
        #expect(throws: ClientError.self) { try client.call("daemon.ping", timeout: .seconds(10)) }
    }
}
