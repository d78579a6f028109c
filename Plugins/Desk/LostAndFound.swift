import Foundation
import ReceptionPluginSDK

/// One found item (失物招领), as stored and as sent on the wire. The claimant's document keeps
/// only its type and last four characters.
struct FoundItem: Record {
    static let table = "desk_found"

    @Column(wire: .hidden) var id: Int64
    @Column("LF20261206-0001") var found: String
    @Column("What was found") var item: String
    @Column var description: String?
    @Column var foundWhere: String
    @Column(format: .dateTime) var foundAt: String
    @Column(wire: .hidden) var foundMs: Int64
    @Column var foundBy: String
    @Column var storedWhere: String
    @Column(format: .dateTime) var recordedAt: String
    @Column var recordedBy: String
    @Column("held or claimed") var status: String
    @Column var claimant: String?
    @Column(column: "claimant_id_type") var idType: String?
    @Column(column: "claimant_id_last4") var idLast4: String?
    @Column var handedBy: String?
    @Column(format: .dateTime) var claimedAt: String?

    /// The item on the wire with how long it has waited: `unclaimedDays` (whole days since it
    /// was found, while held) and `flagged` (held for `unclaimedDays` or more of the config's).
    func wire(now: Date, flagAfter days: Int64) -> JSONValue {
        let waited = status == "held" ? max(0, EpochMillis.of(now) - foundMs) / 86_400_000 : 0
        return jsonValue(replacing: [
            "unclaimedDays": status == "held" ? .int(waited) : .null,
            "flagged": .bool(status == "held" && waited >= days),
        ])
    }
}

/// The documents a claimant may show.
enum ClaimDocument: String, ParamChoice {
    case idCard = "id_card"
    case passport
    case residencePermit = "residence_permit"
    case drivingLicence = "driving_licence"
    case homeReturnPermit = "home_return_permit"
    case taiwanPermit = "taiwan_permit"
    case other

    /// The Chinese label.
    var label: String {
        switch self {
        case .idCard: "身份证"
        case .passport: "护照"
        case .residencePermit: "居住证"
        case .drivingLicence: "驾驶证"
        case .homeReturnPermit: "港澳居民来往内地通行证"
        case .taiwanPermit: "台湾居民来往大陆通行证"
        case .other: "其他证件"
        }
    }
}

/// `desk.found`, `desk.claim`, `desk.lostAndFound`: the lost-and-found book.
enum LostAndFound {
    /// The columns worth showing of one item.
    static let columns = [
        "found", "item", "foundWhere", "foundAt", "storedWhere", "status", "unclaimedDays", "flagged",
    ]

    /// `desk.found`: an item handed in.
    static let foundMethod: Method<DeskPlugin> = .write(
        "desk.found", "Records an item found: what, where and when, who found it, where it is kept.",
        zh: "登记拾到的物品：什么物品、在哪里何时拾到、拾到人、存放位置。",
        display: DisplayHints(title: "found", columns: columns), result: FoundItem.self
    ) { (plugin, params: FoundParams, context) in
        let foundAt = params.foundAt ?? context.now
        guard foundAt <= context.now.addingTimeInterval(300) else {
            throw RPCError(
                .validation, "foundAt \(plugin.config.local.format(foundAt)) is in the future", field: "foundAt",
                details: ["rule": "not_in_future"]
            ).localized("zh", "拾到时间 \(plugin.config.local.format(foundAt)) 还没到")
        }
        var item = FoundItem()
        item.found = try DeskNumbers.next("LF", on: context.today, in: context.db)
        item.item = params.item
        item.description = params.description
        item.foundWhere = params.foundWhere
        item.foundAt = plugin.config.local.format(foundAt)
        item.foundMs = EpochMillis.of(foundAt)
        item.foundBy = params.foundBy
        item.storedWhere = params.storedWhere
        item.recordedAt = context.stamp.time
        item.recordedBy = context.stamp.by
        item.status = "held"
        item.id = try item.insert(into: context.db)
        let wire = item.wire(now: context.now, flagAfter: plugin.config.unclaimedDays)
        try context.emit(.found, wire)
        return wire
    }

    /// `desk.claim`: the owner takes it back, against a document.
    static let claimMethod: Method<DeskPlugin> = .write(
        "desk.claim",
        "Hands a found item to its owner: the claimant, their document's type and last four characters, who handed it over.",
        zh: "失主认领：认领人、证件类型和后四位、经手人。",
        display: DisplayHints(title: "found", columns: columns), result: FoundItem.self
    ) { (plugin, params: ClaimParams, context) in
        let item = try find(params.found, in: context.db)
        guard item.status == "held" else {
            throw RPCError(
                .invalidState,
                "\(item.found) (\(item.item)) was claimed already by \(item.claimant ?? "?") at \(item.claimedAt ?? "?")",
                field: "found", details: ["rule": "already_claimed", "status": .string(item.status)]
            ).localized("zh", "\(item.found)（\(item.item)）已于 \(item.claimedAt ?? "?") 由 \(item.claimant ?? "?") 认领")
        }
        try context.db.execute(
            """
            UPDATE desk_found SET status = 'claimed', claimant = ?, claimant_id_type = ?, claimant_id_last4 = ?,
                handed_by = ?, claimed_at = ? WHERE id = ?
            """,
            [
                params.claimant, params.idType.rawValue, params.idLast4.uppercased(),
                params.handedBy ?? context.stamp.by, context.stamp.time, item.id,
            ])
        let wire = try find(params.found, in: context.db).wire(now: context.now, flagAfter: plugin.config.unclaimedDays)
        try context.emit(.claimed, wire)
        return wire
    }

