import Foundation
import ReceptionPluginSDK

/// One badge, as stored and as sent on the wire.
///
/// The wire names `number`, `kind`, `holder`, `idType`, `idLast4`, `idNumber` (admins only),
/// `unit`, `photoRef`, `issuedAt`, `validUntil`, `status`, `fee`, `deposit`, `leaseRef`,
/// `leaseEnd`, `sponsor`, `authorisationRef` are a contract (issue 5); every member is always
/// present, `null` when it does not apply. The others were added after. `status` is stored as
/// `active`, `returned`, `lost` or `revoked` (`active` → `returned` | `lost` | `revoked`; a
/// revoked badge may still be handed in or reported lost); an active badge past its
/// `validUntil` reads as `expired` on the wire (see ``json(today:showPrivate:)``).
struct Badge: Record {
    /// The members a pass's block shows first, in this order (after its number, kind and status).
    static let blockColumns = [
        "holder", "unit", "validUntil", "idType", "idLast4", "fee", "deposit", "depositStatus", "leaseRef", "leaseEnd",
        "sponsor",
    ]

    static let table = "access_badges"
    @Column(wire: .hidden) var id: Int64
    @Column("The card's number") var number: String
    @Column("resident, tenant, contractor or a configured kind") var kind: String
    @Column var holder: String
    @Column var idType: String
    @Column("The identity document's number (admins only)", wire: .adminOnly) var idNumber: String
    @Column var idLast4: String
    @Column(format: .unit) var unit: String
    /// The unit's canonical key (``DeskText/unitKey(_:)``), what lookups by unit match.
    @Column(wire: .hidden) var unitKey: String
    @Column var photoRef: String?
    @Column(format: .dateTime) var issuedAt: String
    @Column(wire: .hidden) var issuedMs: Int64
    @Column var issuedBy: String
    @Column("The last valid day", format: .date) var validUntil: String
    @Column("active, expired, returned, lost or revoked") var status: String
    @Column("Charged at issue", format: .money) var fee: Int64
    @Column("Taken at issue", format: .money) var deposit: Int64
    @Column("held, refunded, forfeited or none") var depositStatus: String
    @Column("Every fee paid, renewals included", format: .money) var feesPaid: Int64
    @Column var leaseRef: String?
    @Column(format: .date) var leaseEnd: String?
    @Column var sponsor: String?
    @Column var authorisationRef: String?
    @Column var holderIsOwner: Bool?
    @Column var renewalCount: Int64
    @Column(format: .dateTime) var renewedAt: String?
    @Column var renewedBy: String?
    @Column(format: .dateTime) var returnedAt: String?
    @Column var returnedBy: String?
    @Column(format: .dateTime) var lostAt: String?
    @Column var lostBy: String?
    @Column(format: .dateTime) var revokedAt: String?
    @Column var revokedBy: String?
    @Column var revokeReason: String?

    /// `status` as shown on `today` (`YYYY-MM-DD`): an active badge past its date is `expired`.
    func shownStatus(today: String) -> String {
        status == "active" && validUntil < today ? "expired" : status
    }

    /// The wire form on `today`; `idNumber` only when `showPrivate` (the caller is an admin).
    func json(today: String, showPrivate: Bool) -> JSONValue {
        jsonValue(showPrivate: showPrivate, replacing: statusOverride(today))
    }

    /// ``json(today:showPrivate:)`` as bytes, for lists.
    func jsonBytes(today: String, showPrivate: Bool) -> [UInt8] {
        jsonBytes(showPrivate: showPrivate, replacing: statusOverride(today))
    }

    private func statusOverride(_ today: String) -> [String: JSONValue] {
        status == "active" && validUntil < today ? ["status": "expired"] : [:]
    }

    /// ``stateDescription`` in Chinese: `已于 2026-11-26T10:15:03.123+08:00 挂失`.
    var chineseStateDescription: String {
        switch status {
        case "returned": return "已于 \(returnedAt ?? "?") 退卡"
        case "lost": return "已于 \(lostAt ?? "?") 挂失"
        case "revoked": return "已于 \(revokedAt ?? "?") 注销" + (revokeReason.map { "（\($0)）" } ?? "")
        default: return ShownBadgeStatus(rawValue: status)?.label ?? status
        }
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
                .localized("zh", "没有卡号为 \(number) 的门禁卡")
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
                "cannot \(action) badge \(number): it was \(badge.stateDescription)", details: details
            ).localized("zh", "门禁卡 \(number) 无法\(chinese(action))：\(badge.chineseStateDescription)")
        }
        return badge
    }

    /// What ``existing(number:in:for:in:)`` was asked to do, as a Chinese message says it.
    private static func chinese(_ action: String) -> String {
        switch action {
        case "renew": return "续期"
        case "return": return "退卡"
        case "report lost": return "挂失"
        case "revoke": return "注销"
        default: return action
        }
    }

    /// The badge as stored after an UPDATE that must have changed exactly it.
    static func reread(_ badge: Badge, _ db: SQLiteConnection) throws -> Badge {
        guard db.changes == 1, let stored = try self.badge(number: badge.number, in: db) else {
            throw RPCError.internalError("badge \(badge.number) changed under the writer")
        }
        return stored
    }
}

/// How badges read for one call: on which day, and to whom.
struct BadgeView {
    /// Today in the daemon's time zone, `YYYY-MM-DD`.
    let today: String
    /// Whether the caller may see full identity numbers.
    let admin: Bool

    init(today: CivilDate, caller: Caller) {
        self.today = today.description
        admin = caller.isAdmin
    }

    /// The badge as this caller may see it.
    func badge(_ badge: Badge) -> JSONValue { badge.json(today: today, showPrivate: admin) }
    /// The badge as events carry it: never the full identity number.
    func publicBadge(_ badge: Badge) -> JSONValue { badge.json(today: today, showPrivate: false) }

    /// The reply to this caller and the event for everyone: `members` (a receipt, a refund...)
    /// with the badge as each may see it.
    func replyAndEvent(_ badge: Badge, _ members: [String: JSONValue] = [:]) -> (reply: JSONValue, event: JSONValue) {
        var reply = members
        var event = members
        reply["badge"] = self.badge(badge)
        event["badge"] = publicBadge(badge)
        return (.object(reply), .object(event))
    }
}
