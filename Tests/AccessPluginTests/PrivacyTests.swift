import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Identity numbers: stored in full, shown in full only to admins. Events, audit records, the
/// daemon's log and every operator's reply carry the last four characters.
@Suite("access: identity numbers", .timeLimit(.minutes(3)))
struct PrivacyTests {
    /// Numbers that appear nowhere else, in the case they are typed and as stored.
    static let tenantNumber = "44030419851122771x"
    static let residentNumber = "11010819770101345X"
    static let borrowerNumber = "E98765432"

    /// Whether `text` holds any of the full numbers (in any letter case).
    static func leaks(_ text: String) -> String? {
        let lower = text.lowercased()
        return [tenantNumber, residentNumber, borrowerNumber].first { lower.contains($0.lowercased()) }
    }

    @Test(
        "Admins see the full number in replies; events to a subscriber, audit.query params and the daemon log never hold it"
    )
    func eventsAuditAndLog() throws {
        let daemon = try AccessDesk.start()
        let watcher = try daemon.connect()
        try watcher.subscribe(["access"])
        let desk = try daemon.counter()

        let issued = try desk.issue("tenant", idNumber: Self.tenantNumber, validUntil: AccessDesk.date(months: 1))
        #expect(issued.badge["idNumber"] == .string(Self.tenantNumber.uppercased()), "root is an admin")
        #expect(issued.badge["idLast4"] == "771X")
        let number = issued.number
        try desk.issue("resident", holder: "李娜", idNumber: Self.residentNumber)
        // A refused issue (the same holder's second resident pass) is audited and logged too.
        expectViolation(
            try desk.issueError("resident", holder: "李娜", idNumber: Self.residentNumber), field: "holder",
            rule: "one_active_resident_pass")
        // And one the schema refuses.
        #expect(try desk.issueError("resident", idNumber: Self.residentNumber, with: ["bogus": 1])?.code == -32602)
        try desk.call(
            "access.badges.renew", ["number": .string(number), "validUntil": .string(AccessDesk.date(months: 2))])
        try desk.call("access.badges.reportLost", ["number": .string(number)])
        try desk.register("K-1")
        let lent = try desk.call(
            "access.keys.checkout", AccessParams.externalLoan("K-1", idNumber: Self.borrowerNumber))
        #expect(lent["key"]?["idNumber"] == .string(Self.borrowerNumber))
        let listed = try desk.call("access.keys.list", ["status": "out"])
        #expect(listed["keys"]?.arrayValue?.first?["idNumber"] == .string(Self.borrowerNumber))
        let back = try desk.call("access.keys.checkin", ["tag": "K-1"])
        #expect(back["loan"]?["idNumber"] == .string(Self.borrowerNumber))
        try desk.call("access.keys.reconcile", ["counted": ["K-1"]])
        let got = try desk.call("access.badges.get", ["number": .string(number)])
        #expect(got["idNumber"] == .string(Self.tenantNumber.uppercased()))

        // Events: every change arrived, none with a full number.
        let events = try watcher.drainEvents()
        #expect(
            events.compactMap { $0["topic"]?.stringValue } == [
                "access.badge.issued", "access.badge.issued", "access.badge.renewed", "access.badge.lost",
                "access.key.registered", "access.key.out", "access.key.in", "access.key.reconciled",
            ])
        for event in events {
            let text = event.serialized()
            #expect(Self.leaks(text) == nil, "event leaks a number: \(text)")
            #expect(!text.contains("\"idNumber\""), "\(text)")
        }
        #expect(events.first?["data"]?["badge"]?["idLast4"] == "771X")
        #expect(events[5]["data"]?["key"]?["idLast4"] == "5432")

        // Audit: the params of every write keep four characters; so do the samples of the
        // refused ones, which are counted in audit.refusals instead.
        let records = try #require(try desk.call("audit.query", ["method": "access."])["records"]?.arrayValue)
        #expect(records.count == 8, "\(records.count) records")
        for record in records {
            let text = record.serialized()
            #expect(Self.leaks(text) == nil, "audit record leaks a number: \(text)")
        }
        let issues = records.filter { $0["method"] == "access.badges.issue" }
        #expect(issues.count == 2)
        #expect(issues.contains { $0["params"]?["idNumber"] == "****771x" })
        let refusals = try desk.call("audit.refusals", ["method": "access."])
        #expect(Self.leaks(refusals.serialized()) == nil, "a refusal sample leaks a number: \(refusals.serialized())")
        let refusedIssues = (refusals["refusals"]?.arrayValue ?? []).filter { $0["method"] == "access.badges.issue" }
        #expect(refusedIssues.map { $0["count"]?.intValue ?? 0 }.reduce(0, +) == 2, "\(refusals.serialized())")
        let checkout = records.first { $0["method"] == "access.keys.checkout" }
        #expect(checkout?["params"]?["idNumber"] == "****5432")

