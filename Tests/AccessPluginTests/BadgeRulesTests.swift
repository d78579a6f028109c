import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The rules of each kind of pass at issue: every broken rule is a `validation` error naming the
/// field and the rule, and nothing is stored.
@Suite("access: issuing passes", .timeLimit(.minutes(3)))
struct BadgeRulesTests {
    @Test(
        "A tenant pass needs a lease reference and end, lasts until the lease end at most and never more than a year; fee 5.00, deposit 10.00"
    )
    func tenantRules() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()

        expectViolation(
            try desk.issueError("tenant", with: ["leaseRef": .null]), field: "leaseRef", rule: "tenant_requires_lease")
        expectViolation(
            try desk.issueError("tenant", with: ["leaseEnd": .null]), field: "leaseEnd", rule: "tenant_requires_lease")
        expectViolation(
            try desk.issueError(
                "tenant", validUntil: AccessDesk.date(), with: ["leaseEnd": .string(AccessDesk.date(days: -1))]),
            field: "leaseEnd", rule: "lease_ended")
        // Past its lease.
        let leaseEnd = AccessDesk.date(months: 6)
        let pastLease = try desk.issueError(
            "tenant", validUntil: AccessDesk.date(months: 6, days: 1), with: ["leaseEnd": .string(leaseEnd)])
        expectViolation(pastLease, field: "validUntil", rule: "tenant_within_lease")
        #expect(pastLease?.details["latest"] == .string(leaseEnd))
        #expect(pastLease?.message.contains("lease") == true, "\(String(describing: pastLease))")
        // A two-year lease still gives a pass of one year at most.
        let longLease = ["leaseEnd": JSONValue.string(AccessDesk.date(months: 24))]
        let tooLong = try desk.issueError("tenant", validUntil: AccessDesk.date(months: 12, days: 1), with: longLease)
        expectViolation(tooLong, field: "validUntil", rule: "max_validity")
        #expect(tooLong?.details["latest"] == .string(AccessDesk.date(months: 12)))
        #expect(tooLong?.message.contains("maximum") == true)
        // Fields of other kinds are refused, not silently dropped.
        expectViolation(
            try desk.issueError("tenant", with: ["sponsor": "someone"]), field: "sponsor",
            rule: "sponsor_only_for_contractors")
        #expect(try desk.call("access.badges.list")["badges"] == [], "no refused issue stored anything")

        let issued = try desk.issue("tenant", validUntil: AccessDesk.date(months: 12), with: longLease)
        let badge = issued.badge
        #expect(badge["number"] == "T000001")
        #expect(badge["kind"] == "tenant")
        #expect(badge["status"] == "active")
        #expect(badge["fee"] == 500)
        #expect(badge["deposit"] == 1000)
        #expect(badge["depositStatus"] == "held")
        #expect(badge["leaseRef"] == "L-2026-0412")
        #expect(badge["leaseEnd"] == .string(AccessDesk.date(months: 24)))
        #expect(badge["validUntil"] == .string(AccessDesk.date(months: 12)))
        #expect(badge["holder"] == "王芳")
        #expect(badge["unit"] == "3-2-1201")
        #expect(badge["idType"] == "id_card")
        #expect(badge["idLast4"] == "1234")
        #expect(badge["issuedBy"] == "li.na")
        for member in ["photoRef", "sponsor", "authorisationRef"] { #expect(badge[member] == .null, "\(member)") }
        let issuedAt = try #require(badge["issuedAt"]?.stringValue)
        #expect(issuedAt.wholeMatch(of: AccessDesk.isoWithOffset) != nil, "\(issuedAt)")
        let receipt = try #require(issued["receipt"])
        let receiptNumber = try #require(receipt["number"]?.stringValue)
        #expect(receiptNumber.wholeMatch(of: AccessDesk.receiptShape) != nil, "\(receiptNumber)")
        #expect(receiptNumber.hasPrefix("AC" + AccessDesk.date().replacingOccurrences(of: "-", with: "")))
        #expect(receipt["fee"] == 500)
        #expect(receipt["deposit"] == 1000)
        #expect(receipt["total"] == 1500)
        #expect(receipt["badge"] == "T000001")
        // The lease end itself is a valid last day.
        let atLeaseEnd = try desk.issue("tenant", idNumber: "110101199003075678", validUntil: leaseEnd)
        #expect(atLeaseEnd.number == "T000002")
        try daemon.stop()
    }

