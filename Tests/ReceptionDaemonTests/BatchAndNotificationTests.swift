import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// JSON-RPC batches (`[...]` on one line) and notifications (requests without an `id`).
@Suite("Batches and notifications", .timeLimit(.minutes(3)))
struct BatchAndNotificationTests {
    private func startDaemon(config: String? = nil) throws -> (TestDaemon, RPCConnection) {
        let daemon = try TestDaemon(config: config)
        try daemon.start()
        return (daemon, try daemon.connect())
    }

    /// The replies of a batch reply, by their id's JSON text.
    private func repliesByID(_ reply: JSONValue) throws -> [String: JSONValue] {
        let elements = try #require(reply.arrayValue, "a batch is answered by one array: \(reply.serialized())")
        var byID: [String: JSONValue] = [:]
        for element in elements {
            let id = try #require(element["id"], "every reply in a batch has an id: \(element.serialized())")
            #expect(byID[id.serialized()] == nil, "two replies for id \(id.serialized())")
            byID[id.serialized()] = element
        }
        return byID
    }

    @Test("A batch of mixed requests gets one array reply holding only the requests' replies, matched by id")
    func mixedBatch() throws {
        let (daemon, client) = try startDaemon()
        let batch = """
            [{"jsonrpc":"2.0","id":1,"method":"daemon.ping"},\
            {"jsonrpc":"2.0","method":"example.note.add","params":{"text":"noted by a notification in a batch"}},\
            {"jsonrpc":"2.0","id":"two","method":"example.note.add","params":{"text":"noted by a request in a batch"}},\
            {"jsonrpc":"2.0","method":"daemon.ping"},\
            {"jsonrpc":"2.0","id":3,"method":"no.such.method"},\
            {"jsonrpc":"2.0","id":4,"method":"example.note.add","params":{"text":"  "}}]
            """
        let reply = try client.exchangeLine(batch)
        let byID = try repliesByID(reply)
        #expect(reply.arrayValue?.count == 4, "4 requests, 2 notifications: \(reply.serialized())")
        #expect(Set(byID.keys) == [#"1"#, #""two""#, #"3"#, #"4"#], "\(reply.serialized())")
        // In request order.
        #expect(reply.arrayValue?.map { $0["id"] } == [1, "two", 3, 4], "\(reply.serialized())")
        #expect(byID["1"]?["result"]?["pong"] == true)
        #expect(byID[#""two""#]?["result"]?["text"] == "noted by a request in a batch")
        #expect(byID["3"]?.errorCode == -32601)
        #expect(byID["4"]?.errorCode == -32007)
        #expect(byID["4"]?.errorField == "text")
        for element in reply.arrayValue ?? [] { #expect(element["jsonrpc"] == "2.0") }

        // Both writes committed, the notification's too.
        let notes = try client.call("example.note.list")["notes"]?.arrayValue ?? []
        #expect(
            Set(notes.compactMap { $0["text"]?.stringValue })
                == ["noted by a notification in a batch", "noted by a request in a batch"])
        try daemon.stop()
    }

    @Test("A batch of only notifications gets no reply at all: the next line is the reply to the next request")
    func notificationOnlyBatch() throws {
        let (daemon, client) = try startDaemon()
        try client.send(
            line: """
                [{"jsonrpc":"2.0","method":"daemon.ping"},\
                {"jsonrpc":"2.0","method":"example.note.add","params":{"text":"quiet"}},\
                {"jsonrpc":"2.0","method":"no.such.method"}]
                """)
        let next = try client.exchangeLine(#"{"jsonrpc":"2.0","id":"after","method":"daemon.ping"}"#)
        #expect(next["id"] == "after", "the notification batch was answered: \(next.serialized())")
        #expect(next["result"]?["pong"] == true)
        try daemon.stop()
    }

    @Test("An empty batch [] answers one -32600 error object with id null")
    func emptyBatch() throws {
        let (daemon, client) = try startDaemon()
        let reply = try client.exchangeLine("[]")
        #expect(
            reply.objectValue != nil,
            "an empty batch is answered by a single error, not an array: \(reply.serialized())")
        #expect(reply["id"] == .null)
        #expect(reply.errorCode == -32600)
        #expect(reply.errorKind == "invalid_request")
        try daemon.stop()
    }

