import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Renewal, return, loss, revocation, and what the gate's `access.badges.verify` says after each.
@Suite("access: a pass's life and verify", .timeLimit(.minutes(3)))
struct BadgeLifecycleTests {
    @Test("Renewing a tenant pass costs 2.00 and keeps the deposit; a contractor's 5.00; the rules still hold")
    func renewals() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        let leaseEnd = AccessDesk.date(months: 6)
        try desk.issue("tenant", validUntil: AccessDesk.date(months: 1), with: ["leaseEnd": .string(leaseEnd)])

        let renewed = try desk.call(
            "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 3))])
        #expect(renewed.badge["validUntil"] == .string(AccessDesk.date(months: 3)))
        #expect(renewed.badge["deposit"] == 1000)
        #expect(renewed.badge["depositStatus"] == "held")
        #expect(renewed.badge["fee"] == 500, "fee is what the issue charged")
        #expect(renewed.badge["feesPaid"] == 700)
        #expect(renewed.badge["renewalCount"] == 1)
        #expect(renewed.badge["renewedBy"] == "li.na")
        #expect(renewed["receipt"]?["fee"] == 200)
        #expect(renewed["receipt"]?["deposit"] == 0)
        #expect(renewed["receipt"]?["total"] == 200)
        #expect(renewed["receipt"]?["operation"] == "renew")

        // Still not past the lease, still extending, still at most a year.
        expectViolation(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 7))]),
            field: "validUntil", rule: "tenant_within_lease")
        expectViolation(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 2))]),
            field: "validUntil", rule: "renewal_extends")
        // A new lease moves the limit.
        let newLease = AccessDesk.date(months: 18)
        let extended = try desk.call(
            "access.badges.renew",
            [
                "number": "T000001", "validUntil": .string(AccessDesk.date(months: 12)), "leaseRef": "L-2027-0093",
                "leaseEnd": .string(newLease),
            ])
        #expect(extended.badge["leaseRef"] == "L-2027-0093")
        #expect(extended.badge["leaseEnd"] == .string(newLease))
        #expect(extended.badge["feesPaid"] == 900)
        expectViolation(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 13))]),
            field: "validUntil", rule: "max_validity")

        try desk.issue("contractor", validUntil: AccessDesk.date(days: 10))
        let contractor = try desk.call(
            "access.badges.renew", ["number": "C000001", "validUntil": .string(AccessDesk.date(months: 3))])
        #expect(contractor["receipt"]?["fee"] == 500)
        #expect(contractor.badge["deposit"] == 1000)
        expectViolation(
            try desk.callError(
                "access.badges.renew",
                ["number": "C000001", "validUntil": .string(AccessDesk.date(months: 3, days: 1))]),
            field: "validUntil", rule: "max_validity")
        expectViolation(
            try desk.callError(
                "access.badges.renew",
                ["number": "C000001", "validUntil": .string(AccessDesk.date(months: 4)), "leaseRef": "L-9"]),
            field: "leaseRef", rule: "lease_only_for_tenants")

        let unknown = try desk.callError(
            "access.badges.renew", ["number": "T999999", "validUntil": .string(AccessDesk.date(months: 1))])
        #expect(unknown?.kind == .notFound)
        #expect(unknown?.details["number"] == "T999999")
        try daemon.stop()
    }

    @Test("Returning a pass refunds its deposit; a lost pass's deposit is forfeited; a revoked pass stops at once")
    func returnLostRevoke() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.issue("tenant")
        try desk.issue("contractor")
        try desk.issue("tenant", holder: "周杰", idNumber: "110101199101011111", unit: "2-1-101")
        try desk.issue("resident")

        let returned = try desk.call("access.badges.return", ["number": "T000001"])
        #expect(returned.badge["status"] == "returned")
        #expect(returned.badge["depositStatus"] == "refunded")
        #expect(returned.badge["returnedBy"] == "li.na")
        #expect(returned["refund"] == 1000)
        #expect(returned["receipt"]?["refund"] == 1000)
        #expect(returned["receipt"]?["total"] == -1000)
        #expect(returned["receipt"]?["operation"] == "return")
        let again = try desk.callError("access.badges.return", ["number": "T000001"])
        #expect(again?.kind == .invalidState)
        #expect(again?.details["status"] == "returned")
        #expect(again?.message.contains("returned") == true)
        #expect(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 2))])?.kind
                == .invalidState)

        let lost = try desk.call("access.badges.reportLost", ["number": "C000001"])
        #expect(lost.badge["status"] == "lost")
        #expect(lost.badge["depositStatus"] == "forfeited")
        #expect(lost["forfeited"] == 1000)
        #expect(lost["refund"] == 0)
        #expect(lost["receipt"]?["forfeited"] == 1000)
        #expect(lost["receipt"]?["total"] == 0, "a forfeited deposit moves no cash")
        #expect(try desk.callError("access.badges.return", ["number": "C000001"])?.kind == .invalidState)

        let revoked = try desk.call("access.badges.revoke", ["number": "T000002", "reason": "lease terminated early"])
        #expect(revoked.badge["status"] == "revoked")
        #expect(revoked.badge["revokeReason"] == "lease terminated early")
        #expect(revoked.badge["depositStatus"] == "held", "the deposit waits for the card")
        #expect(
            try desk.callError("access.badges.revoke", ["number": "T000002", "reason": "x"])?.kind == .invalidState)
        #expect(try desk.callError("access.badges.revoke", ["number": "T000002", "reason": " "])?.field == "reason")
        // The card comes back later: the deposit is refunded then.
        let handedIn = try desk.call("access.badges.return", ["number": "T000002"])
        #expect(handedIn["refund"] == 1000)
        #expect(handedIn.badge["revokeReason"] == "lease terminated early")

        // A free pass has nothing to refund.
        let free = try desk.call("access.badges.return", ["number": "R000001"])
        #expect(free["refund"] == 0)
        #expect(free["receipt"] == .null)

        #expect(try desk.callError("access.badges.reportLost", ["number": "NOPE"])?.kind == .notFound)
        try daemon.stop()
    }

    @Test("refund_deposit_on_loss = true refunds a lost pass's deposit instead")
    func lossRefundConfigured() throws {
        let daemon = try AccessDesk.start(
            config: """
                [plugins.access]
                refund_deposit_on_loss = true
                """)
        let desk = try daemon.counter()
        try desk.issue("tenant")
        let lost = try desk.call("access.badges.reportLost", ["number": "T000001"])
        #expect(lost["refund"] == 1000)
        #expect(lost["forfeited"] == 0)
        #expect(lost.badge["depositStatus"] == "refunded")
        try daemon.stop()
    }

    @Test("verify answers active, returned, lost, revoked and unknown (not an error), and never an identity number")
    func verifyReasons() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.issue("tenant", with: ["number": "G-1"])
        try desk.issue("contractor", with: ["number": "G-2"])
        try desk.issue("tenant", idNumber: "110101199101012222", with: ["number": "G-3"])
        try desk.issue("tenant", idNumber: "110101199101013333", with: ["number": "G-4"])
        try desk.call("access.badges.return", ["number": "G-2"])
        try desk.call("access.badges.reportLost", ["number": "G-3"])
        try desk.call("access.badges.revoke", ["number": "G-4", "reason": "misuse"])

        let gate = try daemon.connect()
        let active = try gate.call("access.badges.verify", ["number": "g-1"])
        #expect(
            active == [
                "number": "G-1", "valid": true, "reason": "active", "kind": "tenant", "holder": "王芳",
                "unit": "3-2-1201", "validUntil": .string(AccessDesk.date(months: 6)),
            ])
        for (number, reason) in [("G-2", "returned"), ("G-3", "lost"), ("G-4", "revoked")] {
            let answer = try gate.call("access.badges.verify", ["number": .string(number)])
            #expect(answer["valid"] == false, "\(number)")
            #expect(answer["reason"] == .string(reason), "\(number)")
            #expect(answer["kind"] != nil && answer["unit"] != nil && answer["validUntil"] != nil)
        }
        let unknown = try gate.call("access.badges.verify", ["number": "ZZ-404"])
        #expect(unknown["valid"] == false)
        #expect(unknown["reason"] == "unknown")
        #expect(unknown["kind"] == nil && unknown["holder"] == nil)
        for number in ["G-1", "G-2", "G-3", "G-4"] {
            let text = try gate.call("access.badges.verify", ["number": .string(number)]).serialized()
            #expect(!text.contains("idNumber") && !text.contains("idLast4") && !text.contains("1101011"), "\(text)")
        }
        #expect(try gate.callError("access.badges.verify", [:])?.code == -32602)
        try daemon.stop()
    }

    @Test("An active pass past its last day reads as expired: verify, get and list say so, and it can still be renewed")
    func expired() throws {
        // "Today" is the daemon's local date: a pass valid through today at UTC-12 is already
        // past its day at UTC+14 (26 hours ahead), with no clock to fake.
        let west = "Etc/GMT+12"
        let east = "Pacific/Kiritimati"
        let first = try AccessDesk.start(timeZone: west)
        let desk = try first.counter()
        let lastDay = AccessDesk.date(in: west)
        try desk.issue("resident", validUntil: lastDay)
        #expect(try desk.call("access.badges.verify", ["number": "R000001"])["reason"] == "active")
        try first.stop()

        try withExtendedLifetime(first) {
            let second = try AccessDesk.start(timeZone: east, arguments: ["--state-dir", first.stateDirectory])
            let later = try second.counter()
            let verdict = try later.call("access.badges.verify", ["number": "R000001"])
            #expect(verdict["valid"] == false)
            #expect(verdict["reason"] == "expired")
            #expect(verdict["validUntil"] == .string(lastDay))
            #expect(try later.call("access.badges.get", ["number": "R000001"])["status"] == "expired")
            let expiredList = try later.call("access.badges.list", ["status": "expired"])["badges"]?.arrayValue ?? []
            #expect(expiredList.map(\.number) == ["R000001"])
            #expect(try later.call("access.badges.list", ["status": "active"])["badges"] == [])
            // One active resident pass per holder per unit: an expired one still counts; renew it.
            expectViolation(
                try later.issueError("resident", validUntil: AccessDesk.date(days: 30, in: east)), field: "holder",
                rule: "one_active_resident_pass")
            let renewed = try later.call(
                "access.badges.renew",
                ["number": "R000001", "validUntil": .string(AccessDesk.date(days: 30, in: east))])
            #expect(renewed.badge["status"] == "active")
            #expect(try later.call("access.badges.verify", ["number": "R000001"])["valid"] == true)
            try second.stop()
        }
    }

    @Test("list filters by unit, holder, kind, status and expiring within N days, newest first, in pages")
    func listFilters() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.issue("contractor", holder: "赵磊", validUntil: AccessDesk.date(days: 5))
        try desk.issue("tenant", idNumber: "110101199101014444", validUntil: AccessDesk.date(days: 40))
        try desk.issue("tenant", holder: "周杰", idNumber: "110101199101015555", unit: "2-1-101")
        try desk.issue("resident", holder: "周杰", idNumber: "110101199101015555", unit: "2-1-101")
        try desk.call("access.badges.return", ["number": "T000002"])

        func numbers(_ params: JSONValue) throws -> [String] {
            (try desk.call("access.badges.list", params)["badges"]?.arrayValue ?? []).map(\.number)
        }
        #expect(try numbers([:]) == ["R000001", "T000002", "T000001", "C000001"])
        #expect(try numbers(["unit": " 2-1-101 "]) == ["R000001", "T000002"])
        #expect(try numbers(["holder": "周杰"]) == ["R000001", "T000002"])
        #expect(try numbers(["kind": "tenant"]) == ["T000002", "T000001"])
        #expect(try numbers(["status": "returned"]) == ["T000002"])
        #expect(try numbers(["status": "active"]) == ["R000001", "T000001", "C000001"])
        #expect(try numbers(["expiringWithinDays": 7]) == ["C000001"])
        #expect(try numbers(["expiringWithinDays": 60]) == ["T000001", "C000001"])
        #expect(try numbers(["expiringWithinDays": 60, "kind": "tenant"]) == ["T000001"])

        let first = try desk.call("access.badges.list", ["limit": 3])
        #expect(first["badges"]?.arrayValue?.count == 3)
        let cursor = try #require(first["nextCursor"]?.stringValue)
        let rest = try desk.call("access.badges.list", ["limit": 3, "cursor": .string(cursor)])
        #expect(rest["badges"]?.arrayValue?.map(\.number) == ["C000001"])
        #expect(rest["nextCursor"] == .null)
        #expect(try desk.callError("access.badges.list", ["cursor": "bogus"])?.field == "cursor")
        #expect(try desk.callError("access.badges.list", ["status": "gone"])?.code == -32602)
        try daemon.stop()
    }
}
