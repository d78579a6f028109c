import Foundation
import ReceptionPluginSDK

/// Where a badge is in its life. `active` → `returned` | `lost` | `revoked` (a revoked badge
/// may still be handed in: `returned`, or reported `lost`). An `active` badge past its
/// `validUntil` reads as `expired` on the wire.
enum BadgeStatus {
    /// The stored statuses.
    static let stored = ["active", "returned", "lost", "revoked"]
    /// What `status` on the wire may say.
    static let shown = ["active", "expired", "returned", "lost", "revoked"]
}

/// One badge, as stored and as sent on the wire.
///
/// The wire names `number`, `kind`, `holder`, `idType`, `idLast4`, `idNumber` (admins only),
/// `unit`, `photoRef`, `issuedAt`, `validUntil`, `status`, `fee`, `deposit`, `leaseRef`,
/// `leaseEnd`, `sponsor`, `authorisationRef` are a contract (issue 5); every member is always
/// present, `null` when it does not apply. The others were added after.
struct Badge: Sendable {
    let id: Int64
    let number: String
    let kind: String
    let holder: String
    let idType: String
    let idNumber: String
    let idLast4: String
    let unit: String
    let photoRef: String?
    let issuedAt: String
    let issuedBy: String
    let validUntil: String
    let status: String
    let fee: Int64
    let deposit: Int64
    let depositStatus: String
    let feesPaid: Int64
    let leaseRef: String?
    let leaseEnd: String?
    let sponsor: String?
    let authorisationRef: String?
    let holderIsOwner: Bool?
    let renewalCount: Int64
    let renewedAt: String?
    let renewedBy: String?
    let returnedAt: String?
    let returnedBy: String?
    let lostAt: String?
    let lostBy: String?
    let revokedAt: String?
    let revokedBy: String?
    let revokeReason: String?

    /// The columns ``init(row:)`` reads.
    static let columns = """
        id, number, kind, holder, id_type, id_number, id_last4, unit, photo_ref, issued_at, issued_by, valid_until,
        status, fee, deposit, deposit_status, fees_paid, lease_ref, lease_end, sponsor, authorisation_ref,
        holder_is_owner, renewal_count, renewed_at, renewed_by, returned_at, returned_by, lost_at, lost_by,
        revoked_at, revoked_by, revoke_reason
        """

    init(row: Row) {
        id = row.int("id") ?? 0
        number = row.string("number") ?? ""
        kind = row.string("kind") ?? ""
        holder = row.string("holder") ?? ""
        idType = row.string("id_type") ?? ""
        idNumber = row.string("id_number") ?? ""
        idLast4 = row.string("id_last4") ?? ""
        unit = row.string("unit") ?? ""
        photoRef = row.string("photo_ref")
        issuedAt = row.string("issued_at") ?? ""
        issuedBy = row.string("issued_by") ?? ""
        validUntil = row.string("valid_until") ?? ""
        status = row.string("status") ?? ""
        fee = row.int("fee") ?? 0
        deposit = row.int("deposit") ?? 0
        depositStatus = row.string("deposit_status") ?? "none"
        feesPaid = row.int("fees_paid") ?? 0
        leaseRef = row.string("lease_ref")
        leaseEnd = row.string("lease_end")
        sponsor = row.string("sponsor")
        authorisationRef = row.string("authorisation_ref")
        holderIsOwner = row.int("holder_is_owner").map { $0 != 0 }
        renewalCount = row.int("renewal_count") ?? 0
        renewedAt = row.string("renewed_at")
        renewedBy = row.string("renewed_by")
        returnedAt = row.string("returned_at")
        returnedBy = row.string("returned_by")
        lostAt = row.string("lost_at")
        lostBy = row.string("lost_by")
        revokedAt = row.string("revoked_at")
        revokedBy = row.string("revoked_by")
        revokeReason = row.string("revoke_reason")
    }

    /// `status` as shown on `today`: an active badge past its date is `expired`.
    func shownStatus(today: String) -> String {
        status == "active" && validUntil < today ? "expired" : status
    }

