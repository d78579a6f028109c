import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Framing and ordering: requests are `\n`-terminated lines, may arrive in any chunking, and are
/// answered in the order they were sent, however many are outstanding.
@Suite("Pipelining and framing", .timeLimit(.minutes(3)))
struct PipeliningTests {
    private func startDaemon() throws -> (TestDaemon, RPCConnection) {
        let daemon = try TestDaemon()
        try daemon.start()
        return (daemon, try daemon.connect())
    }

    @Test("200 requests written at once are answered by 200 replies in exactly request order")
    func twoHundredInOrder() throws {
        let (daemon, client) = try startDaemon()
        var text = ""
        var kinds: [Int: String] = [:]
        for id in 1...200 {
            switch id % 3 {
            case 0:
                kinds[id] = "ping"
                text += requestLine(id: .int(Int64(id)), "daemon.ping") + "\n"
            case 1:
                kinds[id] = "add"
                text += requestLine(id: .int(Int64(id)), "example.note.add", ["text": .string("note \(id)")]) + "\n"
            default:
                kinds[id] = "list"
                text += requestLine(id: .int(Int64(id)), "example.note.list", ["limit": 1000]) + "\n"
            }
        }
        try client.send(bytes: Array(text.utf8))

        var addedIDs: [Int64] = []
        for expected in 1...200 {
            let reply = try client.readJSONLine()
            #expect(reply["id"] == .int(Int64(expected)), "reply \(expected) out of order: \(reply.serialized())")
            #expect(reply["error"] == nil, "\(reply.serialized())")
            switch kinds[expected] {
            case "ping":
                #expect(reply["result"]?["pong"] == true)
            case "add":
                #expect(reply["result"]?["text"] == .string("note \(expected)"), "\(reply.serialized())")
                if let id = reply["result"]?["id"]?.intValue { addedIDs.append(id) }
            default:
                // Reads run beside the writer, so how many of the earlier adds a pipelined list
                // sees is not fixed; that it answers with a list is.
                #expect(reply["result"]?["notes"]?.arrayValue != nil, "\(reply.serialized())")
            }
        }
        #expect(addedIDs.count == 67)
        #expect(Set(addedIDs).count == 67)
        // Nothing more is waiting.
        #expect(try client.staysSilent(for: .milliseconds(300)))
        try daemon.stop()
    }

    @Test("Pipelined writes on one connection are applied in request order (4 connections pipelining 250 adds each)")
    func pipelinedWritesApplyInOrder() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let socket = daemon.socketPath
        // Note ids are assigned at commit: a later request with a smaller id was applied first.
        let outcomes = runOnThreads(4) { worker -> [Int64] in
            let client = try RPCConnection(socketPath: socket, timeout: .seconds(30))
            defer { client.close() }
            var text = ""
            for id in 1...250 {
                text +=
                    requestLine(id: .int(Int64(id)), "example.note.add", ["text": .string("w\(worker) #\(id)")]) + "\n"
            }
            try client.send(bytes: Array(text.utf8))
            var noteIDs: [Int64] = []
            for id in 1...250 {
                let reply = try client.readJSONLine(timeout: .seconds(30))
                guard reply["id"] == .int(Int64(id)), let noteID = reply["result"]?["id"]?.intValue else {
                    throw TestDaemonError("reply \(id): \(reply.serialized())")
                }
                noteIDs.append(noteID)
            }
            return noteIDs
        }
        for (worker, outcome) in outcomes.enumerated() {
            let noteIDs = try outcome.get()
            let inversions = zip(noteIDs, noteIDs.dropFirst()).filter { $0 > $1 }
            #expect(
                inversions.isEmpty,
                "connection \(worker): a later pipelined add was committed before an earlier one \(inversions.count) times, e.g. \(inversions.prefix(3))"
            )
        }
        try daemon.stop()
    }

    @Test("With max_in_flight_per_connection = 2, 300 pipelined requests are still all answered, in order")
    func backpressure() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_in_flight_per_connection = 2\n")
        try daemon.start()
        let client = try daemon.connect()
        var text = ""
        for id in 1...300 {
            let method = ["daemon.ping", "example.note.add", "example.note.list"][id % 3]
            let params: JSONValue = method == "example.note.add" ? ["text": .string("n\(id)")] : [:]
            text += requestLine(id: .int(Int64(id)), method, params) + "\n"
        }
        try client.send(bytes: Array(text.utf8))
        for expected in 1...300 {
            let reply = try client.readJSONLine()
            #expect(reply["id"] == .int(Int64(expected)), "reply \(expected) out of order: \(reply.serialized())")
            #expect(reply["result"] != nil, "\(reply.serialized())")
        }
        #expect(try client.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue?.count == 100)
        try daemon.stop()
    }

    @Test("A request line split across several writes with pauses is answered once it is complete")
    func splitLine() throws {
        let (daemon, client) = try startDaemon()
        let line = Array(
            #"{"jsonrpc":"2.0","id":"split","method":"example.note.add","params":{"text":"in pieces"}}"#.utf8)
        let cuts = [0, 1, 17, 40, 41, line.count]
        for (from, to) in zip(cuts, cuts.dropFirst()) {
            try client.send(bytes: Array(line[from..<to]))
            // Not a complete line yet: nothing comes back.
            #expect(try client.staysSilent(for: .milliseconds(150)))
        }
        try client.send(bytes: [0x0A])
        let reply = try client.readJSONLine()
        #expect(reply["id"] == "split", "\(reply.serialized())")
        #expect(reply["result"]?["text"] == "in pieces", "\(reply.serialized())")

        // The end of one request and the start of the next in one write.
        let two =
            Array(#"{"jsonrpc":"2.0","id":1,"method":"daemon.ping"}"#.utf8) + [0x0A]
            + Array(#"{"jsonrpc":"2.0","id":2,"met"#.utf8)
        try client.send(bytes: Array(two))
        #expect(try client.readJSONLine()["id"] == 1)
        #expect(try client.staysSilent(for: .milliseconds(150)))
        try client.send(bytes: Array(#"hod":"daemon.ping"}"#.utf8) + [0x0A])
        #expect(try client.readJSONLine()["id"] == 2)
        try daemon.stop()
    }

    @Test("A line ending in \\r\\n is accepted like one ending in \\n")
    func crlf() throws {
        let (daemon, client) = try startDaemon()
        try client.send(bytes: Array("{\"jsonrpc\":\"2.0\",\"id\":\"crlf\",\"method\":\"daemon.ping\"}\r\n".utf8))
        let reply = try client.readJSONLine()
        #expect(reply["id"] == "crlf", "\(reply.serialized())")
        #expect(reply["result"]?["pong"] == true, "\(reply.serialized())")
        // Also for a write: the \r is not part of the JSON.
        try client.send(
            bytes: Array(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"example.note.add\",\"params\":{\"text\":\"crlf note\"}}\r\n"
                    .utf8))
        #expect(try client.readJSONLine()["result"]?["text"] == "crlf note")
        try daemon.stop()
    }

    @Test("Blank lines (empty, spaces, tabs, a lone \\r) are ignored: no reply, no error")
    func blankLines() throws {
        let (daemon, client) = try startDaemon()
        try client.send(bytes: Array("\n\n   \n\t\n\r\n \t \r\n".utf8))
        let reply = try client.exchangeLine(#"{"jsonrpc":"2.0","id":"after-blanks","method":"daemon.ping"}"#)
        #expect(reply["id"] == "after-blanks", "a blank line was answered: \(reply.serialized())")
        #expect(try client.staysSilent(for: .milliseconds(300)))
        try daemon.stop()
    }
}
