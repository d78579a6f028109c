import Foundation
import ReceptionPluginSDK

/// `access.badges.issue`: a new pass, its fee and deposit, and its receipt.
enum BadgeIssue {
    /// `access.badges.issue`.
    static let method: Method<AccessPlugin> = .write(
        "access.badges.issue",
        "Issues a pass (resident, tenant, contractor or a configured kind), taking its fee and deposit.",
        zh: "办门禁卡（住户、租户、装修施工或其他配置的类别），收工本费和押金，出收据。",
        display: DisplayHints(title: "number", columns: Badge.blockColumns, money: Money.badge)
    ) { (plugin, params: IssueParams, context) in
        try issue(params, plugin: plugin, context: context)
    }

    static func issue(_ params: IssueParams, plugin: AccessPlugin, context: AccessWrite) throws -> JSONValue {
        let db = context.db
        let kind = try plugin.config.kind(DeskText.code(params.kind).lowercased())
        let document = params.document
        let extras = try BadgeRules.check(
            kind: kind, validUntil: params.validUntil, today: context.today, leaseRef: params.leaseRef,
            leaseEnd: params.leaseEnd, sponsor: params.sponsor, authorisationRef: params.authorisationRef,
            holderIsOwner: params.holderIsOwner)

        let unitKey = try DeskText.requiredUnitKey(params.unit, field: "unit")
        if kind.name == "resident",
            let other = try db.queryOne(
                """
                SELECT number, valid_until FROM access_badges
                WHERE unit_key = ? AND id_type = ? AND id_number = ? AND kind = 'resident' AND status = 'active'
                """, [unitKey, document.type, document.number])
        {
            let number = other.string("number") ?? ""
            throw RPCError(
                .validation,
                "\(params.holder) (\(document.masked)) already has an active resident pass for \(params.unit): \(number), valid until \(other.string("valid_until") ?? "?"); one active resident pass per holder per unit (renew or return it first)",
                field: "holder", details: ["number": .string(number), "rule": "one_active_resident_pass"]
            ).localized(
                "zh",
                "\(params.holder)（\(document.masked)）在 \(params.unit) 已有一张有效的住户卡 \(number)，有效期至 \(other.string("valid_until") ?? "?")；每人每户只能有一张有效住户卡（请先续期或退卡）"
            )
        }

        var badge = Badge()
        if let wanted = params.number {
            if try db.queryOne("SELECT 1 FROM access_badges WHERE number = ?", [wanted]) != nil {
                throw RPCError(
                    .conflict, "badge number \(wanted) is already taken", field: "number",
                    details: ["number": .string(wanted)]
                ).localized("zh", "卡号 \(wanted) 已被占用")
            }
            badge.number = wanted
        } else {
            badge.number = try assignNumber(prefix: kind.numberPrefix, in: db)
        }
        badge.kind = kind.name
        badge.holder = params.holder
        badge.idType = document.type
        badge.idNumber = document.number
        badge.idLast4 = document.last4
        badge.unit = params.unit
        badge.unitKey = unitKey
        badge.photoRef = params.photoRef
        badge.issuedAt = context.stamp.time
        badge.issuedMs = context.stamp.ms
        badge.issuedBy = context.stamp.by
        badge.validUntil = params.validUntil.description
        badge.status = "active"
        badge.fee = kind.fee
        badge.deposit = kind.deposit
        badge.depositStatus = kind.deposit > 0 ? "held" : "none"
        badge.feesPaid = kind.fee
        badge.leaseRef = extras.leaseRef
        badge.leaseEnd = extras.leaseEnd?.description
        badge.sponsor = extras.sponsor
        badge.authorisationRef = extras.authorisationRef
        badge.holderIsOwner = extras.holderIsOwner
        badge.id = try badge.insert(into: db)

        let receipt = try Ledger.record(
            Receipt("issue", badge: badge.number, fee: kind.fee, deposit: kind.deposit), kind: kind.name,
            plugin: plugin, context: context
        ).reply
        let (reply, event) = BadgeView(today: context.today, caller: context.caller).replyAndEvent(
            badge, ["receipt": receipt])
        try context.emit(.badgeIssued, event)
        context.log.info(
            "issued \(kind.name) badge \(badge.number) to \(params.holder) (\(document.masked)) for \(params.unit), valid until \(params.validUntil)"
        )
        return reply
    }

