import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Access dates through the real daemon and `receptionctl`, with `[daemon] time_zone` set to a
/// zone whose date differs from the machine's (UTC) right now: the daemon's local day, not the
/// machine's, dates receipts, and typed times are read in it.
@Suite("access: dates typed at the counter are the daemon's time zone's", .timeLimit(.minutes(2)))
struct ReceptionctlDatesTests {
    /// A zone whose calendar date differs from UTC's at this moment: UTC+14 after 10:00 UTC, UTC-11 before.
    static var farZone: (name: String, offset: String) {
        let hour =
            Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: Date())
            .hour ?? 0
        return hour >= 10 ? ("Pacific/Kiritimati", "+14:00") : ("Pacific/Pago_Pago", "-11:00")
    }

    @Test(
        "--due-back 'tomorrow 18:00' is stored as 18:00 of the daemon's tomorrow; the receipt and ledger --from today use its day"
    )
    func dueBackAndLedger() throws {
        let zone = Self.farZone
        let daemon = try AccessDesk.start(config: "[daemon]\ntime_zone = \"\(zone.name)\"\n", timeZone: "UTC")
        defer { _ = try? daemon.stop() }
        #expect(AccessDesk.date(in: zone.name) != AccessDesk.date(in: "UTC"), "the test needs days that differ")
        let register = try AccessDesk.ctl(
            daemon,
            ["access", "keys", "register", "K-7", "--category", "vacant_unit", "--hook", "A-7", "--unit", "3-2-1202"])
        #expect(register.status == 0, "\(register)")
        let lend = [
            "access", "keys", "checkout", "K-7", "--borrower", "张伟", "--borrower-type", "external", "--id-type",
            "id_card", "--id-number", "320102198807154321", "--deposit", "50",
        ]
        let refused = try AccessDesk.ctl(daemon, lend + ["--due-back", "tomorrow at six"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("--due-back needs a time written"), "\(refused.stderr)")

        let checkout = try AccessDesk.ctl(daemon, lend + ["--due-back", "tomorrow 18:00"])
        #expect(checkout.status == 0, "\(checkout)")
        let keys = try AccessDesk.json(
            try AccessDesk.ctl(daemon, ["--json", "access", "keys", "list", "--status", "out"]))
        let tomorrow = AccessDesk.date(days: 1, in: zone.name)
        #expect(
            keys["keys"]?.arrayValue?.first?["dueBack"] == .string("\(tomorrow)T18:00:00.000\(zone.offset)"), "\(keys)")

        let today = AccessDesk.date(in: zone.name)
        let ledger = try AccessDesk.json(try AccessDesk.ctl(daemon, ["--json", "access", "ledger", "--from", "today"]))
        #expect(ledger["from"] == .string(today), "today is the daemon's today: \(ledger)")
        #expect(
            ledger["entries"]?.arrayValue?.first?["date"] == .string(today),
            "the receipt is dated the daemon's day: \(ledger)")
        let utcDay = try AccessDesk.json(
            try AccessDesk.ctl(daemon, ["--json", "access", "ledger", "--from", AccessDesk.date(in: "UTC")]))
        #expect(utcDay["entries"] == [], "nothing on the machine's (UTC) day: \(utcDay)")
    }

    @Test("A reload that changes time_zone keeps the running zone and says a restart applies it")
    func reloadNeedsRestart() throws {
        let daemon = try AccessDesk.start(config: "[daemon]\ntime_zone = \"Asia/Shanghai\"\n", timeZone: "UTC")
        defer { _ = try? daemon.stop() }
        try daemon.rewriteConfig("[daemon]\ntime_zone = \"America/New_York\"\n")
        let client = try daemon.connect()
        let reload = try client.call("daemon.reload")
        #expect(reload["restartRequired"] == ["time_zone"], "\(reload)")
        #expect(try client.call("daemon.hello")["timeZone"] == "Asia/Shanghai")
    }
}
