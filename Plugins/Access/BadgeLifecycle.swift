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
        zh: "给有效（或已过期）的卡续期到新的日期，收续期费，押金不动。",
        display: DisplayHints(title: "number", columns: Badge.blockColumns, money: Money.badge)
    ) { (plugin, params: RenewParams, context) in
        let db = context.db
        let badge = try BadgeLookup.existing(number: params.number, in: ["active"], for: "renew", in: db)
        let kind = try plugin.config.kind(badge.kind)
        var leaseRef = badge.leaseRef
        var leaseEnd = badge.leaseEnd.flatMap(CivilDate.init(parsing:))
        if params.leaseRef != nil || params.leaseEnd != nil {
            guard kind.name == "tenant" else {
                throw BadgeRules.violation(
                    params.leaseRef != nil ? "leaseRef" : "leaseEnd", "lease_only_for_tenants",
                    "a lease is only for tenant passes, not \(kind.name)",
                    zh: "租赁合同信息只用于租户卡，\(AccessPlugin.kindInChinese(kind.name))卡不填")
            }
            leaseRef = params.leaseRef ?? leaseRef
            leaseEnd = params.leaseEnd ?? leaseEnd
        }
        if let current = CivilDate(parsing: badge.validUntil), params.validUntil <= current {
            throw BadgeRules.violation(
                "validUntil", "renewal_extends",
                "a renewal must extend the pass: validUntil \(params.validUntil) is not after its current last day \(current)",
                zh: "续期须延长有效期：新的有效期至 \(params.validUntil) 不晚于现在的 \(current)", ["current": .string(current.description)])
        }
        let tenant = kind.name == "tenant"
        let extras = try BadgeRules.check(
            kind: kind, validUntil: params.validUntil, today: context.today, leaseRef: tenant ? leaseRef : nil,
            leaseEnd: tenant ? leaseEnd : nil, sponsor: badge.sponsor, authorisationRef: badge.authorisationRef,
            holderIsOwner: kind.name == "resident" ? (badge.holderIsOwner ?? false) : nil)
        try db.execute(
            """
            UPDATE access_badges SET valid_until = ?, lease_ref = ?, lease_end = ?, fees_paid = fees_paid + ?,
                renewal_count = renewal_count + 1, renewed_at = ?, renewed_by = ?
            WHERE id = ? AND status = 'active'
            """,
            [
                params.validUntil.description, extras.leaseRef, extras.leaseEnd?.description, kind.renewalFee,
                context.stamp.time, context.stamp.by, badge.id,
            ])
        let stored = try BadgeLookup.reread(badge, db)
        let receipt = try Ledger.record(
            Receipt("renew", badge: badge.number, fee: kind.renewalFee), kind: kind.name, plugin: plugin,
            context: context
        ).reply
        let (reply, event) = BadgeView(today: context.today, caller: context.caller).replyAndEvent(
            stored, ["receipt": receipt])
        try context.emit(.badgeRenewed, event)
        return reply
    }

    /// `access.badges.return`.
    static let returnMethod: Method<AccessPlugin> = .write(
        "access.badges.return", "Takes a pass back and refunds its deposit.", zh: "收回门禁卡，退还押金。",
        display: DisplayHints(title: "number", columns: Badge.blockColumns, money: Money.badge)
    ) { (plugin, params: NumberParams, context) in
        let db = context.db
        let badge = try BadgeLookup.existing(number: params.number, in: ["active", "revoked"], for: "return", in: db)
        let refund = badge.depositStatus == "held" ? badge.deposit : 0
        try db.execute(
            """
            UPDATE access_badges SET status = 'returned', returned_at = ?, returned_by = ?,
                deposit_status = CASE deposit_status WHEN 'held' THEN 'refunded' ELSE deposit_status END
            WHERE id = ? AND status IN ('active','revoked')
            """, [context.stamp.time, context.stamp.by, badge.id])
        let stored = try BadgeLookup.reread(badge, db)
        let receipt: JSONValue =
            refund > 0
            ? try Ledger.record(
                Receipt("return", badge: badge.number, refund: refund), kind: badge.kind, plugin: plugin,
                context: context
            ).reply : .null
        let (reply, event) = BadgeView(today: context.today, caller: context.caller).replyAndEvent(
            stored, ["refund": .int(refund), "receipt": receipt])
        try context.emit(.badgeReturned, event)
        return reply
    }

    /// `access.badges.reportLost`.
    static let reportLostMethod: Method<AccessPlugin> = .write(
        "access.badges.reportLost",
        "Records a pass as lost: it stops being valid, and its deposit is forfeited (unless the config refunds it).",
        zh: "门禁卡挂失：卡立即失效，押金不退（除非本物业配置为挂失退押金）。",
        display: DisplayHints(title: "number", columns: Badge.blockColumns, money: Money.badge)
    ) { (plugin, params: NumberParams, context) in
        let db = context.db
        let badge = try BadgeLookup.existing(
            number: params.number, in: ["active", "revoked"], for: "report lost", in: db)
        let held = badge.depositStatus == "held" ? badge.deposit : 0
        let refunds = plugin.config.refundDepositOnLoss
        try db.execute(
            """
            UPDATE access_badges SET status = 'lost', lost_at = ?, lost_by = ?,
                deposit_status = CASE deposit_status WHEN 'held' THEN ? ELSE deposit_status END
            WHERE id = ? AND status IN ('active','revoked')
            """, [context.stamp.time, context.stamp.by, refunds ? "refunded" : "forfeited", badge.id])
        let stored = try BadgeLookup.reread(badge, db)
        var money = Receipt("lost", badge: badge.number)
        if refunds { money.refund = held } else { money.forfeited = held }
        let receipt: JSONValue =
            money.isEmpty ? .null : try Ledger.record(money, kind: badge.kind, plugin: plugin, context: context).reply
        let (reply, event) = BadgeView(today: context.today, caller: context.caller).replyAndEvent(
            stored, ["refund": .int(money.refund), "forfeited": .int(money.forfeited), "receipt": receipt])
        try context.emit(.badgeLost, event)
        return reply
    }

    /// `access.badges.revoke`.
    static let revokeMethod: Method<AccessPlugin> = .write(
        "access.badges.revoke",
        "Revokes an active pass (it stops being valid at once); its deposit stays held until the card is handed in.",
        zh: "注销有效的门禁卡（立即失效）；押金等交回卡时再退。",
        display: DisplayHints(title: "number", columns: Badge.blockColumns, money: Money.badge)
    ) { (_, params: RevokeParams, context) in
        let db = context.db
        let badge = try BadgeLookup.existing(number: params.number, in: ["active"], for: "revoke", in: db)
        try db.execute(
            """
            UPDATE access_badges SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ?
            WHERE id = ? AND status = 'active'
            """, [context.stamp.time, context.stamp.by, params.reason, badge.id])
        let stored = try BadgeLookup.reread(badge, db)
        let (reply, event) = BadgeView(today: context.today, caller: context.caller).replyAndEvent(stored)
        try context.emit(.badgeRevoked, event)
        return reply
    }
}

/// Params naming one badge (`receptionctl access badges get T000001`).
struct NumberParams: MethodParams {
    @Param("Badge number, e.g. T000001", zh: "卡号，如 T000001", maxLength: 32, text: .code, positional: true)
    var number: String
}

/// The params of `access.badges.renew`.
struct RenewParams: MethodParams {
    @Param("Badge number, e.g. T000001", zh: "卡号，如 T000001", maxLength: 32, text: .code, positional: true)
    var number: String
    @Param("The new last valid day, YYYY-MM-DD", zh: "新的有效期最后一天，如 2027-06-30") var validUntil: CivilDate
    @Param("Tenant: the new lease's reference", zh: "租户卡：新租赁合同编号", maxLength: 64) var leaseRef: String?
    @Param("Tenant: the new lease's last day, YYYY-MM-DD", zh: "租户卡：新租约到期日，如 2027-06-30") var leaseEnd: CivilDate?
}

/// The params of `access.badges.revoke`.
struct RevokeParams: MethodParams {
    @Param("Badge number, e.g. T000001", zh: "卡号，如 T000001", maxLength: 32, text: .code, positional: true)
    var number: String
    @Param("Why", zh: "注销原因", maxLength: 500) var reason: String
}