    /// The next free number of `prefix` (`T000001`): the per-prefix counter, skipping numbers
    /// typed in by hand.
    static func assignNumber(prefix: String, in db: SQLiteConnection) throws -> String {
        for _ in 0..<1000 {
            let digits = String(try Counter.next("badge:\(prefix)", in: db))
            let number = prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            if try db.queryOne("SELECT 1 FROM access_badges WHERE number = ?", [number]) == nil { return number }
        }
        throw RPCError.internalError("no free badge number with prefix \(prefix)")
    }
}

/// The params of `access.badges.issue`.
struct IssueParams: MethodParams {
    // As typed: the kinds come from the config, and the handler looks the kind up in any case.
    @Param(
        "resident, tenant, contractor or a kind from the config", zh: "卡类别：住户、租户、装修施工，或配置的其他类别",
        maxLength: 32, text: .verbatim)
    var kind: String
    @Param("The holder's name", zh: "持卡人姓名", maxLength: 100) var holder: String
    @Param("Identity document type (id_card, passport, ...)", zh: "证件类型，如身份证（id_card）、护照（passport）", maxLength: 32)
    var idType: String
    @Param(
        "The document's number (stored; shown in full to admins only)", zh: "证件号码（完整保存，只有管理员能看到全号）",
        maxLength: 32, text: .code, private: true)
    var idNumber: String
    @Param("The unit, e.g. 3-2-1201", zh: "房号，如 3-2-1201 或 3栋2单元1201", maxLength: 64, format: .unit) var unit: String
    @Param("Last valid day, YYYY-MM-DD", zh: "有效期最后一天，如 2027-06-30") var validUntil: CivilDate
    @Param("The card's number (assigned when absent)", zh: "卡号（不填则自动编号）", maxLength: 32, text: .code) var number:
        String?
    @Param("Reference of the holder's photo", zh: "持卡人照片的编号", maxLength: 256) var photoRef: String?
    @Param("Tenant: the lease's reference", zh: "租户卡：租赁合同编号", maxLength: 64) var leaseRef: String?
    @Param("Tenant: the lease's last day, YYYY-MM-DD", zh: "租户卡：租约到期日，如 2027-06-30") var leaseEnd: CivilDate?
    @Param("Contractor: the unit owner who sponsors the worker", zh: "施工卡：为施工人员担保的业主姓名", maxLength: 100)
    var sponsor: String?
    @Param("Reference of the owner's written authorisation", zh: "业主书面授权书的编号", maxLength: 64)
    var authorisationRef: String?
    @Param("Resident: the holder is the unit's owner", zh: "住户卡：持卡人是否本户业主") var holderIsOwner: Bool?

    func validate() throws(RPCError) { try IdentityDocument.check(number: idNumber) }

    /// The holder's document.
    var document: IdentityDocument { IdentityDocument(type: idType, number: idNumber) }
}

/// The rules of the kinds, shared by issue and renew. Every broken rule is a `validation` error
/// naming the field, with `error.data.rule` naming the rule.
enum BadgeRules {
    /// The kind-specific fields, checked.
    struct Extras {
        var leaseRef: String?
        var leaseEnd: CivilDate?
        var sponsor: String?
        var authorisationRef: String?
        var holderIsOwner: Bool?
    }

    /// The `validation` error for a broken rule: `message` in English, `chinese` the same facts in Chinese.
    static func violation(
        _ field: String, _ rule: String, _ message: String, zh chinese: String, _ details: [String: JSONValue] = [:]
    ) -> RPCError {
        var details = details
        details["rule"] = .string(rule)
        return RPCError(.validation, message, field: field, details: details).localized("zh", chinese)
    }

