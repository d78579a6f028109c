import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// Migration 5: the indexes over the whole history by code, unit and recipient hold only the
/// items that have left the desk. A database an older release made (migrations 1-4) answers
/// every read exactly as before once migrated.
@Suite("parcels rules: the history indexes (migration 5)")
struct HistoryIndexesRulesTests {
    /// Units and recipients of the desk below, in the spellings it typed.
    static let units = ["3栋2单元1201", "3-2-1202"]
    static let recipients = ["李娜", "张伟"]

    /// A desk on migrations 1-4 with held, notified, collected and returned items of two units
    /// and two recipients, received a minute apart over two days; the codes in receipt order.
    static func olderDesk() throws -> (desk: ParcelsHarness, codes: [String]) {
        let desk = try ParcelsHarness(
            ParcelsPlugin.self, migrations: ParcelsMigrations.all.count - 1)
        var codes: [String] = []
        for index in 0..<16 {
            let item = try desk.receive(
                index % 3 == 0 ? "letter" : "parcel", recipient: recipients[index % 2], unit: units[(index / 2) % 2])
            codes.append(try #require(item["code"]?.stringValue))
            desk.clock.advance(by: index == 7 ? 86_400 : 60)
        }
        // Left the desk: collected (some the next day), returned; some notified, the rest held.
        try desk.pickup([codes[0], codes[1], codes[2], codes[5]], proxy: true)
        desk.clock.advance(by: 3_600)
        try desk.pickup([codes[8], codes[11]], proxy: true)
        try desk.call("parcels.return", ["code": .string(codes[3]), "reason": "refused"])
        try desk.call("parcels.return", ["code": .string(codes[12]), "reason": "refused"])
        try desk.call("parcels.notify", ["code": .string(codes[4]), "channel": "sms"])
        try desk.call("parcels.notify", ["code": .string(codes[13]), "channel": "sms"])
        return (desk, codes)
    }

    /// Every page of `parcels.list` with `filter`, two items a page, following `nextCursor`.
    static func pages(_ desk: ParcelsHarness, _ filter: [String: JSONValue]) throws -> [JSONValue] {
        var pages: [JSONValue] = []
        var params = filter
        params["limit"] = 2
        while true {
            let page = try desk.call("parcels.list", .object(params))
            pages.append(page)
            guard case .string(let cursor)? = page["nextCursor"] else { return pages }
            params["cursor"] = .string(cursor)
        }
    }

    /// What the reads answer on `desk`: each code's item, every list by unit and recipient in each
    /// status (and unfiltered), pending by unit and by recipient, stats over both days.
    static func answers(_ desk: ParcelsHarness, codes: [String]) throws -> [JSONValue] {
        var answers: [JSONValue] = try codes.map { try desk.item($0) }
        let statuses: [JSONValue?] = [nil, "at_desk", "held", "notified", "collected", "returned"]
        var filters: [[String: JSONValue]] = [[:]]
        let people = units.map { ["unit": JSONValue.string($0)] } + recipients.map { ["recipient": .string($0)] }
        for status in statuses {
            for var filter in people {
                filter["status"] = status
                filters.append(filter)
            }
        }
        filters.append(["unit": .string(units[0]), "recipient": .string(recipients[1]), "kind": "letter"])
        for filter in filters { answers += try pages(desk, filter) }
        for unit in units { answers.append(try desk.call("parcels.pending", ["unit": .string(unit)])) }
        for name in recipients { answers.append(try desk.call("parcels.pending", ["recipient": .string(name)])) }
        answers.append(try desk.call("parcels.overdue", ["days": 0]))
        let today = String(desk.nowText.prefix(10))
        answers.append(try desk.call("parcels.stats", ["from": "2020-01-01", "to": .string(today)]))
        return answers
    }

    @Test(
        "A database made by migrations 1-4 with held, notified, collected and returned items answers parcels.get, list, pending, overdue and stats exactly as before once migration 5 runs"
    )
    func migrationKeepsEveryAnswer() throws {
        let (desk, codes) = try Self.olderDesk()
        let before = try Self.answers(desk, codes: codes)
        // The lists are what the single query before migration 5 gave: newest first over every status.
        for unit in Self.units {
            let listed = try Self.pages(desk, ["unit": .string(unit)]).flatMap { $0["items"]?.arrayValue ?? [] }
            let stored = try desk.query(
                "SELECT code FROM parcels_items WHERE unit_key = ? ORDER BY id DESC", [DeskText.unitKey(unit)])
            #expect(listed.map(\.code) == stored.map { $0.string("code") ?? "" })
            #expect(listed.count == 8)
        }
        try desk.migrate()
        let after = try Self.answers(desk, codes: codes)
        #expect(after.count == before.count)
        for (old, new) in zip(before, after) { #expect(old == new) }
        #expect(try desk.storedItems() == 16)
    }

    @Test(
        "After migration 5 the indexes by code, unit and recipient over the history hold only items that have left (a receive writes none of them); get of an item that left and the lists by unit and recipient read them"
    )
    func historyIndexesServeTheQueries() throws {
        let (desk, _) = try Self.olderDesk()
        try desk.migrate()
        let indexes = try desk.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'parcels_items'")
        let names = Set(indexes.compactMap { $0.string("name") })
        #expect(names.isDisjoint(with: ["parcels_items_code", "parcels_items_unit_key", "parcels_items_recipient"]))
        for name in ["parcels_items_code_left", "parcels_items_unit_key_left", "parcels_items_recipient_left"] {
            let sql = indexes.first { $0.string("name") == name }?.string("sql") ?? ""
            #expect(sql.hasSuffix("WHERE status IN ('collected','returned')"), "\(name) holds only items that left")
        }
        func plan(_ sql: String, _ arguments: [any SQLBindable] = ["x"]) throws -> String {
            try desk.query("EXPLAIN QUERY PLAN " + sql, arguments).compactMap { $0.string("detail") }.joined(
                separator: "; ")
        }
        let columns = "SELECT id FROM parcels_items WHERE"
        #expect(try plan("\(columns) code = ? AND \(ParcelStatus.heldSQL)").contains("parcels_items_code_held"))
        #expect(
            try plan("\(columns) code = ? AND \(ParcelStatus.leftSQL) ORDER BY id DESC LIMIT 1").contains(
                "USING INDEX parcels_items_code_left (code=?)"))
        #expect(
            try plan("\(columns) unit_key = ? AND \(ParcelStatus.leftSQL) ORDER BY id DESC LIMIT 51").contains(
                "USING INDEX parcels_items_unit_key_left (unit_key=?)"))
        #expect(
            try plan("\(columns) recipient = ? AND \(ParcelStatus.leftSQL) ORDER BY id DESC LIMIT 51").contains(
                "USING INDEX parcels_items_recipient_left (recipient=?)"))
        // A later page: the cursor is a range on the history's index, and kept off the status
        // index at the desk (`+id`), where the unit's and the recipient's held indexes serve.
        for (column, index) in [("unit_key", "unit_key"), ("recipient", "recipient")] {
            let atDesk = try plan(
                "\(columns) \(column) = ? AND \(ParcelStatus.heldSQL) AND +id < ? ORDER BY id DESC LIMIT 51", ["x", 5])
            #expect(atDesk.contains("USING INDEX parcels_items_\(index)_held (\(column)=?)"), "\(atDesk)")
            let left = try plan(
                "\(columns) \(column) = ? AND \(ParcelStatus.leftSQL) AND id < ? ORDER BY id DESC LIMIT 51", ["x", 5])
            #expect(left.contains("USING INDEX parcels_items_\(index)_left (\(column)=? AND id<?)"), "\(left)")
        }
    }
}
