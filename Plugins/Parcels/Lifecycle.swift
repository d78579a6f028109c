import ReceptionPluginSDK

/// `parcels.notify`, `parcels.remind`, `parcels.return`, `parcels.amend`: what happens to an item
/// while it is held. Each refuses an item that has left the desk with `invalid_state` naming its
/// state, and an unknown code with `not_found`.
enum Lifecycle {
    /// `parcels.notify`.
    static let notifyMethod: Method<ParcelsPlugin> = .write(
        "parcels.notify", "Records that the recipient was told an item is waiting.",
        zh: "登记已通知收件人来取件（电话、短信、通知单……）。", display: Receive.itemDisplay,
        result: ParcelItem.self
    ) { (plugin, params: NotifyParams, context) in
        let item = try ParcelLookup.held(code: params.code, for: "notify", in: context.db)
        let by = try who(params.by, context)
        let stamp = context.stamp
        try context.db.execute(
            """
            UPDATE parcels_items SET status = 'notified', notified_at = ?, notified_ms = ?, notified_by = ?,
                notify_channel = ?, notify_count = notify_count + 1
            WHERE id = ?
            """, [stamp.time, stamp.ms, by, params.channel.rawValue, item.id])
        let notification = try record(
            "notify", item: item, channel: params.channel, by: by, plugin: plugin, context: context)
        let stored = try ParcelLookup.stored(id: item.id, in: context.db)
        // The notifier command runs after the commit (ParcelsPlugin.committed), never here.
        try context.emit(.notified, stored.jsonValue(replacing: ["notificationId": .int(notification)]))
        return stored.json
    }

    /// `parcels.remind`.
    static let remindMethod: Method<ParcelsPlugin> = .write(
        "parcels.remind", "Records a reminder to the recipient of an item still held (an overdue one, usually).",
        zh: "登记又催了一次收件人（多用于超期未取的件）。",
        display: Receive.itemDisplay, result: ParcelItem.self
    ) { (plugin, params: RemindParams, context) in
        let item = try ParcelLookup.held(code: params.code, for: "remind", in: context.db)
        let by = try who(params.by, context)
        try context.db.execute(
            "UPDATE parcels_items SET reminded_at = ?, reminder_count = reminder_count + 1 WHERE id = ?",
            [context.stamp.time, item.id])
        let notification = try record(
            "remind", item: item, channel: params.channel, by: by, plugin: plugin, context: context)
        let stored = try ParcelLookup.stored(id: item.id, in: context.db)
        try context.emit(.reminded, stored.jsonValue(replacing: ["notificationId": .int(notification)]))
        return stored.json
    }

    /// `parcels.return`.
    static let returnMethod: Method<ParcelsPlugin> = .write(
        "parcels.return", "Marks an item returned to sender, with the reason.", zh: "把一件退回寄件方，并写明原因。",
        display: Receive.itemDisplay,
        result: ParcelItem.self
    ) { (_, params: ReturnParams, context) in
        let item = try ParcelLookup.held(code: params.code, for: "return", in: context.db)
        let stamp = context.stamp
        try context.db.execute(
            """
            UPDATE parcels_items SET status = 'returned', returned_at = ?, returned_ms = ?, return_reason = ?,
                returned_by = ?
            WHERE id = ?
            """, [stamp.time, stamp.ms, params.reason, stamp.by, item.id])
        let stored = try ParcelLookup.stored(id: item.id, in: context.db)
        try context.emit(.returned, stored)
        return stored.json
    }

    /// `parcels.amend`: the old values are kept in `parcels_amendments`.
    static let amendMethod: Method<ParcelsPlugin> = .write(
        "parcels.amend",
        "Corrects the recipient, unit, shelf or note of an item still held; the old values are kept.",
        zh: "更正在柜件的收件人、房号、货架或备注，原值留底。",
        display: Receive.itemDisplay, result: ParcelItem.self
    ) { (_, params: AmendParams, context) in
        let item = try ParcelLookup.held(code: params.code, for: "amend", in: context.db)
        let old: [String: String?] = [
            "recipient": item.recipient, "unit": item.unit, "shelf": item.shelf, "note": item.note,
        ]
        let stamp = context.stamp
        var changes: [String: JSONValue] = [:]
        for (field, value) in try params.corrections() {
            let previous = old[field] ?? nil
            guard previous != value else { continue }
            // `field` is one of the four names above: the SQL text comes from a fixed set.
            try context.db.execute("UPDATE parcels_items SET \(field) = ? WHERE id = ?", [value, item.id])
            if field == "unit", let value {
                try context.db.execute(
                    "UPDATE parcels_items SET unit_key = ? WHERE id = ?",
                    [try DeskText.requiredUnitKey(value, field: "unit"), item.id])
            }
            try context.db.execute(
                """
                INSERT INTO parcels_amendments (item_id, field, old_value, new_value, amended_by, at, at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [item.id, field, previous, value, stamp.by, stamp.time, stamp.ms])
            changes[field] = ["old": previous.map { .string($0) } ?? .null, "new": value.map { .string($0) } ?? .null]
        }
        let result = try ParcelLookup.stored(id: item.id, in: context.db).jsonValue(
            replacing: ["changes": .object(changes)])
        if !changes.isEmpty { try context.emit(.amended, result) }
        return result
    }

    /// `by`, else the connection's operator; a validation error when neither names anyone.
    static func who(_ by: String?, _ context: WriteContext<ParcelsPlugin>) throws(RPCError) -> String {
        if let by { return by }
        if let name = context.caller.operator, !name.isEmpty { return name }
        throw RPCError.validation(
            field: "by", "by is required when the connection has not named its operator (daemon.hello)"
        ).localized("zh", "请填写经办人：本连接还没有登记值班人员（daemon.hello 的 operator）")
    }

    /// Keeps the notification or reminder in `parcels_notifications`; returns its id.
    static func record(
        _ kind: String, item: ParcelItem, channel: NotifyChannel?, by: String, plugin: ParcelsPlugin,
        context: WriteContext<ParcelsPlugin>
    ) throws -> Int64 {
        try context.db.insert(
            """
            INSERT INTO parcels_notifications (item_id, kind, channel, notified_by, at, at_ms, notifier_status)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                item.id, kind, channel?.rawValue, by, context.stamp.time, context.stamp.ms,
                plugin.config.notifier == nil ? "none" : "pending",
            ])
    }
}

