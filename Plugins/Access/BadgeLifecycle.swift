import Foundation
import ReceptionPluginSDK

/// `access.badges.renew`, `.return`, `.reportLost`, `.revoke`: what happens to a pass after it
/// is issued. An unknown number is `not_found`; a badge whose state does not allow the change is
/// `invalid_state` naming the state.
enum BadgeLifecycle {
    /// `access.badges.renew`.
    static let renewMethod: Method<AccessPlugin> = .write(
        "access.badges.renew",
        "Extends an active (or expired) pass to a new last day, charging the kind's renewal fee; the deposit is kept.",
        params: Schema.object(
            [
                "number": BadgeIssue.numberSchema,
                "validUntil": Schema.string("The new last valid day, YYYY-MM-DD", maxLength: BadgeLimits.date),
                "leaseRef": Schema.string("Tenant: the new lease's reference", maxLength: BadgeLimits.reference),
                "leaseEnd": Schema.string("Tenant: the new lease's last day, YYYY-MM-DD", maxLength: BadgeLimits.date),
            ], required: ["number", "validUntil"])
    ) { (plugin, params: RenewParams, context) in
        let db = context.db
        let view = View(now: context.now, caller: context.caller)
        let today = CivilDate(localDateOf: context.now)
        let number = try Text.requiredCode(params.number, field: "number")
        let validUntil = try CivilDate.param(params.validUntil, field: "validUntil")
        let badge = try BadgeLookup.existing(number: number, in: ["active"], for: "renew", in: db)
        let kind = try plugin.config.kind(badge.kind)
        var leaseRef = badge.leaseRef
        var leaseEnd = badge.leaseEnd
        if params.leaseRef != nil || params.leaseEnd != nil {
            guard kind.name == "tenant" else {
                throw BadgeRules.violation(
                    params.leaseRef != nil ? "leaseRef" : "leaseEnd", "lease_only_for_tenants",
                    "a lease is only for tenant passes, not \(kind.name)")
            }
            if let ref = DeskText.optional(params.leaseRef) { leaseRef = ref }
            if let end = params.leaseEnd { leaseEnd = try CivilDate.param(end, field: "leaseEnd").description }
        }
        if let current = CivilDate(parsing: badge.validUntil), validUntil <= current {
            throw BadgeRules.violation(
                "validUntil", "renewal_extends",
                "a renewal must extend the pass: validUntil \(validUntil) is not after its current last day \(current)",
                ["current": .string(current.description)])
        }
        let extras = try BadgeRules.check(
            kind: kind, validUntil: validUntil, today: today, leaseRef: kind.name == "tenant" ? leaseRef : nil,
            leaseEnd: kind.name == "tenant" ? leaseEnd : nil, sponsor: badge.sponsor,
            authorisationRef: badge.authorisationRef,
            holderIsOwner: kind.name == "resident" ? (badge.holderIsOwner ?? false) : nil)
        let now = context.now
        try db.execute(
            """
            UPDATE access_badges SET valid_until = ?, lease_ref = ?, lease_end = ?, fees_paid = fees_paid + ?,
                renewal_count = renewal_count + 1, renewed_at = ?, renewed_by = ?
            WHERE id = ? AND status = 'active'
            """,
            [
                validUntil.description, extras.leaseRef, extras.leaseEnd?.description, kind.renewalFee,
                Timestamp.format(now), Actor.name(context.caller), badge.id,
            ])
        let stored = try reread(badge, db)
        let receipt = try Ledger.record(
            Receipt(operation: "renew", badge: number, kind: kind.name, fee: kind.renewalFee), plugin: plugin,
            context: context)
        try context.emit("access.badge.renewed", ["badge": view.publicBadge(stored), "receipt": receipt] as JSONValue)
        return ["badge": view.badge(stored), "receipt": receipt] as JSONValue
    }

