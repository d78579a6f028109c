import ReceptionPluginSDK

/// `utilities.batches.create` and `utilities.batches.return`: the weekly handover to the agent
/// (代办人) and the agent's return. Both are one write: the checks and the changes commit
/// together on the daemon's single writer, so two desks batching the same request at once
/// cannot both succeed (the second sees it `with_agent`).
enum Batches {
    /// The columns worth showing of a batch's requests.
    static let requestColumns = [
        "number", "unit", "payer", "utility", "quantity", "cash", "medium", "mediumRef", "status",
    ]

    /// How `daemon.methods` suggests showing one batch.
    static let display = DisplayHints(title: "batch", list: "requests", columns: requestColumns, money: Money.batch)

    /// `utilities.batches.create`.
    static let createMethod: Method<UtilitiesPlugin> = .write(
        "utilities.batches.create",
        "Hands requests to the agent: every one at the desk, those of one utility, or the numbers listed.",
        zh: "把预购登记交给代办人：柜台上全部、某一项（电、燃气、水）或列出的编号，连同现金和卡一并交接。",
        display: display, result: UtilityBatch.self
    ) { (plugin, params: CreateBatchParams, context) in
        let db = context.db
        let utility = try params.utility.map { (name: String) throws(RPCError) in try plugin.config.utility(name).name }
        let maxBatch = plugin.config.maxBatch
        var selected: [UtilityRequest] = []
        if let numbers = params.numbers {
            guard numbers.count <= maxBatch else { throw tooMany(numbers.count, maxBatch) }
            for (index, number) in numbers.enumerated() {
                let request = try RequestLookup.inState(
                    number, .atDesk, to: "hand over", chinese: "交给代办人", in: db)
                if let utility, request.utility != utility {
                    throw RPCError(
                        .validation, "\(number) is a \(request.utility) request, not \(utility)",
                        field: "numbers[\(index)]", details: ["rule": "same_utility", "number": .string(number)]
                    ).localized("zh", "\(number) 预购的是\(chinese(request.utility, plugin))，不是\(chinese(utility, plugin))")
                }
                selected.append(request)
            }
        } else {
            var sql = "SELECT \(UtilityRequest.columns) FROM utilities_requests WHERE status = 'at_desk'"
            var arguments: [any SQLBindable] = []
            if let utility {
                sql += " AND utility = ?"
                arguments.append(utility)
            }
            selected = UtilityRequest.rows(try db.query(sql + " ORDER BY id LIMIT ?", arguments + [maxBatch + 1]))
            guard selected.count <= maxBatch else {
                let total =
                    try db.queryOne(
                        "SELECT count(*) AS n FROM utilities_requests WHERE status = 'at_desk'"
                            + (utility == nil ? "" : " AND utility = ?"), arguments)?.int("n") ?? Int64(selected.count)
                throw tooMany(Int(total), maxBatch)
            }
        }
        guard !selected.isEmpty else {
            let what = utility.map { "no \($0) request is at the desk" } ?? "no request is at the desk"
            throw RPCError.invalidState(
                "nothing to hand over: \(what)", details: ["utility": utility.map { .string($0) } ?? .null]
            )
            .localized("zh", "没有可交接的：柜台上没有" + (utility.map { "\(chinese($0, plugin))的" } ?? "") + "预购登记")
        }
        let stamp = context.stamp
        let cashOut = selected.reduce(Int64(0)) { $0 + $1.cash }
        let batch = try db.insert(
            """
            INSERT INTO utilities_batches (agent, status, utility, request_count, cash_out, created_at, created_ms, created_by)
            VALUES (?, 'out', ?, ?, ?, ?, ?, ?)
            """, [params.agent, utility, Int64(selected.count), cashOut, stamp.time, stamp.ms, stamp.by])
        for request in selected {
            // The state check and the change are one statement: a request can be in one open batch only.
            try db.execute(
                "UPDATE utilities_requests SET status = 'with_agent', batch = ?, batched_at = ? WHERE id = ? AND status = 'at_desk'",
                [batch, stamp.time, request.id])
            guard db.changes == 1 else {
                throw RPCError.invalidState(
                    "cannot hand \(request.number) to the agent: it is no longer at the desk",
                    details: request.stateDetails
                ).localized("zh", "\(request.number) 无法交给代办人：已不在柜台")
            }
        }
        let reply = try BatchLookup.json(batch, in: db)
        try context.emit(.batched, reply)
        return reply
    }