/// How the recipient was told.
enum NotifyChannel: String, ParamChoice {
    case phone, sms, notice
    case inPerson = "in_person"
    case other

    var label: String {
        switch self {
        case .phone: return "电话"
        case .sms: return "短信"
        case .notice: return "通知单"
        case .inPerson: return "当面"
        case .other: return "其他"
        }
    }
}

/// The params of `parcels.notify`.
struct NotifyParams: MethodParams {
    @Param(
        "Pickup code, e.g. K7M3", zh: "取件码，如 K7M3", maxLength: PickupCode.maxInputLength, text: .code, positional: true)
    var code: String
    @Param("How they were told", zh: "怎么通知的") var channel: NotifyChannel
    @Param("Who told them (default: the connection's operator)", zh: "谁通知的（默认当前值班人员）", maxLength: 100) var by: String?
}

/// The params of `parcels.remind`.
struct RemindParams: MethodParams {
    @Param(
        "Pickup code, e.g. K7M3", zh: "取件码，如 K7M3", maxLength: PickupCode.maxInputLength, text: .code, positional: true)
    var code: String
    @Param("How they were reminded", zh: "怎么催的") var channel: NotifyChannel?
    @Param("Who reminded them (default: the connection's operator)", zh: "谁催的（默认当前值班人员）", maxLength: 100) var by:
        String?
}

/// The params of `parcels.return`.
struct ReturnParams: MethodParams {
    @Param(
        "Pickup code, e.g. K7M3", zh: "取件码，如 K7M3", maxLength: PickupCode.maxInputLength, text: .code, positional: true)
    var code: String
    @Param("Why (refused, unknown recipient, overdue...)", zh: "退回原因，如拒收、查无此人、超期未取", maxLength: 500) var reason: String
}

/// The params of `parcels.amend`. `shelf` and `note` given empty clear the value; absent, they
/// stay as they are.
struct AmendParams: MethodParams {
    @Param(
        "Pickup code, e.g. K7M3", zh: "取件码，如 K7M3", maxLength: PickupCode.maxInputLength, text: .code, positional: true)
    var code: String
    @Param("The right recipient", zh: "正确的收件人", maxLength: 100, text: .verbatim) var recipient: String?
    @Param("The right unit", zh: "正确的房号，如 3-2-1201 或 3栋2单元1201", maxLength: 64, text: .verbatim, format: .unit)
    var unit: String?
    @Param("The new shelf (empty clears it)", zh: "新的货架（留空则清除）", maxLength: 32, text: .verbatim) var shelf: String?
    @Param("The new note (empty clears it)", zh: "新的备注（留空则清除）", maxLength: 500, text: .verbatim) var note: String?

    /// (column, new value) of each field to correct, cleaned as `parcels.receive` cleans them;
    /// a recipient or unit given empty is refused.
    func corrections() throws(RPCError) -> [(String, String?)] {
        var wanted: [(String, String?)] = []
        if let recipient { wanted.append(("recipient", try DeskText.required(recipient, field: "recipient"))) }
        if let unit {
            let typed = try DeskText.required(unit, field: "unit")
            _ = try DeskText.requiredUnitKey(typed, field: "unit")
            wanted.append(("unit", typed))
        }
        if let shelf { wanted.append(("shelf", DeskText.optional(shelf))) }
        if let note {
            let cleaned = DeskText.note(note)
            wanted.append(("note", cleaned.isEmpty ? nil : cleaned))
        }
        return wanted
    }

    func validate() throws(RPCError) {
        guard try !corrections().isEmpty else {
            throw RPCError.validation(field: "code", "give at least one of recipient, unit, shelf, note to correct")
                .localized("zh", "请至少更正一项：收件人、房号、货架或备注")
        }
    }
}