        try daemon.stop()
        // The log (debug level) has every request and refusal, and no full number.
        let log = daemon.log
        #expect(log.contains("access.badges.issue"), "the log has the requests")
        #expect(log.contains("****771X") || log.contains("771X"), "the plugin's own lines use the last four")
        #expect(Self.leaks(log) == nil, "the daemon log leaks \(Self.leaks(log) ?? "")")
    }

    @Test(
        "An operator (uid 65534) never sees a full number: issue, get, list, keys checkout, list and checkin replies",
        .enabled(if: Nobody.canRun))
    func operatorReplies() throws {
        let daemon = try AccessDesk.start()
        Nobody.openUp(daemon)
        let admin = try daemon.counter()
        let issued = try admin.issue("tenant", idNumber: Self.tenantNumber)
        let number = issued.number
        try admin.register("K-1")

        var outputs: [String] = []
        func run(_ arguments: [String], expect status: Int32 = 0) throws -> CommandResult {
            let result = try Nobody.ctl(daemon, arguments)
            #expect(result.status == status, "\(arguments): \(result)")
            outputs.append(result.stdout + result.stderr)
            return result
        }
        let hello = try AccessDesk.json(try run(["--json", "call", "daemon.hello", "{}"]))
        #expect(hello["role"] == "operator", "\(hello)")

        let got = try AccessDesk.json(try run(["--json", "access", "badges", "get", number]))
        #expect(got["idLast4"] == "771X")
        #expect(got["idNumber"] == nil)
        _ = try run(["access", "badges", "list"])
        _ = try run(["--json", "access", "badges", "list", "--unit", "3-2-1201"])
        let own = try AccessDesk.json(
            try run([
                "--json", "access", "badges", "issue", "--kind", "resident", "--holder", "李娜", "--id-type", "id_card",
                "--id-number", Self.residentNumber, "--unit", "3-2-1201", "--valid-until", AccessDesk.date(months: 12),
                "--holder-is-owner",
            ]))
        #expect(own["badge"]?["idLast4"] == "345X")
        #expect(own["badge"]?["idNumber"] == nil)
        #expect(own["badge"]?["issuedBy"] == "wang.fang")
        // Refused: a second resident pass for the same holder and unit.
        _ = try run(
            [
                "access", "badges", "issue", "--kind", "resident", "--holder", "李娜", "--id-type", "id_card",
                "--id-number", Self.residentNumber, "--unit", "3-2-1201", "--valid-until", AccessDesk.date(months: 12),
                "--holder-is-owner",
            ], expect: 1)
        let lent = try AccessDesk.json(
            try run([
                "--json", "access", "keys", "checkout", "K-1", "--borrower", "张伟", "--borrower-type", "external",
                "--id-type", "passport", "--id-number", Self.borrowerNumber, "--deposit", "5000", "--due-back",
                AccessDesk.time(inSeconds: 3600),
            ]))
        #expect(lent["key"]?["idLast4"] == "5432")
        #expect(lent["key"]?["idNumber"] == nil)
        _ = try run(["access", "keys", "list"])
        _ = try run(["--json", "access", "keys", "list", "--status", "out"])
        let back = try AccessDesk.json(try run(["--json", "access", "keys", "checkin", "K-1"]))
        #expect(back["loan"]?["idLast4"] == "5432")
        #expect(back["loan"]?["idNumber"] == nil)
        _ = try run(["--json", "access", "badges", "verify", number])

        for output in outputs {
            #expect(Self.leaks(output) == nil, "an operator saw a full number: \(output)")
        }
        // The admin still sees them.
        #expect(try admin.call("access.badges.get", ["number": "R000001"])["idNumber"] == .string(Self.residentNumber))
        try daemon.stop()
        #expect(Self.leaks(daemon.log) == nil)
    }
}
