import ReceptionPluginSDK

/// `parcels.notify`, `parcels.remind`, `parcels.return`, `parcels.amend`: what happens to an item
/// while it is held. Each refuses an item that has left the desk with `invalid_state` naming its
/// state, and an unknown code with `not_found`.
enum Lifecycle {
    /// How the recipient was told.
    static let channels = ["phone", "sms", "notice", "in_person", "other"]
    /// Longest name of who did something.
    static let maxName = 100
    /// Longest reason or note.
    static let maxReason = 500

    /// `parcels.notify`.
    static let notifyMethod: Method<ParcelsPlugin> = .write(
        "parcels.notify", "Records that the recipient was told an item is waiting.",
        params: Schema.object(
            [
                "code": Lookup.codeSchema,
                "channel": Schema.string("How they were told", oneOf: channels),
                "by": Schema.string("Who told them (default: the connection's operator)", maxLength: maxName),
            ], required: ["code", "channel"])
    ) { (plugin, params: NotifyParams, context) in
        let item = try ParcelLookup.held(code: PickupCode.normalize(params.code), for: "notify", in: context.db)
        let by = try who(params.by, context)
        let now = context.now
        try context.db.execute(
            """
            UPDATE parcels_items SET status = 'notified', notified_at = ?, notified_ms = ?, notified_by = ?,
                notify_channel = ?, notify_count = notify_count + 1
            WHERE id = ?
            """, [Timestamp.format(now), EpochMillis.of(now), by, params.channel, item.id])
        let notification = try record(
            "notify", item: item, channel: params.channel, by: by, plugin: plugin, context: context)
        let stored = try reread(item, context)
        // The notifier command runs after the commit (ParcelsPlugin.committed), never here.
        try context.emit("parcels.notified", Notifier.eventData(stored.json, notification: notification))
        return stored.json
    }

    /// `parcels.remind`.
    static let remindMethod: Method<ParcelsPlugin> = .write(
        "parcels.remind", "Records a reminder to the recipient of an item still held (an overdue one, usually).",
        params: Schema.object(
            [
                "code": Lookup.codeSchema,
                "channel": Schema.string("How they were reminded", oneOf: channels),
                "by": Schema.string("Who reminded them (default: the connection's operator)", maxLength: maxName),
            ], required: ["code"])
    ) { (plugin, params: RemindParams, context) in
        let item = try ParcelLookup.held(code: PickupCode.normalize(params.code), for: "remind", in: context.db)
        let by = try who(params.by, context)
        let now = context.now
        try context.db.execute(
            "UPDATE parcels_items SET reminded_at = ?, reminder_count = reminder_count + 1 WHERE id = ?",
            [Timestamp.format(now), item.id])
        let notification = try record(
            "remind", item: item, channel: params.channel, by: by, plugin: plugin, context: context)
        let stored = try reread(item, context)
        try context.emit("parcels.reminded", Notifier.eventData(stored.json, notification: notification))
        return stored.json
    }

    /// `parcels.return`.
    static let returnMethod: Method<ParcelsPlugin> = .write(
        "parcels.return", "Marks an item returned to sender, with the reason.",
        params: Schema.object(
            [
                "code": Lookup.codeSchema,
                "reason": Schema.string("Why (refused, unknown recipient, overdue...)", maxLength: maxReason),
            ], required: ["code", "reason"])
    ) { (_, params: ReturnParams, context) in
        let reason = DeskText.normalize(params.reason)
        guard !reason.isEmpty else { throw RPCError.validation(field: "reason", "reason must not be empty") }
        let item = try ParcelLookup.held(code: PickupCode.normalize(params.code), for: "return", in: context.db)
        let now = context.now
        try context.db.execute(
            """
            UPDATE parcels_items SET status = 'returned', returned_at = ?, returned_ms = ?, return_reason = ?,
                returned_by = ?
            WHERE id = ?
            """, [Timestamp.format(now), EpochMillis.of(now), reason, Actor.name(context.caller), item.id])
        let stored = try reread(item, context)
        try context.emit("parcels.returned", stored.json)
        return stored.json
    }

    /// `parcels.amend`.
    static let amendMethod: Method<ParcelsPlugin> = .write(
        "parcels.amend",
        "Corrects the recipient, unit, shelf or note of an item still held; the old values are kept.",
        params: Schema.object(
            [
                "code": Lookup.codeSchema,
                "recipient": Schema.string("The right recipient", maxLength: Receive.maxRecipient),
                "unit": Schema.string("The right unit", maxLength: Receive.maxUnit),
                "shelf": Schema.string("The new shelf (empty clears it)", maxLength: Receive.maxShelf),
                "note": Schema.string("The new note (empty clears it)", maxLength: Receive.maxNote),
            ], required: ["code"])
    ) { (_, params: AmendParams, context) in
        try amend(params, context)
    }