    /// `utilities.batches.return`.
    static let returnMethod: Method<UtilitiesPlugin> = .write(
        "utilities.batches.return",
        "Records the agent's return: each request bought or failed, and the cash handed back (cash out = spent + cash back).",
        zh: "登记代办人交回：每笔已购或失败，以及交回的现金（交出现金 = 花费 + 交回现金，分毫不差）。",
        display: display, result: UtilityBatch.self
    ) { (_, params: ReturnBatchParams, context) in
        let db = context.db
        let batch = try BatchLookup.existing(params.batch, in: db)
        guard batch.status == "out" else {
            throw RPCError.invalidState(
                "batch \(batch.batch) was already returned at \(batch.returnedAt ?? "?")",
                details: ["batch": .int(batch.batch), "status": .string(batch.status)]
            ).localized("zh", "第 \(batch.batch) 批已于 \(batch.returnedAt ?? "?") 交回，不能再登记")
        }
        let requests = try RequestLookup.ofBatch(batch.batch, in: db)
        let outcomes = try Outcome.check(params.results, against: requests)
        let spent = outcomes.reduce(Int64(0)) { $0 + $1.spent }
        let expected = batch.cashOut - spent
        guard params.cashBack == expected else {
            let difference = params.cashBack - expected
            let short = difference < 0
            throw RPCError(
                .validation,
                "cash does not balance: \(Yuan.plain(batch.cashOut)) out = \(Yuan.plain(spent)) spent + \(Yuan.plain(expected)) back, "
                    + "but cashBack is \(Yuan.plain(params.cashBack)) ("
                    + (short ? "\(Yuan.plain(-difference)) short" : "\(Yuan.plain(difference)) over")
                    + "); nothing was recorded",
                field: "cashBack",
                details: [
                    "rule": "unbalanced", "expected": .int(expected), "difference": .int(difference),
                    "cashOut": .int(batch.cashOut), "spent": .int(spent),
                ]
            ).localized(
                "zh",
                "现金对不上：交出 \(Yuan.text(batch.cashOut)) = 花费 \(Yuan.text(spent)) + 应交回 \(Yuan.text(expected))，实交回 \(Yuan.text(params.cashBack))，"
                    + (short ? "短少 \(Yuan.text(-difference))" : "多出 \(Yuan.text(difference))") + "；本次未作任何登记")
        }
        let stamp = context.stamp
        for outcome in outcomes {
            let request = outcome.request
            if outcome.bought {
                try db.execute(
                    """
                    UPDATE utilities_requests SET status = 'ready', spent = ?, credited = ?, credited_milli = ?,
                        utility_receipt = ?, owed = cash - ?, returned_at = ?, returned_ms = ?
                    WHERE id = ? AND status = 'with_agent'
                    """,
                    [
                        outcome.spent, outcome.credited, outcome.creditedMilli, outcome.utilityReceipt, outcome.spent,
                        stamp.time, stamp.ms, request.id,
                    ])
            } else {
                try db.execute(
                    """
                    UPDATE utilities_requests SET status = 'ready', spent = 0, failed = ?, failure_reason = ?, owed = cash,
                        returned_at = ?, returned_ms = ?
                    WHERE id = ? AND status = 'with_agent'
                    """, [true, outcome.reason, stamp.time, stamp.ms, request.id])
            }
            guard db.changes == 1 else { throw RPCError.internalError("request \(request.number) left its batch") }
        }
        try db.execute(
            """
            UPDATE utilities_batches SET status = 'returned', returned_at = ?, returned_ms = ?, returned_by = ?,
                cash_back = ?, spent = ?
            WHERE id = ? AND status = 'out'
            """, [stamp.time, stamp.ms, stamp.by, params.cashBack, spent, batch.batch])
        for outcome in outcomes {
            let stored = try RequestLookup.stored(id: outcome.request.id, in: db)
            try context.emit(
                .returned, stored.jsonValue(replacing: ["outcome": .string(outcome.bought ? "bought" : "failed")]))
        }
        return try BatchLookup.json(batch.batch, in: db)
    }

