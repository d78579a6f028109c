import Foundation
import ReceptionPluginSDK

/// `parcels.get`, `parcels.pending`, `parcels.list`, `parcels.overdue`: the read side.
enum Lookup {
    /// The most items `parcels.pending` and `parcels.overdue` return in one reply.
    static let maxItems: Int64 = 1000
    /// The largest `parcels.list` page.
    static let maxPage: Int64 = 500

    /// How `daemon.methods` suggests showing a list of items.
    static let listDisplay = DisplayHints(
        title: "code", list: "items", columns: ["code", "kind", "recipient", "unit", "shelf", "status", "receivedAt"])

    /// `parcels.get`.
    static let getMethod: Method<ParcelsPlugin> = .read(
        "parcels.get", "Shows the item with a pickup code (the held one, else the latest that had it).",
        zh: "按取件码查一件（先找在柜的，否则找最近用过这个码的）。",
        display: Receive.itemDisplay, result: ParcelItem.self
    ) { (_, params: CodeParams, context) in
        try ParcelLookup.existing(code: params.code, in: context.db).json
    }

    /// `parcels.pending`: the question a resident asks at the counter.
    static let pendingMethod: Method<ParcelsPlugin> = .read(
        "parcels.pending", "Lists what is held for a unit or a recipient, oldest first.",
        zh: "住户来问时，按房号或收件人查在柜待领的件，最早的在前。", display: listDisplay,
        result: ParcelItem.self
    ) { (_, params: PendingParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        if let unit = params.unit {
            conditions.append("unit_key = ?")
            arguments.append(try DeskText.requiredUnitKey(unit, field: "unit"))
        }
        if let recipient = params.recipient {
            conditions.append("recipient = ?")
            arguments.append(recipient)
        }
        let limit = params.limit ?? 200
        // Served by parcels_items_unit_key_held / parcels_items_recipient_held (partial, held items only).
        let rows = try ParcelLookup.items(
            """
            SELECT \(ParcelItem.columns) FROM parcels_items
            WHERE \(conditions.joined(separator: " AND ")) AND \(ParcelStatus.heldSQL)
            ORDER BY received_ms, id LIMIT ?
            """, arguments + [limit + 1], in: context.db)
        return page(rows, limit: limit)
    }

    /// `parcels.overdue`: each item also says `daysWaiting` (whole days since it was received).
    static let overdueMethod: Method<ParcelsPlugin> = .read(
        "parcels.overdue",
        "Lists items held longer than the overdue limit, oldest first, with the days each has waited.",
        zh: "列出超期未取的件及各自滞留天数，最早的在前。",
        display: DisplayHints(
            title: "code", list: "items",
            columns: ["code", "daysWaiting", "kind", "recipient", "unit", "shelf", "status", "receivedAt"]),
        result: ParcelItem.self
    ) { (plugin, params: OverdueParams, context) in
        let days = params.days ?? plugin.config.overdueDays
        let limit = params.limit ?? 500
        let nowMs = context.nowMs
        let rows = try ParcelLookup.items(
            """
            SELECT \(ParcelItem.columns) FROM parcels_items
            WHERE \(ParcelStatus.heldSQL) AND received_ms < ?
            ORDER BY received_ms, id LIMIT ?
            """, [plugin.config.overdueCutoff(now: context.now, days: days), limit + 1], in: context.db)
        // Each item says how many whole days it has waited.
        var result = SortedJSONObject()
        result.add("days", .int(Int64(days)))
        result.add(
            "items",
            rawElements: rows.prefix(Int(limit)).map {
                $0.jsonBytes(replacing: ["daysWaiting": .int(max(0, nowMs - $0.receivedMs) / 86_400_000)])
            })
        if rows.count > Int(limit) { result.add("more", true) }
        return result.finish()
    }

    /// `parcels.list`.
    static let listMethod: Method<ParcelsPlugin> = .read(
        "parcels.list", "Lists items, newest first, by status, kind, unit, recipient, carrier and time received.",
        zh: "按状态、类型、房号、收件人、快递公司和签收时间查件，最新的在前。",
        display: listDisplay, result: ParcelItem.self
    ) { (_, params: ListParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        func add(_ condition: String, _ value: any SQLBindable) {
            conditions.append(condition)
            arguments.append(value)
        }
        switch params.status {
        case .atDesk?: conditions.append(ParcelStatus.heldSQL)
        case let status?: add("status = ?", status.rawValue)
        case nil: break
        }
        if let kind = params.kind { add("kind = ?", kind.rawValue) }
        if let unit = params.unit { add("unit_key = ?", try DeskText.requiredUnitKey(unit, field: "unit")) }
        if let recipient = params.recipient { add("recipient = ?", recipient) }
        if let carrier = params.carrier { add("carrier = ?", carrier) }
        if let from = params.from { add("received_ms >= ?", EpochMillis.of(from.start)) }
        if let to = params.to { add("received_ms < ?", EpochMillis.of(to.endOfRange)) }
        let cursor = try params.cursor.map { try ListCursor.decode($0) }
        let limit = params.limit ?? 50
        var parts = [cursor == nil ? [] : ["id < ?"]]
        if params.unit != nil || params.recipient != nil {
            // Items of a unit or a recipient are indexed in two parts (migration 5): those at the
            // desk by the held-only indexes, those that have left by the history's. Each part
            // gives its newest `limit + 1`; together, newest first, they are the same page.
            parts = ListStatus.parts(of: params.status).map { [$0.sql] + (cursor == nil ? [] : [$0.cursorSQL]) }
        }
        var rows: [ParcelItem] = []
        for part in parts {
            let all = conditions + part
            let whereClause = all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
            rows += try ParcelLookup.items(
                "SELECT \(ParcelItem.columns) FROM parcels_items \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments + (cursor.map { [$0] } ?? []) + [limit + 1], in: context.db)
        }
        if parts.count > 1 { rows = Array(rows.sorted { $0.id > $1.id }.prefix(Int(limit + 1))) }
        let items = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? items.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        var result = SortedJSONObject()
        result.add("items", rawElements: items.map { $0.jsonBytes() })
        result.add("nextCursor", next)
        return result.finish()
    }

    /// `{"items": [...]}` from up to `limit + 1` rows, with `"more": true` when there were more,
    /// and the `extra` members.
    static func page(_ rows: [ParcelItem], limit: Int64, extra: [String: JSONValue] = [:]) -> RawJSON {
        var result = SortedJSONObject()
        for (name, value) in extra { result.add(name, value) }
        result.add("items", rawElements: rows.prefix(Int(limit)).map { $0.jsonBytes() })
        if rows.count > Int(limit) { result.add("more", true) }
        return result.finish()
    }
}

/// What `parcels.list` filters on: a stored status, or `at_desk` (held or notified: still on the shelf).
enum ListStatus: String, ParamChoice {
    case held, notified, collected, returned
    case atDesk = "at_desk"

    var label: String {
        switch self {
        case .held: return "待领取"
        case .notified: return "已通知"
        case .collected: return "已领取"
        case .returned: return "已退回"
        case .atDesk: return "在柜待领"
        }
    }

    /// The parts of the items a list with this status filter reads (those at the desk, those
    /// that have left, or both), each as its SQL condition and the cursor's condition in it.
    /// At the desk the cursor is `+id < ?`: not a range the planner may take on
    /// `parcels_items_status` (status, id), which it would otherwise prefer to the unit's or
    /// recipient's held index and so read every held item (no ANALYZE statistics here).
    static func parts(of status: ListStatus?) -> [(sql: String, cursorSQL: String)] {
        let atDesk = (sql: ParcelStatus.heldSQL, cursorSQL: "+id < ?")
        let left = (sql: ParcelStatus.leftSQL, cursorSQL: "id < ?")
        switch status {
        case .held?, .notified?, .atDesk?: return [atDesk]
        case .collected?, .returned?: return [left]
        case nil: return [atDesk, left]
        }
    }
}

/// Params naming one item.
struct CodeParams: MethodParams {
    @Param(
        "Pickup code, e.g. K7M3", zh: "取件码，如 K7M3", maxLength: PickupCode.maxInputLength, text: .code, positional: true)
    var code: String
}

/// The params of `parcels.pending`.
struct PendingParams: MethodParams {
    @Param(
        "The unit, in any spelling (3-2-1201, 3栋2单元1201...)", zh: "房号，怎么写都行，如 3-2-1201 或 3栋2单元1201", maxLength: 64,
        format: .unit)
    var unit: String?
    @Param("The recipient's name", maxLength: 100) var recipient: String?
    @Param("How many items at most (default 200)", zh: "最多列出几件（默认 200）", minimum: 1, maximum: Lookup.maxItems)
    var limit: Int64?

    func validate() throws(RPCError) {
        guard unit != nil || recipient != nil else {
            throw RPCError.validation(field: "unit", "give a unit or a recipient (or both)")
                .localized("zh", "请给出房号或收件人（或两者都给）")
        }
    }
}

/// The params of `parcels.overdue`.
struct OverdueParams: MethodParams {
    @Param(
        "Held longer than this many days (default: the configured overdue_days)", zh: "在柜超过几天算超期（默认按配置）",
        minimum: 0, maximum: 3650)
    var days: Int?
    @Param("How many items at most (default 500)", zh: "最多列出几件（默认 500）", minimum: 1, maximum: Lookup.maxItems)
    var limit: Int64?
}

/// The params of `parcels.list`.
struct ListParams: MethodParams {
    @Param("Only items in this state; at_desk: still on the shelf (held or notified)", zh: "只看这个状态的件；在柜待领 = 待领取或已通知")
    var status: ListStatus?
    @Param("Only items of this kind") var kind: ParcelKind?
    @Param(
        "Only items for this unit, in any spelling", zh: "只看这个房号的件，如 3-2-1201 或 3栋2单元1201", maxLength: 64, format: .unit
    ) var unit: String?
    @Param("Only items for this recipient", maxLength: 100) var recipient: String?
    @Param("Only items from this carrier", maxLength: 64) var carrier: String?
    @Param("Received at or after this time, or from this day", zh: "签收时间不早于（或从这一天起）") var from: TimeOrDay?
    @Param("Received before this time, or up to and including this day", zh: "签收时间早于（或到这一天为止，含当天）")
    var to: TimeOrDay?
    @Param("nextCursor of the previous page", zh: "上一页给出的“下一页”标记", maxLength: 40, text: .verbatim) var cursor: String?
    @Param("Items per page (default 50)", zh: "每页几件（默认 50）", minimum: 1, maximum: Lookup.maxPage) var limit: Int64?
}
