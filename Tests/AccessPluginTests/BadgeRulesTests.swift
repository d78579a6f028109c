import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// The rules of each kind of pass at issue, in-process: every broken rule is a `validation` error
/// naming the field and the rule, and nothing is stored, no event is emitted.
@Suite("access rules: issuing passes")
struct BadgeRulesTests {
    @Test(
        "A tenant pass needs a lease reference and end, lasts until the lease end at most and never more than a year; fee 5.00, deposit 10.00"
    )
    func tenantRules() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))

        expectViolation(
            try desk.issueError("tenant", with: ["leaseRef": .null]), field: "leaseRef", rule: "tenant_requires_lease")
        expectViolation(
            try desk.issueError("tenant", with: ["leaseEnd": .null]), field: "leaseEnd", rule: "tenant_requires_lease")
        let ended = try desk.issueError(
            "tenant", validUntil: desk.date(), with: ["leaseEnd": .string(desk.date(days: -1))])
        expectViolation(ended, field: "leaseEnd", rule: "lease_ended")
        #expect(ended.details["leaseEnd"] == .string(desk.date(days: -1)))
        // Past its lease.
        let leaseEnd = desk.date(months: 6)
        let pastLease = try desk.issueError(
            "tenant", validUntil: desk.date(months: 6, days: 1), with: ["leaseEnd": .string(leaseEnd)])
        expectViolation(pastLease, field: "validUntil", rule: "tenant_within_lease")
        #expect(pastLease.details["latest"] == .string(leaseEnd))
        #expect(
            pastLease.message
                == "a tenant pass is valid until the lease end at most: validUntil \(desk.date(months: 6, days: 1)) is after leaseEnd \(leaseEnd)"
        )
        // A two-year lease still gives a pass of one year at most.
        let longLease = ["leaseEnd": JSONValue.string(desk.date(months: 24))]
        let tooLong = try desk.issueError("tenant", validUntil: desk.date(months: 12, days: 1), with: longLease)
        expectViolation(tooLong, field: "validUntil", rule: "max_validity")
        #expect(tooLong.details["latest"] == .string(desk.date(months: 12)))
        #expect(tooLong.details["maxValidity"] == ["months": 12])
        // Fields of other kinds are refused, not silently dropped.
        expectViolation(
            try desk.issueError("tenant", with: ["sponsor": "someone"]), field: "sponsor",
            rule: "sponsor_only_for_contractors")
        expectViolation(
            try desk.issueError("tenant", with: ["holderIsOwner": true]), field: "holderIsOwner",
            rule: "owner_only_for_residents")
        #expect(try desk.count("access_badges") == 0, "no refused issue stored anything")
        #expect(try desk.count("access_receipts") == 0)
        #expect(desk.events.isEmpty)

        let issued = try desk.issue("tenant", validUntil: desk.date(months: 12), with: longLease)
        let badge = issued.badge
        #expect(badge["number"] == "T000001")
        #expect(badge["kind"] == "tenant")
        #expect(badge["status"] == "active")
        #expect(badge["fee"] == 500)
        #expect(badge["deposit"] == 1000)
        #expect(badge["depositStatus"] == "held")
        #expect(badge["feesPaid"] == 500)
        #expect(badge["leaseRef"] == "L-2026-0412")
        #expect(badge["leaseEnd"] == .string(desk.date(months: 24)))
        #expect(badge["validUntil"] == .string(desk.date(months: 12)))
        #expect(badge["holder"] == "王芳")
        #expect(badge["unit"] == "3-2-1201")
        #expect(badge["idType"] == "id_card")
        #expect(badge["idLast4"] == "1234")
        #expect(badge["idNumber"] == nil, "an operator never sees the full number")
        #expect(badge["issuedBy"] == "li.na")
        #expect(badge["issuedAt"] == .string(Timestamp.format(desk.clock.now)))
        for member in ["photoRef", "sponsor", "authorisationRef", "holderIsOwner", "renewedAt", "returnedAt"] {
            #expect(badge[member] == .null, "\(member)")
        }
        let receipt = try #require(issued["receipt"])
        #expect(receipt["number"] == .string("AC\(desk.today.compact)-0001"))
        #expect(receipt["operation"] == "issue")
        #expect(receipt["fee"] == 500)
        #expect(receipt["deposit"] == 1000)
        #expect(receipt["total"] == 1500)
        #expect(receipt["badge"] == "T000001")
        #expect(receipt["time"] == badge["issuedAt"])
        #expect(desk.lastEvents.map(\.topic) == ["access.badge.issued"])
        #expect(desk.lastEvents.first?.data == issued, "the event carries what the operator saw")
        #expect(desk.audit.last?.params["idNumber"] == "****1234", "the audit keeps four characters")

        // The lease end itself is a valid last day.
        let atLeaseEnd = try desk.issue("tenant", idNumber: "110101199003075678", validUntil: leaseEnd)
        #expect(atLeaseEnd.number == "T000002")
    }

    @Test(
        "A contractor pass must be sponsored by the unit's owner and lasts three months at most; fee 5.00, deposit 10.00"
    )
    func contractorRules() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        let unsponsored = try desk.issueError("contractor", holder: "赵磊", with: ["sponsor": .null])
        expectViolation(unsponsored, field: "sponsor", rule: "contractor_requires_sponsor")
        #expect(
            unsponsored.message == "a contractor pass must be sponsored by the unit's owner: give the sponsor's name")
        expectViolation(
            try desk.issueError("contractor", with: ["sponsor": "   "]), field: "sponsor",
            rule: "contractor_requires_sponsor")
        let tooLong = try desk.issueError("contractor", validUntil: desk.date(months: 3, days: 1))
        expectViolation(tooLong, field: "validUntil", rule: "max_validity")
        #expect(tooLong.details["latest"] == .string(desk.date(months: 3)))
        expectViolation(
            try desk.issueError("contractor", with: ["leaseRef": "L-1"]), field: "leaseRef",
            rule: "lease_only_for_tenants")

        let issued = try desk.issue(
            "contractor", holder: "赵磊", idNumber: "510104197912300017", unit: "5-1-502",
            validUntil: desk.date(months: 3), with: ["sponsor": "刘洋", "photoRef": "photos/2026/zhao-lei.jpg"])
        let badge = issued.badge
        #expect(badge["number"] == "C000001")
        #expect(badge["sponsor"] == "刘洋")
        #expect(badge["unit"] == "5-1-502")
        #expect(badge["photoRef"] == "photos/2026/zhao-lei.jpg")
        #expect(badge["fee"] == 500)
        #expect(badge["deposit"] == 1000)
        #expect(badge["validUntil"] == .string(desk.date(months: 3)))
        #expect(issued["receipt"]?["total"] == 1500)
    }

    @Test(
        "A resident pass is free, goes to the owner or on the owner's written authorisation, and one holder has one active pass per unit"
    )
    func residentRules() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        expectViolation(
            try desk.issueError("resident", with: ["holderIsOwner": .null]), field: "authorisationRef",
            rule: "resident_owner_or_authorised")
        expectViolation(
            try desk.issueError("resident", with: ["holderIsOwner": false]), field: "authorisationRef",
            rule: "resident_owner_or_authorised")

        let owner = try desk.issue("resident", holder: "李娜", idNumber: "11010119900307071x")
        #expect(owner.badge["number"] == "R000001")
        #expect(owner.badge["fee"] == 0)
        #expect(owner.badge["deposit"] == 0)
        #expect(owner.badge["depositStatus"] == "none")
        #expect(owner.badge["holderIsOwner"] == true)
        #expect(owner.badge["idLast4"] == "071X", "letters are stored in upper case")
        #expect(owner["receipt"]?["total"] == 0, "a free pass still gets its receipt")
        #expect(try desk.count("access_ledger") == 0, "with no ledger entries")

        // The same holder (same document, typed differently) for the same unit: refused.
        let second = try desk.issueError("resident", holder: "李 娜", idNumber: " 11010119900307071X ")
        expectViolation(second, field: "holder", rule: "one_active_resident_pass")
        #expect(second.details["number"] == "R000001")
        #expect(
            second.message
                == "李 娜 (id_card ****071X) already has an active resident pass for 3-2-1201: R000001, valid until \(desk.date(months: 12)); one active resident pass per holder per unit (renew or return it first)"
        )
        // The same holder for another unit, and another holder for the same unit on authorisation: fine.
        let otherUnit = try desk.issue("resident", holder: "李娜", idNumber: "11010119900307071X", unit: "3-2-1202")
        #expect(otherUnit.number == "R000002")
        let authorised = try desk.issue(
            "resident", holder: "李明", idNumber: "110101201203070011",
            with: ["holderIsOwner": .null, "authorisationRef": "AUTH-2026-118"])
        #expect(authorised.badge["authorisationRef"] == "AUTH-2026-118")
        #expect(authorised.badge["holderIsOwner"] == false)

        // Once the first pass is handed back, the holder may have a new one for that unit.
        try desk.call("access.badges.return", ["number": "R000001"])
        #expect(try desk.issue("resident", holder: "李娜", idNumber: "11010119900307071X").number == "R000004")
    }

    @Test("Numbers are assigned per kind unless given; a given number is normalized and must be unused")
    func numbers() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        #expect(try desk.issue("tenant").number == "T000001")
        #expect(try desk.issue("contractor").number == "C000001")
        #expect(try desk.issue("tenant", idNumber: "110101199003075555").number == "T000002")
        let given = try desk.issue("tenant", idNumber: "110101199003076666", with: ["number": " gate-77 "])
        #expect(given.number == "GATE-77")
        let taken = try desk.issueError("contractor", with: ["number": "Gate-77"])
        #expect(taken.kind == .conflict)
        #expect(taken.field == "number")
        #expect(taken.details["number"] == "GATE-77")
        #expect(taken.message == "badge number GATE-77 is already taken")
        // An assigned number skips one typed in by hand.
        try desk.issue("tenant", idNumber: "110101199003077777", with: ["number": "T000003"])
        #expect(try desk.issue("tenant", idNumber: "110101199003078888").number == "T000004")
        #expect(try desk.call("access.badges.verify", ["number": "gate-77"])["valid"] == true)
    }

    @Test("Dates are YYYY-MM-DD, not in the past; unknown kinds, empty names and schema violations are refused")
    func paramsAreChecked() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        for bad in ["2027-2-3", "2027-02-30", "27-02-03", "2027/02/03", "tomorrow"] {
            let error = try desk.issueError("contractor", validUntil: bad)
            #expect(error.kind == .validation, "\(bad)")
            #expect(error.field == "validUntil", "\(bad)")
            #expect(error.message == "validUntil must be a date written YYYY-MM-DD (e.g. 2027-05-31), got \"\(bad)\"")
        }
        let past = try desk.issueError("contractor", validUntil: desk.date(days: -1))
        expectViolation(past, field: "validUntil", rule: "not_in_past")
        #expect(past.details["today"] == .string(desk.date()))
        #expect(try desk.issue("contractor", validUntil: desk.date()).number == "C000001", "today is a valid last day")
        let unknown = try desk.issueError("visitor")
        #expect(unknown.kind == .validation)
        #expect(unknown.field == "kind")
        #expect(unknown.message == "kind must be one of resident, tenant, contractor, got \"visitor\"")
        #expect(unknown.details["kinds"] == ["resident", "tenant", "contractor"])
        #expect(try desk.issue("tenant", with: ["kind": " Tenant "]).number == "T000001", "kinds in any case")
        let blank = try desk.issueError("tenant", holder: "  ")
        #expect(blank.field == "holder")
        #expect(blank.message == "holder must not be empty")
        let short = try desk.issueError("tenant", idNumber: "12")
        #expect(short.field == "idNumber")
        #expect(short.message == "idNumber must have at least 4 characters (the whole document number)")
        #expect(
            try desk.issueError("tenant", idNumber: "1234*5678").message
                == "idNumber may hold only letters, digits and '-'")
        // The daemon's schema check, which the harness runs too: too long, wrong type, unknown field (-32602).
        let long = try desk.issueError("tenant", idNumber: String(repeating: "1", count: 33))
        #expect(long.code == -32602)
        #expect(long.field == "idNumber")
        #expect(try desk.issueError("tenant", holder: String(repeating: "王", count: 101)).field == "holder")
        let typo = try desk.issueError("tenant", with: ["leaseEnds": "2027-01-01"])
        #expect(typo.code == -32602)
        #expect(typo.field == "leaseEnds")
        #expect(try desk.issueError("resident", with: ["holderIsOwner": "yes"]).code == -32602)
        // Refused calls are audited with the identity number masked.
        #expect(desk.audit.count == 16)
        #expect(desk.audit.allSatisfy { $0.params["idNumber"]?.stringValue?.hasPrefix("****") == true })
    }

    @Test(
        "[plugins.access.kinds.<name>] adds kinds with their own fee, deposit, renewal fee and maximum validity, and changes the defaults"
    )
    func configuredKinds() throws {
        let desk = try PluginHarness(
            AccessPlugin.self,
            config: [
                "receipt_prefix": "rc",
                "kinds": [
                    "tenant": ["fee": 800],
                    "parking": [
                        "fee": 2000, "deposit": 5000, "renewal_fee": 1500, "max_validity_days": 30,
                        "number_prefix": "P",
                    ],
                ],
            ], caller: .operator("li.na"))
        let kinds = try #require(try desk.call("access.kinds")["kinds"]?.arrayValue)
        #expect(kinds.compactMap { $0["name"]?.stringValue } == ["resident", "tenant", "contractor", "parking"])
        #expect(kinds[1]["fee"] == 800)
        #expect(kinds[1]["deposit"] == 1000, "unchanged defaults stay")
        #expect(kinds[1]["builtIn"] == true)
        #expect(
            kinds[3] == [
                "name": "parking", "fee": 2000, "deposit": 5000, "renewalFee": 1500, "maxValidity": ["days": 30],
                "numberPrefix": "P", "builtIn": false,
            ])

        let tooLong = try desk.issueError("parking", validUntil: desk.date(days: 31))
        expectViolation(tooLong, field: "validUntil", rule: "max_validity")
        #expect(tooLong.details["latest"] == .string(desk.date(days: 30)))
        expectViolation(
            try desk.issueError("parking", with: ["leaseRef": "L-1"]), field: "leaseRef",
            rule: "lease_only_for_tenants")
        let parking = try desk.issue("parking", validUntil: desk.date(days: 10))
        #expect(parking.number == "P000001")
        #expect(parking.badge["kind"] == "parking")
        #expect(parking["receipt"]?["fee"] == 2000)
        #expect(parking["receipt"]?["deposit"] == 5000)
        #expect(parking["receipt"]?["number"] == .string("RC\(desk.today.compact)-0001"))
        let renewed = try desk.call(
            "access.badges.renew", ["number": "P000001", "validUntil": .string(desk.date(days: 30))])
        #expect(renewed.badge["validUntil"] == .string(desk.date(days: 30)))
        #expect(renewed["receipt"]?["fee"] == 1500)
        #expect(renewed["receipt"]?["deposit"] == 0)
        #expect(try desk.issue("tenant")["receipt"]?["fee"] == 800)
    }

    @Test("A mistyped or out-of-range [plugins.access] key stops the plugin with a message naming it")
    func badConfig() throws {
        let typo = try #require(throws: RPCError.self) {
            try PluginHarness(AccessPlugin.self, config: ["kinds": ["parking": ["fe": 2000]]])
        }
        #expect(typo.field == "[plugins.access.kinds.parking].fe")
        #expect(typo.message.hasPrefix("[plugins.access.kinds.parking]: unknown key \"fe\""))
        let both = try #require(throws: RPCError.self) {
            try PluginHarness(
                AccessPlugin.self, config: ["kinds": ["parking": ["max_validity_days": 30, "max_validity_months": 1]]])
        }
        #expect(both.field == "[plugins.access.kinds.parking].max_validity_days")
        let prefix = try #require(throws: RPCError.self) {
            try PluginHarness(AccessPlugin.self, config: ["receipt_prefix": "A-C"])
        }
        #expect(prefix.field == "[plugins.access].receipt_prefix")
        let name = try #require(throws: RPCError.self) {
            try PluginHarness(AccessPlugin.self, config: ["kinds": ["Parking": ["fee": 1]]])
        }
        #expect(name.field == "[plugins.access.kinds.Parking]")
    }
}
