import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Money through the real daemon and the real `receptionctl`: the clerk types and reads yuan,
/// the wire and `--json` carry fen.
@Suite("access: receptionctl takes and shows money in yuan", .timeLimit(.minutes(2)))
struct ReceptionctlMoneyTests {
    @Test("--deposit 50 records 5000 fen; a pass and a key show ¥15.00-style amounts; --json keeps fen")
    func yuanInYuanOut() throws {
        let daemon = try AccessDesk.start()
        let register = try AccessDesk.ctl(
            daemon,
            [
                "access", "keys", "register", "K-0012", "--category", "vacant_unit", "--hook", "A-12", "--unit",
                "3-2-1202",
            ])
        #expect(register.status == 0, "\(register)")

        let help = try AccessDesk.ctl(daemon, ["access", "keys", "checkout", "--help"])
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains("--deposit <yuan>"), "\(help.stdout)")
        #expect(help.stdout.contains("amount in yuan (¥)"), "\(help.stdout)")

        let lend = [
            "access", "keys", "checkout", "K-0012", "--borrower", "张伟", "--borrower-type", "external", "--id-type",
            "id_card", "--id-number", "320102198807154321", "--due-back", AccessDesk.time(inSeconds: 3600),
        ]
        let tooFine = try AccessDesk.ctl(daemon, lend + ["--deposit", "50.005"])
        #expect(tooFine.status == 2, "\(tooFine)")
        #expect(tooFine.stderr.contains("--deposit takes at most 2 decimals"), "\(tooFine.stderr)")
        let negative = try AccessDesk.ctl(daemon, lend + ["--deposit", "-5"])
        #expect(negative.status == 2, "\(negative)")
        #expect(negative.stderr.contains("--deposit cannot be negative"), "\(negative.stderr)")

        let checkout = try AccessDesk.ctl(daemon, lend + ["--deposit", "50"])
        #expect(checkout.status == 0, "\(checkout)")
        #expect(checkout.stdout.contains("¥50.00"), "the deposit in yuan: \(checkout.stdout)")
        #expect(!checkout.stdout.contains("5000"), "no fen in human output: \(checkout.stdout)")
        let out = try AccessDesk.json(
            try AccessDesk.ctl(daemon, ["--json", "access", "keys", "list", "--status", "out"]))
        #expect(out["keys"]?.arrayValue?.first?["deposit"] == 5000, "recorded in fen: \(out)")

        let checkin = try AccessDesk.json(
            try AccessDesk.ctl(daemon, ["--json", "access", "keys", "checkin", "K-0012"]))
        #expect(checkin["receipt"]?["refund"] == 5000, "--json keeps minor units: \(checkin)")

        let leaseEnd = AccessDesk.date(months: 6)
        let issue = try AccessDesk.ctl(
            daemon,
            [
                "access", "badges", "issue", "--kind", "tenant", "--holder", "王芳", "--id-type", "id_card",
                "--id-number", "110101199003071234", "--unit", "3-2-1201", "--lease-ref", "L-2026-0412",
                "--lease-end", leaseEnd, "--valid-until", leaseEnd,
            ])
        #expect(issue.status == 0, "\(issue)")
        let raw = try AccessDesk.json(try AccessDesk.ctl(daemon, ["--json", "access", "badges", "get", "T000001"]))
        let fee = try #require(raw["fee"]?.intValue, "\(raw)")
        let deposit = try #require(raw["deposit"]?.intValue, "\(raw)")
        #expect(issue.stdout.contains(Currency.cny.format(minorUnits: fee)), "\(issue.stdout)")
        #expect(issue.stdout.contains(Currency.cny.format(minorUnits: fee + deposit)), "the total: \(issue.stdout)")
        #expect(issue.stdout.contains(#/¥\d+\.\d\d/#), "\(issue.stdout)")
        try daemon.stop()
    }

    @Test("A daemon configured for yen takes whole yen and shows no decimals")
    func configuredCurrency() throws {
        let daemon = try AccessDesk.start(config: "[daemon]\ncurrency = \"JPY\"\n")
        #expect(
            try AccessDesk.ctl(
                daemon,
                [
                    "access", "keys", "register", "K-1", "--category", "vacant_unit", "--hook", "A-1", "--unit",
                    "3-2-1202",
                ]
            ).status == 0)
        let lend = [
            "access", "keys", "checkout", "K-1", "--borrower", "张伟", "--borrower-type", "external", "--id-type",
            "id_card", "--id-number", "320102198807154321", "--due-back", AccessDesk.time(inSeconds: 3600),
        ]
        let fraction = try AccessDesk.ctl(daemon, lend + ["--deposit", "50.5"])
        #expect(fraction.status == 2, "\(fraction)")
        #expect(fraction.stderr.contains("--deposit takes whole JPY"), "\(fraction.stderr)")
        let checkout = try AccessDesk.ctl(daemon, ["--json"] + lend + ["--deposit", "¥500"])
        #expect(checkout.status == 0, "\(checkout)")
        #expect(try AccessDesk.json(checkout)["receipt"]?["deposit"] == 500, "\(checkout.stdout)")
        let checkin = try AccessDesk.ctl(daemon, ["access", "keys", "checkin", "K-1"])
        #expect(checkin.stdout.contains("¥500") && !checkin.stdout.contains("¥500."), "\(checkin.stdout)")
        try daemon.stop()
    }
}
