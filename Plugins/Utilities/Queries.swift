import Foundation
import ReceptionPluginSDK

/// `utilities.get`, `utilities.list`, `utilities.batches.get`, `utilities.batches.list`: the read side.
enum Queries {
    /// The largest `utilities.list` page.
    static let maxPage: Int64 = 500
    /// The largest `utilities.batches.list` page (each batch carries its requests).
    static let maxBatchPage: Int64 = 50

    /// `utilities.get`.
    static let getMethod: Method<UtilitiesPlugin> = .read(
        "utilities.get", "Shows one request by its number.", zh: "按登记编号查一笔预购。",
        display: Requests.display, result: UtilityRequest.self
    ) { (_, params: NumberParams, context) in
        try RequestLookup.existing(params.number, in: context.db).json
    }

    /// `utilities.list`: newest first, cursor pagination.
    static let listMethod: Method<UtilitiesPlugin> = .read(
        "utilities.list", "Lists requests, newest first, by status, unit, utility, batch and time requested.",
        zh: "按状态、房号、项目、批次和登记时间查预购登记，最新的在前。",
        display: DisplayHints(title: "number", list: "requests", columns: Requests.columns, money: Money.request),
        result: UtilityRequest.self
    ) { (_, params: ListParams, context) in
        var filter = Filter()
        if let status = params.status { filter.add("status = ?", status.rawValue) }
        if let unit = params.unit { filter.add("unit_key = ?", try DeskText.requiredUnitKey(unit, field: "unit")) }
        if let utility = params.utility { filter.add("utility = ?", utility) }
        if let batch = params.batch { filter.add("batch = ?", batch) }
        if let from = params.from { filter.add("requested_ms >= ?", EpochMillis.of(from.start)) }
        if let to = params.to { filter.add("requested_ms < ?", EpochMillis.of(to.endOfRange)) }
        if let cursor = params.cursor { filter.add("id < ?", try ListCursor.decode(cursor)) }
        let limit = params.limit ?? 50
        let rows = UtilityRequest.rows(try filter.newestFirst(UtilityRequest.self, limit: limit, in: context.db))
        let page = rows.prefix(Int(limit))
        var result = SortedJSONObject()
        result.add(
            "nextCursor", rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        )
        result.add("requests", rawElements: page.map { $0.jsonBytes() })
        return result.finish()
    }

    /// `utilities.batches.get`.
    static let batchGetMethod: Method<UtilitiesPlugin> = .read(
        "utilities.batches.get", "Shows one batch and its requests.", zh: "查一批代办及其中各笔。",
        display: Batches.display, result: UtilityBatch.self
    ) { (_, params: BatchParams, context) in
        try BatchLookup.json(params.batch, in: context.db)
    }

    /// `utilities.batches.list`: newest first, cursor pagination.
    static let batchListMethod: Method<UtilitiesPlugin> = .read(
        "utilities.batches.list",
        "Lists batches, newest first, by status, agent and time created, each with its requests.",
        zh: "按状态、代办人和交接时间查代办批次（含各笔），最新的在前。",
        display: DisplayHints(
            title: "batch", list: "batches",
            columns: ["batch", "agent", "status", "count", "cashOut", "cashBack", "createdAt"],
            money: Money.batch),
        result: UtilityBatch.self
    ) { (_, params: BatchListParams, context) in
        var filter = Filter()
        if let status = params.status { filter.add("status = ?", status.rawValue) }
        if let agent = params.agent { filter.add("agent = ?", agent) }
        if let from = params.from { filter.add("created_ms >= ?", EpochMillis.of(from.start)) }
        if let to = params.to { filter.add("created_ms < ?", EpochMillis.of(to.endOfRange)) }
        if let cursor = params.cursor { filter.add("id < ?", try ListCursor.decode(cursor)) }
        let limit = params.limit ?? 20
        let rows = UtilityBatch.rows(try filter.newestFirst(UtilityBatch.self, limit: limit, in: context.db))
        let page = rows.prefix(Int(limit))
        var batches: [JSONValue] = []
        for batch in page {
            batches.append(batch.json(requests: try RequestLookup.ofBatch(batch.batch, in: context.db)))
        }
        let next: JSONValue =
            rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.batch)) } ?? .null : .null
        return ["batches": .array(batches), "nextCursor": next] as JSONValue
    }
}

