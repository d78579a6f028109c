import ReceptionPluginSDK

/// One shift handover (交接班), as stored and as sent on the wire. `snapshot` is stored as text
/// and sent as the object it is (see ``wire``).
struct Handover: Record {
    static let table = "desk_handovers"

    @Column(wire: .hidden) var id: Int64
    @Column("HO20261206-0001") var handover: String
    @Column("Who hands the desk over") var outgoing: String
    @Column("Who takes it over") var incoming: String
    @Column var notes: String?
    @Column(column: "snapshot", wire: .hidden) var snapshotText: String
    @Column(format: .dateTime) var handedAt: String
    @Column(wire: .hidden) var handedMs: Int64
    @Column("Who recorded it") var recordedBy: String
    @Column("open or acknowledged") var status: String
    @Column(format: .dateTime) var ackedAt: String?
    @Column var ackedBy: String?

    /// The handover on the wire, its snapshot an object.
    var wire: JSONValue {
        jsonValue(replacing: ["snapshot": (try? JSONValue.parse(Array(snapshotText.utf8))) ?? .object([:])])
    }
}

/// `desk.handover`, `desk.handover.ack`, `desk.handovers`: the shift handover book.
enum Handovers {
    /// The columns worth showing of one handover.
    static let columns = ["handover", "handedAt", "outgoing", "incoming", "status", "ackedBy"]

    /// `desk.handover`: the outgoing clerk hands the desk over, with notes; the snapshot of what
    /// is open is taken now from the departments that are loaded.
    static let handoverMethod: Method<DeskPlugin> = .write(
        "desk.handover",
        "Records a shift handover: outgoing and incoming clerks, notes, and a snapshot of what is open (cases, work orders, parcels held, keys out, the cash each department says the desk holds).",
        zh: "记录交接班：交班人、接班人、交接事项，并自动附上此刻的未结事项快照（未结个案、超时工单、在柜包裹、借出钥匙、各部门应有现金）。",
        display: DisplayHints(title: "handover", columns: columns, money: Snapshot.money), result: Handover.self
    ) { (plugin, params: HandoverParams, context) in
        let previous = try context.db.queryOne(
            "SELECT handed_ms FROM desk_handovers ORDER BY handed_ms DESC, id DESC LIMIT 1")?.int("handed_ms")
        let since = previous.map { CivilDate(of: EpochMillis.date($0), in: context.timeZone) } ?? context.today
        let snapshot = Snapshot.take(context, since: since)
        var handover = Handover()
        handover.handover = try DeskNumbers.next("HO", on: context.today, in: context.db)
        handover.outgoing = params.outgoing
        handover.incoming = params.incoming
        handover.notes = params.notes
        handover.snapshotText = snapshot.serialized()
        handover.handedAt = context.stamp.time
        handover.handedMs = context.stamp.ms
        handover.recordedBy = context.stamp.by
        handover.status = "open"
        handover.id = try handover.insert(into: context.db)
        let wire = handover.wire
        try context.emit(.handover, wire)
        return wire
    }

    /// `desk.handover.ack`: the incoming clerk takes the desk over.
    static let ackMethod: Method<DeskPlugin> = .write(
        "desk.handover.ack", "The incoming clerk acknowledges a handover (takes the desk over).",
        zh: "接班人确认接班。", display: DisplayHints(title: "handover", columns: columns, money: Snapshot.money),
        result: Handover.self
    ) { (plugin, params: AckParams, context) in
        let handover = try find(params.handover, in: context.db)
        let by = params.by ?? context.caller.operator ?? ""
        guard handover.status == "open" else {
            throw RPCError(
                .invalidState,
                "handover \(handover.handover) was acknowledged already by \(handover.ackedBy ?? "?") at \(handover.ackedAt ?? "?")",
                field: "handover",
                details: ["rule": "already_acknowledged", "ackedBy": handover.ackedBy.map { .string($0) } ?? .null]
            ).localized("zh", "交接 \(handover.handover) 已由 \(handover.ackedBy ?? "?") 于 \(handover.ackedAt ?? "?") 确认接班")
        }
        guard DeskText.sameName(by, handover.incoming) else {
            throw RPCError(
                .validation,
                "handover \(handover.handover) is to \(handover.incoming); \(by.isEmpty ? "nobody" : by) cannot acknowledge it (give by, or sign in as the incoming clerk)",
                field: "by", details: ["rule": "not_incoming", "incoming": .string(handover.incoming)]
            ).localized("zh", "交接 \(handover.handover) 的接班人是 \(handover.incoming)，\(by.isEmpty ? "未署名者" : by) 不能确认")
        }
        try context.db.execute(
            "UPDATE desk_handovers SET status = 'acknowledged', acked_at = ?, acked_by = ? WHERE id = ?",
            [context.stamp.time, handover.incoming, handover.id])
        let wire = try find(params.handover, in: context.db).wire
        try context.emit(.handoverAcknowledged, wire)
        return wire
    }

