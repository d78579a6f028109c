import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The cash book: every fee, deposit and refund is an entry with a receipt number, and the
/// totals of a day match what the desk took and paid out.
@Suite("access: the ledger", .timeLimit(.minutes(2)))
struct LedgerTests {
    @Test("A day of issues, renewals, returns, a loss and key deposits: entries and totals match the money")
    func dayTotals() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        var receipts: [String] = []
        func keep(_ reply: JSONValue) {
            if let number = reply["receipt"]?["number"]?.stringValue { receipts.append(number) }
        }
        keep(try desk.issue("tenant", validUntil: AccessDesk.date(months: 1)))  // fee 500, deposit 1000
        keep(try desk.issue("contractor"))  // fee 500, deposit 1000
        keep(try desk.issue("resident"))  // free: a receipt without entries
        // Renewals: 200 (tenant) and 500 (contractor).
        keep(
            try desk.call(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 6))]))
        keep(
            try desk.call(
                "access.badges.renew", ["number": "C000001", "validUntil": .string(AccessDesk.date(months: 2))]))
        keep(try desk.call("access.badges.return", ["number": "T000001"]))  // refund 1000
        keep(try desk.call("access.badges.reportLost", ["number": "C000001"]))  // forfeit 1000
        try desk.register("K-1")
        try desk.register("K-2")
        keep(try desk.call("access.keys.checkout", AccessParams.externalLoan("K-1", deposit: 5000)))
        keep(try desk.call("access.keys.checkin", ["tag": "K-1"]))  // refund 5000
        keep(try desk.call("access.keys.checkout", AccessParams.externalLoan("K-2", deposit: 3000)))  // still out

        let today = AccessDesk.date()
        let ledger = try desk.call("access.ledger", ["from": .string(today), "to": .string(today)])
        let totals = try #require(ledger["totals"])
        // Renewals: 200 (tenant) + 500 (contractor).
        #expect(totals["fees"] == 1700, "\(totals)")
        #expect(totals["deposits"] == 10_000, "\(totals)")
        #expect(totals["refunds"] == 6000, "\(totals)")
        #expect(totals["forfeited"] == 1000, "\(totals)")
        #expect(totals["cash"] == 5700, "fees + deposits - refunds: \(totals)")
        #expect(totals["depositsNet"] == 3000, "only K-2's deposit is still held: \(totals)")
        #expect(totals["entries"] == 11)
        #expect(totals["receipts"] == 9)

        let entries = try #require(ledger["entries"]?.arrayValue)
        #expect(entries.count == 11)
        var sums: [String: Int64] = [:]
        for entry in entries {
            sums[entry["type"]?.stringValue ?? "", default: 0] += entry["amount"]?.intValue ?? 0
            let receipt = entry["receipt"]?.stringValue ?? ""
            #expect(receipt.wholeMatch(of: AccessDesk.receiptShape) != nil, "\(entry)")
            #expect(receipts.contains(receipt), "\(entry)")
            #expect(entry["date"] == .string(today))
            #expect(entry["by"] == "li.na")
        }
        #expect(sums == ["fee": 1700, "deposit": 10_000, "refund": 6000, "forfeit": 1000])
        #expect(entries.first?["badge"] == "T000001")
        #expect(entries.first?["kind"] == "tenant")
        #expect(entries.last?["key"] == "K-2")
        #expect(Set(receipts).count == receipts.count, "receipt numbers are unique: \(receipts)")
        #expect(receipts == receipts.sorted(), "and issued in order: \(receipts)")

        // Filters: a type, a page (totals still cover the range), another day.
        let refunds = try desk.call("access.ledger", ["from": .string(today), "type": "refund"])
        #expect(refunds["entries"]?.arrayValue?.compactMap { $0["amount"]?.intValue } == [1000, 5000])
        #expect(refunds["totals"]?["refunds"] == 6000)
        #expect(refunds["totals"]?["fees"] == 0)
        let page = try desk.call("access.ledger", ["from": .string(today), "limit": 3])
        #expect(page["entries"]?.arrayValue?.count == 3)
        #expect(page["more"] == true)
        #expect(page["totals"]?["cash"] == 5700)
        let yesterday = AccessDesk.date(days: -1)
        let empty = try desk.call("access.ledger", ["from": .string(yesterday), "to": .string(yesterday)])
        #expect(empty["entries"] == [])
        #expect(empty["totals"]?["cash"] == 0)

        #expect(try desk.callError("access.ledger", ["from": .string(today), "to": .string(yesterday)])?.field == "to")
        #expect(try desk.callError("access.ledger", ["from": "2026-13-01"])?.field == "from")
        #expect(try desk.callError("access.ledger", [:])?.code == -32602)
        try daemon.stop()
    }
}
