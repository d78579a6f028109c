import Foundation
import ReceptionPluginSDK

/// `access.keys.register`, `access.keys.retire`, `access.keys.list`: the key register.
enum KeyRegister {
    /// The tag param of every method naming one key (`receptionctl access keys checkin K-0012`).
    static let tagSchema = Schema.annotate(
        Schema.string("The key's tag, e.g. K-0012", maxLength: KeyLimits.tag), positional: true)

    /// `access.keys.register`.
    static let registerMethod: Method<AccessPlugin> = .write(
        "access.keys.register", "Puts a key on the register: its tag, category, where it opens and its cabinet hook.",
        params: Schema.object(
            [
                "tag": tagSchema,
                "category": Schema.string("What key it is", oneOf: KeyCategory.all),
                "building": Schema.string("Building", maxLength: KeyLimits.place),
                "floor": Schema.string("Floor", maxLength: KeyLimits.floor),
                "unit": Schema.string("The unit it opens (or give room)", maxLength: KeyLimits.place),
                "room": Schema.string("The room it opens (or give unit)", maxLength: KeyLimits.place),
                "hook": Schema.string("Cabinet hook it hangs on", maxLength: KeyLimits.hook),
                "note": Schema.string("Anything else", maxLength: KeyLimits.note),
            ], required: ["tag", "category", "hook"])
    ) { (_, params: RegisterParams, context) in
        let db = context.db
        let tag = try Text.requiredCode(params.tag, field: "tag")
        let hook = try DeskText.required(params.hook, field: "hook")
        let unit = DeskText.optional(params.unit)
        let room = DeskText.optional(params.room)
        guard unit != nil || room != nil else {
            throw RPCError(
                .validation, "say what the key opens: a unit or a room", field: "unit",
                details: ["rule": "unit_or_room"])
        }
        if let existing = try KeyLookup.current(tag: tag, in: db) {
            throw RPCError(
                .conflict, "tag \(tag) is already on the register (hook \(existing.hook))", field: "tag",
                details: ["tag": .string(tag), "status": .string(existing.status)])
        }
        let now = context.now
        try db.execute(
            """
            INSERT INTO access_keys (tag, category, building, floor, unit, room, hook, note, status, registered_at,
                registered_ms, registered_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in', ?, ?, ?)
            """,
            [
                tag, params.category, DeskText.optional(params.building), DeskText.optional(params.floor), unit, room, hook,
                DeskText.optional(params.note), Timestamp.format(now), EpochMillis.of(now), Actor.name(context.caller),
            ])
        guard let key = try KeyLookup.current(tag: tag, in: db) else {
            throw RPCError.internalError("key \(tag) vanished after insert")
        }
        let view = KeyView(now: now, caller: context.caller)
        try context.emit("access.key.registered", ["key": view.publicKey(key)] as JSONValue)
        return view.key(key)
    }

    /// `access.keys.retire`.
    static let retireMethod: Method<AccessPlugin> = .write(
        "access.keys.retire", "Takes a key off the register (it must be in the cabinet).",
        params: Schema.object(
            [
                "tag": tagSchema,
                "reason": Schema.string("Why (lock changed, handed to the owner...)", maxLength: KeyLimits.note),
            ], required: ["tag"])
    ) { (_, params: RetireParams, context) in
        let db = context.db
        let tag = try Text.requiredCode(params.tag, field: "tag")
        let key = try KeyLookup.existing(tag: tag, in: db)
        switch key.status {
        case "retired":
            throw KeyLookup.retired(key, action: "retire")
        case "out":
            throw RPCError.invalidState(
                "cannot retire key \(tag): it is out to \(key.loan?.borrower ?? "?") since \(key.loan?.outAt ?? "?"); check it in first",
                details: [
                    "tag": .string(tag), "status": "out", "borrower": Text.json(key.loan?.borrower),
                    "since": Text.json(key.loan?.outAt),
                ])
        default:
            break
        }
        let now = context.now
        try db.execute(
            """
            UPDATE access_keys SET status = 'retired', retired_at = ?, retired_by = ?, retire_reason = ?
            WHERE id = ? AND status = 'in'
            """, [Timestamp.format(now), Actor.name(context.caller), DeskText.optional(params.reason), key.id])
        guard db.changes == 1,
            let stored = try db.queryOne("SELECT \(Key.select) WHERE k.id = ?", [key.id]).map(Key.init(row:))
        else { throw RPCError.internalError("key \(tag) changed under the writer") }
        let view = KeyView(now: now, caller: context.caller)
        try context.emit("access.key.retired", ["key": view.publicKey(stored)] as JSONValue)
        return view.key(stored)
    }

    /// `access.keys.list`.
    static let listMethod: Method<AccessPlugin> = .read(
        "access.keys.list",
        "Lists the keys on the register by tag: by status (in, out, overdue, retired), building and category.",
        params: Schema.object([
            "status": Schema.string(
                "in, out, overdue (out past dueBack) or retired (default: all but retired)",
                oneOf: ["in", "out", "overdue", "retired"]),
            "building": Schema.string("Only keys of this building", maxLength: KeyLimits.place),
            "category": Schema.string("Only keys of this category", oneOf: KeyCategory.all),
            "unit": Schema.string("Only keys of this unit", maxLength: KeyLimits.place),
            "limit": Schema.integer("Keys listed at most (default 1000)", minimum: 1, maximum: 10_000),
        ])
    ) { (_, params: KeyListParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        let nowMs = EpochMillis.of(context.now)
        switch params.status {
        case "overdue"?:
            conditions.append("k.status = 'out' AND l.due_ms < ?")
            arguments.append(nowMs)
        case let status?:
            conditions.append("k.status = ?")
            arguments.append(status)
        case nil:
            conditions.append("k.status <> 'retired'")
        }
        if let building = DeskText.optional(params.building) {
            conditions.append("k.building = ?")
            arguments.append(building)
        }
        if let category = params.category {
            conditions.append("k.category = ?")
            arguments.append(category)
        }
        if let unit = DeskText.optional(params.unit) {
            conditions.append("k.unit = ?")
            arguments.append(unit)
        }
        let limit = params.limit ?? 1000
        let rows = try context.db.query(
            "SELECT \(Key.select) WHERE \(conditions.joined(separator: " AND ")) ORDER BY k.tag, k.id LIMIT ?",
            arguments + [limit + 1]
        ).map(Key.init(row:))
        let view = KeyView(now: context.now, caller: context.caller)
        var result: [String: JSONValue] = ["keys": .array(rows.prefix(Int(limit)).map(view.key))]
        if rows.count > Int(limit) { result["more"] = true }
        return JSONValue.object(result)
    }
}

/// The params of `access.keys.register`.
struct RegisterParams: Decodable, Sendable {
    let tag: String
    let category: String
    let building: String?
    let floor: String?
    let unit: String?
    let room: String?
    let hook: String
    let note: String?
}

/// The params of `access.keys.retire`.
struct RetireParams: Decodable, Sendable {
    let tag: String
    let reason: String?
}

/// The params of `access.keys.list`.
struct KeyListParams: Decodable, Sendable {
    let status: String?
    let building: String?
    let category: String?
    let unit: String?
    let limit: Int64?
}
