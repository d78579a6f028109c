import Foundation
import ReceptionPluginSDK

/// Limits on badge params, in characters.
enum BadgeLimits {
    static let number = 32
    static let holder = 100
    static let unit = 64
    static let idType = 32
    static let idNumber = 32
    static let reference = 64
    static let photoRef = 256
    static let reason = 500
    static let date = 10
}

/// `access.badges.issue`: a new pass, its fee and deposit, and its receipt.
enum BadgeIssue {
    /// The number param of every method naming one badge (`receptionctl access badges get T000001`).
    static let numberSchema = Schema.annotate(
        Schema.string("Badge number, e.g. T000001", maxLength: BadgeLimits.number), positional: true)

    /// `access.badges.issue`.
    static let method: Method<AccessPlugin> = .write(
        "access.badges.issue",
        "Issues a pass (resident, tenant, contractor or a configured kind), taking its fee and deposit.",
        params: Schema.object(
            [
                "kind": Schema.string("resident, tenant, contractor or a kind from the config", maxLength: 32),
                "holder": Schema.string("The holder's name", maxLength: BadgeLimits.holder),
                "idType": Schema.string(
                    "Identity document type (id_card, passport, ...)", maxLength: BadgeLimits.idType),
                "idNumber": Schema.string(
                    "The document's number (stored; shown in full to admins only)", maxLength: BadgeLimits.idNumber),
                "unit": Schema.string("The unit, e.g. 3-2-1201", maxLength: BadgeLimits.unit),
                "validUntil": Schema.string("Last valid day, YYYY-MM-DD", maxLength: BadgeLimits.date),
                "number": Schema.string(
                    "The card's number (assigned when absent)", maxLength: BadgeLimits.number),
                "photoRef": Schema.string("Reference of the holder's photo", maxLength: BadgeLimits.photoRef),
                "leaseRef": Schema.string("Tenant: the lease's reference", maxLength: BadgeLimits.reference),
                "leaseEnd": Schema.string("Tenant: the lease's last day, YYYY-MM-DD", maxLength: BadgeLimits.date),
                "sponsor": Schema.string(
                    "Contractor: the unit owner who sponsors the worker", maxLength: BadgeLimits.holder),
                "authorisationRef": Schema.string(
                    "Reference of the owner's written authorisation", maxLength: BadgeLimits.reference),
                "holderIsOwner": Schema.boolean("Resident: the holder is the unit's owner"),
            ], required: ["kind", "holder", "idType", "idNumber", "unit", "validUntil"]),
        redact: ["idNumber"]
    ) { (plugin, params: IssueParams, context) in
        try issue(params, plugin: plugin, context: context)
    }

