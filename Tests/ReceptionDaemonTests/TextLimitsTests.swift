import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Text limits on the wire (issue 10, section 2): a `maxLength` counts Unicode scalars (what
/// SQLite's `length()` counts), and a string with more than 30 combining marks in a row is
/// refused by the daemon before any plugin normalizes it.
@Suite("Text limits count Unicode scalars and refuse pathological text", .timeLimit(.minutes(2)))
struct TextLimitsTests {
    /// A daemon with every shipped plugin, so the schemas of all of them are on the wire.
    private func startDaemon() throws -> TestDaemon {
        let daemon = try TestDaemon(plugins: [
            "example": .product("libreceptiond-example.so"), "parcels": .product("libreceptiond-parcels.so"),
            "access": .product("libreceptiond-access.so"),
        ])
        try daemon.start()
        return daemon
    }

    @Test(
        "A recipient of \"a\" and 150,000 combining marks is refused with -32602 naming the field and the stream-safe rule, and nothing is stored"
    )
    func combiningMarkFloodIsRefused() throws {
        let daemon = try startDaemon()
        let desk = try daemon.counter()
        // Two classes of marks (above and below), which NFC must reorder: the worst case.
        let flood = "a" + String(repeating: "\u{301}\u{316}", count: 75_000)
        let reply = try desk.exchangeLine(
            requestLine(
                id: 1, "parcels.receive", ["kind": "parcel", "recipient": .string(flood), "unit": "3-2-1201"]),
            // Refused in one scan that stops at the 31st mark: milliseconds. Normalizing it first
            // (what the daemon did before) takes over 10 s, so this generous bound tells them apart.
            timeout: .seconds(5))
        #expect(reply.errorCode == -32602, "\(reply.serialized().prefix(300))")
        #expect(reply.errorKind == "validation")
        #expect(reply.errorField == "recipient")
        let message = reply["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("30"), "the message names the rule: \(message)")
        #expect(message.contains("combining"), "the message names the rule: \(message)")
        // Nothing was received.
        #expect(try desk.call("parcels.list", [:])["items"]?.arrayValue?.isEmpty == true)
        try daemon.stop()
    }

    @Test(
        "maxLength counts Unicode scalars: 51 decomposed accented letters (102 scalars) exceed a limit of 100, 50 (100 scalars) fit"
    )
    func lengthCountsScalars() throws {
        let daemon = try startDaemon()
        let desk = try daemon.counter()
        let tooLong = String(repeating: "e\u{301}", count: 51)  // 51 grapheme clusters, 102 scalars
        let error = try #require(
            try desk.callError(
                "parcels.receive", ["kind": "parcel", "recipient": .string(tooLong), "unit": "3-2-1201"]))
        #expect(error.code == -32602)
        #expect(error.field == "recipient")
        #expect(error.message.contains("102"), "\(error.message)")
        #expect(error.message.contains("Unicode scalars"), "the message says what is counted: \(error.message)")
        let fits = String(repeating: "e\u{301}", count: 50)
        let item = try desk.call("parcels.receive", ["kind": "parcel", "recipient": .string(fits), "unit": "3-2-1201"])
        #expect(item["recipient"] == .string(String(repeating: "é", count: 50)))
        try daemon.stop()
    }

    @Test("Every string param of every method, built-in or plugin, has a maxLength or a list of allowed values")
    func everyStringParamIsBounded() throws {
        let daemon = try startDaemon()
        let client = try daemon.connect()
        let methods = try #require(try client.call("daemon.methods")["methods"]?.arrayValue)
        #expect(methods.count > 30, "all plugins loaded")
        var unbounded: [String] = []
        func visit(_ schema: JSONValue, path: String) {
            switch schema["type"]?.stringValue {
            case "string":
                if schema["maxLength"]?.intValue == nil && schema["enum"] == nil { unbounded.append(path) }
            case "array":
                if let items = schema["items"] { visit(items, path: path + "[]") }
            case "object":
                for (key, property) in schema["properties"]?.objectValue ?? [:] {
                    visit(property, path: path + "." + key)
                }
            default:
                break
            }
        }
        for method in methods {
            visit(method["params"] ?? .null, path: method["name"]?.stringValue ?? "?")
        }
        #expect(unbounded.isEmpty, "string params without maxLength: \(unbounded.sorted())")
        try daemon.stop()
    }
}
