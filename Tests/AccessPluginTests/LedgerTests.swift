import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// The cash book, in-process: every fee, deposit and refund is an entry with a receipt number, and
/// the totals of a day match what the desk took and paid out.
@Suite("access rules: the ledger")
struct LedgerTests {
    @Test("A day of issues, renewals, returns, a loss and key deposits: entries and totals match the money")
    func dayTotals() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        var receipts: [String] = []
        func keep(_ reply: JSONValue) {
            if let number = reply["receipt"]?["number"]?.stringValue { receipts.append(number) }
        }
        keep(try desk.issue("tenant", validUntil: desk.date(months: 1)))  // fee 500, deposit 1000
        keep(try desk.issue("contractor"))  // fee 500, deposit 1000
        keep(try desk.issue("resident"))  // free: a receipt without entries
        // Renewals: 200 (tenant) and 500 (contractor).
        keep(try desk.call("access.badges.renew", ["number": "T000001", "validUntil": .string(desk.date(months: 6))]))
        keep(try desk.call("access.badges.renew", ["number": "C000001", "validUntil": .string(desk.date(months: 2))]))
        keep(try desk.call("access.badges.return", ["number": "T000001"]))  // refund 1000
        keep(try desk.call("access.badges.reportLost", ["number": "C000001"]))  // forfeit 1000
        try desk.register("K-1")
        try desk.register("K-2")
        keep(try desk.call("access.keys.checkout", desk.externalLoan("K-1", deposit: 5000)))
        keep(try desk.call("access.keys.checkin", ["tag": "K-1"]))  // refund 5000
        keep(try desk.call("access.keys.checkout", desk.externalLoan("K-2", deposit: 3000)))  // still out

        let today = desk.date()
        let ledger = try desk.call("access.ledger", ["from": .string(today), "to": .string(today)])
        #expect(ledger["from"] == .string(today))
        #expect(ledger["to"] == .string(today))
        #expect(ledger["more"] == nil)
        #expect(
            ledger["totals"] == [
                "fees": 1700, "deposits": 10_000, "refunds": 6000, "forfeited": 1000,
                "cash": 5700,  // fees + deposits - refunds
                "depositsNet": 3000,  // only K-2's deposit is still held
                "entries": 11, "receipts": 9,
            ])

        let entries = try #require(ledger["entries"]?.arrayValue)
        #expect(entries.count == 11)
        var sums: [String: Int64] = [:]
        for entry in entries {
            sums[entry["type"]?.stringValue ?? "", default: 0] += entry["amount"]?.intValue ?? 0
            #expect(receipts.contains(entry["receipt"]?.stringValue ?? ""), "\(entry)")
            #expect(entry["date"] == .string(today))
            #expect(entry["time"] == .string(Timestamp.format(desk.clock.now)))
            #expect(entry["by"] == "li.na")
        }
        #expect(sums == ["fee": 1700, "deposit": 10_000, "refund": 6000, "forfeit": 1000])
        #expect(
            entries.first == [
                "id": 1, "receipt": .string("AC\(desk.today.compact)-0001"),
                "time": .string(Timestamp.format(desk.clock.now)),
                "date": .string(today), "type": "fee", "amount": 500, "operation": "issue", "badge": "T000001",
                "kind": "tenant", "key": .null, "by": "li.na",
            ])
        #expect(entries.last?["key"] == "K-2")
        #expect(entries.last?["kind"] == .null)
        #expect(
            receipts == (1...10).map { "AC\(desk.today.compact)-" + String(format: "%04d", $0) },
            "one receipt per cash event, the free pass's included, numbered in order")

        // Filters: a type, a page (totals still cover the range), another day.
        let refunds = try desk.call("access.ledger", ["from": .string(today), "type": "refund"])
        #expect(refunds["entries"]?.arrayValue?.compactMap { $0["amount"]?.intValue } == [1000, 5000])
        #expect(refunds["totals"]?["refunds"] == 6000)
        #expect(refunds["totals"]?["fees"] == 0)
        let page = try desk.call("access.ledger", ["from": .string(today), "limit": 3])
        #expect(page["entries"]?.arrayValue?.count == 3)
        #expect(page["more"] == true)
        #expect(page["totals"]?["cash"] == 5700)
        let yesterday = desk.date(days: -1)
        let empty = try desk.call("access.ledger", ["from": .string(yesterday), "to": .string(yesterday)])
        #expect(empty["entries"] == [])
        #expect(empty["totals"]?["cash"] == 0)

        let backwards = try desk.callError("access.ledger", ["from": .string(today), "to": .string(yesterday)])
        #expect(backwards.field == "to")
        #expect(backwards.message == "to (\(yesterday)) is before from (\(today))")
        #expect(try desk.callError("access.ledger", ["from": "2026-13-01"]).field == "from")
        #expect(try desk.callError("access.ledger", [:]).code == -32602)
    }

    @Test("Receipt numbers start again at 0001 each day, and a day's ledger holds that day's entries only")
    func receiptsPerDay() throws {
        let desk = try PluginHarness(AccessPlugin.self, config: ["receipt_prefix": "gh"])
        let first = try desk.issue("tenant")
        #expect(first["receipt"]?["number"] == .string("GH\(desk.today.compact)-0001"))
        let firstDay = desk.date()
        desk.clock.advance(days: 1)
        let next = try desk.issue("contractor")
        #expect(next["receipt"]?["number"] == .string("GH\(desk.today.compact)-0001"))
        #expect(next["receipt"]?["date"] == .string(desk.date()))
        #expect(try desk.call("access.ledger", ["from": .string(firstDay)])["totals"]?["fees"] == 500)
        let both = try desk.call("access.ledger", ["from": .string(firstDay), "to": .string(desk.date())])
        #expect(both["totals"]?["entries"] == 4)
        #expect(both["totals"]?["receipts"] == 2)
    }
}