    static func issue(_ params: IssueParams, plugin: AccessPlugin, context: WriteContext) throws -> JSONValue {
        let db = context.db
        let view = View(now: context.now, caller: context.caller)
        let today = CivilDate(localDateOf: context.now)
        let kind = try plugin.config.kind(Text.code(params.kind).lowercased())
        let holder = try DeskText.required(params.holder, field: "holder")
        let unit = try DeskText.required(params.unit, field: "unit")
        let document = try IdentityDocument(type: params.idType, number: params.idNumber)
        let validUntil = try CivilDate.param(params.validUntil, field: "validUntil")
        let extras = try BadgeRules.check(
            kind: kind, validUntil: validUntil, today: today, leaseRef: params.leaseRef, leaseEnd: params.leaseEnd,
            sponsor: params.sponsor, authorisationRef: params.authorisationRef, holderIsOwner: params.holderIsOwner)

        if kind.name == "resident",
            let other = try db.queryOne(
                """
                SELECT number, valid_until FROM access_badges
                WHERE unit = ? AND id_type = ? AND id_number = ? AND kind = 'resident' AND status = 'active'
                """, [unit, document.type, document.number])
        {
            let number = other.string("number") ?? ""
            throw RPCError(
                .validation,
                "\(holder) (\(document.masked)) already has an active resident pass for \(unit): \(number), valid until \(other.string("valid_until") ?? "?"); one active resident pass per holder per unit (renew or return it first)",
                field: "holder", details: ["number": .string(number), "rule": "one_active_resident_pass"])
        }

        let number: String
        if let wanted = params.number {
            number = try Text.requiredCode(wanted, field: "number")
            if try db.queryOne("SELECT 1 FROM access_badges WHERE number = ?", [number]) != nil {
                throw RPCError(
                    .conflict, "badge number \(number) is already taken", field: "number",
                    details: ["number": .string(number)])
            }
        } else {
            number = try assignNumber(prefix: kind.numberPrefix, in: db)
        }

        let now = context.now
        let by = Actor.name(context.caller)
        try db.execute(
            """
            INSERT INTO access_badges (number, kind, holder, id_type, id_number, id_last4, unit, photo_ref, issued_at,
                issued_ms, issued_by, valid_until, status, fee, deposit, deposit_status, fees_paid, lease_ref,
                lease_end, sponsor, authorisation_ref, holder_is_owner)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                number, kind.name, holder, document.type, document.number, document.last4, unit,
                DeskText.optional(params.photoRef), Timestamp.format(now), EpochMillis.of(now), by,
                validUntil.description, kind.fee, kind.deposit, kind.deposit > 0 ? "held" : "none", kind.fee,
                extras.leaseRef, extras.leaseEnd?.description, extras.sponsor, extras.authorisationRef,
                extras.holderIsOwner,
            ])
        guard let badge = try BadgeLookup.badge(number: number, in: db) else {
            throw RPCError.internalError("badge \(number) vanished after insert")
        }
        let receipt = try Ledger.record(
            Receipt(operation: "issue", badge: number, kind: kind.name, fee: kind.fee, deposit: kind.deposit),
            plugin: plugin, context: context)
        try context.emit("access.badge.issued", ["badge": view.publicBadge(badge), "receipt": receipt] as JSONValue)
        context.log.info(
            "issued \(kind.name) badge \(number) to \(holder) (\(document.masked)) for \(unit), valid until \(validUntil)"
        )
        return ["badge": view.badge(badge), "receipt": receipt] as JSONValue
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

/// The rules of the kinds, shared by issue and renew. Every broken rule is a `validation` error
/// naming the field, with `error.data.rule` naming the rule.
enum BadgeRules {
    /// The kind-specific fields, checked and normalized.
    struct Extras {
        var leaseRef: String?
        var leaseEnd: CivilDate?
        var sponsor: String?
        var authorisationRef: String?
        var holderIsOwner: Bool?
    }

    static func violation(_ field: String, _ rule: String, _ message: String, _ details: [String: JSONValue] = [:])
        -> RPCError
    {
        var details = details
        details["rule"] = .string(rule)
        return RPCError(.validation, message, field: field, details: details)
    }

    /// Checks the fields of `kind` and `validUntil` against its rules on `today`.
    static func check(
        kind: BadgeKind, validUntil: CivilDate, today: CivilDate, leaseRef: String?, leaseEnd: String?,
        sponsor: String?, authorisationRef: String?, holderIsOwner: Bool?
    ) throws(RPCError) -> Extras {
        var extras = Extras()
        extras.authorisationRef = DeskText.optional(authorisationRef)
        let leaseRef = DeskText.optional(leaseRef)
        let sponsor = DeskText.optional(sponsor)
        if kind.name != "tenant" {
            if leaseRef != nil || leaseEnd != nil {
                throw violation(
                    leaseRef != nil ? "leaseRef" : "leaseEnd", "lease_only_for_tenants",
                    "\(leaseRef != nil ? "leaseRef" : "leaseEnd") is only for tenant passes, not \(kind.name)")
            }
        }
        if kind.name != "contractor", sponsor != nil {
            throw violation("sponsor", "sponsor_only_for_contractors", "sponsor is only for contractor passes")
        }
        if kind.name != "resident", holderIsOwner != nil {
            throw violation("holderIsOwner", "owner_only_for_residents", "holderIsOwner is only for resident passes")
        }
        switch kind.name {
        case "resident":
            extras.holderIsOwner = holderIsOwner ?? false
            if holderIsOwner != true, extras.authorisationRef == nil {
                throw violation(
                    "authorisationRef", "resident_owner_or_authorised",
                    "a resident pass goes to the unit's owner (holderIsOwner: true) or to someone presenting the owner's written authorisation: give its authorisationRef"
                )
            }
        case "tenant":
            guard let leaseRef else {
                throw violation(
                    "leaseRef", "tenant_requires_lease", "a tenant pass requires the lease's reference (leaseRef)")
            }
            guard let leaseEnd else {
                throw violation(
                    "leaseEnd", "tenant_requires_lease", "a tenant pass requires the lease's end date (leaseEnd)")
            }
            let end = try CivilDate.param(leaseEnd, field: "leaseEnd")
            guard end >= today else {
                throw violation(
                    "leaseEnd", "lease_ended", "the lease ended on \(end); a tenant pass needs a running lease",
                    ["leaseEnd": .string(end.description)])
            }
            guard validUntil <= end else {
                throw violation(
                    "validUntil", "tenant_within_lease",
                    "a tenant pass is valid until the lease end at most: validUntil \(validUntil) is after leaseEnd \(end)",
                    ["leaseEnd": .string(end.description), "latest": .string(end.description)])
            }
            extras.leaseRef = leaseRef
            extras.leaseEnd = end
        case "contractor":
            guard let sponsor else {
                throw violation(
                    "sponsor", "contractor_requires_sponsor",
                    "a contractor pass must be sponsored by the unit's owner: give the sponsor's name")
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
                ["today": .string(today.description)])
        }
        let latest = kind.maxValidity.latest(from: today)
        guard validUntil <= latest else {
            throw violation(
                "validUntil", "max_validity",
                "validUntil \(validUntil) is beyond the maximum validity of a \(kind.name) pass (\(kind.maxValidity) from \(today): \(latest) at the latest)",
                ["latest": .string(latest.description), "maxValidity": kind.maxValidity.json])
        }
    }
}

/// The params of `access.badges.issue`.
struct IssueParams: Decodable, Sendable {
    let kind: String
    let holder: String
    let idType: String
    let idNumber: String
    let unit: String
    let validUntil: String
    let number: String?
    let photoRef: String?
    let leaseRef: String?
    let leaseEnd: String?
    let sponsor: String?
    let authorisationRef: String?
    let holderIsOwner: Bool?
}
