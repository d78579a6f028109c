import Foundation
import ReceptionPluginSDK

/// `access.badges.verify`, `access.badges.get`, `access.badges.list`, `access.kinds`: the read side.
enum BadgeQueries {
    /// The largest `access.badges.list` page.
    static let maxPage: Int64 = 500

    /// `access.badges.verify`: the gate's question, all day long. One lookup of the unique
    /// number index, five columns, no identity number; an unknown number is an answer, not an
    /// error.
    static let verifyMethod: Method<AccessPlugin> = .read(
        "access.badges.verify",
        "Says whether a pass is valid now, and why not: active, expired, returned, lost, revoked or unknown.",
        params: Schema.object(["number": BadgeIssue.numberSchema], required: ["number"])
    ) { (_, params: JSONValue, context) in
        // JSONValue params skip JSONDecoder (the daemon has checked the schema: a string, ≤ 32).
        let number = Text.code(params["number"]?.stringValue ?? "")
        guard
            let row = try context.db.queryOne(
                "SELECT kind, holder, unit, valid_until, status FROM access_badges WHERE number = ?", [number])
        else {
            return ["number": .string(number), "valid": false, "reason": "unknown"] as JSONValue
        }
        let validUntil = row.string("valid_until") ?? ""
        var reason = row.string("status") ?? "unknown"
        if reason == "active", validUntil < CivilDate(localDateOf: context.now).description { reason = "expired" }
        return [
            "number": .string(number), "valid": .bool(reason == "active"), "reason": .string(reason),
            "kind": Text.json(row.string("kind")), "holder": Text.json(row.string("holder")),
            "unit": Text.json(row.string("unit")), "validUntil": .string(validUntil),
        ] as JSONValue
    }

    /// `access.badges.get`.
    static let getMethod: Method<AccessPlugin> = .read(
        "access.badges.get", "Shows a pass (the full identity number only to admins).",
        params: Schema.object(["number": BadgeIssue.numberSchema], required: ["number"])
    ) { (_, params: NumberParams, context) in
        let number = try Text.requiredCode(params.number, field: "number")
        let badge = try BadgeLookup.existing(number: number, in: context.db)
        return View(now: context.now, caller: context.caller).badge(badge)
    }

    /// `access.badges.list`.
    static let listMethod: Method<AccessPlugin> = .read(
        "access.badges.list",
        "Lists passes, newest first, by unit, holder, kind, status, or expiring within N days.",
        params: Schema.object([
            "unit": Schema.string("Only passes for this unit", maxLength: BadgeLimits.unit),
            "holder": Schema.string("Only passes of this holder (name)", maxLength: BadgeLimits.holder),
            "kind": Schema.string("Only passes of this kind", maxLength: 32),
            "status": Schema.string("Only passes in this state", oneOf: BadgeStatus.shown),
            "expiringWithinDays": Schema.integer(
                "Only active passes whose last day is today or within this many days", minimum: 0, maximum: 3650),
            "cursor": Schema.string("nextCursor of the previous page", maxLength: 40),
            "limit": Schema.integer("Passes per page (default 100)", minimum: 1, maximum: maxPage),
        ])
    ) { (_, params: BadgeListParams, context) in
        let view = View(now: context.now, caller: context.caller)
        let today = CivilDate(localDateOf: context.now)
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        func add(_ condition: String, _ values: any SQLBindable...) {
            conditions.append(condition)
            arguments.append(contentsOf: values)
        }
        if let unit = DeskText.optional(params.unit) { add("unit = ?", unit) }
        if let holder = DeskText.optional(params.holder) { add("holder = ?", holder) }
        if let kind = DeskText.optional(params.kind) { add("kind = ?", kind.lowercased()) }
        switch params.status {
        case "active"?: add("status = 'active' AND valid_until >= ?", today.description)
        case "expired"?: add("status = 'active' AND valid_until < ?", today.description)
        case let status?: add("status = ?", status)
        case nil: break
        }
        if let days = params.expiringWithinDays {
            let last = today.adding(days: days) ?? today
            add("status = 'active' AND valid_until >= ? AND valid_until <= ?", today.description, last.description)
        }
        if let cursor = params.cursor { add("id < ?", try ListCursor.decode(cursor)) }
        let limit = params.limit ?? 100
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try context.db.query(
            "SELECT \(Badge.columns) FROM access_badges \(whereClause) ORDER BY id DESC LIMIT ?",
            arguments + [limit + 1]
        ).map(Badge.init(row:))
        let page = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        return ["badges": .array(page.map(view.badge)), "nextCursor": next] as JSONValue
    }

    /// `access.kinds`: the kinds of pass this property issues, with their amounts.
    static let kindsMethod: Method<AccessPlugin> = .read(
        "access.kinds", "Lists the kinds of pass with their fee, deposit, renewal fee and maximum validity.",
        params: Schema.object()
    ) { (plugin, _: NoParams, _) in
        [
            "kinds": .array(plugin.config.kindNames.compactMap { plugin.config.kinds[$0]?.json }),
            "refundDepositOnLoss": .bool(plugin.config.refundDepositOnLoss),
            "keyDepositMinimum": .int(plugin.config.keyDepositMinimum),
        ] as JSONValue
    }
}

/// The params of `access.badges.list`.
struct BadgeListParams: Decodable, Sendable {
    let unit: String?
    let holder: String?
    let kind: String?
    let status: String?
    let expiringWithinDays: Int?
    let cursor: String?
    let limit: Int64?
}
