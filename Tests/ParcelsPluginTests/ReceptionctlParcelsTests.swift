import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The counter workflow with the real `receptionctl`: what is waiting for 3-2-1201, then hand it out.
@Suite("parcels over the socket: receptionctl at the counter", .timeLimit(.minutes(2)))
struct ReceptionctlParcelsTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            receptionctl, ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments)
    }

    @Test("receptionctl parcels receive, then pending --unit prints an aligned table, then pickup CODE... --by exits 0")
    func counterWorkflow() throws {
        let daemon = try ParcelsDesk.start()
        let received = try Self.ctl(
            daemon,
            [
                "--json", "parcels", "receive", "--kind", "express", "--recipient", "李娜", "--unit", "3-2-1201",
                "--carrier", "SF", "--tracking", "SF100200300",
            ])
        #expect(received.status == 0, "\(received)")
        let first = try JSONValue.parse(received.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(first["receivedBy"] == "li.na")
        let client = try daemon.connect()
        let second = try client.receive("letter", recipient: "Zoë", unit: "3-2-1201")

        let pending = try Self.ctl(daemon, ["parcels", "pending", "--unit", "3-2-1201"])
        #expect(pending.status == 0, "\(pending)")
        let lines = pending.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "header, rule, two items:\n\(pending.stdout)")
        let header = try #require(lines.first)
        #expect(header.hasPrefix("Pickup code") && header.contains("Recipient") && header.contains("Unit"), "\(header)")
        #expect(lines[2].contains(first.code) && lines[2].contains("李娜"), "\(lines[2])")
        #expect(lines[3].contains(second.code) && lines[3].contains("Zoë"), "\(lines[3])")
        // Columns line up by display width: 李娜 is two characters but four columns wide.
        let column = DisplayWidth.of(String(header[..<(header.range(of: "Recipient")?.lowerBound ?? header.endIndex)]))
        for row in lines[2...] {
            let recipient = row.contains("李娜") ? "李娜" : "Zoë"
            let start = row.range(of: recipient)?.lowerBound ?? row.endIndex
            #expect(DisplayWidth.of(String(row[..<start])) == column, "\(row)")
        }

        let pickup = try Self.ctl(
            daemon,
            [
                "parcels", "pickup", first.code, second.code.lowercased(), "--by", "王芳", "--proxy", "--id-type",
                "id_card",
                "--id-last4", "1234",
            ])
        #expect(pickup.status == 0, "\(pickup)")
        #expect(pickup.stdout.contains("王芳"), "\(pickup.stdout)")
        let stored = try client.call("parcels.get", ["code": .string(second.code)])
        #expect(stored["status"] == "collected")
        #expect(stored["collectedBy"] == "王芳")
        #expect(stored["proxy"] == true)
        #expect(stored["handedOutBy"] == "li.na")

        let empty = try Self.ctl(daemon, ["parcels", "pending", "--unit", "3-2-1201"])
        #expect(empty.status == 0, "\(empty)")
        try daemon.stop()
    }

    @Test("notify, get and return take the code as a bare word; an unknown code exits 1 naming it")
    func positionalCode() throws {
        let daemon = try ParcelsDesk.start()
        let client = try daemon.connect()
        let item = try client.receive()

        let notify = try Self.ctl(daemon, ["parcels", "notify", item.code, "--channel", "sms"])
        #expect(notify.status == 0, "\(notify)")
        let get = try Self.ctl(daemon, ["--json", "parcels", "get", item.code])
        #expect(get.status == 0, "\(get)")
        let shown = try JSONValue.parse(get.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(shown["status"] == "notified")
        #expect(shown["notifiedBy"] == "li.na")

        let unknown = try Self.ctl(
            daemon, ["parcels", "pickup", "Z9Z9", "--by", "x", "--id-type", "id_card", "--id-last4", "1234"])
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr.contains("Z9Z9"), "\(unknown)")

        let returned = try Self.ctl(daemon, ["parcels", "return", item.code, "--reason", "refused"])
        #expect(returned.status == 0, "\(returned)")
        let again = try Self.ctl(daemon, ["parcels", "return", item.code, "--reason", "refused"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("returned"), "\(again)")

        let stray = try Self.ctl(daemon, ["parcels", "pending", "3-2-1201"])
        #expect(stray.status == 2, "pending takes no bare words: \(stray)")
        try daemon.stop()
    }
}
