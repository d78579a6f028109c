import ReceptionPluginSDK

/// The kinds of item the desk signs for.
enum ParcelKind {
    /// Every kind, in the order reports list them.
    static let all = ["letter", "periodical", "registered", "express", "parcel"]
}

/// Where an item is in its life: `held` → (`notified`) → `collected` | `returned`.
enum ParcelStatus {
    /// Every status.
    static let all = ["held", "notified", "collected", "returned"]
    /// The statuses of an item still at the desk.
    static let held: Set<String> = ["held", "notified"]
    /// The SQL condition for an item still at the desk (the partial indexes use exactly this).
    static let heldSQL = "status IN ('held','notified')"
}

/// One item at the desk, as stored and as sent on the wire.
///
/// The wire names (`code`, `kind`, `recipient`, `unit`, `carrier`, `tracking`, `condition`,
/// `damageNote`, `shelf`, `note`, `status`, `receivedAt`, `notifiedAt`, `collectedAt`,
/// `collectedBy`, `returnedAt`, `returnReason`) are a contract; every member is always present,
/// `null` when it does not apply. The others were added after.
struct ParcelItem: Sendable {
    let id: Int64
    let code: String
    let kind: String
    let recipient: String
    let unit: String
    let carrier: String?
    let tracking: String?
    let condition: String
    let damageNote: String?
    let shelf: String?
    let note: String?
    let status: String
    let receivedAt: String
    let receivedMs: Int64
    let receivedBy: String?
    let notifiedAt: String?
    let notifiedBy: String?
    let notifyChannel: String?
    let notifyCount: Int64
    let remindedAt: String?
    let reminderCount: Int64
    let collectedAt: String?
    let collectedBy: String?
    let proxy: Bool?
    let idType: String?
    let idLast4: String?
    let handedOutBy: String?
    let returnedAt: String?
    let returnReason: String?
    let returnedBy: String?
    let notifierError: String?

    /// The columns ``init(row:)`` reads, for `SELECT \(ParcelItem.columns) FROM parcels_items`.
    static let columns = """
        id, code, kind, recipient, unit, carrier, tracking, condition, damage_note, shelf, note, status,
        received_at, received_ms, received_by, notified_at, notified_by, notify_channel, notify_count,
        reminded_at, reminder_count, collected_at, collected_by, proxy, id_type, id_last4, handed_out_by,
        returned_at, return_reason, returned_by, notifier_error
        """

    init(row: Row) {
        id = row.int("id") ?? 0
        code = row.string("code") ?? ""
        kind = row.string("kind") ?? ""
        recipient = row.string("recipient") ?? ""
        unit = row.string("unit") ?? ""
        carrier = row.string("carrier")
        tracking = row.string("tracking")
        condition = row.string("condition") ?? "intact"
        damageNote = row.string("damage_note")
        shelf = row.string("shelf")
        note = row.string("note")
        status = row.string("status") ?? ""
        receivedAt = row.string("received_at") ?? ""
        receivedMs = row.int("received_ms") ?? 0
        receivedBy = row.string("received_by")
        notifiedAt = row.string("notified_at")
        notifiedBy = row.string("notified_by")
        notifyChannel = row.string("notify_channel")
        notifyCount = row.int("notify_count") ?? 0
        remindedAt = row.string("reminded_at")
        reminderCount = row.int("reminder_count") ?? 0
        collectedAt = row.string("collected_at")
        collectedBy = row.string("collected_by")
        proxy = row.int("proxy").map { $0 != 0 }
        idType = row.string("id_type")
        idLast4 = row.string("id_last4")
        handedOutBy = row.string("handed_out_by")
        returnedAt = row.string("returned_at")
        returnReason = row.string("return_reason")
        returnedBy = row.string("returned_by")
        notifierError = row.string("notifier_error")
    }

    /// Whether the item is still at the desk.
    var isHeld: Bool { ParcelStatus.held.contains(status) }

    /// The wire form.
    var json: JSONValue { raw.value }

    /// The wire form as JSON text, written member by member (members in sorted order, exactly as
    /// `JSONValue.serialized()` would write them): the hot paths (`parcels.pending`,
    /// `parcels.receive`) return and emit this without building a dictionary per item.
    var raw: RawJSON { RawJSON(bytes: rawBytes) }

    /// ``raw`` as bytes, for splicing into a larger reply.
    var rawBytes: [UInt8] {
        var out = JSONObjectWriter(capacity: 640)
        out.add("carrier", carrier)
        out.add("code", code)
        out.add("collectedAt", collectedAt)
        out.add("collectedBy", collectedBy)
        out.add("condition", condition)
        out.add("damageNote", damageNote)
        out.add("handedOutBy", handedOutBy)
        out.add("id", id)
        out.add("idLast4", idLast4)
        out.add("idType", idType)
        out.add("kind", kind)
        out.add("note", note)
        out.add("notifiedAt", notifiedAt)
        out.add("notifiedBy", notifiedBy)
        out.add("notifierError", notifierError)
        out.add("notifyChannel", notifyChannel)
        out.add("notifyCount", notifyCount)
        out.add("proxy", proxy)
        out.add("receivedAt", receivedAt)
        out.add("receivedBy", receivedBy)
        out.add("recipient", recipient)
        out.add("remindedAt", remindedAt)
        out.add("reminderCount", reminderCount)
        out.add("returnReason", returnReason)
        out.add("returnedAt", returnedAt)
        out.add("returnedBy", returnedBy)
        out.add("shelf", shelf)
        out.add("status", status)
        out.add("tracking", tracking)
        out.add("unit", unit)
        return out.finish()
    }

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
    static func item(code: String, in db: SQLiteConnection) throws -> ParcelItem? {
        try db.queryOne(
            """
            SELECT \(ParcelItem.columns) FROM parcels_items WHERE code = ?
            ORDER BY \(ParcelStatus.heldSQL) DESC, id DESC LIMIT 1
            """, [code]
        ).map(ParcelItem.init(row:))
    }

    /// The item with `id`.
    static func item(id: Int64, in db: SQLiteConnection) throws -> ParcelItem? {
        try db.queryOne("SELECT \(ParcelItem.columns) FROM parcels_items WHERE id = ?", [id]).map(ParcelItem.init(row:))
    }

    /// The item a code names, or `not_found` (with the `code` in `error.data`).
    static func existing(code: String, in db: SQLiteConnection) throws -> ParcelItem {
        guard let item = try item(code: code, in: db) else {
            throw RPCError.notFound("no item with pickup code \(code)", details: ["code": .string(code)])
        }
        return item
    }

    /// The held item a code names; `not_found` when unknown, `invalid_state` naming the state
    /// when it has left the desk (`action` says what was refused: "notify", "hand out"...).
    static func held(code: String, for action: String, in db: SQLiteConnection) throws -> ParcelItem {
        let item = try existing(code: code, in: db)
        guard item.isHeld else {
            throw RPCError.invalidState(
                "cannot \(action) \(code): it was \(item.stateDescription)", details: item.stateDetails)
        }
        return item
    }

    /// The rows of `sql` as items.
    static func items(_ sql: String, _ arguments: [any SQLBindable], in db: SQLiteConnection) throws -> [ParcelItem] {
        try db.query(sql, arguments).map(ParcelItem.init(row:))
    }
}