    /// The refusal of a batch larger than `max_batch`.
    static func tooMany(_ count: Int, _ maximum: Int) -> RPCError {
        RPCError(
            .validation,
            "\(count) requests is more than one batch takes (max_batch \(maximum)): hand them over by utility or list the numbers",
            field: "numbers",
            details: ["rule": "max_batch", "maximum": .int(Int64(maximum)), "count": .int(Int64(count))]
        ).localized("zh", "\(count) 笔超过每批上限 \(maximum) 笔：请按项目分批或列出编号")
    }

    /// A utility's Chinese label (`电`), or its name when it has none.
    static func chinese(_ utility: String, _ plugin: UtilitiesPlugin) -> String {
        plugin.config.utilities.first { $0.name == utility }?.chinese ?? utility
    }
}

/// One request's result of a checked `utilities.batches.return`.
struct Outcome {
    /// The request, as it was with the agent.
    let request: UtilityRequest
    /// Bought (else failed).
    let bought: Bool
    /// Money spent (0 after a failure).
    let spent: Int64
    /// Quantity credited, as the wire shows it (`"200"`).
    let credited: String?
    /// ``credited`` in thousandths, for the report's sums.
    let creditedMilli: Int64?
    /// The utility's receipt number.
    let utilityReceipt: String?
    /// Why the purchase failed.
    let reason: String?

    /// Every result checked against the batch's requests: each request exactly one result,
    /// spent within its cash, a failure spending nothing. The first problem names its field.
    static func check(_ results: [ResultParams], against requests: [UtilityRequest]) throws(RPCError) -> [Outcome] {
        var byNumber: [String: UtilityRequest] = [:]
        for request in requests { byNumber[request.number] = request }
        var seen: [String: Int] = [:]
        var outcomes: [Outcome] = []
        for (index, result) in results.enumerated() {
            let at = "results[\(index)]"
            guard let request = byNumber[result.number] else {
                throw RPCError(
                    .validation, "\(result.number) is not in this batch", field: "\(at).number",
                    details: ["rule": "in_batch", "number": .string(result.number)]
                ).localized("zh", "\(result.number) 不在这一批里")
            }
            if let earlier = seen[result.number] {
                throw RPCError(
                    .validation, "\(result.number) has two results: results[\(earlier)] and \(at)",
                    field: "\(at).number",
                    details: ["rule": "one_result", "number": .string(result.number)]
                ).localized("zh", "\(result.number) 登记了两次：第 \(earlier + 1) 条和第 \(index + 1) 条")
            }
            seen[result.number] = index
            switch result.outcome {
            case .bought:
                guard let spent = result.spent else {
                    throw RPCError(
                        .validation, "\(at).spent is required when the purchase was bought", field: "\(at).spent",
                        details: ["rule": "required"]
                    ).localized("zh", "\(result.number) 已购，须填写花费金额")
                }
                guard spent <= request.cash else {
                    throw RPCError(
                        .validation,
                        "\(result.number): spent \(Yuan.plain(spent)) is more than its cash \(Yuan.plain(request.cash))",
                        field: "\(at).spent", details: ["rule": "within_cash", "cash": .int(request.cash)]
                    ).localized("zh", "\(result.number) 花费 \(Yuan.text(spent)) 超过了预交现金 \(Yuan.text(request.cash))")
                }
                guard let credited = result.credited else {
                    throw RPCError(
                        .validation, "\(at).credited is required when the purchase was bought", field: "\(at).credited",
                        details: ["rule": "required"]
                    ).localized("zh", "\(result.number) 已购，须填写充值数量")
                }
                let milli = try Quantity.milli(credited, field: "\(at).credited")
                outcomes.append(
                    Outcome(
                        request: request, bought: true, spent: spent, credited: Quantity.text(milli),
                        creditedMilli: milli,
                        utilityReceipt: result.utilityReceipt, reason: nil))
            case .failed:
                guard result.spent == nil || result.spent == 0, result.credited == nil else {
                    throw RPCError(
                        .validation, "\(result.number) failed: a failed purchase spends and credits nothing",
                        field: result.credited == nil ? "\(at).spent" : "\(at).credited",
                        details: ["rule": "failed_spends_nothing"]
                    ).localized("zh", "\(result.number) 代办失败，不能有花费或充值数量")
                }
                guard let reason = result.reason else {
                    throw RPCError(
                        .validation, "\(at).reason is required when the purchase failed", field: "\(at).reason",
                        details: ["rule": "required"]
                    ).localized("zh", "\(result.number) 代办失败，须写明原因")
                }
                outcomes.append(
                    Outcome(
                        request: request, bought: false, spent: 0, credited: nil, creditedMilli: nil,
                        utilityReceipt: nil,
                        reason: reason))
            }
        }
        let missing = requests.filter { seen[$0.number] == nil }.map(\.number)
        guard missing.isEmpty else {
            throw RPCError(
                .validation, "every request of the batch needs a result; missing: \(missing.joined(separator: ", "))",
                field: "results", details: ["rule": "every_request", "missing": .array(missing.map { .string($0) })]
            ).localized("zh", "这一批每笔都要登记结果，缺：\(missing.joined(separator: "、"))")
        }
        return outcomes
    }
}