    /// `desk.handovers`: the book, newest first.
    static let listMethod: Method<DeskPlugin> = .read(
        "desk.handovers", "Lists the handovers, newest first, by day range.",
        zh: "查看交接班记录，最新的在前，可按日期筛选。",
        display: DisplayHints(title: "handover", list: "handovers", columns: columns), result: Handover.self
    ) { (_, params: HandoversParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        if let from = params.from {
            conditions.append("handed_ms >= ?")
            arguments.append(EpochMillis.of(from.start(in: context.timeZone)))
        }
        if let to = params.to {
            conditions.append("handed_ms < ?")
            arguments.append(EpochMillis.of(to.adding(days: 1)?.start(in: context.timeZone) ?? context.now))
        }
        if let cursor = params.cursor {
            conditions.append("id < ?")
            arguments.append(try ListCursor.decode(cursor))
        }
        let limit = params.limit ?? 50
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = Handover.rows(
            try context.db.query(
                "SELECT \(Handover.columns) FROM desk_handovers \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments + [limit + 1]))
        let page = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        return ["handovers": .array(page.map(\.wire)), "nextCursor": next] as JSONValue
    }

    /// The handover `number`, or `not_found` naming it.
    static func find(_ number: String, in db: SQLiteConnection) throws -> Handover {
        guard
            let row = try db.queryOne(
                "SELECT \(Handover.columns) FROM desk_handovers WHERE handover = ?", [number.uppercased()])
        else {
            throw RPCError(.notFound, "no handover \(number)", field: "handover")
                .localized("zh", "没有交接记录 \(number)")
        }
        return Handover(row: row)
    }
}

/// The params of `desk.handover`.
struct HandoverParams: MethodParams {
    @Param("Who hands the desk over", zh: "交班人", maxLength: 100) var outgoing: String
    @Param("Who takes it over", zh: "接班人", maxLength: 100) var incoming: String
    @Param("What the next shift must know", zh: "交接事项", maxLength: DeskLimits.text, text: .note)
    var notes: String?

    func validate() throws(RPCError) {
        guard !DeskText.sameName(outgoing, incoming) else {
            throw RPCError(
                .validation, "incoming must be another clerk than outgoing (\(outgoing))", field: "incoming",
                details: ["rule": "handover_to_someone_else"]
            ).localized("zh", "接班人不能与交班人（\(outgoing)）相同")
        }
    }
}

/// The params of `desk.handover.ack`.
struct AckParams: MethodParams {
    @Param("The handover", zh: "交接编号", maxLength: 32, text: .code, positional: true) var handover: String
    @Param("The incoming clerk (default: the operator signed in)", zh: "接班人（默认当前登录的经办人）", maxLength: 100)
    var by: String?
}

/// The params of `desk.handovers`.
struct HandoversParams: MethodParams {
    @Param("First day (YYYY-MM-DD)", zh: "开始日期") var from: CivilDate?
    @Param("Last day, included (YYYY-MM-DD)", zh: "截止日期（含）") var to: CivilDate?
    @Param("How many at most (default 50)", zh: "最多几条（默认 50）", minimum: 1, maximum: DeskLimits.maxList)
    var limit: Int64?
    @Param("nextCursor of the previous page", zh: "上一页给出的 nextCursor", maxLength: 32) var cursor: String?
}

extension DeskText {
    /// Whether two names are the same clerk's (NFKC, case and spaces ignored).
    static func sameName(_ a: String, _ b: String) -> Bool {
        func key(_ text: String) -> String {
            text.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace }
        }
        return !key(a).isEmpty && key(a) == key(b)
    }
}
