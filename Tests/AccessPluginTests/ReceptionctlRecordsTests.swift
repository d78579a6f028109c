import AccessPlugin
import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A pass and a key as the clerk reads them from the real `receptionctl`: blocks with the pass
/// number and the amount due in yuan, not one-line JSON.
@Suite("access for people: passes, keys and receipts as blocks", .timeLimit(.minutes(2)))
struct ReceptionctlRecordsTests {
    @Test("issuing a pass prints a block titled by the pass number and a receipt ending with the ¥ total; no JSON")
    func badgeIssueBlock() throws {
        let daemon = try AccessDesk.start()
        let leaseEnd = AccessDesk.date(months: 6)
        let issue = try AccessDesk.ctl(
            daemon,
            [
                "access", "badges", "issue", "--kind", "tenant", "--holder", "王芳", "--id-type", "id_card",
                "--id-number", "110101199003071234", "--unit", "3-2-1201", "--lease-ref", "L-2026-0412",
                "--lease-end", leaseEnd, "--valid-until", leaseEnd,
            ])
        #expect(issue.status == 0, "\(issue)")
        #expect(!issue.stdout.contains("{\""), "no JSON objects: \(issue.stdout)")
        let lines = issue.stdout.split(separator: "\n").map(String.init)
        let passNumber = try #require(lines.first?.split(separator: " ").dropFirst().first.map(String.init))
        #expect(passNumber.hasPrefix("T"), "the title line names the pass: \(issue.stdout)")
        #expect(lines.first?.contains("Tenant · active") == true, "\(issue.stdout)")
        #expect(issue.stdout.contains("  Holder "), "\(issue.stdout)")
        #expect(!issue.stdout.contains("Revoked") && !issue.stdout.contains("Lost"), "empty members: \(issue.stdout)")

        let json = try AccessDesk.json(
            try AccessDesk.ctl(daemon, ["--json", "access", "badges", "get", passNumber]))
        #expect(json["number"] == .string(passNumber))
        let total = Currency.cny.format(
            minorUnits: (json["fee"]?.intValue ?? 0) + (json["deposit"]?.intValue ?? 0))
        let last = try #require(lines.last)
        #expect(last.contains(#/^  Amount due  ¥\d+\.\d\d$/#), "the receipt ends with the amount due: \(issue.stdout)")
        #expect(last.hasSuffix(total), "fee and deposit: \(total)\n\(issue.stdout)")
        #expect(issue.stdout.contains("\n\nReceipt AC"), "the receipt is a block of its own: \(issue.stdout)")
        try daemon.stop()
    }

    @Test("daemon.methods publishes a line for every access topic, in English and Chinese; a key lent shows in watch")
    func accessEventLines() throws {
        let daemon = try AccessDesk.start()
        let client = try daemon.connect()
        let events = try client.call("daemon.methods", [:])["events"]?.arrayValue ?? []
        for topic in AccessPlugin.Topic.allCases {
            let line = events.first { $0["topic"]?.stringValue == topic.rawValue }?["line"]
            #expect(line?["en"]?.stringValue?.isEmpty == false, "\(topic.rawValue) in English")
            #expect(line?["zh"]?.stringValue?.isEmpty == false, "\(topic.rawValue) in Chinese")
        }
        let watcher = ChildProcess(
            executable: AccessDesk.receptionctl,
            arguments: ["--socket", daemon.socketPath, "--operator", "li.na", "watch", "access"],
            environment: ["TZ": AccessDesk.timeZone, "LANG": "C.UTF-8", "LC_ALL": ""],
            logPath: daemon.directory + "/watch.log")
        try watcher.launch()
        try watcher.waitUntil("the subscription") {
            ((try? client.call("daemon.status", [:]))?["events"]?["subscribers"]?.intValue ?? 0) >= 1
        }
        let register = try AccessDesk.ctl(
            daemon,
            [
                "access", "keys", "register", "K-0012", "--category", "vacant_unit", "--hook", "A-12", "--unit",
                "3-2-1202",
            ])
        #expect(register.status == 0, "\(register)")
        try watcher.waitUntil("the key line") { watcher.log.contains("K-0012") }
        #expect(watcher.log.contains("key K-0012 registered on hook A-12 by li.na"), "\(watcher.log)")
        try daemon.stop()
    }
}