    static func amend(_ params: AmendParams, _ context: WriteContext) throws -> JSONValue {
        // (field on the wire, column, new value)
        var wanted: [(String, String, String?)] = []
        if let recipient = params.recipient {
            let value = DeskText.normalize(recipient)
            guard !value.isEmpty else { throw RPCError.validation(field: "recipient", "recipient must not be empty") }
            wanted.append(("recipient", "recipient", value))
        }
        if let unit = params.unit {
            let value = DeskText.normalize(unit)
            guard !value.isEmpty else { throw RPCError.validation(field: "unit", "unit must not be empty") }
            wanted.append(("unit", "unit", value))
        }
        if let shelf = params.shelf { wanted.append(("shelf", "shelf", DeskText.optional(shelf))) }
        if let note = params.note {
            let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
            wanted.append(("note", "note", trimmed.isEmpty ? nil : trimmed))
        }
        guard !wanted.isEmpty else {
            throw RPCError.validation(field: "code", "give at least one of recipient, unit, shelf, note to correct")
        }
        let item = try ParcelLookup.held(code: PickupCode.normalize(params.code), for: "amend", in: context.db)
        let old: [String: String?] = [
            "recipient": item.recipient, "unit": item.unit, "shelf": item.shelf, "note": item.note,
        ]
        let now = context.now
        let by = Actor.name(context.caller)
        var changes: [String: JSONValue] = [:]
        for (field, column, value) in wanted {
            let previous = old[field] ?? nil
            guard previous != value else { continue }
            try context.db.execute("UPDATE parcels_items SET \(column) = ? WHERE id = ?", [value, item.id])
            try context.db.execute(
                """
                INSERT INTO parcels_amendments (item_id, field, old_value, new_value, amended_by, at, at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [item.id, field, previous, value, by, Timestamp.format(now), EpochMillis.of(now)])
            changes[field] = ["old": previous.map { .string($0) } ?? .null, "new": value.map { .string($0) } ?? .null]
        }
        let stored = try reread(item, context)
        guard case .object(var members) = stored.json else { return stored.json }
        members["changes"] = .object(changes)
        let result = JSONValue.object(members)
        if !changes.isEmpty { try context.emit("parcels.amended", result) }
        return result
    }

    /// `by`, else the connection's operator; a validation error when neither names anyone.
    static func who(_ by: String?, _ context: WriteContext) throws(RPCError) -> String {
        if let by = DeskText.optional(by) { return by }
        if let name = context.caller.operator, !name.isEmpty { return name }
        throw RPCError.validation(
            field: "by", "by is required when the connection has not named its operator (daemon.hello)")
    }

    /// Keeps the notification or reminder in `parcels_notifications`.
    /// Inserts the notification row; returns its id.
    static func record(
        _ kind: String, item: ParcelItem, channel: String?, by: String, plugin: ParcelsPlugin, context: WriteContext
    ) throws -> Int64 {
        let now = context.now
        try context.db.execute(
            """
            INSERT INTO parcels_notifications (item_id, kind, channel, notified_by, at, at_ms, notifier_status)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                item.id, kind, channel, by, Timestamp.format(now), EpochMillis.of(now),
                plugin.config.notifier == nil ? "none" : "pending",
            ])
        return context.db.lastInsertRowID
    }

    /// The item as stored now.
    static func reread(_ item: ParcelItem, _ context: WriteContext) throws -> ParcelItem {
        guard let stored = try ParcelLookup.item(id: item.id, in: context.db) else {
            throw RPCError.internalError("item \(item.code) vanished")
        }
        return stored
    }
}

/// The params of `parcels.notify`.
struct NotifyParams: Decodable, Sendable {
    let code: String
    let channel: String
    let by: String?
}

/// The params of `parcels.remind`.
struct RemindParams: Decodable, Sendable {
    let code: String
    let channel: String?
    let by: String?
}

/// The params of `parcels.return`.
struct ReturnParams: Decodable, Sendable {
    let code: String
    let reason: String
}

/// The params of `parcels.amend`.
struct AmendParams: Decodable, Sendable {
    let code: String
    let recipient: String?
    let unit: String?
    let shelf: String?
    let note: String?
}
