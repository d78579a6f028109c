import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// The read side in-process: `parcels.get`, `parcels.pending`, `parcels.list`, `parcels.overdue`.
@Suite("parcels rules: looking items up")
struct LookupRulesTests {
    @Test("parcels.get finds an item by its code typed in any case; an unknown code is not_found naming it")
    func getByCode() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        #expect(try desk.item(item.code.lowercased()) == item)
        let unknown = try desk.callError("parcels.get", ["code": "Z9Z9Z9Z9"])
        #expect(unknown.kind == .notFound)
        #expect(unknown.code == -32001)
        #expect(unknown.message == "no item with pickup code Z9Z9Z9Z9")
        #expect(unknown.details == ["code": "Z9Z9Z9Z9"])
        #expect(try desk.callError("parcels.get", [:]).field == "code")
    }

    @Test(
        "parcels.pending lists what is held for a unit or a recipient, oldest first, matching the unit however it was spaced"
    )
    func pending() throws {
        let desk = try ParcelsHarness.parcels()
        let first = try desk.receive("letter", recipient: "李娜", unit: "3栋 2单元 1201")
        desk.clock.advance(by: 1)
        let second = try desk.receive("parcel", recipient: "张伟", unit: "3栋2单元  1201")  // "3栋2单元 1201"
        desk.clock.advance(by: 1)
        let third = try desk.receive("express", recipient: "李娜", unit: " 3栋 2单元\u{3000}1201 ")
        desk.clock.advance(by: 1)
        let otherUnit = try desk.receive("parcel", recipient: "李娜", unit: "3栋 2单元 1202")
        let collected = try desk.receive("parcel", recipient: "李娜", unit: "3栋 2单元 1201")
        try desk.pickup([collected.code])
        let returned = try desk.receive("parcel", recipient: "李娜", unit: "3栋 2单元 1201")
        try desk.call("parcels.return", ["code": .string(returned.code), "reason": "refused"])
        let notified = try desk.receive("parcel", recipient: "李娜", unit: "3栋 2单元 1201")
        try desk.call("parcels.notify", ["code": .string(notified.code), "channel": "sms"])

        #expect(
            try desk.pendingCodes(unit: "3栋\u{3000}2单元   1201") == [
                first.code, second.code, third.code, notified.code,
            ],
            "oldest first, held and notified only")
        #expect(
            try desk.pendingCodes(unit: "3栋2单元1201") == [first.code, second.code, third.code, notified.code],
            "white space does not make another unit")
        #expect(try desk.item(second.code)["unit"] == "3栋2单元 1201", "the unit is shown as typed (white space folded)")
        let byName = try desk.call("parcels.pending", ["recipient": " 李娜 "])["items"]?.arrayValue ?? []
        #expect(byName.map(\.code) == [first.code, third.code, otherUnit.code, notified.code])
        let both =
            try desk.call("parcels.pending", ["recipient": "李娜", "unit": "3栋 2单元 1201"])["items"]?.arrayValue ?? []
        #expect(both.map(\.code) == [first.code, third.code, notified.code])
        let none = try desk.call("parcels.pending", ["unit": "9-9-9999"])
        #expect(none == ["items": []], "no more member when there is no more")
    }

    @Test("parcels.pending needs a unit or a recipient, and pages at limit with more: true")
    func pendingLimits() throws {
        let desk = try ParcelsHarness.parcels()
        for _ in 0..<3 { try desk.receive() }
        let neither = try desk.callError("parcels.pending", [:])
        #expect(neither.code == -32007)
        #expect(neither.field == "unit")
        #expect(neither.message == "give a unit or a recipient (or both)")
        let limited = try desk.call("parcels.pending", ["recipient": "李娜", "limit": 2])
        #expect(limited["items"]?.arrayValue?.count == 2)
        #expect(limited["more"] == true)
        let exact = try desk.call("parcels.pending", ["recipient": "李娜", "limit": 3])
        #expect(exact["items"]?.arrayValue?.count == 3)
        #expect(exact["more"] == nil, "more is there only when there is more")
        #expect(try desk.callError("parcels.pending", ["unit": "1", "limit": 1001]).field == "limit")
        #expect(try desk.callError("parcels.pending", ["unit": "1", "limit": 0]).field == "limit")
    }

    @Test(
        "parcels.overdue: an item is overdue once it has been held longer than overdue_days (7), to the millisecond; collected and returned items never are"
    )
    func overdueBoundary() throws {
        let desk = try ParcelsHarness.parcels()
        let (first, notified) = try Self.oneOfEach(desk)
        desk.clock.advance(by: 1)
        let later = try desk.receive("express")

        let fresh = try desk.call("parcels.overdue")
        #expect(fresh == ["days": 7, "items": []])

        desk.clock.advance(by: 7 * 86_400 - 1)
        #expect(try desk.call("parcels.overdue")["items"] == [], "exactly seven days is not overdue")
        desk.clock.advance(by: 0.0015)  // one millisecond (and a half: Date is a Double)
        #expect(
            (try desk.call("parcels.overdue")["items"]?.arrayValue ?? []).map(\.code) == [first.code, notified.code],
            "one millisecond more is")
        desk.clock.advance(by: 1)
        #expect(
            (try desk.call("parcels.overdue")["items"]?.arrayValue ?? []).map(\.code) == [
                first.code, notified.code, later.code,
            ], "oldest first")
    }

    @Test(
        "parcels.counts: the items at the desk (held and notified) and those overdue, as parcels.overdue lists them; collected and returned are not counted"
    )
    func counts() throws {
        let desk = try ParcelsHarness.parcels()
        #expect(try desk.call("parcels.counts") == ["atDesk": 0, "overdue": 0, "days": 7])
        _ = try Self.oneOfEach(desk)
        #expect(try desk.call("parcels.counts") == ["atDesk": 2, "overdue": 0, "days": 7])
        desk.clock.advance(by: 7 * 86_400)
        #expect(try desk.call("parcels.counts")["overdue"] == 0, "exactly seven days is not overdue")
        desk.clock.advance(by: 0.0015)
        try desk.receive("express")
        let counts = try desk.call("parcels.counts")
        #expect(counts == ["atDesk": 3, "overdue": 2, "days": 7])
        #expect(
            Int64(try desk.call("parcels.overdue")["items"]?.arrayValue?.count ?? -1) == counts["overdue"]?.intValue)
        #expect(try desk.call("parcels.counts", ["days": 0])["overdue"] == 2, "received this very millisecond: not yet")
        #expect(try desk.callError("parcels.counts", ["days": -1]).field == "days")
    }

    /// An item held, one notified, one collected and one returned; the first two are returned.
    static func oneOfEach(_ desk: PluginHarness<ParcelsPlugin>) throws -> (held: JSONValue, notified: JSONValue) {
        let first = try desk.receive()
        let notified = try desk.receive("letter")
        try desk.call("parcels.notify", ["code": .string(notified.code), "channel": "sms"])
        let gone = try desk.receive()
        try desk.pickup([gone.code])
        let sent = try desk.receive()
        try desk.call("parcels.return", ["code": .string(sent.code), "reason": "refused"])
        return (first, notified)
    }

    @Test("parcels.overdue: days overrides overdue_days for one call; overdue_days comes from [plugins.parcels]")
    func overdueDays() throws {
        let desk = try ParcelsHarness.parcels(config: ["overdue_days": 3])
        let item = try desk.receive()
        desk.clock.advance(days: 2)
        #expect(try desk.call("parcels.overdue") == ["days": 3, "items": []])
        let short = try desk.call("parcels.overdue", ["days": 1])
        #expect(short["days"] == 1)
        #expect((short["items"]?.arrayValue ?? []).map(\.code) == [item.code])
        #expect(try desk.call("parcels.overdue", ["days": 0])["items"]?.arrayValue?.count == 1)
        desk.clock.advance(days: 2)
        #expect((try desk.call("parcels.overdue")["items"]?.arrayValue ?? []).map(\.code) == [item.code])
        try desk.receive()
        #expect(
            try desk.call("parcels.overdue", ["days": 0])["items"]?.arrayValue?.count == 1,
            "received this very millisecond: not yet held longer than zero days")
        let limited = try desk.call("parcels.overdue", ["days": 0, "limit": 1])
        #expect(limited["more"] == nil, "one overdue item, limit one")
        #expect(try desk.callError("parcels.overdue", ["days": -1]).field == "days")
        #expect(try desk.callError("parcels.overdue", ["days": 3651]).field == "days")
    }

    @Test(
        "parcels.list filters by status, kind, unit, recipient, carrier and time received (from inclusive, to exclusive), newest first"
    )
    func listFilters() throws {
        let desk = try ParcelsHarness.parcels()
        let start = desk.clock.now
        var codes: [String] = []
        for index in 0..<7 {
            let item = try desk.receive(
                index % 2 == 0 ? "parcel" : "letter", recipient: index < 4 ? "李娜" : "王芳", unit: "1-1-10\(index % 3)",
                with: ["carrier": index < 5 ? "SF" : "EMS"])
            codes.append(item.code)
            desk.clock.advance(by: 60)
        }
        try desk.pickup([codes[0], codes[1]])
        try desk.call("parcels.notify", ["code": .string(codes[2]), "channel": "sms"])
        try desk.call("parcels.return", ["code": .string(codes[3]), "reason": "refused"])

        func list(_ params: [String: JSONValue]) throws -> [String] {
            (try desk.call("parcels.list", .object(params))["items"]?.arrayValue ?? []).map(\.code)
        }
        func at(minutes: Double) -> JSONValue {
            .string(Timestamp.format(start.addingTimeInterval(minutes * 60)))
        }
        #expect(try list([:]) == codes.reversed(), "newest first")
        #expect(try list(["status": "collected"]) == [codes[1], codes[0]])
        #expect(try list(["status": "held"]) == [codes[6], codes[5], codes[4]], "held means not yet notified here")
        #expect(try list(["status": "notified"]) == [codes[2]])
        #expect(try list(["status": "returned"]) == [codes[3]])
        #expect(try list(["kind": "letter"]) == [codes[5], codes[3], codes[1]])
        #expect(try list(["unit": " 1-1-100 "]) == [codes[6], codes[3], codes[0]])
        #expect(try list(["recipient": "王芳", "carrier": "EMS"]) == [codes[6], codes[5]])
        #expect(try list(["from": at(minutes: 1), "to": at(minutes: 3)]) == [codes[2], codes[1]], "[from, to)")
        #expect(try list(["to": at(minutes: 0)]).isEmpty)
        #expect(try list(["from": at(minutes: 7)]).isEmpty)
    }

    @Test("parcels.list pages with an opaque cursor: every item once, newest first, then nextCursor null")
    func listPages() throws {
        let desk = try ParcelsHarness.parcels()
        var codes: [String] = []
        for _ in 0..<7 { codes.append(try desk.receive().code) }
        var seen: [String] = []
        var cursor: JSONValue = .null
        var pages = 0
        repeat {
            var params: [String: JSONValue] = ["limit": 3]
            if cursor != .null { params["cursor"] = cursor }
            let page = try desk.call("parcels.list", .object(params))
            #expect(page.objectValue.map { Set($0.keys) } == ["items", "nextCursor"])
            seen += (page["items"]?.arrayValue ?? []).map(\.code)
            cursor = page["nextCursor"] ?? .null
            pages += 1
        } while cursor != .null && pages < 10
        #expect(seen == codes.reversed())
        #expect(pages == 3)
        // A page that ends exactly at the last item says so: no cursor to a page of nothing.
        let whole = try desk.call("parcels.list", ["limit": 7])
        #expect(whole["nextCursor"] == .null)

        #expect(try desk.callError("parcels.list", ["cursor": "garbage"]).field == "cursor")
        #expect(try desk.callError("parcels.list", ["from": "last tuesday"]).field == "from")
        #expect(try desk.callError("parcels.list", ["limit": 501]).field == "limit")
        #expect(try desk.callError("parcels.list", ["status": "lost"]).field == "status")
        #expect(try desk.callError("parcels.list", ["kind": "crate"]).field == "kind")
    }

    @Test("parcels.list takes plain days as stats does: from a day includes it, to a day includes it too")
    func listByDays() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()  // 2026-12-06 (the test clock)
        func codes(_ params: JSONValue) throws -> [String] {
            (try desk.call("parcels.list", params)["items"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
        }
        #expect(try codes(["from": "2026-12-06", "to": "2026-12-06"]) == [item.code], "the whole day, both ends")
        #expect(try codes(["to": "2026-12-05"]).isEmpty, "up to and including the day before")
        #expect(try codes(["from": "2026-12-07"]).isEmpty)
        #expect(try codes(["to": .string(desk.nowText)]).isEmpty, "an instant stays exclusive")
        let schema = ParcelsPlugin.manifest.methods.first { $0.name == "parcels.list" }?.params
        #expect(schema?["properties"]?["to"]?["x-accepts-date"] == true, "receptionctl sends a typed day as it is")
    }
}
