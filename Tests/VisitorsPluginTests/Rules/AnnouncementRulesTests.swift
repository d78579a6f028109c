import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// `visitors.expect` and arrivals that name their announcement (issue 15).
@Suite("visitors rules: announced visitors")
struct AnnouncementRulesTests {
    /// The params of an announcement of 王芳 at 3-2-1201 this evening, `extra` added.
    static func announcement(_ extra: [String: JSONValue] = [:]) throws -> JSONValue {
        var params: [String: JSONValue] = [
            "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳",
            "from": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 18:00"))),
            "to": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 21:00"))), "homeDuringVisit": true,
            "instructions": "直接请上楼",
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    @Test("an announcement keeps the document's type and last four; the arrival that matches it links to it, once")
    func arrivalMatches() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 17:00")
        let announced = try desk.call(
            "visitors.expect", try Self.announcement(["idType": "passport", "idNumber": "E12345678"]))
        let expected = try #require(announced["expected"]?.stringValue)
        #expect(expected == "E20261206-0001")
        #expect(announced["idType"] == "passport")
        #expect(announced["idLast4"] == "5678")
        #expect(announced["idNumber"] == nil)
        #expect(announced["status"] == "open")
        #expect(desk.lastEvents.map(\.topic) == ["visitors.expected"])

        try desk.setClock("2026-12-06 18:30")
        let visit = try desk.call(
            "visitors.register", VisitorsHarness.arrival(["expected": .string(expected), "name": " 王 芳 "]))
        #expect(visit["expected"] == .string(expected))
        #expect(
            try desk.query("SELECT status, visit FROM visitors_expected").first?.string("visit")
                == visit["visit"]?.stringValue)
        let reused = try desk.callError(
            "visitors.register", VisitorsHarness.arrival(["expected": .string(expected)]))
        #expect(reused.kind == .invalidState)
    }

    @Test("an arrival with another document, name or unit than announced is refused (rule announcement_mismatch)")
    func mismatchRefused() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 18:00")
        let expected = try #require(
            try desk.call("visitors.expect", try Self.announcement(["idType": "passport", "idNumber": "E12345678"]))[
                "expected"])
        let cases: [([String: JSONValue], String)] = [
            (["idNumber": "E12340000"], "idNumber"),
            (["idType": "id_card", "idNumber": "110101199003075678"], "idNumber"),
            (["name": "王芬"], "name"),
            (["hostUnit": "3-2-1202"], "hostUnit"),
        ]
        for (extra, field) in cases {
            var params = extra
            params["expected"] = expected
            let error = try desk.callError("visitors.register", VisitorsHarness.arrival(params))
            #expect(error.details["rule"] == "announcement_mismatch", "\(extra)")
            #expect(error.field == field, "\(extra)")
            #expect(!error.message.contains("E12340000") && !error.message.contains("110101199003075678"))
        }
        try desk.setClock("2026-12-06 21:01")
        let late = try desk.callError("visitors.register", VisitorsHarness.arrival(["expected": expected]))
        #expect(late.details["rule"] == "announcement_expired")
    }

    @Test(
        "nobody home: the arrival is admitted only on the host's confirmation by phone (other_phone), the desk opening")
    func nobodyHome() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 18:00")
        let expected = try #require(
            try desk.call("visitors.expect", try Self.announcement(["homeDuringVisit": false]))["expected"])
        let visit = try desk.register(["expected": expected])
        let intercom = try desk.callError(
            "visitors.contact",
            ["visit": .string(visit), "channel": "intercom", "result": "accepted", "doorOpenedBy": "host_opened"])
        #expect(intercom.details["rule"] == "host_phone_confirmation_required")
        #expect(intercom.field == "channel")
        let hostOpened = try desk.callError(
            "visitors.contact",
            ["visit": .string(visit), "channel": "other_phone", "result": "accepted", "doorOpenedBy": "host_opened"])
        #expect(hostOpened.details["rule"] == "nobody_home")
        let admitted = try desk.call(
            "visitors.contact",
            ["visit": .string(visit), "channel": "other_phone", "result": "accepted", "doorOpenedBy": "desk_opened"])
        #expect(admitted["status"] == "on_site")
    }

    @Test("an announcement's window runs forwards, ends in the future and spans at most 31 days")
    func windowRules() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 18:00")
        let backwards = try desk.callError(
            "visitors.expect",
            try Self.announcement(["to": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 17:00")))]))
        #expect(backwards.details["rule"] == "window_order")
        try desk.setClock("2026-12-06 22:00")
        #expect(try desk.callError("visitors.expect", try Self.announcement()).details["rule"] == "window_in_future")
        let long = try desk.callError(
            "visitors.expect",
            try Self.announcement(["to": .string(Timestamp.format(try VisitorsHarness.local("2027-01-30 18:00")))]))
        #expect(long.details["rule"] == "window_length")
    }

    @Test("a document filled in advance has its type and its number, or neither; a short number is refused")
    func documentPair() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 18:00")
        #expect(
            try desk.callError("visitors.expect", try Self.announcement(["idNumber": "E12345678"])).field == "idType")
        #expect(
            try desk.callError("visitors.expect", try Self.announcement(["idType": "passport"])).field == "idNumber")
        let short = try desk.callError(
            "visitors.expect", try Self.announcement(["idType": "passport", "idNumber": "E12"]))
        #expect(short.field == "idNumber")
        #expect(!short.message.contains("E12 "))
        #expect(try desk.query("SELECT id FROM visitors_expected").isEmpty)
    }
}
