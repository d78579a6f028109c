import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// Identity numbers are private (issue 15): the department keeps a document's type and last four
/// characters only, so no reply (to an operator or an admin), event, audit record or log line
/// carries a full number, and no table has one.
@Suite("visitors rules: document numbers are never kept in full")
struct PrivacyRulesTests {
    /// Every full number the evening below shows the desk.
    static let numbers = ["E12345678", "110101199003071234", "G99887766", "H87654321", "11010119900307123X"]

    @Test(
        "an evening of registrations, an announcement and a night: no full number in replies, events, audit, logs or tables"
    )
    func noFullNumberAnywhere() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 18:00")
        var replies: [JSONValue] = []
        let announced = try desk.call(
            "visitors.expect",
            [
                "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳",
                "from": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 18:00"))),
                "to": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 22:00"))), "homeDuringVisit": true,
                "idType": "passport", "idNumber": "E12345678",
            ])
        replies.append(announced)
        let first = try desk.call(
            "visitors.register", VisitorsHarness.arrival(["expected": announced["expected"] ?? .null]))
        replies.append(first)
        let visit = try #require(first["visit"])
        replies.append(
            try desk.call(
                "visitors.contact",
                ["visit": visit, "channel": "intercom", "result": "accepted", "doorOpenedBy": "host_opened"]))
        desk.caller = .admin("admin")
        let second = try desk.call(
            "visitors.register",
            VisitorsHarness.arrival([
                "name": "赵强", "idType": "driving_licence", "idNumber": "110101199003071234", "hostUnit": "5-1-302",
            ]))
        replies.append(second)
        replies.append(
            try desk.call(
                "visitors.contact",
                [
                    "visit": second["visit"] ?? .null, "channel": "flat_phone", "result": "accepted",
                    "doorOpenedBy": "desk_opened",
                ]))
        desk.caller = .operator("li.na")
        // A refused overnight registration quotes no number either.
        let refused = try desk.callError(
            "visitors.overnight",
            [
                "visit": second["visit"] ?? .null, "idType": "driving_licence", "idNumber": "110101199003071234",
                "nights": 1,
                "hostSigned": true,
            ])
        let mismatch = try desk.callError(
            "visitors.register", VisitorsHarness.arrival(["idNumber": "G99887766", "expected": "E20261206-0001"]))
        try desk.setClock("2026-12-06 23:01")
        desk.caller = .system
        try desk.call("visitors.sweep")
        desk.caller = .operator("li.na")
        replies.append(
            try desk.call(
                "visitors.overnight",
                [
                    "visit": visit, "idType": "home_return_permit", "idNumber": "H87654321", "nights": 1,
                    "hostSigned": true,
                ]))
        replies.append(
            try desk.call(
                "visitors.register",
                VisitorsHarness.arrival(["idType": "id_card", "idNumber": "11010119900307123x", "name": "孙丽"])))
        desk.caller = .admin("admin")
        replies.append(try desk.call("visitors.onSite"))
        replies.append(try desk.call("visitors.overnightList", ["date": "2026-12-06"]))
        replies.append(try desk.call("visitors.overstays"))

        var texts: [(String, String)] = replies.map { ("reply", $0.serialized()) }
        texts += desk.events.map { ("event \($0.topic)", $0.data.serialized()) }
        texts += desk.audit.map { ("audit \($0.method)", $0.params.serialized()) }
        texts += desk.logLines.map { ("log", $0.message) }
        texts += [refused, mismatch].map { ("error", $0.jsonValue.serialized()) }
        for table in ["visitors_visits", "visitors_expected", "visitors_contacts", "visitors_messages"] {
            texts += try desk.query("SELECT * FROM \(table)").map { ("table \(table)", "\($0.values)") }
        }
        #expect(desk.events.count >= 6)
        #expect(desk.audit.count >= 8)
        #expect(!desk.logLines.isEmpty)
        for (place, text) in texts {
            for number in Self.numbers {
                #expect(!text.contains(number), "\(place) has \(number): \(text)")
            }
        }
        #expect(texts.contains { $0.0 == "reply" && $0.1.contains("\"idLast4\":\"5678\"") })
        #expect(texts.contains { $0.0.hasPrefix("log") && $0.1.contains("****1234") })
        #expect(
            texts.contains { $0.0 == "audit visitors.register" && $0.1.contains("1234") },
            "the audit keeps the last four")
    }
}
