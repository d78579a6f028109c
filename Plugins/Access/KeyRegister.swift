import Foundation
import ReceptionPluginSDK

/// `access.keys.register`, `access.keys.retire`, `access.keys.list`: the key register.
enum KeyRegister {
    /// The members of a key worth a column, in order.
    static let columns = ["tag", "status", "category", "building", "unit", "room", "hook", "borrower", "dueBack"]

    /// `access.keys.register`.
    static let registerMethod: Method<AccessPlugin> = .write(
        "access.keys.register", "Puts a key on the register: its tag, category, where it opens and its cabinet hook.",
        zh: "钥匙入册：登记编号、类别、开哪里和挂在哪个挂钩。",
        display: DisplayHints(title: "tag", columns: columns, money: Money.key), result: Key.self
    ) { (_, params: RegisterParams, context) in
        let db = context.db
        if let existing = try KeyLookup.current(tag: params.tag, in: db) {
            throw RPCError(
                .conflict, "tag \(params.tag) is already on the register (hook \(existing.key.hook))", field: "tag",
                details: ["tag": .string(params.tag), "status": .string(existing.key.status)]
            ).localized("zh", "钥匙编号 \(params.tag) 已在登记簿上（挂钩 \(existing.key.hook)）")
        }
        var key = Key()
        key.tag = params.tag
        key.category = params.category.rawValue
        key.building = params.building
        key.floor = params.floor
        key.unit = params.unit
        key.unitKey = try params.unit.map { unit throws(RPCError) in try DeskText.requiredUnitKey(unit, field: "unit") }
        key.room = params.room
        key.hook = params.hook
        key.note = params.note
        key.status = "in"
        key.registeredAt = context.stamp.time
        key.registeredMs = context.stamp.ms
        key.registeredBy = context.stamp.by
        key.id = try key.insert(into: db)
        let registered = RegisteredKey(key: key)
        try context.emit(
            .keyRegistered, ["key": registered.json(nowMs: context.stamp.ms, showPrivate: false)] as JSONValue)
        return registered.json(nowMs: context.stamp.ms, showPrivate: context.caller.isAdmin)
    }

    /// `access.keys.retire`.
    static let retireMethod: Method<AccessPlugin> = .write(
        "access.keys.retire", "Takes a key off the register (it must be in the cabinet).",
        zh: "钥匙停用出册（钥匙须在柜里）。",
        display: DisplayHints(title: "tag", columns: columns, money: Money.key), result: Key.self
    ) { (_, params: RetireParams, context) in
        let db = context.db
        let found = try KeyLookup.existing(tag: params.tag, in: db)
        switch found.key.status {
        case "retired":
            throw KeyLookup.retired(found.key, action: "retire")
        case "out":
            let borrower = found.loan?.borrower
            let since = found.loan?.since
            throw RPCError.invalidState(
                "cannot retire key \(params.tag): it is out to \(borrower ?? "?") since \(since ?? "?"); check it in first",
                details: [
                    "tag": .string(params.tag), "status": "out", "borrower": borrower.map { .string($0) } ?? .null,
                    "since": since.map { .string($0) } ?? .null,
                ]
            ).localized("zh", "钥匙 \(params.tag) 无法停用：\(since ?? "?") 起借给了 \(borrower ?? "?")，请先收回")
        default:
            break
        }
        try db.execute(
            """
            UPDATE access_keys SET status = 'retired', retired_at = ?, retired_by = ?, retire_reason = ?
            WHERE id = ? AND status = 'in'
            """, [context.stamp.time, context.stamp.by, params.reason, found.key.id])
        guard db.changes == 1,
            let row = try db.queryOne("SELECT \(Key.columns) FROM access_keys WHERE id = ?", [found.key.id])
        else { throw RPCError.internalError("key \(params.tag) changed under the writer") }
        let retired = RegisteredKey(key: Key(row: row))
        try context.emit(.keyRetired, ["key": retired.json(nowMs: context.stamp.ms, showPrivate: false)] as JSONValue)
        return retired.json(nowMs: context.stamp.ms, showPrivate: context.caller.isAdmin)
    }

