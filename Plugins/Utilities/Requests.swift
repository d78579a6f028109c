import ReceptionPluginSDK

/// `utilities.request`, `utilities.cancel`, `utilities.collect`: the resident at the counter.
enum Requests {
    /// The columns worth showing of one request.
    static let columns = [
        "number", "unit", "payer", "utility", "quantity", "cash", "medium", "mediumRef", "status", "owed",
    ]

    /// How `daemon.methods` suggests showing one request.
    static let display = DisplayHints(title: "number", columns: columns, money: Money.request)

    /// `utilities.request`: the desk now holds the cash and the card.
    static let requestMethod: Method<UtilitiesPlugin> = .write(
        "utilities.request", "Records a resident's prepayment: the cash and the card the desk now holds.",
        zh: "登记住户预购电、气、水：收下现金和卡（遥控板、智能气卡……），给出登记编号。", display: display,
        result: UtilityRequest.self
    ) { (plugin, params: RequestParams, context) in
        let db = context.db
        let utility = try plugin.config.utility(params.utility)
        guard params.cash <= plugin.config.maxCash else {
            throw RPCError(
                .validation,
                "cash \(Yuan.plain(params.cash)) is more than the largest amount the desk takes (\(Yuan.plain(plugin.config.maxCash)))",
                field: "cash", details: ["rule": "max_cash", "maximum": .int(plugin.config.maxCash)]
            ).localized("zh", "现金 \(Yuan.text(params.cash)) 超过单笔上限 \(Yuan.text(plugin.config.maxCash))")
        }
        var request = UtilityRequest()
        let today = context.today
        request.number = "UT" + today.compact + "-" + Yuan.padded(try Counter.next("request:\(today.compact)", in: db))
        request.unit = params.unit
        request.unitKey = try DeskText.requiredUnitKey(params.unit, field: "unit")
        request.payer = params.payer
        request.utility = utility.name
        if let quantity = params.quantity {
            let milli = try Quantity.milli(quantity, field: "quantity")
            request.quantity = Quantity.text(milli)
            request.quantityMilli = milli
        }
        request.cash = params.cash
        request.medium = params.medium.rawValue
        request.mediumRef = params.mediumRef
        request.note = params.note
        request.status = RequestStatus.atDesk.rawValue
        request.requestedAt = context.stamp.time
        request.requestedMs = context.stamp.ms
        request.requestedBy = context.stamp.by
        request.id = try request.insert(into: db)
        try context.emit(.requested, request)
        return request.json
    }

    /// `utilities.cancel`: only while at the desk; the whole cash goes back at once.
    static let cancelMethod: Method<UtilitiesPlugin> = .write(
        "utilities.cancel", "Cancels a request still at the desk and pays the whole cash back at once.",
        zh: "取消尚在柜台的预购登记，当场退还全部现金和卡。", display: display, result: UtilityRequest.self
    ) { (_, params: CancelParams, context) in
        let request = try RequestLookup.inState(params.number, .atDesk, to: "cancel", chinese: "取消", in: context.db)
        let stamp = context.stamp
        try context.db.execute(
            """
            UPDATE utilities_requests SET status = 'cancelled', owed = 0, paid_out = cash, cancelled_at = ?,
                cancelled_ms = ?, cancelled_by = ?, cancel_reason = ?
            WHERE id = ? AND status = 'at_desk'
            """, [stamp.time, stamp.ms, stamp.by, params.reason, request.id])
        let stored = try RequestLookup.stored(id: request.id, in: context.db)
        try context.emit(.cancelled, stored)
        return stored.json
    }

