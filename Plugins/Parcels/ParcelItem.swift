import ReceptionPluginSDK

/// The kinds of item the desk signs for, in the order reports list them.
enum ParcelKind: String, ParamChoice {
    case letter, periodical, registered, express, parcel

    var label: String {
        switch self {
        case .letter: return "信件"
        case .periodical: return "报刊"
        case .registered: return "挂号信"
        case .express: return "快递"
        case .parcel: return "包裹"
        }
    }
}

/// Where an item is in its life: `held` → (`notified`) → `collected` | `returned`.
enum ParcelStatus: String, ParamChoice {
    case held, notified, collected, returned

    var label: String {
        switch self {
        case .held: return "待领取"
        case .notified: return "已通知"
        case .collected: return "已领取"
        case .returned: return "已退回"
        }
    }

    /// The SQL condition for an item still at the desk (the partial indexes use exactly this).
    static let heldSQL = "status IN ('held','notified')"

    /// The SQL condition for an item that has left the desk (collected or returned): the
    /// indexes by code, unit and recipient over the whole history hold only these, so a receive
    /// never writes them (migration 5).
    static let leftSQL = "status IN ('collected','returned')"
}

/// The condition an item arrived in.
enum ParcelCondition: String, ParamChoice {
    case intact, damaged

    var label: String { self == .intact ? "完好" : "破损" }
}

/// One item at the desk, as stored and as sent on the wire.
///
/// The wire names (`code`, `kind`, `recipient`, `unit`, `carrier`, `tracking`, `condition`,
/// `damageNote`, `shelf`, `note`, `status`, `receivedAt`, `notifiedAt`, `collectedAt`,
/// `collectedBy`, `returnedAt`, `returnReason`) are a contract; every member is always present,
/// `null` when it does not apply. The others were added after.
struct ParcelItem: Record {
    static let table = "parcels_items"

    @Column var id: Int64
    @Column("Pickup code") var code: String
    @Column("What it is") var kind: String
    @Column("Who it is for") var recipient: String
    @Column("The recipient's unit", format: .unit) var unit: String
    /// The unit's canonical key (``DeskText/unitKey(_:)``), what lookups by unit match.
    @Column(wire: .hidden) var unitKey: String
    @Column var carrier: String?
    @Column var tracking: String?
    @Column("intact or damaged") var condition: String
    @Column var damageNote: String?
    @Column var shelf: String?
    @Column var note: String?
    @Column("held, notified, collected or returned") var status: String
    @Column(format: .dateTime) var receivedAt: String
    @Column(wire: .hidden) var receivedMs: Int64
    @Column var receivedBy: String?
    @Column(format: .dateTime) var notifiedAt: String?
    @Column var notifiedBy: String?
    @Column var notifyChannel: String?
    @Column var notifyCount: Int64
    @Column(format: .dateTime) var remindedAt: String?
    @Column var reminderCount: Int64
    @Column(format: .dateTime) var collectedAt: String?
    @Column var collectedBy: String?
    @Column var proxy: Bool?
    @Column var idType: String?
    @Column var idLast4: String?
    @Column var handedOutBy: String?
    @Column(format: .dateTime) var returnedAt: String?
    @Column var returnReason: String?
    @Column var returnedBy: String?
    @Column var notifierError: String?

    /// Whether the item is still at the desk.
    var isHeld: Bool { status == "held" || status == "notified" }

    /// A sentence on where the item is, for `invalid_state` messages:
    /// `collected by 王芳 at 2026-11-26T10:15:03.123+08:00`.
    var stateDescription: String {
        switch status {
        case "collected":
            return "collected by \(collectedBy ?? "?") at \(collectedAt ?? "?")"
        case "returned":
            return "returned to sender at \(returnedAt ?? "?")" + (returnReason.map { " (\($0))" } ?? "")
        default:
            return status
        }
    }

    /// ``stateDescription`` in Chinese: `已由 王芳 于 2026-11-26T10:15:03.123+08:00 领走`.
    var chineseStateDescription: String {
        switch status {
        case "collected":
            return "已由 \(collectedBy ?? "?") 于 \(collectedAt ?? "?") 领走"
        case "returned":
            return "已于 \(returnedAt ?? "?") 退回寄件方" + (returnReason.map { "（\($0)）" } ?? "")
        default:
            return ParcelStatus(rawValue: status)?.label ?? status
        }
    }

    /// The machine-readable details of ``stateDescription`` for `error.data`.
    var stateDetails: [String: JSONValue] {
        var details: [String: JSONValue] = ["code": .string(code), "status": .string(status)]
        if let collectedBy { details["collectedBy"] = .string(collectedBy) }
        if let collectedAt { details["collectedAt"] = .string(collectedAt) }
        if let returnedAt { details["returnedAt"] = .string(returnedAt) }
        if let returnReason { details["returnReason"] = .string(returnReason) }
        return details
    }
}

/// Finding items by their pickup code.
enum ParcelLookup {
    /// The item a code names: the held one if any, else the latest that had the code.
    /// Two lookups, each on its partial index: the held items' (`parcels_items_code_held`),
    /// then the history's (`parcels_items_code_left`).
    static func item(code: String, in db: SQLiteConnection) throws -> ParcelItem? {
        for state in [ParcelStatus.heldSQL, ParcelStatus.leftSQL] {
            if let row = try db.queryOne(
                "SELECT \(ParcelItem.columns) FROM parcels_items WHERE code = ? AND \(state) ORDER BY id DESC LIMIT 1",
                [code])
            {
                return ParcelItem(row: row)
            }
        }
        return nil
    }

    /// The item with `id`.
    static func item(id: Int64, in db: SQLiteConnection) throws -> ParcelItem? {
        try db.queryOne("SELECT \(ParcelItem.columns) FROM parcels_items WHERE id = ?", [id]).map(ParcelItem.init(row:))
    }

    /// The item with `id`, which must exist (it was just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> ParcelItem {
        guard let item = try item(id: id, in: db) else { throw RPCError.internalError("item \(id) vanished") }
        return item
    }

    /// The item a code names, or `not_found` (with the `code` in `error.data`).
    static func existing(code: String, in db: SQLiteConnection) throws -> ParcelItem {
        guard let item = try item(code: code, in: db) else {
            throw RPCError.notFound("no item with pickup code \(code)", details: ["code": .string(code)])
                .localized("zh", "没有取件码为 \(code) 的邮件包裹")
        }
        return item
    }

    /// The held item a code names; `not_found` when unknown, `invalid_state` naming the state
    /// when it has left the desk (`action` says what was refused: "notify", "hand out"...).
    static func held(code: String, for action: String, in db: SQLiteConnection) throws -> ParcelItem {
        let item = try existing(code: code, in: db)
        guard item.isHeld else {
            throw RPCError.invalidState(
                "cannot \(action) \(code): it was \(item.stateDescription)", details: item.stateDetails
            ).localized("zh", "\(code) 无法\(chinese(action))：\(item.chineseStateDescription)")
        }
        return item
    }

    /// What ``held(code:for:in:)`` was asked to do, as a Chinese message says it.
    private static func chinese(_ action: String) -> String {
        switch action {
        case "notify": return "通知"
        case "remind": return "催领"
        case "return": return "退回"
        case "amend": return "更正"
        case "hand out": return "发放"
        default: return action
        }
    }

    /// The rows of `sql` as items.
    static func items(_ sql: String, _ arguments: [any SQLBindable], in db: SQLiteConnection) throws -> [ParcelItem] {
        ParcelItem.rows(try db.query(sql, arguments))
    }
}
