import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The clerk's side through receptionctl: money typed and read in yuan, the shift check as a
/// block, the month's report as CSV for management's spreadsheet.
@Suite("utilities: receptionctl at the counter", .timeLimit(.minutes(2)))
struct ReceptionctlUtilitiesTests {
    @Test(
        "`utilities request … --cash 50` takes yuan; `cash-on-hand` reads as a block in yuan; `report --csv` is RFC 4180"
    )
    func clerkCommands() throws {
        let daemon = try UtilitiesCounter.start()
        let requested = try UtilitiesCounter.ctl(
            daemon,
            [
                "utilities", "request", "--unit", "3-2-1201", "--payer", "王芳", "--utility", "electricity",
                "--cash", "50", "--medium", "remote", "--medium-ref", "RC-3201", "--json",
            ])
        #expect(requested.status == 0, "\(requested)")
        let request = try JSONValue.parse(requested.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            .utilityRequest
        #expect(request.fen("cash") == 5_000, "50 typed is ¥50.00, 5000 fen: \(request)")
        #expect(request["mediumRef"] == "RC-3201")
        _ = try UtilitiesCounter.ctl(
            daemon,
            [
                "utilities", "request", "--unit", "5-1-0302", "--payer", "陈静", "--utility", "gas", "--cash", "120.5",
                "--medium", "gas_card",
            ])

        let onHand = try UtilitiesCounter.ctl(daemon, ["utilities", "cash-on-hand"])
        #expect(onHand.status == 0, "\(onHand)")
        #expect(onHand.stdout.contains("¥170.50"), "the total the desk must hold, in yuan:\n\(onHand.stdout)")
        #expect(onHand.stdout.contains("3-2-1201") && onHand.stdout.contains("5-1-0302"), "\(onHand.stdout)")
        #expect(!onHand.stdout.contains("{"), "a block, not JSON:\n\(onHand.stdout)")
        #expect(!onHand.stdout.contains("17050"), "no amount in fen:\n\(onHand.stdout)")

        let month = UtilitiesCounter.reportMonth()
        let csv = try UtilitiesCounter.ctl(daemon, ["utilities", "report", "--month", month, "--csv"])
        #expect(csv.status == 0, "\(csv)")
        let table = try CSVTable.parse(Array(csv.stdout.utf8), limits: CSVTable.Limits(maxRows: 100))
        #expect(table.header.count >= 3, "\(csv.stdout)")
        #expect(table.rows.count >= 2, "a row per utility:\n\(csv.stdout)")
        let cells = table.rows.flatMap(\.fields)
        #expect(cells.contains("50.00") && cells.contains("120.50"), "money as plain yuan:\n\(csv.stdout)")
        #expect(csv.stdout.hasSuffix("\r\n"), "lines end in CRLF")

        // A record is not a list: --csv says so instead of printing something else.
        let number = try #require(request["number"]?.stringValue)
        let record = try UtilitiesCounter.ctl(daemon, ["utilities", "get", "--number", number, "--csv"])
        #expect(record.status != 0, "\(record)")
        #expect(record.stderr.contains("--csv"), "\(record)")
        let both = try UtilitiesCounter.ctl(daemon, ["utilities", "list", "--csv", "--json"])
        #expect(both.status != 0 && (both.stdout + both.stderr).contains("give --json or --csv, not both"), "\(both)")
        try daemon.stop()
    }
}