    /// `utilities.collect`: the resident (or a proxy) signs for the card and counts the leftover.
    static let collectMethod: Method<UtilitiesPlugin> = .write(
        "utilities.collect",
        "Hands a request back: the card, and the cash to count out (the leftover, or all of it after a failure).",
        zh: "住户（或代领人）签字领回卡，并当面点清应退现金（余款；代办失败则全额退还）。",
        display: DisplayHints(title: "number", columns: columns, money: Money.collect)
    ) { (_, params: CollectParams, context) in
        let request = try RequestLookup.inState(params.number, .ready, to: "hand out", chinese: "领取", in: context.db)
        // Someone other than the payer signs only as a proxy: never recorded as the payer's own collection.
        if params.proxy == false, params.collectedBy != request.payer {
            throw RPCError(
                .validation,
                "\(request.number) was paid by \(request.payer), not \(params.collectedBy): someone else collects only as a proxy (leave proxy out or give proxy: true)",
                field: "proxy",
                details: ["rule": "proxy_required", "number": .string(request.number), "payer": .string(request.payer)]
            ).localized(
                "zh", "\(request.number) 的交款人是 \(request.payer)，不是 \(params.collectedBy)：他人领取只能按代领办理（proxy: true）")
        }
        let proxy = params.proxy ?? (params.collectedBy != request.payer)
        let stamp = context.stamp
        try context.db.execute(
            """
            UPDATE utilities_requests SET status = 'collected', paid_out = owed, owed = 0, collected_at = ?,
                collected_ms = ?, collected_by = ?, proxy = ?, handed_out_by = ?
            WHERE id = ? AND status = 'ready'
            """, [stamp.time, stamp.ms, params.collectedBy, proxy, stamp.by, request.id])
        let stored = try RequestLookup.stored(id: request.id, in: context.db)
        let reply: JSONValue = ["request": stored.jsonValue(), "handOver": .int(request.owed)]
        try context.emit(.collected, reply)
        return reply
    }
}

/// The params of `utilities.request`.
struct RequestParams: MethodParams {
    @Param("The resident's unit, e.g. 3-2-1201", zh: "住户房号，如 3-2-1201 或 3栋2单元1201", maxLength: 64, format: .unit)
    var unit: String
    @Param("Who paid", zh: "交款人姓名", maxLength: 100) var payer: String
    @Param(
        "electricity, gas, water (the configured list)", zh: "代缴项目：electricity 电、gas 燃气、water 水（以配置为准）", maxLength: 32,
        text: .verbatim)
    var utility: String
    @Param("Cash received", zh: "收到的现金", minimum: 1, maximum: UtilitiesConfig.maxCashCeiling, format: .money)
    var cash: Int64
    @Param("What the desk holds: remote, gas_card, meter_card or account", zh: "代管的卡：遥控板、智能气卡、电卡或账户（无卡）")
    var medium: Medium
    @Param("The card or meter number", zh: "卡号或表号", maxLength: 64) var mediumRef: String?
    @Param(
        "Quantity asked for in the utility's unit (decimal string, e.g. \"200\" or \"35.5\"); leave out when paying an amount",
        zh: "预购数量（度或立方米，如 \"200\" 或 \"35.5\"）；按金额预购可不填", maxLength: 16, text: .verbatim)
    var quantity: String?
    @Param("Anything else", zh: "备注", maxLength: 500, text: .note) var note: String?

    func validate() throws(RPCError) {
        if let quantity { _ = try Quantity.milli(quantity, field: "quantity") }
    }
}

/// The params of `utilities.cancel`.
struct CancelParams: MethodParams {
    @Param(
        "The request's number, e.g. UT20261205-0001", zh: "登记编号，如 UT20261205-0001", maxLength: 32, text: .code,
        positional: true)
    var number: String
    @Param("Why", zh: "取消原因", maxLength: 500) var reason: String?
}

/// The params of `utilities.collect`.
struct CollectParams: MethodParams {
    @Param("The request's number", zh: "登记编号，如 UT20261205-0001", maxLength: 32, text: .code, positional: true)
    var number: String
    @Param("Who signs for the card", zh: "签字领取人姓名", maxLength: 100) var collectedBy: String
    @Param(
        "Collected on the payer's behalf (default: whether collectedBy differs from the payer)",
        zh: "是否代领（默认：领取人与交款人不同即为代领）")
    var proxy: Bool?
}

/// Request numbers: one counter per local day.
enum Counter {
    /// The next value of `name` (1 for a new counter), in `utilities_counters` (``NamedCounter``).
    static func next(_ name: String, in db: SQLiteConnection) throws -> Int64 {
        try NamedCounter.next(name, table: "utilities_counters", in: db)
    }
}

/// Amounts as the Chinese messages say them.
enum Yuan {
    /// 12345 fen → `123.45 元`.
    static func text(_ fen: Int64) -> String { plain(fen) + " 元" }

    /// 12345 fen → `123.45`, as English messages write amounts (`data` keeps fen).
    static func plain(_ fen: Int64) -> String { MoneyText.decimal(fen) }

    /// `n` with at least four digits: 7 → `0007`.
    static func padded(_ n: Int64) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