    /// Checks the fields of `kind` and `validUntil` against its rules on `today`.
    static func check(
        kind: BadgeKind, validUntil: CivilDate, today: CivilDate, leaseRef: String?, leaseEnd: CivilDate?,
        sponsor: String?, authorisationRef: String?, holderIsOwner: Bool?
    ) throws(RPCError) -> Extras {
        var extras = Extras()
        extras.authorisationRef = authorisationRef
        if kind.name != "tenant", leaseRef != nil || leaseEnd != nil {
            let field = leaseRef != nil ? "leaseRef" : "leaseEnd"
            throw violation(
                field, "lease_only_for_tenants", "\(field) is only for tenant passes, not \(kind.name)",
                zh: "租赁合同信息只用于租户卡，\(AccessPlugin.kindInChinese(kind.name))卡不填")
        }
        if kind.name != "contractor", sponsor != nil {
            throw violation(
                "sponsor", "sponsor_only_for_contractors", "sponsor is only for contractor passes",
                zh: "担保业主只用于装修施工卡")
        }
        if kind.name != "resident", holderIsOwner != nil {
            throw violation(
                "holderIsOwner", "owner_only_for_residents", "holderIsOwner is only for resident passes",
                zh: "“持卡人是业主”只用于住户卡")
        }
        switch kind.name {
        case "resident":
            extras.holderIsOwner = holderIsOwner ?? false
            if holderIsOwner != true, authorisationRef == nil {
                throw violation(
                    "authorisationRef", "resident_owner_or_authorised",
                    "a resident pass goes to the unit's owner (holderIsOwner: true) or to someone presenting the owner's written authorisation: give its authorisationRef",
                    zh: "住户卡只发给本户业主（持卡人是业主），或持业主书面授权的人：请填写授权书编号")
            }
        case "tenant":
            guard let leaseRef else {
                throw violation(
                    "leaseRef", "tenant_requires_lease", "a tenant pass requires the lease's reference (leaseRef)",
                    zh: "租户卡须填写租赁合同编号")
            }
            guard let end = leaseEnd else {
                throw violation(
                    "leaseEnd", "tenant_requires_lease", "a tenant pass requires the lease's end date (leaseEnd)",
                    zh: "租户卡须填写租约到期日")
            }
            guard end >= today else {
                throw violation(
                    "leaseEnd", "lease_ended", "the lease ended on \(end); a tenant pass needs a running lease",
                    zh: "租约已于 \(end) 到期；租户卡须在租期内办理", ["leaseEnd": .string(end.description)])
            }
            guard validUntil <= end else {
                throw violation(
                    "validUntil", "tenant_within_lease",
                    "a tenant pass is valid until the lease end at most: validUntil \(validUntil) is after leaseEnd \(end)",
                    zh: "租户卡有效期不能超过租约到期日：有效期至 \(validUntil) 晚于租约到期日 \(end)",
                    ["leaseEnd": .string(end.description), "latest": .string(end.description)])
            }
            extras.leaseRef = leaseRef
            extras.leaseEnd = end
        case "contractor":
            guard let sponsor else {
                throw violation(
                    "sponsor", "contractor_requires_sponsor",
                    "a contractor pass must be sponsored by the unit's owner: give the sponsor's name",
                    zh: "装修施工卡须由本户业主担保：请填写担保业主姓名")
            }
            extras.sponsor = sponsor
        default:
            break
        }
        try checkValidity(kind: kind, validUntil: validUntil, today: today)
        return extras
    }

    /// `validUntil` is neither in the past nor beyond the kind's maximum validity from `today`.
    static func checkValidity(kind: BadgeKind, validUntil: CivilDate, today: CivilDate) throws(RPCError) {
        guard validUntil >= today else {
            throw violation(
                "validUntil", "not_in_past", "validUntil \(validUntil) is in the past (today is \(today))",
                zh: "有效期至 \(validUntil) 已经过去（今天是 \(today)）", ["today": .string(today.description)])
        }
        let latest = kind.maxValidity.latest(from: today)
        guard validUntil <= latest else {
            throw violation(
                "validUntil", "max_validity",
                "validUntil \(validUntil) is beyond the maximum validity of a \(kind.name) pass (\(kind.maxValidity) from \(today): \(latest) at the latest)",
                zh:
                    "有效期至 \(validUntil) 超过了\(AccessPlugin.kindInChinese(kind.name))卡的最长有效期（自 \(today) 起 \(kind.maxValidity.chineseDescription)，最晚到 \(latest)）",
                ["latest": .string(latest.description), "maxValidity": kind.maxValidity.json])
        }
    }
}