    /// `access.keys.list`.
    static let listMethod: Method<AccessPlugin> = .read(
        "access.keys.list",
        "Lists the keys on the register by tag: by status (in, out, overdue, retired), building and category.",
        zh: "按编号列出登记簿上的钥匙，可按状态（在柜、借出、逾期未还、已停用）、楼栋和类别筛选。",
        display: DisplayHints(title: "tag", list: "keys", columns: columns, money: Money.key), result: Key.self
    ) { (_, params: KeyListParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        let nowMs = EpochMillis.of(context.now)
        switch params.status {
        case .overdue?:
            conditions.append(
                "status = 'out' AND loan_id IN (SELECT id FROM access_key_loans WHERE in_ms IS NULL AND due_ms < ?)")
            arguments.append(nowMs)
        case let status?:
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        case nil:
            conditions.append("status <> 'retired'")
        }
        if let building = params.building {
            conditions.append("building = ?")
            arguments.append(building)
        }
        if let category = params.category {
            conditions.append("category = ?")
            arguments.append(category.rawValue)
        }
        if let unit = params.unit {
            conditions.append("unit_key = ?")
            arguments.append(try DeskText.requiredUnitKey(unit, field: "unit"))
        }
        let limit = params.limit ?? 1000
        let keys = try KeyLookup.keys(
            "SELECT \(Key.columns) FROM access_keys WHERE \(conditions.joined(separator: " AND ")) ORDER BY tag, id LIMIT ?",
            arguments + [limit + 1], in: context.db)
        let admin = context.caller.isAdmin
        var out = SortedJSONObject()
        out.add("keys", rawElements: keys.prefix(limit).map { $0.jsonBytes(nowMs: nowMs, showPrivate: admin) })
        if keys.count > limit { out.add("more", true) }
        return out.finish()
    }
}

/// What `access.keys.list` filters on: a key's status, and `overdue` (out past its `dueBack`).
enum KeyListStatus: String, ParamChoice {
    case `in`, out, overdue, retired

    var label: String {
        switch self {
        case .in: "在柜"
        case .out: "借出"
        case .overdue: "逾期未还"
        case .retired: "已停用"
        }
    }
}

/// The params of `access.keys.register`.
struct RegisterParams: MethodParams {
    @Param("The key's tag, e.g. K-0012", zh: "钥匙编号，如 K-0012", maxLength: 32, text: .code, positional: true)
    var tag: String
    @Param("What key it is", zh: "钥匙类别") var category: KeyCategory
    @Param("Building", maxLength: 64) var building: String?
    @Param("Floor", maxLength: 16) var floor: String?
    @Param("The unit it opens (or give room)", zh: "开哪一户，如 3-2-1201（或填房间）", maxLength: 64, format: .unit)
    var unit: String?
    @Param("The room it opens (or give unit)", zh: "开哪个房间（或填房号）", maxLength: 64) var room: String?
    @Param("Cabinet hook it hangs on", zh: "挂在钥匙柜哪个挂钩", maxLength: 32) var hook: String
    @Param("Anything else", maxLength: 500) var note: String?

    func validate() throws(RPCError) {
        guard unit != nil || room != nil else {
            throw RPCError(
                .validation, "say what the key opens: a unit or a room", field: "unit",
                details: ["rule": "unit_or_room"]
            ).localized("zh", "请说明钥匙开哪里：填房号或房间")
        }
        if let unit { _ = try DeskText.requiredUnitKey(unit, field: "unit") }
    }
}

/// The params of `access.keys.retire`.
struct RetireParams: MethodParams {
    @Param("The key's tag, e.g. K-0012", zh: "钥匙编号，如 K-0012", maxLength: 32, text: .code, positional: true)
    var tag: String
    @Param("Why (lock changed, handed to the owner...)", zh: "停用原因，如换锁、已交还业主", maxLength: 500) var reason: String?
}

/// The params of `access.keys.list`.
struct KeyListParams: MethodParams {
    @Param(
        "in, out, overdue (out past dueBack) or retired (default: all but retired)",
        zh: "在柜、借出、逾期未还或已停用（默认：除已停用外全部）")
    var status: KeyListStatus?
    @Param("Only keys of this building", zh: "只看这栋楼的钥匙", maxLength: 64) var building: String?
    @Param("Only keys of this category", zh: "只看这个类别的钥匙") var category: KeyCategory?
    @Param(
        "Only keys of this unit, in any spelling", zh: "只看这个房号的钥匙，如 3-2-1201 或 3栋2单元1201", maxLength: 64, format: .unit)
    var unit: String?
    @Param("Keys listed at most (default 1000)", zh: "最多列出几把（默认 1000）", minimum: 1, maximum: 10_000) var limit: Int?
}
