import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// Renewal, return, loss, revocation, and what the gate's `access.badges.verify` says after each,
/// in-process: the harness clock moves the days on.
@Suite("access rules: a pass's life and verify")
struct BadgeLifecycleTests {
    @Test("Renewing a tenant pass costs 2.00 and keeps the deposit; a contractor's 5.00; the rules still hold")
    func renewals() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        let leaseEnd = desk.date(months: 6)
        try desk.issue("tenant", validUntil: desk.date(months: 1), with: ["leaseEnd": .string(leaseEnd)])

        let renewed = try desk.call(
            "access.badges.renew", ["number": "t000001", "validUntil": .string(desk.date(months: 3))])
        #expect(renewed.badge["validUntil"] == .string(desk.date(months: 3)))
        #expect(renewed.badge["deposit"] == 1000)
        #expect(renewed.badge["depositStatus"] == "held")
        #expect(renewed.badge["fee"] == 500, "fee is what the issue charged")
        #expect(renewed.badge["feesPaid"] == 700)
        #expect(renewed.badge["renewalCount"] == 1)
        #expect(renewed.badge["renewedBy"] == "li.na")
        #expect(renewed.badge["renewedAt"] == .string(Timestamp.format(desk.clock.now)))
        #expect(renewed["receipt"]?["fee"] == 200)
        #expect(renewed["receipt"]?["deposit"] == 0)
        #expect(renewed["receipt"]?["total"] == 200)
        #expect(renewed["receipt"]?["operation"] == "renew")
        #expect(desk.lastEvents.map(\.topic) == ["access.badge.renewed"])

