import ReceptionPluginSDK

/// `cases.list`: the register, newest first, by filters, one page at a time (``ListCursor``).
enum CaseList {
    /// The largest page.
    static let maxPage: Int64 = 200

    /// `cases.list`.
    static let method: Method<CasesPlugin> = .read(
        "cases.list",
        "Lists cases, newest first, by status (or all not closed), category, area, urgency, unit, time opened and pending callback.",
        zh: "按状态、分类、投诉方面、紧急程度、房号、登记时间和待回访查接待记录，最新的在前。",
        display: DisplayHints(title: "case", list: "cases", columns: Cases.columns, money: Money.payment),
        result: CaseRecord.self
    ) { (_, params: ListParams, context) -> JSONValue in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        func add(_ condition: String, _ value: any SQLBindable) {
            conditions.append(condition)
            arguments.append(value)
        }
        if let status = params.status { add("status = ?", status.rawValue) }
        if params.open == true { add("status <> ?", CaseStatus.closed.rawValue) }
        if let category = params.category { add("category = ?", category) }
        if let area = params.area { add("area = ?", area) }
        if let urgency = params.urgency { add("urgency = ?", urgency.rawValue) }
        if let unit = params.unit { add("unit_key = ?", try DeskText.requiredUnitKey(unit, field: "unit")) }
        if let from = params.from { add("opened_ms >= ?", EpochMillis.of(from.start)) }
        if let to = params.to { add("opened_ms < ?", EpochMillis.of(to.endOfRange)) }
        if params.callbackPending == true {
            conditions.append(
                "case_no IN (SELECT case_no FROM cases_callbacks WHERE status = 'pending')")
        }
        if let cursor = params.cursor { add("id < ?", try ListCursor.decode(cursor)) }
        let limit = params.limit ?? 50
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = CaseRecord.rows(
            try context.db.query(
                "SELECT \(CaseRecord.columns) FROM cases_cases \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments + [limit + 1]))
        let page = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        return ["cases": .array(try page.map { try $0.wire(in: context.db) }), "nextCursor": next]
    }
}

/// The params of `cases.list`.
struct ListParams: MethodParams {
    @Param("Only cases in this state", zh: "只看这个状态的") var status: CaseStatus?
    @Param("Only cases not closed (open, dispatched or reopened)", zh: "只看未结案的（待处理、已派工、已重开）") var open: Bool?
    @Param("Only this category", zh: "只看这个分类", maxLength: 32, text: .verbatim) var category: String?
    @Param("Only complaints about this area", zh: "只看涉及这个方面的投诉", maxLength: 32, text: .verbatim) var area: String?
    @Param("Only this urgency", zh: "只看这个紧急程度") var urgency: Urgency?
    @Param("Only this unit's, in any spelling", zh: "只看这个房号", maxLength: 64, format: .unit) var unit: String?
    @Param("Opened at or after this time (a day: from its start)", zh: "登记时间不早于") var from: TimeOrDay?
    @Param("Opened before this time (a day: up to its end)", zh: "登记时间早于（写日期则含当天）") var to: TimeOrDay?
    @Param("Only cases with a callback to make", zh: "只看待回访的") var callbackPending: Bool?
    @Param("nextCursor of the previous page", zh: "上一页给出的“下一页”标记", maxLength: 40, text: .verbatim) var cursor: String?
    @Param("Cases per page (default 50)", zh: "每页几条（默认 50）", minimum: 1, maximum: CaseList.maxPage) var limit: Int64?
}
