import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// `visitors.overnight` and `visitors.overnightList` (issue 15): the host brings the visitor to
/// the desk; only a state-issued document counts, and the host signs the lodging register.
@Suite("visitors rules: the night")
struct OvernightRulesTests {
    /// The params of an overnight registration of `visit`, `extra` added.
    func night(_ visit: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "visit": .string(visit), "idType": "passport", "idNumber": "E12345678", "nights": 2, "hostSigned": true,
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    @Test("a driving licence does not count for the night: validation, rule state_document_required, nothing changes")
    func drivingLicenceRefused() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 20:00")
        let visit = try desk.admit(["idType": "driving_licence", "idNumber": "110101199003071234"])
        try desk.setClock("2026-12-06 23:10")
        let error = try desk.callError(
            "visitors.overnight", night(visit, ["idType": "driving_licence", "idNumber": "110101199003071234"]))
        #expect(error.kind == .validation)
        #expect(error.field == "idType")
        #expect(error.details["rule"] == "state_document_required")
        #expect(error.message.contains("state-issued"))
        #expect(try desk.status(of: visit) == "on_site")
        #expect(desk.lastEvents.isEmpty)
        let residence = try desk.callError(
            "visitors.overnight", night(visit, ["idType": "residence_permit", "idNumber": "RP1234"]))
        #expect(residence.details["rule"] == "state_document_required")
    }

    @Test("the host must sign the lodging register (hostSigned: true)")
    func hostMustSign() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 20:00")
        let visit = try desk.admit()
        let error = try desk.callError("visitors.overnight", night(visit, ["hostSigned": false]))
        #expect(error.field == "hostSigned")
        #expect(error.details["rule"] == "host_signature_required")
    }

    @Test(
        "with a passport the visit is registered for its nights, leaves the overstays and is on the night's list of each night"
    )
    func passportCounts() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 20:00")
        let visit = try desk.admit(["idType": "id_card", "idNumber": "11010119900307123X"])
        try desk.setClock("2026-12-06 23:10")
        #expect(try desk.call("visitors.overstays")["visits"]?.arrayValue?.count == 1)
        let stay = try desk.call(
            "visitors.overnight", night(visit, ["idType": "home_return_permit", "idNumber": "H87654321"]))
        #expect(stay["status"] == "overnight")
        #expect(stay["nights"] == 2)
        #expect(stay["nightOf"] == "2026-12-06")
        #expect(stay["nightUntil"] == "2026-12-08")
        #expect(stay["nightIdType"] == "home_return_permit")
        #expect(stay["nightIdLast4"] == "4321")
        #expect(stay["idType"] == "id_card", "the registration's document stays as it was")
        #expect(stay["hostSigned"] == true)
        #expect(desk.lastEvents.map(\.topic) == ["visitors.overnight"])
        #expect(try desk.call("visitors.overstays")["visits"] == [])
        #expect(try desk.call("visitors.onSite")["visits"]?.arrayValue?.map { $0["visit"] } == [.string(visit)])
        for (date, listed) in [
            ("2026-12-05", false), ("2026-12-06", true), ("2026-12-07", true), ("2026-12-08", false),
        ] {
            let visits = try desk.call("visitors.overnightList", ["date": .string(date)])["visits"]?.arrayValue ?? []
            #expect(visits.map { $0["visit"] } == (listed ? [.string(visit)] : []), "night of \(date)")
        }
        #expect(try desk.callError("visitors.overnight", night(visit)).kind == .invalidState, "registered once")
    }

    @Test("registered after midnight, the night is the one that began the evening before")
    func afterMidnight() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 21:00")
        let visit = try desk.admit()
        try desk.setClock("2026-12-07 00:30")
        let stay = try desk.call("visitors.overnight", night(visit, ["nights": 1]))
        #expect(stay["nightOf"] == "2026-12-06")
        #expect(stay["nightUntil"] == "2026-12-07")
    }

    @Test("a document type the desk does not accept is refused naming the accepted ones")
    func unknownDocument() throws {
        let desk = try VisitorsHarness.desk()
        let error = try desk.callError("visitors.register", VisitorsHarness.arrival(["idType": "library_card"]))
        #expect(error.field == "idType")
        #expect(error.details["rule"] == "document_accepted")
        let documents = try desk.call("visitors.documents")["documents"]?.arrayValue ?? []
        #expect(
            documents.filter { $0["overnight"] == true }.compactMap { $0["idType"]?.stringValue }.sorted() == [
                "home_return_permit", "id_card", "passport", "taiwan_permit",
            ])
    }
}

/// `[plugins.visitors.documents]`: the property's own list of accepted documents.
@Suite("visitors rules: configured documents")
struct DocumentConfigRulesTests {
    @Test("a configured list replaces the default one; only its overnight documents count for the night")
    func configuredDocuments() throws {
        let desk = try VisitorsHarness.desk(
            at: "2026-12-06 20:00",
            config: [
                "documents": [
                    "passport": ["zh": "护照", "overnight": true],
                    "employee_card": ["zh": "工作证", "en": "employee card"],
                ]
            ])
        #expect(
            try desk.call("visitors.documents")["documents"]?.arrayValue?.compactMap { $0["idType"]?.stringValue }
                == ["employee_card", "passport"])
        let visit = try desk.admit(["idType": "employee_card", "idNumber": "EMP-20931"])
        let refused = try desk.callError(
            "visitors.register", VisitorsHarness.arrival(["idType": "id_card", "idNumber": "110101199003071234"]))
        #expect(refused.details["rule"] == "document_accepted")
        let night = try desk.callError(
            "visitors.overnight",
            [
                "visit": .string(visit), "idType": "employee_card", "idNumber": "EMP-20931", "nights": 1,
                "hostSigned": true,
            ])
        #expect(night.details["rule"] == "state_document_required")
        #expect(night.details["accepted"] == ["passport"])
    }

    @Test("a document without its Chinese label, with an unknown key, or a bad type name stops the plugin")
    func badDocumentConfig() {
        let bad: [JSONValue] = [
            ["passport": ["overnight": true]],
            ["passport": ["zh": "护照", "state": true]],
            ["Passport": ["zh": "护照"]],
            ["passport": "护照"],
        ]
        for documents in bad {
            #expect(throws: RPCError.self, "\(documents)") {
                try VisitorsHarness.desk(config: ["documents": documents])
            }
        }
    }
}
