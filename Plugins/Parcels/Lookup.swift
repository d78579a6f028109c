import Foundation
import ReceptionPluginSDK

/// `parcels.get`, `parcels.pending`, `parcels.list`, `parcels.overdue`: the read side.
enum Lookup {
    /// The most items `parcels.pending` and `parcels.overdue` return in one reply.
    static let maxItems: Int64 = 1000
    /// The largest `parcels.list` page.
    static let maxPage: Int64 = 500

    static let codeSchema = Schema.annotate(
        Schema.string("Pickup code, e.g. K7M3", maxLength: PickupCode.maxInputLength), positional: true)

    /// `parcels.get`.
    static let getMethod: Method<ParcelsPlugin> = .read(
        "parcels.get", "Shows the item with a pickup code (the held one, else the latest that had it).",
        params: Schema.object(["code": codeSchema], required: ["code"])
    ) { (_, params: CodeParams, context) in
        try ParcelLookup.existing(code: PickupCode.normalize(params.code), in: context.db).raw
    }

    /// `parcels.pending`: the question a resident asks at the counter.
    static let pendingMethod: Method<ParcelsPlugin> = .read(
        "parcels.pending", "Lists what is held for a unit or a recipient, oldest first.",
        params: Schema.object([
            "unit": Schema.string("The unit (white space is normalized)", maxLength: Receive.maxUnit),
            "recipient": Schema.string("The recipient's name", maxLength: Receive.maxRecipient),
            "limit": Schema.integer("How many items at most (default 200)", minimum: 1, maximum: maxItems),
        ])
    ) { (_, params: PendingParams, context) in
        let unit = DeskText.optional(params.unit)
        let recipient = DeskText.optional(params.recipient)
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        if let unit {
            conditions.append("unit = ?")
            arguments.append(unit)
        }
        if let recipient {
            conditions.append("recipient = ?")
            arguments.append(recipient)
        }
        guard !conditions.isEmpty else {
            throw RPCError.validation(field: "unit", "give a unit or a recipient (or both)")
        }
        let limit = params.limit ?? 200
        // Served by parcels_items_unit_held / parcels_items_recipient_held (partial, held items only).
        let rows = try ParcelLookup.items(
            """
            SELECT \(ParcelItem.columns) FROM parcels_items
            WHERE \(conditions.joined(separator: " AND ")) AND \(ParcelStatus.heldSQL)
            ORDER BY received_ms, id LIMIT ?
            """, arguments + [limit + 1], in: context.db)
        return page(rows, limit: limit)
    }

    /// `parcels.overdue`.
    static let overdueMethod: Method<ParcelsPlugin> = .read(
        "parcels.overdue", "Lists items held longer than the overdue limit, oldest first.",
        params: Schema.object([
            "days": Schema.integer(
                "Held longer than this many days (default: the configured overdue_days)", minimum: 0, maximum: 3650),
            "limit": Schema.integer("How many items at most (default 500)", minimum: 1, maximum: maxItems),
        ])
    ) { (plugin, params: OverdueParams, context) in
        let days = params.days ?? plugin.config.overdueDays
        let limit = params.limit ?? 500
        let rows = try ParcelLookup.items(
            """
            SELECT \(ParcelItem.columns) FROM parcels_items
            WHERE \(ParcelStatus.heldSQL) AND received_ms < ?
            ORDER BY received_ms, id LIMIT ?
            """, [plugin.config.overdueCutoff(now: context.now, days: days), limit + 1], in: context.db)
        var result = page(rows, limit: limit).value
        if case .object(var members) = result {
            members["days"] = .int(Int64(days))
            result = .object(members)
        }
        return result
    }

    /// `parcels.list`.
    static let listMethod: Method<ParcelsPlugin> = .read(
        "parcels.list", "Lists items, newest first, by status, kind, unit, recipient, carrier and time received.",
        params: Schema.object([
            "status": Schema.string("Only items in this state", oneOf: ParcelStatus.all),
            "kind": Schema.string("Only items of this kind", oneOf: ParcelKind.all),
            "unit": Schema.string("Only items for this unit", maxLength: Receive.maxUnit),
            "recipient": Schema.string("Only items for this recipient", maxLength: Receive.maxRecipient),
            "carrier": Schema.string("Only items from this carrier", maxLength: Receive.maxCarrier),
            "from": Schema.string("Received at or after (ISO 8601)", maxLength: 40),
            "to": Schema.string("Received before (ISO 8601)", maxLength: 40),
            "cursor": Schema.string("nextCursor of the previous page", maxLength: 40),
            "limit": Schema.integer("Items per page (default 50)", minimum: 1, maximum: maxPage),
        ])
    ) { (_, params: ListParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        func add(_ condition: String, _ value: any SQLBindable) {
            conditions.append(condition)
            arguments.append(value)
        }
        if let status = params.status { add("status = ?", status) }
        if let kind = params.kind { add("kind = ?", kind) }
        if let unit = DeskText.optional(params.unit) { add("unit = ?", unit) }
        if let recipient = DeskText.optional(params.recipient) { add("recipient = ?", recipient) }
        if let carrier = DeskText.optional(params.carrier) { add("carrier = ?", carrier) }
        if let from = params.from { add("received_ms >= ?", try TimeRange.millis(from, field: "from")) }
        if let to = params.to { add("received_ms < ?", try TimeRange.millis(to, field: "to")) }
        if let cursor = params.cursor { add("id < ?", try ListCursor.decode(cursor)) }
        let limit = params.limit ?? 50
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try ParcelLookup.items(
            "SELECT \(ParcelItem.columns) FROM parcels_items \(whereClause) ORDER BY id DESC LIMIT ?",
            arguments + [limit + 1], in: context.db)
        let items = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? items.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        return ["items": .array(items.map(\.json)), "nextCursor": next] as JSONValue
    }

    /// `{"items": [...]}` from up to `limit + 1` rows, with `"more": true` when there were more.
    static func page(_ rows: [ParcelItem], limit: Int64) -> RawJSON {
        var result = JSONObjectWriter(capacity: 64 + 640 * min(rows.count, Int(limit)))
        result.add("items", rawElements: rows.prefix(Int(limit)).map(\.rawBytes))
        if rows.count > Int(limit) { result.add("more", true) }
        return RawJSON(bytes: result.finish())
    }
}

/// ISO 8601 params of ranges.
enum TimeRange {
    /// `text` as epoch milliseconds, or a validation error naming `field`.
    static func millis(_ text: String, field: String) throws(RPCError) -> Int64 {
        guard let date = Timestamp.parse(text) else {
            throw RPCError.validation(
                field: field,
                "\(field) must be an ISO 8601 time with offset, e.g. 2026-11-01T00:00:00+08:00; got \"\(text)\"")
        }
        return EpochMillis.of(date)
    }
}

/// Params naming one item.
struct CodeParams: Decodable, Sendable {
    let code: String
}

/// The params of `parcels.pending`.
struct PendingParams: Decodable, Sendable {
    let unit: String?
    let recipient: String?
    let limit: Int64?
}

/// The params of `parcels.overdue`.
struct OverdueParams: Decodable, Sendable {
    let days: Int?
    let limit: Int64?
}

/// The params of `parcels.list`.
struct ListParams: Decodable, Sendable {
    let status: String?
    let kind: String?
    let unit: String?
    let recipient: String?
    let carrier: String?
    let from: String?
    let to: String?
    let cursor: String?
    let limit: Int64?
}
