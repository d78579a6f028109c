import AccessPlugin
import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// Keys left for visitors (issue 15): `visitors.keys.deposit` puts the key on the access plugin's
/// key register, `visitors.keys.handOver` lends it to the named visitor after a document check.
/// The access plugin runs beside the visitors plugin as a neighbour, as the daemon loads both.
@Suite("visitors rules: keys left for visitors")
struct KeyRulesTests {
    /// A visitors desk with the access plugin beside it.
    static func desk() throws -> VisitorsHarness {
        try VisitorsHarness(
            VisitorsPlugin.self, config: [:], caller: .operator("li.na"),
            clock: TestClock(now: try VisitorsHarness.local("2026-12-06 15:00")),
            neighbours: [Neighbour(AccessPlugin.self)])
    }

    /// The params of 陈明 leaving key K-0101 for 王芳 (passport E12345678), `extra` added.
    static func deposit(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳", "tag": "K-0101", "hook": "A-12",
            "authorisationRef": "SQ-2026-031", "idType": "passport", "idNumber": "E12345678",
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    /// The params of a hand-over of `deposit` to 王芳 with her passport, `extra` added.
    static func handOver(_ deposit: JSONValue?, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "deposit": deposit ?? .null, "name": "王芳", "idType": "passport", "idNumber": "E12345678",
            "visitorSigned": true, "keyDeposit": 100,
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    /// The key's status on the access plugin's register.
    static func keyStatus(_ desk: VisitorsHarness, _ tag: String = "K-0101") throws -> String? {
        try desk.query("SELECT status FROM access_keys WHERE tag = ?", [tag]).first?.string("status")
    }

    @Test(
        "a deposited key is on the access register as owner_deposited for the host's unit, held for the named visitor")
    func depositRegistersTheKey() throws {
        let desk = try Self.desk()
        let deposit = try desk.call("visitors.keys.deposit", Self.deposit())
        #expect(deposit["deposit"] == "KD20261206-0001")
        #expect(deposit["status"] == "held")
        #expect(deposit["idLast4"] == "5678")
        #expect(deposit["authorisationRef"] == "SQ-2026-031")
        let key = try #require(
            try desk.query("SELECT category, unit, hook, status FROM access_keys WHERE tag = 'K-0101'").first)
        #expect(key.string("category") == "owner_deposited")
        #expect(key.string("unit") == "3-2-1201")
        #expect(key.string("hook") == "A-12")
        #expect(key.string("status") == "in")
        #expect(desk.lastEvents.map(\.topic).contains("visitors.key.deposited"))
        #expect(desk.lastEvents.map(\.topic).contains("access.key.registered"))
    }

    @Test(
        "the key is not handed to anyone else: another name or another document is rule wrong_person, and nothing changes"
    )
    func wrongPersonRefused() throws {
        let desk = try Self.desk()
        let deposit = try desk.call("visitors.keys.deposit", Self.deposit())["deposit"]
        let cases: [([String: JSONValue], String)] = [
            (["name": "王芬"], "name"),
            (["idNumber": "E12340000"], "idNumber"),
            (["idType": "id_card", "idNumber": "110101199003075678"], "idNumber"),
        ]
        for (extra, field) in cases {
            let error = try desk.callError("visitors.keys.handOver", Self.handOver(deposit, extra))
            #expect(error.kind == .validation, "\(extra)")
            #expect(error.details["rule"] == "wrong_person", "\(extra)")
            #expect(error.field == field, "\(extra)")
        }
        #expect(try Self.keyStatus(desk) == "in")
        #expect(try desk.query("SELECT status FROM visitors_key_deposits").first?.string("status") == "held")
        let unsigned = try desk.callError("visitors.keys.handOver", Self.handOver(deposit, ["visitorSigned": false]))
        #expect(unsigned.details["rule"] == "visitor_signature_required")
    }

    @Test(
        "the named visitor with the named document signs and gets the key: lent on the access register with the authorisation"
    )
    func rightPersonGetsTheKey() throws {
        let desk = try Self.desk()
        let deposit = try desk.call("visitors.keys.deposit", Self.deposit())["deposit"]
        let handed = try desk.call("visitors.keys.handOver", Self.handOver(deposit, ["name": "王 芳"]))
        #expect(handed["status"] == "handed_over")
        #expect(handed["visitorSigned"] == true)
        #expect(handed["handoverIdLast4"] == "5678")
        #expect(try Self.keyStatus(desk) == "out")
        let loan = try #require(
            try desk.query("SELECT borrower_type, authorisation_ref FROM access_key_loans WHERE tag = 'K-0101'").first)
        #expect(loan.string("borrower_type") == "external")
        #expect(loan.string("authorisation_ref") == "SQ-2026-031")
        #expect(try desk.callError("visitors.keys.handOver", Self.handOver(deposit)).kind == .invalidState)
        #expect(
            GlossaryCoverage.untitledMembers(of: handed, method: "visitors.keys.handOver", in: VisitorsPlugin.manifest)
                == [])
    }

    @Test("a tag already on the register is the access plugin's conflict, and the visitors record is not kept either")
    func depositIsAllOrNothing() throws {
        let desk = try Self.desk()
        try desk.call("visitors.keys.deposit", Self.deposit())
        let again = try desk.callError("visitors.keys.deposit", Self.deposit(["name": "赵强"]))
        #expect(again.kind == .conflict)
        #expect(again.field == "tag")
        #expect(try desk.query("SELECT deposit FROM visitors_key_deposits").count == 1)
        #expect(try desk.query("SELECT id FROM access_keys").count == 1)
    }

    @Test("the access register's deposit rule for external borrowers is said in this method's words (keyDeposit)")
    func keyDepositRequired() throws {
        let desk = try Self.desk()
        let deposit = try desk.call("visitors.keys.deposit", Self.deposit())["deposit"]
        let error = try desk.callError("visitors.keys.handOver", Self.handOver(deposit, ["keyDeposit": .null]))
        #expect(error.kind == .validation)
        #expect(error.field == "keyDeposit")
        #expect(error.details["rule"] == "key_deposit_required")
        #expect(try Self.keyStatus(desk) == "in", "the key stays in the cabinet")
        #expect(try desk.query("SELECT status FROM visitors_key_deposits").first?.string("status") == "held")
    }

    @Test("the document may come from the announcement; without one the deposit is refused (visitor_document_required)")
    func documentFromTheAnnouncement() throws {
        let desk = try Self.desk()
        let noDocument = try desk.callError(
            "visitors.keys.deposit", Self.deposit(["idType": .null, "idNumber": .null]))
        #expect(noDocument.details["rule"] == "visitor_document_required")
        let expected = try desk.call(
            "visitors.expect",
            [
                "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳",
                "from": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 15:00"))),
                "to": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 20:00"))),
                "homeDuringVisit": false,
                "idType": "passport", "idNumber": "E12345678",
            ])["expected"]
        let deposit = try desk.call(
            "visitors.keys.deposit", Self.deposit(["idType": .null, "idNumber": .null, "expected": expected ?? .null]))
        #expect(deposit["idLast4"] == "5678")
        #expect(deposit["expected"] == expected)
        #expect(
            try desk.callError("visitors.keys.handOver", Self.handOver(deposit["deposit"], ["idNumber": "E00005679"]))
                .details["rule"] == "wrong_person")
    }

    @Test("without the access plugin both key methods are unavailable, saying why, and nothing is stored")
    func unavailableWithoutAccess() throws {
        let desk = try VisitorsHarness.desk()
        let error = try desk.callError("visitors.keys.deposit", Self.deposit())
        #expect(error.kind == .unavailable)
        #expect(error.message.contains("access plugin is not loaded"))
        #expect(try desk.query("SELECT id FROM visitors_key_deposits").isEmpty)
    }

    @Test(
        "no full document number in the replies, events, audit or logs of a deposit and a hand-over, nor on the access register"
    )
    func keysKeepNumbersPrivate() throws {
        let desk = try Self.desk()
        let deposit = try desk.call("visitors.keys.deposit", Self.deposit())
        let handed = try desk.call("visitors.keys.handOver", Self.handOver(deposit["deposit"]))
        var texts = [deposit.serialized(), handed.serialized()]
        texts += desk.events.map { $0.data.serialized() }
        texts += desk.audit.map { $0.params.serialized() }
        texts += desk.logLines.map(\.message)
        texts += try desk.query("SELECT * FROM access_key_loans").map { "\($0.values)" }
        texts += try desk.query("SELECT * FROM visitors_key_deposits").map { "\($0.values)" }
        #expect(!desk.audit.isEmpty)
        #expect(texts.contains { $0.contains("5678") })
        for text in texts { #expect(!text.contains("E12345678"), "\(text)") }
    }
}