    /// The wire form. `idNumber` is present only when `showIdNumber` (the caller is an admin);
    /// events and every other reply carry `idLast4` alone.
    func json(today: String, showIdNumber: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "number": .string(number), "kind": .string(kind), "holder": .string(holder), "idType": .string(idType),
            "idLast4": .string(idLast4), "unit": .string(unit), "photoRef": Text.json(photoRef),
            "issuedAt": .string(issuedAt), "issuedBy": .string(issuedBy), "validUntil": .string(validUntil),
            "status": .string(shownStatus(today: today)), "fee": .int(fee), "deposit": .int(deposit),
            "depositStatus": .string(depositStatus), "feesPaid": .int(feesPaid), "leaseRef": Text.json(leaseRef),
            "leaseEnd": Text.json(leaseEnd), "sponsor": Text.json(sponsor),
            "authorisationRef": Text.json(authorisationRef), "holderIsOwner": holderIsOwner.map { .bool($0) } ?? .null,
            "renewalCount": .int(renewalCount), "renewedAt": Text.json(renewedAt), "renewedBy": Text.json(renewedBy),
            "returnedAt": Text.json(returnedAt), "returnedBy": Text.json(returnedBy), "lostAt": Text.json(lostAt),
            "lostBy": Text.json(lostBy), "revokedAt": Text.json(revokedAt), "revokedBy": Text.json(revokedBy),
            "revokeReason": Text.json(revokeReason),
        ]
        if showIdNumber { members["idNumber"] = .string(idNumber) }
        return .object(members)
    }

    /// A sentence on where the badge is, for `invalid_state` messages.
    var stateDescription: String {
        switch status {
        case "returned": return "returned at \(returnedAt ?? "?")"
        case "lost": return "reported lost at \(lostAt ?? "?")"
        case "revoked": return "revoked at \(revokedAt ?? "?")" + (revokeReason.map { " (\($0))" } ?? "")
        default: return status
        }
    }
}

/// Finding badges.
enum BadgeLookup {
    /// The badge with `number` (already normalized), if any.
    static func badge(number: String, in db: SQLiteConnection) throws -> Badge? {
        try db.queryOne("SELECT \(Badge.columns) FROM access_badges WHERE number = ?", [number]).map(Badge.init(row:))
    }

    /// The badge with `number`, or `not_found` with the `number` in `error.data`.
    static func existing(number: String, in db: SQLiteConnection) throws -> Badge {
        guard let badge = try badge(number: number, in: db) else {
            throw RPCError.notFound("no badge numbered \(number)", details: ["number": .string(number)])
        }
        return badge
    }

    /// The badge, which must be in one of `statuses`; else `invalid_state` naming its state
    /// (`action`: what was refused, "renew", "return"...).
    static func existing(
        number: String, in statuses: Set<String>, for action: String, in db: SQLiteConnection
    ) throws -> Badge {
        let badge = try existing(number: number, in: db)
        guard statuses.contains(badge.status) else {
            var details: [String: JSONValue] = ["number": .string(number), "status": .string(badge.status)]
            if let at = badge.returnedAt ?? badge.lostAt ?? badge.revokedAt { details["since"] = .string(at) }
            throw RPCError.invalidState(
                "cannot \(action) badge \(number): it was \(badge.stateDescription)", details: details)
        }
        return badge
    }
}

/// The context of any call, reduced to what building replies needs.
struct View {
    /// Today in the daemon's time zone, `YYYY-MM-DD`.
    let today: String
    /// Whether the caller may see full identity numbers.
    let admin: Bool

    init(now: Date, caller: Caller) {
        today = CivilDate(localDateOf: now).description
        admin = caller.isAdmin
    }

    /// The badge as this caller may see it.
    func badge(_ badge: Badge) -> JSONValue { badge.json(today: today, showIdNumber: admin) }
    /// The badge as events carry it: never the full identity number.
    func publicBadge(_ badge: Badge) -> JSONValue { badge.json(today: today, showIdNumber: false) }
}