    @Test("An invalid element of a batch gets its own error inside the array; the valid ones still run")
    func invalidElement() throws {
        let (daemon, client) = try startDaemon()
        let reply = try client.exchangeLine(
            """
            [{"jsonrpc":"2.0","id":1,"method":"daemon.ping"},\
            42,\
            {"jsonrpc":"1.0","id":2,"method":"daemon.ping"},\
            {"jsonrpc":"2.0","id":3,"method":"example.note.add","params":{"text":"valid neighbour"}}]
            """)
        let elements = try #require(reply.arrayValue, "\(reply.serialized())")
        #expect(elements.count == 4, "\(reply.serialized())")
        let byID = try repliesByID(reply)
        #expect(
            elements.map { $0["id"] } == [1, JSONValue.null, 2, 3], "replies in request order: \(reply.serialized())")
        #expect(byID["1"]?["result"]?["pong"] == true)
        #expect(byID["2"]?.errorCode == -32600, "\(reply.serialized())")
        #expect(byID["3"]?["result"]?["text"] == "valid neighbour")
        // The element 42 has no readable id: its error has id null.
        let unidentified = elements.filter { $0["id"] == .null }
        #expect(unidentified.count == 1, "\(reply.serialized())")
        #expect(unidentified.first?.errorCode == -32600)
        #expect(unidentified.first?.errorKind == "invalid_request")
        try daemon.stop()
    }

    @Test("A batch of only invalid elements gets an array of -32600 errors, one per element")
    func allInvalidBatch() throws {
        let (daemon, client) = try startDaemon()
        let reply = try client.exchangeLine(#"[1,"two",{"jsonrpc":"2.0"}]"#)
        let elements = try #require(reply.arrayValue, "\(reply.serialized())")
        #expect(elements.count == 3, "\(reply.serialized())")
        for element in elements {
            #expect(element["id"] == .null)
            #expect(element.errorCode == -32600, "\(element.serialized())")
        }
        try daemon.stop()
    }

    @Test("A notification of a write method commits but gets no reply")
    func writeNotificationCommits() throws {
        let (daemon, client) = try startDaemon()
        try client.send(
            line: #"{"jsonrpc":"2.0","method":"example.note.add","params":{"text":"written without an id"}}"#)
        let ping = try client.exchangeLine(#"{"jsonrpc":"2.0","id":1,"method":"daemon.ping"}"#)
        #expect(ping["id"] == 1, "the notification was answered: \(ping.serialized())")
        let list = try client.exchangeLine(#"{"jsonrpc":"2.0","id":2,"method":"example.note.list"}"#)
        let texts = (list["result"]?["notes"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        #expect(texts == ["written without an id"], "\(list.serialized())")
        // A failing notification is silent too.
        try client.send(line: #"{"jsonrpc":"2.0","method":"example.note.add","params":{"text":" "}}"#)
        try client.send(line: #"{"jsonrpc":"2.0","method":"example.note.add","params":{"colour":"red"}}"#)
        let after = try client.exchangeLine(#"{"jsonrpc":"2.0","id":3,"method":"daemon.ping"}"#)
        #expect(after["id"] == 3, "a failing notification was answered: \(after.serialized())")
        try daemon.stop()
    }

    @Test("A batch above max_batch answers one -32008 limit error; a batch at the limit runs")
    func batchLimit() throws {
        let (daemon, client) = try startDaemon(config: "[daemon]\nmax_batch = 3\n")
        let ping = { (id: Int) in #"{"jsonrpc":"2.0","id":\#(id),"method":"daemon.ping"}"# }
        let over = try client.exchangeLine("[" + (1...4).map(ping).joined(separator: ",") + "]")
        #expect(over.objectValue != nil, "\(over.serialized())")
        #expect(over["id"] == .null)
        #expect(over.errorCode == -32008, "\(over.serialized())")
        #expect(over.errorKind == "limit")
        #expect(over["error"]?["data"]?["limit"] == 3, "\(over.serialized())")
        // Nothing of the refused batch ran: a refused batch of writes stores nothing.
        let writes = (1...4).map {
            #"{"jsonrpc":"2.0","id":\#($0),"method":"example.note.add","params":{"text":"n\#($0)"}}"#
        }
        #expect(try client.exchangeLine("[" + writes.joined(separator: ",") + "]").errorCode == -32008)
        #expect(try client.call("example.note.list")["notes"] == [])

        let atLimit = try client.exchangeLine("[" + (5...7).map(ping).joined(separator: ",") + "]")
        #expect(try repliesByID(atLimit).keys.sorted() == ["5", "6", "7"], "\(atLimit.serialized())")
        try daemon.stop()
    }
}
