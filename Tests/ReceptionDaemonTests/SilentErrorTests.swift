import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Inputs that used to be answered wrongly or silently (issue 10, section 5): a number too large
/// for an integer filter, a path with NUL, ids that could not be echoed as they were sent.
@Suite("Wrong or silent errors become clear refusals", .timeLimit(.minutes(3)))
struct SilentErrorTests {
    @Test(
        "audit.query with uid 1e300 is refused with -32602 naming uid, instead of dropping the filter and listing every record",
        .enabled(if: getuid() == 0, "audit.query is admin-only; as root the test connection is admin"))
    func outOfRangeFilterIsRefused() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        try client.call("example.note.add", ["text": "one record in the audit"])
        for uid: JSONValue in [1e300, -1e300, 9_223_372_036_854_775_808.0, 4_294_967_296, -1] {
            let reply = try client.exchangeLine(requestLine(id: 1, "audit.query", ["uid": uid]))
            #expect(reply.errorCode == -32602, "uid \(uid.serialized()): \(reply.serialized())")
            #expect(reply.errorField == "uid", "uid \(uid.serialized()): \(reply.serialized())")
            #expect(reply["result"] == nil, "uid \(uid.serialized()) must not list records")
        }
        let cursor = try client.exchangeLine(requestLine(id: 2, "audit.query", ["cursor": 1e300]))
        #expect(cursor.errorCode == -32602, "\(cursor.serialized())")
        #expect(cursor.errorField == "cursor")
        // A uid in range still filters.
        let none = try client.call("audit.query", ["uid": 4_294_967_294])
        #expect(none["records"]?.arrayValue?.isEmpty == true)
        try daemon.stop()
    }

    @Test(
        "admin.backup with a NUL in the path is refused with -32602 naming path, and writes nothing",
        .enabled(if: getuid() == 0, "admin.backup is admin-only; as root the test connection is admin"))
    func nulInPathIsRefused() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        for path in ["nul\u{0}.sqlite", daemon.directory + "/abs\u{0}.sqlite"] {
            let reply = try client.exchangeLine(requestLine(id: 1, "admin.backup", ["path": .string(path)]))
            #expect(reply.errorCode == -32602, "\(reply.serialized())")
            #expect(reply.errorField == "path", "\(reply.serialized())")
        }
        let backups = daemon.stateDirectory + "/backups"
        let written = (try? FileManager.default.contentsOfDirectory(atPath: backups)) ?? []
        #expect(written.isEmpty, "nothing may be written: \(written)")
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/abs"))
        try daemon.stop()
    }

    @Test(
        "A numeric id that is not an integer written as one (1e-400, -0.0, -0, 0.5) is refused with -32600 and id null; integer ids are echoed"
    )
    func idsAreEchoedExactlyOrRefused() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        for id in ["1e-400", "-0.0", "-0", "0.5", "1e300"] {
            let reply = try client.exchangeLine(#"{"jsonrpc":"2.0","id":\#(id),"method":"daemon.ping"}"#)
            #expect(reply.errorCode == -32600, "id \(id): \(reply.serialized())")
            #expect(reply["id"] == .null, "id \(id): \(reply.serialized())")
            #expect(
                reply["error"]?["message"]?.stringValue?.contains("integer") == true,
                "the message says which ids are accepted: \(reply.serialized())")
        }
        for id in ["0", "-7", "9223372036854775807", "-9223372036854775808"] {
            try client.send(line: #"{"jsonrpc":"2.0","id":\#(id),"method":"daemon.ping"}"#)
            let line = try #require(try client.readLine(timeout: .seconds(15)))
            #expect(line.hasPrefix(#"{"jsonrpc":"2.0","id":\#(id),"result":"#), "id \(id): \(line)")
        }
        try daemon.stop()
    }
}