        // Still not past the lease, still extending, still at most a year.
        expectViolation(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(desk.date(months: 7))]),
            field: "validUntil", rule: "tenant_within_lease")
        let shorter = try desk.callError(
            "access.badges.renew", ["number": "T000001", "validUntil": .string(desk.date(months: 2))])
        expectViolation(shorter, field: "validUntil", rule: "renewal_extends")
        #expect(shorter.details["current"] == .string(desk.date(months: 3)))
        // A new lease moves the limit.
        let newLease = desk.date(months: 18)
        let extended = try desk.call(
            "access.badges.renew",
            [
                "number": "T000001", "validUntil": .string(desk.date(months: 12)), "leaseRef": "L-2027-0093",
                "leaseEnd": .string(newLease),
            ])
        #expect(extended.badge["leaseRef"] == "L-2027-0093")
        #expect(extended.badge["leaseEnd"] == .string(newLease))
        #expect(extended.badge["feesPaid"] == 900)
        expectViolation(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(desk.date(months: 13))]),
            field: "validUntil", rule: "max_validity")

        try desk.issue("contractor", validUntil: desk.date(days: 10))
        let contractor = try desk.call(
            "access.badges.renew", ["number": "C000001", "validUntil": .string(desk.date(months: 3))])
        #expect(contractor["receipt"]?["fee"] == 500)
        #expect(contractor.badge["deposit"] == 1000)
        expectViolation(
            try desk.callError(
                "access.badges.renew", ["number": "C000001", "validUntil": .string(desk.date(months: 3, days: 1))]),
            field: "validUntil", rule: "max_validity")
        expectViolation(
            try desk.callError(
                "access.badges.renew",
                ["number": "C000001", "validUntil": .string(desk.date(months: 4)), "leaseRef": "L-9"]),
            field: "leaseRef", rule: "lease_only_for_tenants")

        let unknown = try desk.callError(
            "access.badges.renew", ["number": "T999999", "validUntil": .string(desk.date(months: 1))])
        #expect(unknown.kind == .notFound)
        #expect(unknown.message == "no badge numbered T999999")
        #expect(unknown.details["number"] == "T999999")
    }

    @Test("Returning a pass refunds its deposit; a lost pass's deposit is forfeited; a revoked pass stops at once")
    func returnLostRevoke() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
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
        #expect(desk.lastEvents.first?.data == returned)
        let again = try desk.callError("access.badges.return", ["number": "T000001"])
        #expect(again.kind == .invalidState)
        #expect(
            again.details == [
                "number": "T000001", "status": "returned", "since": returned.badge["returnedAt"] ?? .null,
            ])
        #expect(again.message == "cannot return badge T000001: it was returned at \(Timestamp.format(desk.clock.now))")
        #expect(
            try desk.callError(
                "access.badges.renew", ["number": "T000001", "validUntil": .string(desk.date(months: 2))]
            ).kind
                == .invalidState)

        let lost = try desk.call("access.badges.reportLost", ["number": "C000001"])
        #expect(lost.badge["status"] == "lost")
        #expect(lost.badge["depositStatus"] == "forfeited")
        #expect(lost["forfeited"] == 1000)
        #expect(lost["refund"] == 0)
        #expect(lost["receipt"]?["forfeited"] == 1000)
        #expect(lost["receipt"]?["total"] == 0, "a forfeited deposit moves no cash")
        #expect(try desk.callError("access.badges.return", ["number": "C000001"]).kind == .invalidState)

        let revoked = try desk.call("access.badges.revoke", ["number": "T000002", "reason": "lease terminated early"])
        #expect(revoked.badge["status"] == "revoked")
        #expect(revoked.badge["revokeReason"] == "lease terminated early")
        #expect(revoked.badge["depositStatus"] == "held", "the deposit waits for the card")
        #expect(revoked.objectValue?.keys.sorted() == ["badge"])
        #expect(try desk.call("access.badges.verify", ["number": "T000002"])["reason"] == "revoked")
        let twice = try desk.callError("access.badges.revoke", ["number": "T000002", "reason": "x"])
        #expect(twice.kind == .invalidState)
        #expect(twice.message.hasSuffix("(lease terminated early)"))
        #expect(try desk.callError("access.badges.revoke", ["number": "T000002", "reason": " "]).field == "reason")
        // The card comes back later: the deposit is refunded then.
        let handedIn = try desk.call("access.badges.return", ["number": "T000002"])
        #expect(handedIn["refund"] == 1000)
        #expect(handedIn.badge["revokeReason"] == "lease terminated early")

        // A free pass has nothing to refund, and no receipt.
        let free = try desk.call("access.badges.return", ["number": "R000001"])
        #expect(free["refund"] == 0)
        #expect(free["receipt"] == .null)

        #expect(try desk.callError("access.badges.reportLost", ["number": "NOPE"]).kind == .notFound)
    }

    @Test("refund_deposit_on_loss = true refunds a lost pass's deposit instead")
    func lossRefundConfigured() throws {
        let desk = try PluginHarness(AccessPlugin.self, config: ["refund_deposit_on_loss": true])
        try desk.issue("tenant")
        let lost = try desk.call("access.badges.reportLost", ["number": "T000001"])
        #expect(lost["refund"] == 1000)
        #expect(lost["forfeited"] == 0)
        #expect(lost["receipt"]?["refund"] == 1000)
        #expect(lost["receipt"]?["total"] == -1000)
        #expect(lost.badge["depositStatus"] == "refunded")
        #expect(try desk.call("access.kinds")["refundDepositOnLoss"] == true)
    }

    @Test("verify answers active, returned, lost, revoked and unknown (not an error), and never an identity number")
    func verifyReasons() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.issue("tenant", with: ["number": "G-1"])
        try desk.issue("contractor", with: ["number": "G-2"])
        try desk.issue("tenant", idNumber: "110101199101012222", with: ["number": "G-3"])
        try desk.issue("tenant", idNumber: "110101199101013333", with: ["number": "G-4"])
        try desk.call("access.badges.return", ["number": "G-2"])
        try desk.call("access.badges.reportLost", ["number": "G-3"])
        try desk.call("access.badges.revoke", ["number": "G-4", "reason": "misuse"])

        desk.caller = .admin()
        #expect(
            try desk.call("access.badges.verify", ["number": "g-1"]) == [
                "number": "G-1", "valid": true, "reason": "active", "kind": "tenant", "holder": "王芳",
                "unit": "3-2-1201", "validUntil": .string(desk.date(months: 6)),
            ])
        for (number, reason) in [("G-2", "returned"), ("G-3", "lost"), ("G-4", "revoked")] {
            let answer = try desk.call("access.badges.verify", ["number": .string(number)])
            #expect(answer["valid"] == false, "\(number)")
            #expect(answer["reason"] == .string(reason), "\(number)")
            #expect(
                answer.objectValue?.keys.sorted() == [
                    "holder", "kind", "number", "reason", "unit", "valid", "validUntil",
                ])
        }
        #expect(
            try desk.call("access.badges.verify", ["number": "ZZ-404"]) == [
                "number": "ZZ-404", "valid": false, "reason": "unknown",
            ])
        #expect(
            try desk.call("access.badges.verify", ["number": "  "]) == [
                "number": "", "valid": false, "reason": "unknown",
            ],
            "a blank number is an answer too")
        #expect(try desk.callError("access.badges.verify", [:]).code == -32602)
    }

    @Test("An active pass past its last day reads as expired: verify, get and list say so, and it can still be renewed")
    func expired() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        let lastDay = desk.date()
        try desk.issue("resident", validUntil: lastDay)
        desk.clock.advance(by: 7 * 3600)
        #expect(try desk.call("access.badges.verify", ["number": "R000001"])["reason"] == "active", "valid all day")
        #expect(try desk.call("access.badges.get", ["number": "R000001"])["status"] == "active")
        #expect(try desk.call("access.badges.list", ["status": "active"])["badges"]?.arrayValue?.count == 1)

        desk.clock.advance(days: 1)
        let verdict = try desk.call("access.badges.verify", ["number": "R000001"])
        #expect(verdict["valid"] == false)
        #expect(verdict["reason"] == "expired")
        #expect(verdict["validUntil"] == .string(lastDay))
        #expect(try desk.call("access.badges.get", ["number": "R000001"])["status"] == "expired")
        #expect(try desk.query("SELECT status FROM access_badges").first?.string("status") == "active", "as stored")
        let expiredList = try desk.call("access.badges.list", ["status": "expired"])["badges"]?.arrayValue ?? []
        #expect(expiredList.map(\.number) == ["R000001"])
        #expect(try desk.call("access.badges.list", ["status": "active"])["badges"] == [])
        // One active resident pass per holder per unit: an expired one still counts; renew it.
        expectViolation(
            try desk.issueError("resident", validUntil: desk.date(days: 30)), field: "holder",
            rule: "one_active_resident_pass")
        let renewed = try desk.call(
            "access.badges.renew", ["number": "R000001", "validUntil": .string(desk.date(days: 30))])
        #expect(renewed.badge["status"] == "active")
        #expect(try desk.call("access.badges.verify", ["number": "R000001"])["valid"] == true)
    }

    @Test("Admins see the holder's full identity number; operators and events never do")
    func adminView() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .admin())
        let issued = try desk.issue("tenant", idNumber: "44030419851122771x")
        #expect(issued.badge["idNumber"] == "44030419851122771X")
        #expect(desk.lastEvents.first?.data["badge"]?["idNumber"] == nil)
        #expect(desk.lastEvents.first?.data["badge"]?["idLast4"] == "771X")
        #expect(try desk.call("access.badges.get", ["number": "T000001"])["idNumber"] == "44030419851122771X")
        desk.caller = .operator("wang.fang")
        #expect(try desk.call("access.badges.get", ["number": "T000001"])["idNumber"] == nil)
        let listed = try desk.call("access.badges.list")["badges"]?.arrayValue?.first
        #expect(listed?["idNumber"] == nil)
        #expect(listed?["idLast4"] == "771X")
        #expect(!desk.logLines.contains { $0.message.contains("44030419851122771") }, "the log has four characters")
    }

    @Test("list filters by unit, holder, kind, status and expiring within N days, newest first, in pages")
    func listFilters() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.issue("contractor", holder: "赵磊", validUntil: desk.date(days: 5))
        try desk.issue("tenant", idNumber: "110101199101014444", validUntil: desk.date(days: 40))
        try desk.issue("tenant", holder: "周杰", idNumber: "110101199101015555", unit: "2-1-101")
        try desk.issue("resident", holder: "周杰", idNumber: "110101199101015555", unit: "2-1-101")
        try desk.call("access.badges.return", ["number": "T000002"])

        func numbers(_ params: JSONValue) throws -> [String] {
            (try desk.call("access.badges.list", params)["badges"]?.arrayValue ?? []).map(\.number)
        }
        #expect(try numbers([:]) == ["R000001", "T000002", "T000001", "C000001"])
        #expect(try numbers(["unit": " 2-1-101 "]) == ["R000001", "T000002"])
        #expect(try numbers(["holder": "周杰"]) == ["R000001", "T000002"])
        #expect(try numbers(["kind": "Tenant"]) == ["T000002", "T000001"])
        #expect(try numbers(["status": "returned"]) == ["T000002"])
        #expect(try numbers(["status": "active"]) == ["R000001", "T000001", "C000001"])
        #expect(try numbers(["expiringWithinDays": 7]) == ["C000001"])
        #expect(try numbers(["expiringWithinDays": 60]) == ["T000001", "C000001"])
        #expect(try numbers(["expiringWithinDays": 60, "kind": "tenant"]) == ["T000001"])
        desk.clock.advance(days: 6)
        #expect(try numbers(["status": "expired"]) == ["C000001"])

        let first = try desk.call("access.badges.list", ["limit": 3])
        #expect(first["badges"]?.arrayValue?.count == 3)
        let cursor = try #require(first["nextCursor"]?.stringValue)
        let rest = try desk.call("access.badges.list", ["limit": 3, "cursor": .string(cursor)])
        #expect(rest["badges"]?.arrayValue?.map(\.number) == ["C000001"])
        #expect(rest["nextCursor"] == .null)
        let bogus = try desk.callError("access.badges.list", ["cursor": "bogus"])
        #expect(bogus.field == "cursor")
        #expect(bogus.message == "cursor is not a nextCursor this daemon gave out")
        #expect(try desk.callError("access.badges.list", ["status": "gone"]).code == -32602)
    }
}
