import Foundation
import ReceptionPluginSDK

/// `parcels.receive` and `parcels.receiveBatch`: signing for items.
enum Receive {
    /// Longest texts accepted, in characters.
    static let maxRecipient = 100
    static let maxUnit = 64
    static let maxCarrier = 64
    static let maxTracking = 64
    static let maxShelf = 32
    static let maxNote = 500
    /// Items in one `parcels.receiveBatch`.
    static let maxBatch = 200

    /// The params schema of one item (also the schema of each `receiveBatch` element).
    static let itemSchema = Schema.object(
        [
            "kind": Schema.string("What it is", oneOf: ParcelKind.all),
            "recipient": Schema.string("Who it is for (resident or tenant name)", maxLength: maxRecipient),
            "unit": Schema.string("The recipient's unit, e.g. 3-2-1201 or 3栋2单元1201", maxLength: maxUnit),
            "carrier": Schema.string("Courier or post (SF, EMS, China Post...)", maxLength: maxCarrier),
            "tracking": Schema.string("Tracking number, when there is one", maxLength: maxTracking),
            "condition": Schema.string("Condition on arrival (default intact)", oneOf: ["intact", "damaged"]),
            "damageNote": Schema.string("What is damaged (required when damaged)", maxLength: maxNote),
            "shelf": Schema.string("Where it is kept", maxLength: maxShelf),
            "note": Schema.string("Anything else", maxLength: maxNote),
        ], required: ["kind", "recipient", "unit"])

    /// `parcels.receive`.
    static let receiveMethod: Method<ParcelsPlugin> = .write(
        "parcels.receive", "Signs for one item and gives it a pickup code.", params: itemSchema
    ) { (plugin, params: ReceiveParams, context) in
        let checked = try params.checked(fieldPrefix: "")
        return try receive(checked, fieldPrefix: "", plugin: plugin, context: context).raw
    }

    /// `parcels.receiveBatch`.
    static let receiveBatchMethod: Method<ParcelsPlugin> = .write(
        "parcels.receiveBatch", "Signs for many items at once (all or nothing).",
        params: Schema.object(
            ["items": Schema.array("The items, as for parcels.receive", items: itemSchema, maxItems: maxBatch)],
            required: ["items"])
    ) { (plugin, params: BatchParams, context) in
        guard !params.items.isEmpty else { throw RPCError.validation(field: "items", "items must not be empty") }
        // Every item is checked before any is written: the first bad one names its index.
        var checked: [ReceiveParams.Checked] = []
        for (index, item) in params.items.enumerated() {
            checked.append(try item.checked(fieldPrefix: "items[\(index)]."))
        }
        var items: [JSONValue] = []
        for (index, item) in checked.enumerated() {
            // A failure here (a double scan) throws, and the daemon rolls the whole batch back.
            items.append(try receive(item, fieldPrefix: "items[\(index)].", plugin: plugin, context: context).json)
        }
        return ["items": .array(items)] as JSONValue
    }

    /// Stores one checked item, emits `parcels.received`, returns it.
    static func receive(
        _ item: ReceiveParams.Checked, fieldPrefix: String, plugin: ParcelsPlugin, context: WriteContext
    ) throws -> ParcelItem {
        let db = context.db
        if let tracking = item.tracking,
            let held = try db.queryOne(
                """
                SELECT code FROM parcels_items
                WHERE ifnull(carrier, '') = ? AND tracking = ? AND \(ParcelStatus.heldSQL)
                """, [item.carrier ?? "", tracking])
        {
            let code = held.string("code") ?? ""
            let carrier = item.carrier.map { "\($0) " } ?? ""
            throw RPCError(
                .conflict, "\(carrier)\(tracking) is already held as \(code) (scanned twice?)",
                field: fieldPrefix + "tracking", details: ["code": .string(code)])
        }
        let now = context.now
        let receivedBy = Actor.name(context.caller)
        for _ in 0..<3 {
            let code = try PickupCode.unused(length: plugin.config.codeLength, in: db)
            // The code was free a moment ago on this same writer; if the UNIQUE index disagrees, draw again.
            guard try insert(item, code: code, receivedBy: receivedBy, now: now, in: db) else { continue }
            guard let stored = try ParcelLookup.item(id: db.lastInsertRowID, in: db) else {
                throw RPCError.internalError("item \(db.lastInsertRowID) vanished after insert")
            }
            try context.emit("parcels.received", stored.raw)
            return stored
        }
        throw RPCError.internalError("no pickup code could be stored")
    }