    /// `access.badges.return`.
    static let returnMethod: Method<AccessPlugin> = .write(
        "access.badges.return", "Takes a pass back and refunds its deposit.",
        params: Schema.object(["number": BadgeIssue.numberSchema], required: ["number"])
    ) { (plugin, params: NumberParams, context) in
        let db = context.db
        let view = View(now: context.now, caller: context.caller)
        let number = try Text.requiredCode(params.number, field: "number")
        let badge = try BadgeLookup.existing(number: number, in: ["active", "revoked"], for: "return", in: db)
        let refund = badge.depositStatus == "held" ? badge.deposit : 0
        let now = context.now
        try db.execute(
            """
            UPDATE access_badges SET status = 'returned', returned_at = ?, returned_by = ?,
                deposit_status = CASE deposit_status WHEN 'held' THEN 'refunded' ELSE deposit_status END
            WHERE id = ? AND status IN ('active','revoked')
            """, [Timestamp.format(now), Actor.name(context.caller), badge.id])
        let stored = try reread(badge, db)
        let receipt: JSONValue =
            refund > 0
            ? try Ledger.record(
                Receipt(operation: "return", badge: number, kind: badge.kind, refund: refund), plugin: plugin,
                context: context) : .null
        try context.emit(
            "access.badge.returned",
            ["badge": view.publicBadge(stored), "refund": .int(refund), "receipt": receipt] as JSONValue)
        return ["badge": view.badge(stored), "refund": .int(refund), "receipt": receipt] as JSONValue
    }

    /// `access.badges.reportLost`.
    static let reportLostMethod: Method<AccessPlugin> = .write(
        "access.badges.reportLost",
        "Records a pass as lost: it stops being valid, and its deposit is forfeited (unless the config refunds it).",
        params: Schema.object(["number": BadgeIssue.numberSchema], required: ["number"])
    ) { (plugin, params: NumberParams, context) in
        let db = context.db
        let view = View(now: context.now, caller: context.caller)
        let number = try Text.requiredCode(params.number, field: "number")
        let badge = try BadgeLookup.existing(number: number, in: ["active", "revoked"], for: "report lost", in: db)
        let held = badge.depositStatus == "held" ? badge.deposit : 0
        let refunds = plugin.config.refundDepositOnLoss
        let now = context.now
        try db.execute(
            """
            UPDATE access_badges SET status = 'lost', lost_at = ?, lost_by = ?,
                deposit_status = CASE deposit_status WHEN 'held' THEN ? ELSE deposit_status END
            WHERE id = ? AND status IN ('active','revoked')
            """, [Timestamp.format(now), Actor.name(context.caller), refunds ? "refunded" : "forfeited", badge.id])
        let stored = try reread(badge, db)
        var money = Receipt(operation: "lost", badge: number, kind: badge.kind)
        if refunds { money.refund = held } else { money.forfeited = held }
        let receipt: JSONValue = money.isEmpty ? .null : try Ledger.record(money, plugin: plugin, context: context)
        let result: [String: JSONValue] = [
            "refund": .int(money.refund), "forfeited": .int(money.forfeited), "receipt": receipt,
        ]
        var event = result
        event["badge"] = view.publicBadge(stored)
        try context.emit("access.badge.lost", JSONValue.object(event))
        var reply = result
        reply["badge"] = view.badge(stored)
        return JSONValue.object(reply)
    }

    /// `access.badges.revoke`.
    static let revokeMethod: Method<AccessPlugin> = .write(
        "access.badges.revoke",
        "Revokes an active pass (it stops being valid at once); its deposit stays held until the card is handed in.",
        params: Schema.object(
            [
                "number": BadgeIssue.numberSchema,
                "reason": Schema.string("Why", maxLength: BadgeLimits.reason),
            ], required: ["number", "reason"])
    ) { (_, params: RevokeParams, context) in
        let db = context.db
        let view = View(now: context.now, caller: context.caller)
        let number = try Text.requiredCode(params.number, field: "number")
        let reason = try DeskText.required(params.reason, field: "reason")
        let badge = try BadgeLookup.existing(number: number, in: ["active"], for: "revoke", in: db)
        let now = context.now
        try db.execute(
            """
            UPDATE access_badges SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ?
            WHERE id = ? AND status = 'active'
            """, [Timestamp.format(now), Actor.name(context.caller), reason, badge.id])
        let stored = try reread(badge, db)
        try context.emit("access.badge.revoked", ["badge": view.publicBadge(stored)] as JSONValue)
        return ["badge": view.badge(stored)] as JSONValue
    }

    /// The badge as stored now.
    static func reread(_ badge: Badge, _ db: SQLiteConnection) throws -> Badge {
        guard db.changes == 1, let stored = try BadgeLookup.badge(number: badge.number, in: db) else {
            throw RPCError.internalError("badge \(badge.number) changed under the writer")
        }
        return stored
    }
}

/// Params naming one badge.
struct NumberParams: Decodable, Sendable {
    let number: String
}

/// The params of `access.badges.renew`.
struct RenewParams: Decodable, Sendable {
    let number: String
    let validUntil: String
    let leaseRef: String?
    let leaseEnd: String?
}

/// The params of `access.badges.revoke`.
struct RevokeParams: Decodable, Sendable {
    let number: String
    let reason: String
}