    @Test(
        "A contractor pass must be sponsored by the unit's owner and lasts three months at most; fee 5.00, deposit 10.00"
    )
    func contractorRules() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        let unsponsored = try desk.issueError("contractor", holder: "赵磊", with: ["sponsor": .null])
        expectViolation(unsponsored, field: "sponsor", rule: "contractor_requires_sponsor")
        #expect(unsponsored?.message.contains("sponsor") == true)
        expectViolation(
            try desk.issueError("contractor", with: ["sponsor": "   "]), field: "sponsor",
            rule: "contractor_requires_sponsor")
        let tooLong = try desk.issueError("contractor", validUntil: AccessDesk.date(months: 3, days: 1))
        expectViolation(tooLong, field: "validUntil", rule: "max_validity")
        #expect(tooLong?.details["latest"] == .string(AccessDesk.date(months: 3)))
        expectViolation(
            try desk.issueError("contractor", with: ["leaseRef": "L-1"]), field: "leaseRef",
            rule: "lease_only_for_tenants")

        let issued = try desk.issue(
            "contractor", holder: "赵磊", idNumber: "510104197912300017", unit: "5-1-502",
            validUntil: AccessDesk.date(months: 3), with: ["sponsor": "刘洋", "photoRef": "photos/2026/zhao-lei.jpg"])
        let badge = issued.badge
        #expect(badge["number"] == "C000001")
        #expect(badge["sponsor"] == "刘洋")
        #expect(badge["unit"] == "5-1-502")
        #expect(badge["photoRef"] == "photos/2026/zhao-lei.jpg")
        #expect(badge["fee"] == 500)
        #expect(badge["deposit"] == 1000)
        #expect(badge["validUntil"] == .string(AccessDesk.date(months: 3)))
        #expect(issued["receipt"]?["total"] == 1500)
        try daemon.stop()
    }

    @Test(
        "A resident pass is free, goes to the owner or on the owner's written authorisation, and one holder has one active pass per unit"
    )
    func residentRules() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
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
        #expect(owner["receipt"]?["total"] == 0)

        // The same holder (same document, typed differently) for the same unit: refused.
        let second = try desk.issueError("resident", holder: "李 娜", idNumber: " 11010119900307071X ")
        expectViolation(second, field: "holder", rule: "one_active_resident_pass")
        #expect(second?.details["number"] == "R000001")
        #expect(second?.message.contains("R000001") == true, "\(String(describing: second))")
        #expect(second?.message.contains("11010119900307071") == false, "the message never quotes the number")
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
        let again = try desk.issue("resident", holder: "李娜", idNumber: "11010119900307071X")
        #expect(again.number == "R000004")
        try daemon.stop()
    }

    @Test("Numbers are assigned per kind unless given; a given number is normalized and must be unused")
    func numbers() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        #expect(try desk.issue("tenant").number == "T000001")
        #expect(try desk.issue("contractor").number == "C000001")
        #expect(try desk.issue("tenant", idNumber: "110101199003075555").number == "T000002")
        let given = try desk.issue("tenant", idNumber: "110101199003076666", with: ["number": " gate-77 "])
        #expect(given.number == "GATE-77")
        let taken = try desk.issueError("contractor", with: ["number": "Gate-77"])
        #expect(taken?.kind == .conflict, "\(String(describing: taken))")
        #expect(taken?.field == "number")
        #expect(taken?.details["number"] == "GATE-77")
        // An assigned number skips one typed in by hand.
        try desk.issue("tenant", idNumber: "110101199003077777", with: ["number": "T000003"])
        #expect(try desk.issue("tenant", idNumber: "110101199003078888").number == "T000004")
        #expect(try desk.call("access.badges.verify", ["number": "gate-77"])["valid"] == true)
        try daemon.stop()
    }

    @Test("Dates are YYYY-MM-DD, not in the past; unknown kinds, empty names and schema violations are refused")
    func paramsAreChecked() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        for bad in ["2027-2-3", "2027-02-30", "27-02-03", "2027/02/03", "tomorrow"] {
            let error = try desk.issueError("contractor", validUntil: bad)
            #expect(error?.kind == .validation, "\(bad)")
            #expect(error?.field == "validUntil", "\(bad): \(String(describing: error))")
        }
        expectViolation(
            try desk.issueError("contractor", validUntil: AccessDesk.date(days: -1)), field: "validUntil",
            rule: "not_in_past")
        #expect(try desk.issueError("contractor", validUntil: AccessDesk.date()) == nil, "today is a valid last day")
        let unknown = try desk.issueError("visitor")
        #expect(unknown?.kind == .validation)
        #expect(unknown?.field == "kind")
        #expect(unknown?.details["kinds"] == ["resident", "tenant", "contractor"])
        #expect(try desk.issueError("tenant", holder: "  ")?.field == "holder")
        #expect(try desk.issueError("tenant", idNumber: "12")?.field == "idNumber")
        // The daemon's schema check: too long, wrong type, unknown field (-32602).
        let long = try desk.issueError("tenant", idNumber: String(repeating: "1", count: 33))
        #expect(long?.code == -32602)
        #expect(long?.field == "idNumber")
        #expect(try desk.issueError("tenant", holder: String(repeating: "王", count: 101))?.field == "holder")
        let typo = try desk.issueError("tenant", with: ["leaseEnds": "2027-01-01"])
        #expect(typo?.code == -32602)
        #expect(typo?.field == "leaseEnds")
        #expect(try desk.issueError("resident", with: ["holderIsOwner": "yes"])?.code == -32602)
        try daemon.stop()
    }

    @Test(
        "[plugins.access.kinds.<name>] adds kinds with their own fee, deposit, renewal fee and maximum validity, and changes the defaults"
    )
    func configuredKinds() throws {
        let daemon = try AccessDesk.start(
            config: """
                [plugins.access]
                receipt_prefix = "rc"

                [plugins.access.kinds.tenant]
                fee = 800

                [plugins.access.kinds.parking]
                fee = 2000
                deposit = 5000
                renewal_fee = 1500
                max_validity_days = 30
                number_prefix = "P"
                """)
        let desk = try daemon.counter()
        let kinds = try #require(try desk.call("access.kinds")["kinds"]?.arrayValue)
        #expect(kinds.compactMap { $0["name"]?.stringValue } == ["resident", "tenant", "contractor", "parking"])
        #expect(kinds[1]["fee"] == 800)
        #expect(kinds[1]["deposit"] == 1000, "unchanged defaults stay")
        #expect(kinds[3]["maxValidity"] == ["days": 30])

        let tooLong = try desk.issueError("parking", validUntil: AccessDesk.date(days: 31))
        expectViolation(tooLong, field: "validUntil", rule: "max_validity")
        #expect(tooLong?.details["latest"] == .string(AccessDesk.date(days: 30)))
        expectViolation(
            try desk.issueError("parking", with: ["leaseRef": "L-1"]), field: "leaseRef",
            rule: "lease_only_for_tenants")
        let parking = try desk.issue("parking", validUntil: AccessDesk.date(days: 10))
        #expect(parking.number == "P000001")
        #expect(parking.badge["kind"] == "parking")
        #expect(parking["receipt"]?["fee"] == 2000)
        #expect(parking["receipt"]?["deposit"] == 5000)
        #expect(parking["receipt"]?["number"]?.stringValue?.hasPrefix("RC") == true)
        let renewed = try desk.call(
            "access.badges.renew", ["number": "P000001", "validUntil": .string(AccessDesk.date(days: 30))])
        #expect(renewed.badge["validUntil"] == .string(AccessDesk.date(days: 30)))
        #expect(renewed["receipt"]?["fee"] == 1500)
        #expect(renewed["receipt"]?["deposit"] == 0)
        #expect(try desk.issue("tenant")["receipt"]?["fee"] == 800)
        try daemon.stop()
    }

    @Test("A mistyped [plugins.access] key stops the plugin with a message naming it; the daemon keeps running")
    func badConfig() throws {
        let daemon = try AccessDesk.start(
            config: """
                [plugins.access.kinds.parking]
                fe = 2000
                """)
        let client = try daemon.connect()
        let plugins = try #require(try client.call("daemon.status")["plugins"]?.arrayValue)
        let access = try #require(plugins.first { $0["name"] == "access" })
        #expect(access["state"] == "failed")
        #expect(access["error"]?.stringValue?.contains("fe") == true, "\(access)")
        #expect(try client.callError("access.badges.verify", ["number": "T1"])?.kind == .unavailable)
        try daemon.stop()
    }
}