    /// `desk.lostAndFound`: the book, newest first.
    static let listMethod: Method<DeskPlugin> = .read(
        "desk.lostAndFound",
        "Lists found items, newest first: held or claimed, only those flagged (unclaimed for unclaimed_days or more), or matching a word.",
        zh: "查看失物招领登记，最新的在前：可只看待认领、已认领、超期未领的，或按物品名称查找。",
        display: DisplayHints(title: "found", list: "items", columns: columns), result: FoundItem.self
    ) { (plugin, params: LostAndFoundParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        if let status = params.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if params.flagged == true {
            conditions.append("status = 'held' AND found_ms <= ?")
            arguments.append(context.nowMs - plugin.config.unclaimedDays * 86_400_000)
        }
        if let word = params.item {
            conditions.append("(item LIKE ? OR description LIKE ?)")
            let pattern =
                "%" + word.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            arguments.append(pattern)
            arguments.append(pattern)
        }
        if let cursor = params.cursor {
            conditions.append("id < ?")
            arguments.append(try ListCursor.decode(cursor))
        }
        let limit = params.limit ?? 100
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = FoundItem.rows(
            try context.db.query(
                "SELECT \(FoundItem.columns) FROM desk_found \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments + [limit + 1]))
        let page = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        return [
            "items": .array(page.map { $0.wire(now: context.now, flagAfter: plugin.config.unclaimedDays) }),
            "nextCursor": next, "flagAfterDays": .int(plugin.config.unclaimedDays),
        ] as JSONValue
    }

    /// The item `number`, or `not_found` naming it.
    static func find(_ number: String, in db: SQLiteConnection) throws -> FoundItem {
        guard
            let row = try db.queryOne(
                "SELECT \(FoundItem.columns) FROM desk_found WHERE found = ?", [number.uppercased()])
        else {
            throw RPCError(.notFound, "no found item \(number)", field: "found").localized("zh", "没有失物登记 \(number)")
        }
        return FoundItem(row: row)
    }
}

/// The states of a found item.
enum FoundStatus: String, ParamChoice {
    case held
    case claimed

    /// The Chinese label.
    var label: String {
        switch self {
        case .held: "待认领"
        case .claimed: "已认领"
        }
    }
}

/// The params of `desk.found`.
struct FoundParams: MethodParams {
    @Param("What was found (a black wallet)", zh: "物品名称，如黑色钱包", maxLength: 200) var item: String
    @Param("Colour, contents, marks", zh: "特征：颜色、内有物品、记号等", maxLength: DeskLimits.text, text: .note)
    var description: String?
    @Param("Where it was found", zh: "拾到地点", maxLength: 200) var foundWhere: String
    @Param("When it was found (default: now)", zh: "拾到时间（默认现在）") var foundAt: Date?
    @Param("Who found it or handed it in", zh: "拾到人/交来人", maxLength: 100) var foundBy: String
    @Param("Where the desk keeps it (cabinet, shelf)", zh: "存放位置，如前台柜 2 号格", maxLength: 200) var storedWhere: String
}

/// The params of `desk.claim`.
struct ClaimParams: MethodParams {
    @Param("The found item", zh: "失物登记编号", maxLength: 32, text: .code, positional: true) var found: String
    @Param("Who claims it", zh: "认领人", maxLength: 100) var claimant: String
    @Param("The document the claimant showed", zh: "认领人出示的证件") var idType: ClaimDocument
    @Param("Its last four characters", zh: "证件号后四位", maxLength: 4, text: .code) var idLast4: String
    @Param("Who handed it over (default: the operator)", zh: "经手人（默认当前经办人）", maxLength: 100) var handedBy: String?

    func validate() throws(RPCError) {
        guard idLast4.unicodeScalars.count == 4, idLast4.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw RPCError(
                .validation, "idLast4 must be the document's last four letters or digits, got \"\(idLast4)\"",
                field: "idLast4", details: ["rule": "last4"]
            ).localized("zh", "证件号后四位须是 4 个字母或数字")
        }
    }
}

/// The params of `desk.lostAndFound`.
struct LostAndFoundParams: MethodParams {
    @Param("Only items in this state", zh: "只看这个状态的物品") var status: FoundStatus?
    @Param("Only items unclaimed for unclaimed_days or more", zh: "只看超期未领的") var flagged: Bool?
    @Param("Only items whose name or description has this word", zh: "按物品名称或特征查找", maxLength: 100)
    var item: String?
    @Param("How many at most (default 100)", zh: "最多几条（默认 100）", minimum: 1, maximum: DeskLimits.maxList)
    var limit: Int64?
    @Param("nextCursor of the previous page", zh: "上一页给出的 nextCursor", maxLength: 32) var cursor: String?
}
