import Foundation
import ReceptionPluginSDK

/// `access.badges.verify`, `access.badges.get`, `access.badges.list`, `access.kinds`: the read side.
enum BadgeQueries {
    /// `access.badges.verify`: the gate's question, all day long. One lookup of the unique
    /// number index, five columns, no identity number; an unknown number is an answer, not an
    /// error. The reply is written straight into bytes, members in sorted order.
    static let verifyMethod: Method<AccessPlugin> = .read(
        "access.badges.verify",
        "Says whether a pass is valid now, and why not: active, expired, returned, lost, revoked or unknown.",
        zh: "查一张门禁卡现在能不能用；不能用时说明原因（过期、已退、挂失、注销或查无此卡）。",
        display: DisplayHints(
            title: "number", columns: ["number", "valid", "reason", "kind", "holder", "unit", "validUntil"])
    ) { (_, params: VerifyParams, context) in
        let number = DeskText.code(params.number)
        var out = SortedJSONObject()
        guard
            let row = try context.db.queryOne(
                "SELECT kind, holder, unit, valid_until, status FROM access_badges WHERE number = ?", [number])
        else {
            out.add("number", number)
            out.add("reason", "unknown")
            out.add("valid", .bool(false))
            return out.finish()
        }
        let validUntil = row.string("valid_until") ?? ""
        var reason = row.string("status") ?? "unknown"
        if reason == "active", validUntil < context.today.description { reason = "expired" }
        out.add("number", number)
        out.add("valid", .bool(reason == "active"))
        out.add("reason", reason)
        out.add("kind", row.string("kind"))
        out.add("holder", row.string("holder"))
        out.add("unit", row.string("unit"))
        out.add("validUntil", validUntil)
        return out.finish()
    }

    /// `access.badges.get`.
    static let getMethod: Method<AccessPlugin> = .read(
        "access.badges.get", "Shows a pass (the full identity number only to admins).",
        zh: "查看一张门禁卡（证件全号只有管理员能看）。",
        display: DisplayHints(title: "number", columns: Badge.blockColumns, money: Money.badge), result: Badge.self
    ) { (_, params: NumberParams, context) in
        let badge = try BadgeLookup.existing(number: params.number, in: context.db)
        return BadgeView(today: context.today, caller: context.caller).badge(badge)
    }

    /// `access.badges.list`.
    static let listMethod: Method<AccessPlugin> = .read(
        "access.badges.list",
        "Lists passes, newest first, by unit, holder, kind, status, or expiring within N days.",
        zh: "按房号、持卡人、类别、状态或几天内到期查门禁卡，最新的在前。",
        display: DisplayHints(
            title: "number", list: "badges", columns: ["number", "kind", "holder", "unit", "validUntil", "status"],
            money: Money.badge),
        result: Badge.self
    ) { (_, params: BadgeListParams, context) in
        let today = context.today
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        func add(_ condition: String, _ values: any SQLBindable...) {
            conditions.append(condition)
            arguments.append(contentsOf: values)
        }
        if let unit = params.unit { add("unit_key = ?", try DeskText.requiredUnitKey(unit, field: "unit")) }
        if let holder = params.holder { add("holder = ?", holder) }
        if let kind = params.kind { add("kind = ?", kind.lowercased()) }
        switch params.status {
        case .active?: add("status = 'active' AND valid_until >= ?", today.description)
        case .expired?: add("status = 'active' AND valid_until < ?", today.description)
        case let status?: add("status = ?", status.rawValue)
        case nil: break
        }
        if let days = params.expiringWithinDays {
            let last = today.adding(days: days) ?? today
            add("status = 'active' AND valid_until >= ? AND valid_until <= ?", today.description, last.description)
        }
        if let cursor = params.cursor { add("id < ?", try ListCursor.decode(cursor)) }
        let limit = Int(params.limit ?? 100)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let badges = Badge.rows(
            try context.db.query(
                "SELECT \(Badge.columns) FROM access_badges \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments + [limit + 1]))
        let page = badges.prefix(limit)
        let admin = context.caller.isAdmin
        var out = SortedJSONObject()
        out.add("badges", rawElements: page.map { $0.jsonBytes(today: today.description, showPrivate: admin) })
        out.add("nextCursor", badges.count > limit ? page.last.map { ListCursor.encode($0.id) } : nil)
        return out.finish()
    }

    /// `access.kinds`: the kinds of pass this property issues, with their amounts.
    static let kindsMethod: Method<AccessPlugin> = .read(
        "access.kinds", "Lists the kinds of pass with their fee, deposit, renewal fee and maximum validity.",
        zh: "列出可办的卡类别及各自的工本费、押金、续期费和最长有效期。",
        display: DisplayHints(
            title: "name", list: "kinds",
            columns: ["name", "fee", "deposit", "renewalFee", "maxValidity", "numberPrefix", "builtIn"],
            money: ["fee", "deposit", "renewalFee", "keyDepositMinimum"])
    ) { (plugin, _: NoParams, _) in
        [
            "kinds": .array(plugin.config.kindNames.compactMap { plugin.config.kinds[$0]?.json }),
            "refundDepositOnLoss": .bool(plugin.config.refundDepositOnLoss),
            "keyDepositMinimum": .int(plugin.config.keyDepositMinimum),
        ] as JSONValue
    }
}

/// The params of `access.badges.verify`.
struct VerifyParams: MethodParams {
    // Cleaned by the handler: a blank number is an answer (`unknown`), not an error.
    @Param("Badge number, e.g. T000001", zh: "卡号，如 T000001", maxLength: 32, text: .verbatim, positional: true)
    var number: String
}

/// A badge's status as `access.badges.list` filters it: the stored ones, and `expired`.
enum ShownBadgeStatus: String, ParamChoice {
    case active, expired, returned, lost, revoked

    var label: String {
        switch self {
        case .active: "有效"
        case .expired: "已过期"
        case .returned: "已退还"
        case .lost: "已挂失"
        case .revoked: "已注销"
        }
    }
}

/// The params of `access.badges.list`.
struct BadgeListParams: MethodParams {
    @Param(
        "Only passes for this unit, in any spelling", zh: "只看这个房号的卡，如 3-2-1201 或 3栋2单元1201", maxLength: 64,
        format: .unit)
    var unit: String?
    @Param("Only passes of this holder (name)", zh: "只看这个持卡人的卡（姓名）", maxLength: 100) var holder: String?
    @Param("Only passes of this kind", zh: "只看这个类别的卡", maxLength: 32) var kind: String?
    @Param("Only passes in this state", zh: "只看这个状态的卡") var status: ShownBadgeStatus?
    @Param(
        "Only active passes whose last day is today or within this many days", zh: "只看今天起几天内到期的有效卡",
        minimum: 0, maximum: 3650)
    var expiringWithinDays: Int?
    @Param("nextCursor of the previous page", zh: "上一页给出的“下一页”标记", maxLength: 40, text: .verbatim)
    var cursor: String?
    @Param("Passes per page (default 100)", zh: "每页几张（默认 100）", minimum: 1, maximum: 500) var limit: Int?
}
