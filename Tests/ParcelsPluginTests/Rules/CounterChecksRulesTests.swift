import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// Checks the counter asked for (issue 12): a pickup by someone else is a proxy pickup, identity
/// documents come from a configured list, the last four characters are stored as printed, "still
/// at the desk" is one filter, and overdue items say how long they have waited.
@Suite("parcels counter checks, in-process")
struct CounterChecksRulesTests {
    @Test("a pickup by someone other than the recipient without proxy is refused with rule proxy_required; with proxy it goes")
    func proxyRequired() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive(recipient: "周杰")
        let code = try #require(item["code"]?.stringValue)
        let refused = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([code], by: "王五"))
        #expect(refused.kind == .validation)
        #expect(refused.field == "proxy")
        #expect(refused.rule == "proxy_required")
        #expect(refused.details["recipient"] == "周杰")
        #expect(refused.message == "\(code) is for 周杰, not 王五: a pickup by someone else is a proxy pickup (give proxy: true)")
        #expect(try desk.item(code)["status"] == "held")
        let collected = try desk.pickup([code], by: "王五", proxy: true)
        #expect(collected["items"]?.arrayValue?.first?["proxy"] == true)
        // The recipient collects without proxy; white space typed differently is the same name.
        let own = try #require(try desk.receive(recipient: "周杰")["code"]?.stringValue)
        #expect(try desk.pickup([own], by: " 周杰 ")["items"]?.arrayValue?.first?["proxy"] == false)
    }

    @Test("the document type is one of the configured list, typed as its value or its label; another is refused with the list")
    func documentTypes() throws {
        let desk = try ParcelsHarness.parcels()
        let first = try #require(try desk.receive()["code"]?.stringValue)
        var params = ParcelsHarness.pickupParams([first])
        if case .object(var members) = params {
            members["idType"] = "身份证"
            params = .object(members)
        }
        try desk.call("parcels.pickup", params)
        #expect(try desk.item(first)["idType"] == "id_card", "the label is stored as the type's value")
        let second = try #require(try desk.receive()["code"]?.stringValue)
        if case .object(var members) = params {
            members["codes"] = [.string(second)]
            members["idType"] = "library_card"
            params = .object(members)
        }
        let refused = try desk.callError("parcels.pickup", params)
        #expect(refused.field == "idType")
        #expect(refused.rule == "known_id_type")
        #expect(refused.message.contains("id_card (身份证)"))
        #expect(refused.details["idTypes"]?.arrayValue?.contains("passport") == true)

        let configured = try ParcelsHarness.parcels(config: ["id_types": ["staff_card": "员工卡"]])
        let code = try #require(try configured.receive()["code"]?.stringValue)
        if case .object(var members) = params {
            members["codes"] = [.string(code)]
            members["idType"] = "员工卡"
            params = .object(members)
        }
        try configured.call("parcels.pickup", params)
        #expect(try configured.item(code)["idType"] == "staff_card")
    }

    @Test("idLast4 is stored upper-cased: 071x is 071X")
    func last4UpperCased() throws {
        let desk = try ParcelsHarness.parcels()
        let code = try #require(try desk.receive()["code"]?.stringValue)
        try desk.pickup([code], last4: "071x")
        #expect(try desk.item(code)["idLast4"] == "071X")
    }

    @Test("parcels.list with status at_desk lists held and notified items, not collected ones")
    func atDesk() throws {
        let desk = try ParcelsHarness.parcels()
        let held = try #require(try desk.receive()["code"]?.stringValue)
        let notified = try #require(try desk.receive()["code"]?.stringValue)
        try desk.call("parcels.notify", ["code": .string(notified), "channel": "sms"])
        let gone = try #require(try desk.receive()["code"]?.stringValue)
        try desk.pickup([gone])
        let listed = try desk.call("parcels.list", ["status": "at_desk"])
        let codes = Set(listed["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? [])
        #expect(codes == [held, notified])
        #expect(try desk.call("parcels.list", ["status": "held"])["items"]?.arrayValue?.count == 1)
    }

    @Test("parcels.overdue says how many whole days each item has waited")
    func daysWaiting() throws {
        let desk = try ParcelsHarness.parcels()
        let old = try #require(try desk.receive()["code"]?.stringValue)
        desk.clock.advance(days: 2)
        let newer = try #require(try desk.receive()["code"]?.stringValue)
        desk.clock.advance(days: 7)
        desk.clock.advance(by: 3600)
        let overdue = try desk.call("parcels.overdue", ["days": 0])
        let waited = Dictionary(
            uniqueKeysWithValues: (overdue["items"]?.arrayValue ?? []).compactMap { item in
                item["code"]?.stringValue.map { ($0, item["daysWaiting"]?.intValue) }
            })
        #expect(waited[old] == 9)
        #expect(waited[newer] == 7)
        #expect(overdue["days"] == 0)
    }
}

/// `parcels.stats` over plain dates, as the supervisor asks for the month.
@Suite("parcels.stats takes plain dates")
struct StatsPlainDatesRulesTests {
    @Test("from and to as YYYY-MM-DD are whole days in the daemon's time zone, to included")
    func plainDates() throws {
        let desk = try ParcelsHarness.parcels()
        let today = CivilDate(localDateOf: desk.clock.now)
        try desk.receive()
        let day = try desk.call("parcels.stats", ["from": .string(today.description), "to": .string(today.description)])
        #expect(day["received"] == 1)
        #expect(day["from"]?.stringValue == Timestamp.format(today.startInLocalTime))
        let yesterday = try #require(today.adding(days: -1)).description
        let before = try desk.call("parcels.stats", ["from": .string(yesterday), "to": .string(yesterday)])
        #expect(before["received"] == 0)
        let bad = try desk.callError("parcels.stats", ["from": "12/01/2026", "to": .string(today.description)])
        #expect(bad.field == "from")
        #expect(bad.message.contains("a date (2026-12-01) or an ISO 8601 time"))
    }
}