/// The conditions of a list method and their values, ANDed.
struct Filter {
    /// SQL conditions with `?` placeholders, from a fixed set of texts.
    private var conditions: [String] = []
    /// The values of the placeholders, in order.
    private var arguments: [any SQLBindable] = []

    /// Adds `condition` with the value of its one placeholder.
    mutating func add(_ condition: String, _ value: any SQLBindable) {
        conditions.append(condition)
        arguments.append(value)
    }

    /// The rows of `R`'s table that match, newest (highest id) first: up to `limit + 1`, so the
    /// caller knows whether there is a next page.
    func newestFirst<R: Record>(_ record: R.Type, limit: Int64, in db: SQLiteConnection) throws -> [Row] {
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try db.query(
            "SELECT \(R.columns) FROM \(R.table) \(whereClause) ORDER BY id DESC LIMIT ?", arguments + [limit + 1])
    }
}

/// A batch's state, as `utilities.batches.list` filters it.
enum BatchStatus: String, ParamChoice {
    case out, returned

    /// 代办中 (with the agent) or 已交回.
    var label: String { self == .out ? "代办中" : "已交回" }
    /// The English label.
    var englishLabel: String { self == .out ? "with the agent" : "returned" }
}

/// Params naming one request.
struct NumberParams: MethodParams {
    @Param(
        "The request's number, e.g. UT20261205-0001", zh: "登记编号，如 UT20261205-0001", maxLength: 32, text: .code,
        positional: true)
    var number: String
}

/// Params naming one batch.
struct BatchParams: MethodParams {
    @Param("The batch's number", zh: "代办批次号", minimum: 1, positional: true) var batch: Int64
}

/// The params of `utilities.list`.
struct ListParams: MethodParams {
    @Param("Only requests in this state", zh: "只看这个状态的登记") var status: RequestStatus?
    @Param(
        "Only this unit's requests, in any spelling", zh: "只看这个房号，如 3-2-1201 或 3栋2单元1201", maxLength: 64, format: .unit)
    var unit: String?
    @Param("Only this utility's requests", zh: "只看这一项（electricity 电、gas 燃气、water 水）", maxLength: 32, text: .verbatim)
    var utility: String?
    @Param("Only the requests of this batch", zh: "只看这一批的登记", minimum: 1) var batch: Int64?
    @Param("Requested at or after this time (a day: from its start)", zh: "登记时间不早于（写日期则从当天零点起）") var from: TimeOrDay?
    @Param("Requested before this time (a day: up to its end)", zh: "登记时间早于（写日期则含当天）") var to: TimeOrDay?
    @Param("nextCursor of the previous page", zh: "上一页给出的“下一页”标记", maxLength: 40, text: .verbatim) var cursor: String?
    @Param("Requests per page (default 50)", zh: "每页几笔（默认 50）", minimum: 1, maximum: Queries.maxPage) var limit: Int64?
}

/// The params of `utilities.batches.list`.
struct BatchListParams: MethodParams {
    @Param("Only batches in this state", zh: "只看这个状态的批次") var status: BatchStatus?
    @Param("Only this agent's batches", zh: "只看这个代办人的批次", maxLength: 100) var agent: String?
    @Param("Created at or after this time", zh: "交接时间不早于") var from: TimeOrDay?
    @Param("Created before this time", zh: "交接时间早于") var to: TimeOrDay?
    @Param("nextCursor of the previous page", zh: "上一页给出的“下一页”标记", maxLength: 40, text: .verbatim) var cursor: String?
    @Param("Batches per page (default 20)", zh: "每页几批（默认 20）", minimum: 1, maximum: Queries.maxBatchPage) var limit:
        Int64?
}
