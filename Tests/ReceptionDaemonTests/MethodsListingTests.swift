import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `daemon.methods` lists every method to every caller, each marked with the least role that may
/// call it, so `receptionctl <words>` finds admin methods for admins (protocol.md, "Built-in
/// methods" and `daemon.methods`).
@Suite("daemon.methods lists every method, marked with who may call it")
struct MethodsListingTests {
    /// The built-ins of protocol.md's "Built-in methods" table: name → role.
    static func documentedBuiltins() throws -> [String: String] {
        let protocolFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("protocol.md").path
        let text = try String(contentsOfFile: protocolFile, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Built-in methods").dropFirst().first)
        var builtins: [String: String] = [:]
        for line in section.split(separator: "\n").prefix(while: { !$0.hasPrefix("##") }) {
            // | `daemon.ping` | operator | – | `{"pong": true, "time"}` |
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count > 3, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { continue }
            builtins[String(cells[1].dropFirst().dropLast())] = cells[2]
        }
        return builtins
    }

    /// The daemon's own methods in a `daemon.methods` result: name → role.
    static func listedBuiltins(_ result: JSONValue) -> [String: String] {
        var builtins: [String: String] = [:]
        for method in result["methods"]?.arrayValue ?? [] where method["plugin"] == "daemon" {
            if let name = method["name"]?.stringValue { builtins[name] = method["role"]?.stringValue ?? "?" }
        }
        return builtins
    }

    @Test(
        "An admin and an operator both get every built-in of protocol.md's table, each with the role the table gives (audit.query, admin.backup, daemon.reload as admin), and no built-in the table lacks",
        .otherUserCanConnect)
    func everyBuiltinIsListedToEveryone() throws {
        let documented = try Self.documentedBuiltins()
        for name in ["audit.query", "audit.refusals", "admin.backup", "daemon.reload"] {
            #expect(documented[name] == "admin", "protocol.md's table: \(documented)")
        }
        #expect(documented.count >= 10, "protocol.md's table: \(documented)")

        let daemon = try TestDaemon()
        try daemon.start()
        #expect(OtherUser.openUp(daemon))
        let admin = try daemon.connect()
        #expect(try admin.call("daemon.hello")["role"] == "admin")
        #expect(Self.listedBuiltins(try admin.call("daemon.methods")) == documented)

        let asOperator = try OtherUser.receptionctl(daemon, ["--json", "methods"])
        #expect(asOperator.status == 0, "\(asOperator)")
        let operatorView = try JSONValue.parse(asOperator.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(Self.listedBuiltins(operatorView) == documented)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "receptionctl audit query prints the audit log for an admin, like receptionctl call audit.query; an operator sees the method marked admin and is refused with forbidden (exit 1)",
        .otherUserCanConnect)
    func auditQueryByWords() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        #expect(OtherUser.openUp(daemon))
        _ = try daemon.connect().call("example.note.add", ["text": "for the audit log"])
        let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

        let socket = ["--socket", daemon.socketPath]
        let words = try CommandResult.run(receptionctl, socket + ["--json", "audit", "query"])
        #expect(words.status == 0, "\(words)")
        let call = try CommandResult.run(receptionctl, socket + ["--json", "call", "audit.query"])
        #expect(call.status == 0, "\(call)")
        func noteAdd(_ result: CommandResult) throws -> JSONValue? {
            let records = try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["records"]
            return records?.arrayValue?.first { $0["method"] == "example.note.add" }
        }
        let record = try #require(try noteAdd(words), "\(words)")
        #expect(try noteAdd(call) == record)

        let table = try CommandResult.run(receptionctl, socket + ["audit", "query", "--method", "example."])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("example.note.add"), "\(table)")

        let listing = try OtherUser.receptionctl(daemon, ["methods", "audit"])
        #expect(listing.status == 0, "\(listing)")
        // name, access, role, description
        let line = listing.stdout.split(separator: "\n").first { $0.hasPrefix("audit.query ") }
        #expect(line?.split(separator: " ").dropFirst(2).first == "admin", "\(listing)")
        let refused = try OtherUser.receptionctl(daemon, ["audit", "query"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("forbidden"), "\(refused)")
        #expect(try daemon.stop() == 0)
    }
}