/// What became of one request.
enum PurchaseOutcome: String, ParamChoice {
    case bought, failed

    /// The Chinese label.
    var label: String { self == .bought ? "已购" : "失败" }
}

/// The params of `utilities.batches.create`: every request at the desk, those of `utility`, or `numbers`.
struct CreateBatchParams: MethodParams {
    @Param("The agent (代办人) who takes the batch", zh: "代办人姓名", maxLength: 100) var agent: String
    @Param("Only this utility's requests", zh: "只交这一项的登记（electricity 电、gas 燃气、water 水）", maxLength: 32, text: .verbatim)
    var utility: String?
    @Param(
        "Exactly these requests", zh: "只交这些编号的登记", maxItems: 5000,
        element: ParamSpec("A request's number", maxLength: 32, text: .code))
    var numbers: [String]?

    func validate() throws(RPCError) {
        guard let numbers else { return }
        guard !numbers.isEmpty else {
            throw RPCError.validation(
                field: "numbers", "numbers must not be empty (leave it out to hand over every request at the desk)"
            )
            .localized("zh", "编号列表不能为空（不填则交出柜台上全部登记）")
        }
        var first: [String: Int] = [:]
        for (index, number) in numbers.enumerated() {
            if let earlier = first[number] {
                throw RPCError(
                    .validation, "\(number) is listed twice: numbers[\(earlier)] and numbers[\(index)]",
                    field: "numbers[\(index)]", details: ["rule": "listed_once"]
                ).localized("zh", "\(number) 列了两次：第 \(earlier + 1) 个和第 \(index + 1) 个")
            }
            first[number] = index
        }
    }
}

/// One result of `utilities.batches.return`.
struct ResultParams: MethodParams {
    @Param("The request's number", zh: "登记编号", maxLength: 32, text: .code) var number: String
    @Param("bought or failed", zh: "已购或失败") var outcome: PurchaseOutcome
    @Param(
        "Money spent (bought)", zh: "花费金额（已购时填）", minimum: 0, maximum: UtilitiesConfig.maxCashCeiling,
        format: .money)
    var spent: Int64?
    @Param("Quantity credited, decimal string (bought)", zh: "充值数量（已购时填，如 \"200\"）", maxLength: 16, text: .verbatim)
    var credited: String?
    @Param("The utility's receipt number", zh: "供电/燃气公司收据号", maxLength: 64) var utilityReceipt: String?
    @Param("Why it failed (failed)", zh: "失败原因（失败时填）", maxLength: 500) var reason: String?
}

/// The params of `utilities.batches.return`.
struct ReturnBatchParams: MethodParams {
    @Param("The batch's number", zh: "代办批次号", minimum: 1, positional: true) var batch: Int64
    @Param("One result per request of the batch", zh: "这一批每笔的结果，每笔一条", maxItems: 5000) var results: [ResultParams]
    @Param(
        "Cash the agent hands back", zh: "代办人交回的现金", minimum: 0, maximum: 1_000_000_000_000, format: .money)
    var cashBack: Int64
}