    /// Inserts the item under `code`; `false` when the code turned out to be taken.
    static func insert(
        _ item: ReceiveParams.Checked, code: String, receivedBy: String, now: Date, in db: SQLiteConnection
    ) throws(SQLiteError) -> Bool {
        do {
            try db.execute(
                """
                INSERT INTO parcels_items (code, kind, recipient, unit, carrier, tracking, condition, damage_note,
                    shelf, note, status, received_at, received_ms, received_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?, ?)
                """,
                [
                    code, item.kind, item.recipient, item.unit, item.carrier, item.tracking, item.condition,
                    item.damageNote, item.shelf, item.note, Timestamp.format(now), EpochMillis.of(now), receivedBy,
                ])
            return true
        } catch {
            if error.isConstraint, error.message.contains("parcels_items.code") { return false }
            throw error
        }
    }
}

/// The params of `parcels.receive` (and of each `receiveBatch` item).
struct ReceiveParams: Decodable, Sendable {
    let kind: String
    let recipient: String
    let unit: String
    let carrier: String?
    let tracking: String?
    let condition: String?
    let damageNote: String?
    let shelf: String?
    let note: String?

    /// The params normalized and checked against the desk's rules.
    struct Checked: Sendable {
        let kind: String
        let recipient: String
        let unit: String
        let carrier: String?
        let tracking: String?
        let condition: String
        let damageNote: String?
        let shelf: String?
        let note: String?
    }

    /// Normalizes the texts and checks the rules the schema cannot say; errors name the field
    /// under `fieldPrefix` (`items[2].unit`).
    func checked(fieldPrefix: String) throws(RPCError) -> Checked {
        let recipient = DeskText.normalize(recipient)
        guard !recipient.isEmpty else {
            throw RPCError.validation(field: fieldPrefix + "recipient", "\(fieldPrefix)recipient must not be empty")
        }
        let unit = DeskText.normalize(unit)
        guard !unit.isEmpty else {
            throw RPCError.validation(field: fieldPrefix + "unit", "\(fieldPrefix)unit must not be empty")
        }
        let damageNote = DeskText.optional(damageNote)
        // A damage note alone says the item is damaged; an explicit "intact" with one is a contradiction.
        let condition = condition ?? (damageNote == nil ? "intact" : "damaged")
        if condition == "damaged", damageNote == nil {
            throw RPCError.validation(
                field: fieldPrefix + "damageNote", "\(fieldPrefix)damageNote is required when condition is damaged")
        }
        if condition == "intact", damageNote != nil {
            throw RPCError.validation(
                field: fieldPrefix + "damageNote",
                "\(fieldPrefix)damageNote is only for damaged items (condition is intact)")
        }
        return Checked(
            kind: kind, recipient: recipient, unit: unit, carrier: DeskText.optional(carrier),
            tracking: DeskText.optional(tracking), condition: condition, damageNote: damageNote,
            shelf: DeskText.optional(shelf),
            note: note.flatMap { text in
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed.precomposedStringWithCanonicalMapping
            })
    }
}

/// The params of `parcels.receiveBatch`.
struct BatchParams: Decodable, Sendable {
    let items: [ReceiveParams]
}

/// Who did something at the desk, as recorded on the item.
enum Actor {
    /// The operator the connection named with `daemon.hello`, else `uid N`.
    static func name(_ caller: Caller) -> String {
        if let name = caller.operator, !name.isEmpty { return name }
        return "uid \(caller.uid)"
    }
}
