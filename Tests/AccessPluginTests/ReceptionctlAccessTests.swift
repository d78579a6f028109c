import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The README's counter workflow with the real `receptionctl`: a tenant pass and a key.
@Suite("access: receptionctl at the counter", .timeLimit(.minutes(2)))
struct ReceptionctlAccessTests {
    @Test("Issue a tenant pass, verify it, lend a key to a visitor, see it out, take it back, read the day's ledger")
    func counterWorkflow() throws {
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
        #expect(issue.stdout.contains("T000001"), "\(issue.stdout)")
        #expect(issue.stdout.contains("Receipt AC"), "the receipt is a block of its own: \(issue.stdout)")

        let verify = try AccessDesk.ctl(daemon, ["access", "badges", "verify", "T000001"])
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains("active"), "\(verify.stdout)")
        let unknown = try AccessDesk.ctl(daemon, ["--json", "access", "badges", "verify", "T999999"])
        #expect(unknown.status == 0, "unknown is an answer, not an error: \(unknown)")
        #expect(try AccessDesk.json(unknown)["reason"] == "unknown")

        let pastLease = try AccessDesk.ctl(
            daemon,
            [
                "access", "badges", "issue", "--kind", "tenant", "--holder", "周杰", "--id-type", "id_card",
                "--id-number", "110101199101015555", "--unit", "2-1-101", "--lease-ref", "L-2026-0500",
                "--lease-end", leaseEnd, "--valid-until", AccessDesk.date(months: 7),
            ])
        #expect(pastLease.status == 1, "\(pastLease)")
        #expect(pastLease.stderr.contains("--valid-until"), "names the option typed: \(pastLease)")

        let register = try AccessDesk.ctl(
            daemon,
            [
                "access", "keys", "register", "K-0012", "--category", "vacant_unit", "--building", "3", "--floor", "12",
                "--unit", "3-2-1202", "--hook", "A-12",
            ])
        #expect(register.status == 0, "\(register)")
        let checkout = try AccessDesk.ctl(
            daemon,
            [
                "access", "keys", "checkout", "K-0012", "--borrower", "张伟", "--borrower-type", "external",
                "--id-type", "id_card", "--id-number", "320102198807154321", "--deposit", "50", "--due-back",
                AccessDesk.time(inSeconds: 3 * 3600),
            ])
        #expect(checkout.status == 0, "\(checkout)")
        let again = try AccessDesk.ctl(
            daemon,
            [
                "access", "keys", "checkout", "K-0012", "--borrower", "赵磊", "--borrower-type", "staff", "--due-back",
                AccessDesk.time(inSeconds: 3600),
            ])
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.contains("张伟"), "the refusal says who has it: \(again)")

        let out = try AccessDesk.ctl(daemon, ["access", "keys", "list", "--status", "out"])
        #expect(out.status == 0, "\(out)")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 3, "header, rule, one key:\n\(out.stdout)")
        #expect(out.stdout.contains("K-0012") && out.stdout.contains("张伟"), "\(out.stdout)")

        let checkin = try AccessDesk.ctl(daemon, ["access", "keys", "checkin", "K-0012"])
        #expect(checkin.status == 0, "\(checkin)")
        #expect(checkin.stdout.contains("¥50.00"), "the refund, in yuan: \(checkin.stdout)")

        let ledger = try AccessDesk.ctl(daemon, ["--json", "access", "ledger", "--from", AccessDesk.date()])
        #expect(ledger.status == 0, "\(ledger)")
        let totals = try AccessDesk.json(ledger)["totals"]
        #expect(totals?["fees"] == 500)
        #expect(totals?["deposits"] == 6000)
        #expect(totals?["refunds"] == 5000)
        #expect(totals?["cash"] == 1500)
        let human = try AccessDesk.ctl(daemon, ["access", "ledger", "--from", AccessDesk.date()])
        #expect(human.status == 0, "\(human)")
        #expect(human.stdout.contains("Receipt"), "\(human.stdout)")

        let reconcile = try AccessDesk.ctl(daemon, ["--json", "access", "keys", "reconcile", "K-0012", "X-1"])
        #expect(reconcile.status == 0, "\(reconcile)")
        #expect(try AccessDesk.json(reconcile)["unregistered"] == ["X-1"])
        try daemon.stop()
    }
}
