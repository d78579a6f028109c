import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// JSON-RPC 2.0 errors as the wire carries them: one raw line in, one raw line out.
///
/// Every error reply is `{"jsonrpc":"2.0","id":<the request's id, or null>,"error":{"code","message","data":{"kind",...}}}`
/// and has no `result`.
@Suite("JSON-RPC errors on the wire", .timeLimit(.minutes(3)))
struct JSONRPCErrorTests {
    /// One daemon for the whole suite would hide state between tests; each test starts its own.
    private func startDaemon() throws -> (TestDaemon, RPCConnection) {
        let daemon = try TestDaemon()
        try daemon.start()
        return (daemon, try daemon.connect())
    }

    /// Checks the envelope of an error reply: version, echoed id, code, kind, and no result.
    private func expectError(
        _ reply: JSONValue, id: JSONValue, code: Int64, kind: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply["jsonrpc"] == "2.0", "\(reply.serialized())", sourceLocation: sourceLocation)
        #expect(reply["id"] == id, "id not echoed: \(reply.serialized())", sourceLocation: sourceLocation)
        #expect(reply.errorCode == code, "\(reply.serialized())", sourceLocation: sourceLocation)
        #expect(reply.errorKind == kind, "\(reply.serialized())", sourceLocation: sourceLocation)
        #expect(
            reply["result"] == nil, "an error reply must not carry a result: \(reply.serialized())",
            sourceLocation: sourceLocation)
        #expect(
            reply["error"]?["message"]?.stringValue?.isEmpty == false, "\(reply.serialized())",
            sourceLocation: sourceLocation)
    }

    @Test("A line that is not JSON answers -32700 parse error with id null, and the connection goes on")
    func notJSON() throws {
        let (daemon, client) = try startDaemon()
        expectError(
            try client.exchangeLine(#"{"jsonrpc":"2.0","id":1,"method":"#), id: nil, code: -32700, kind: "parse")
        expectError(try client.exchangeLine("hello daemon"), id: nil, code: -32700, kind: "parse")
        // The connection is still usable.
        let pong = try client.exchangeLine(#"{"jsonrpc":"2.0","id":2,"method":"daemon.ping"}"#)
        #expect(pong["id"] == 2)
        #expect(pong["result"]?["pong"] == true)
        try daemon.stop()
    }

    @Test(
        "JSON that is not a JSON-RPC 2.0 request answers -32600 invalid request, with the request's id where it is readable"
    )
    func invalidRequests() throws {
        let (daemon, client) = try startDaemon()
        // "jsonrpc" must be exactly "2.0".
        expectError(
            try client.exchangeLine(#"{"jsonrpc":"1.0","id":7,"method":"daemon.ping"}"#), id: 7, code: -32600,
            kind: "invalid_request")
        // No "jsonrpc" member at all.
        expectError(
            try client.exchangeLine(#"{"id":"no-version","method":"daemon.ping"}"#), id: "no-version", code: -32600,
            kind: "invalid_request")
        // No "method".
        expectError(try client.exchangeLine(#"{"jsonrpc":"2.0","id":8}"#), id: 8, code: -32600, kind: "invalid_request")
        // "method" not a string.
        expectError(
            try client.exchangeLine(#"{"jsonrpc":"2.0","id":9,"method":42}"#), id: 9, code: -32600,
            kind: "invalid_request")
        // "params" a string (must be an object or an array).
        expectError(
            try client.exchangeLine(#"{"jsonrpc":"2.0","id":10,"method":"daemon.ping","params":"now"}"#), id: 10,
            code: -32600, kind: "invalid_request")
        // An unknown envelope member.
        let unknown = try client.exchangeLine(#"{"jsonrpc":"2.0","id":11,"method":"daemon.ping","priority":"high"}"#)
        expectError(unknown, id: 11, code: -32600, kind: "invalid_request")
        #expect(unknown["error"]?["message"]?.stringValue?.contains("priority") == true, "\(unknown.serialized())")
        // An id that cannot be an id (an object) is unreadable: the answer has id null.
        expectError(
            try client.exchangeLine(#"{"jsonrpc":"2.0","id":{"n":1},"method":"daemon.ping"}"#), id: nil, code: -32600,
            kind: "invalid_request")
        // A JSON value that is not an object.
        expectError(try client.exchangeLine("42"), id: nil, code: -32600, kind: "invalid_request")
        expectError(try client.exchangeLine(#""daemon.ping""#), id: nil, code: -32600, kind: "invalid_request")
        try daemon.stop()
    }

    @Test("An unknown method answers -32601 naming the method")
    func unknownMethod() throws {
        let (daemon, client) = try startDaemon()
        let reply = try client.exchangeLine(#"{"jsonrpc":"2.0","id":"m1","method":"parcels.teleport"}"#)
        expectError(reply, id: "m1", code: -32601, kind: "method_not_found")
        #expect(reply["error"]?["message"]?.stringValue?.contains("parcels.teleport") == true, "\(reply.serialized())")
        #expect(reply["error"]?["data"]?["method"] == "parcels.teleport", "\(reply.serialized())")
        // A known plugin's unknown verb is just as unknown.
        let verb = try client.exchangeLine(#"{"jsonrpc":"2.0","id":"m2","method":"example.note.burn"}"#)
        expectError(verb, id: "m2", code: -32601, kind: "method_not_found")
        #expect(verb["error"]?["data"]?["method"] == "example.note.burn", "\(verb.serialized())")
        try daemon.stop()
    }

    @Test(
        "Params of the wrong shape answer -32602 with data.kind validation and data.field naming the field",
        arguments: [
            // (params, the field the error must name)
            (#"{"text":5}"#, "text"),  // wrong type
            (#"{}"#, "text"),  // missing required
            (#"{"text":null}"#, "text"),  // null counts as missing
            (#"{"text":"ok","colour":"red"}"#, "colour"),  // unknown field
            (#"{"text":"ok","idNumber":110101199003071234}"#, "idNumber"),  // optional field of the wrong type
        ])
    func invalidParams(params: String, field: String) throws {
        let (daemon, client) = try startDaemon()
        let reply = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":21,"method":"example.note.add","params":"# + params + "}")
        expectError(reply, id: 21, code: -32602, kind: "validation")
        #expect(reply.errorField == field, "\(reply.serialized())")
        // Nothing was written.
        let list = try client.exchangeLine(#"{"jsonrpc":"2.0","id":22,"method":"example.note.list"}"#)
        #expect(list["result"]?["notes"] == [], "\(list.serialized())")
        try daemon.stop()
    }

    @Test("Field paths reach into arrays and ranges: topics[1], limit")
    func nestedAndRangeFields() throws {
        let (daemon, client) = try startDaemon()
        let nested = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":31,"method":"events.subscribe","params":{"topics":["example",5]}}"#)
        expectError(nested, id: 31, code: -32602, kind: "validation")
        #expect(nested.errorField == "topics[1]", "\(nested.serialized())")
        let range = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":32,"method":"example.note.list","params":{"limit":0}}"#)
        expectError(range, id: 32, code: -32602, kind: "validation")
        #expect(range.errorField == "limit", "\(range.serialized())")
        let tooMany = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":33,"method":"example.note.list","params":{"limit":1001}}"#)
        expectError(tooMany, id: 33, code: -32602, kind: "validation")
        #expect(tooMany.errorField == "limit", "\(tooMany.serialized())")
        // Params by position are not supported: -32602 too.
        let positional = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":34,"method":"example.note.add","params":["hi"]}"#)
        expectError(positional, id: 34, code: -32602, kind: "validation")
        try daemon.stop()
    }

    @Test("A broken business rule answers -32007 validation naming the field: example.note.add with blank text")
    func businessRule() throws {
        let (daemon, client) = try startDaemon()
        let reply = try client.exchangeLine(
            #"{"jsonrpc":"2.0","id":41,"method":"example.note.add","params":{"text":"   "}}"#)
        expectError(reply, id: 41, code: -32007, kind: "validation")
        #expect(reply.errorField == "text", "\(reply.serialized())")
        let list = try client.exchangeLine(#"{"jsonrpc":"2.0","id":42,"method":"example.note.list"}"#)
        #expect(list["result"]?["notes"] == [], "a refused note must not be stored: \(list.serialized())")
        try daemon.stop()
    }

    @Test("Nesting too deep to parse answers -32700 and the daemon keeps serving")
    func deepNesting() throws {
        let (daemon, client) = try startDaemon()
        let arrays = try client.exchangeLine(
            String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        expectError(arrays, id: nil, code: -32700, kind: "parse")
        let objects = try client.exchangeLine(
            String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000))
        expectError(objects, id: nil, code: -32700, kind: "parse")
        #expect(try client.exchangeLine(#"{"jsonrpc":"2.0","id":1,"method":"daemon.ping"}"#)["result"]?["pong"] == true)
        #expect(daemon.isRunning)
        try daemon.stop()
    }

    @Test("An id that is a number beyond 64 bits is refused with -32600 rather than echoed rounded")
    func hugeNumericID() throws {
        let (daemon, client) = try startDaemon()
        try client.send(line: #"{"jsonrpc":"2.0","id":99999999999999999999,"method":"daemon.ping"}"#)
        let line = try #require(try client.readLine(timeout: .seconds(15)))
        let reply = try JSONValue.parse(line)
        #expect(reply["id"] == .null, "\(line)")
        #expect(reply["error"]?["code"] == -32600, "\(line)")
        #expect(reply["error"]?["message"]?.stringValue?.contains("string") == true, "\(line)")
        // The same value as a string id is echoed exactly.
        try client.send(line: #"{"jsonrpc":"2.0","id":"99999999999999999999","method":"daemon.ping"}"#)
        let stringLine = try #require(try client.readLine(timeout: .seconds(15)))
        #expect(stringLine.hasPrefix(#"{"jsonrpc":"2.0","id":"99999999999999999999","#), "\(stringLine)")
        try daemon.stop()
    }

    @Test("A string id, a null id and a large integer id are echoed back exactly")
    func idsEchoed() throws {
        let (daemon, client) = try startDaemon()
        try client.send(line: #"{"jsonrpc":"2.0","id":"desk-2/req \"7\" ü","method":"daemon.ping"}"#)
        let stringLine = try #require(try client.readLine(timeout: .seconds(15)))
        #expect(stringLine.hasPrefix(#"{"jsonrpc":"2.0","id":"desk-2/req \"7\" ü","result":"#), "\(stringLine)")

        // id null is a request (it has an id member), not a notification: it gets a reply.
        try client.send(line: #"{"jsonrpc":"2.0","id":null,"method":"daemon.ping"}"#)
        let nullLine = try #require(try client.readLine(timeout: .seconds(15)))
        #expect(nullLine.hasPrefix(#"{"jsonrpc":"2.0","id":null,"result":"#), "\(nullLine)")
        #expect(try JSONValue.parse(nullLine)["result"]?["pong"] == true)

        // Errors echo a string id just as exactly.
        try client.send(line: #"{"jsonrpc":"2.0","id":"e-1","method":"no.such"}"#)
        let errorLine = try #require(try client.readLine(timeout: .seconds(15)))
        #expect(errorLine.hasPrefix(#"{"jsonrpc":"2.0","id":"e-1","error":"#), "\(errorLine)")

        // An integer id beyond 2^53 survives without rounding through floating point.
        try client.send(line: #"{"jsonrpc":"2.0","id":9007199254740993,"method":"daemon.ping"}"#)
        let bigLine = try #require(try client.readLine(timeout: .seconds(15)))
        #expect(bigLine.hasPrefix(#"{"jsonrpc":"2.0","id":9007199254740993,"result":"#), "\(bigLine)")
        try daemon.stop()
    }
}
