import Foundation
import ReceptionPluginSDK

/// `cases.dispatch` and `cases.workorders.ack`, `.done`, `.delay`, `.reopen`: a work order
/// (派工单) from the desk to a department, signed for, chased, done or delayed with the
/// resident told.
enum WorkOrders {
    /// The columns worth showing of one order.
    static let columns = ["order", "case", "department", "due", "status", "ackBy", "doneBy", "late"]
    /// How `daemon.methods` suggests showing one order. A client shows an order's `delays` as a
    /// table under it, with these columns: the order's own are not in a delay's rows, and the
    /// delay's are not in a list of orders, so neither shows in the other.
    static let display = DisplayHints(
        title: "order", columns: columns + ["at", "reason", "newDue", "residentTold"])
    /// The most delays of one order.
    static let maxDelays = 20

    /// `cases.dispatch`: an order to a department, due by the category's and urgency's default
    /// (or the `due` given).
    static let dispatchMethod: Method<CasesPlugin> = .write(
        "cases.dispatch",
        "Sends a work order for a case to a department; it is due after the category's and urgency's time limit unless due is given.",
        zh: "派工：把接待记录派给部门处理；完成时限按分类和紧急程度的默认值（如报修 24 小时、突发 30 分钟），也可指定。",
        display: display, result: WorkOrder.self
    ) { (plugin, params: DispatchParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let found = try CaseLookup.inState(
            params.case, [.open, .dispatched, .reopened], to: "dispatch", chinese: "派工", in: db)
        let department = try CasesConfig.member(
            params.department, of: config.departments, field: "department", chinese: "部门")
        let dueMs = try WorkOrders.dueMs(params.due, for: found, config: config, nowMs: context.stamp.ms)
        var order = WorkOrder()
        order.order = try Numbers.next("WO", on: config.zone.day(of: context.now), in: db)
        order.case = found.case
        order.department = department
        order.due = config.zone.format(ms: dueMs)
        order.dueMs = dueMs
        order.status = OrderStatus.sent.rawValue
        order.sentAt = config.zone.format(context.now)
        order.sentMs = context.stamp.ms
        order.sentBy = context.stamp.by
        order.delaysText = "[]"
        order.id = try order.insert(into: db)
        try db.execute("UPDATE cases_cases SET status = 'dispatched' WHERE id = ?", [found.id])
        let reply = order.wire(nowMs: context.stamp.ms)
        try context.emit(.dispatched, reply)
        return reply
    }

    /// `cases.workorders.ack`: the receiving department signs the slip.
    static let ackMethod: Method<CasesPlugin> = .write(
        "cases.workorders.ack", "Records who signed for the work order in the receiving department.",
        zh: "派工单签收：记录接单部门的签收人。", display: display, result: WorkOrder.self
    ) { (plugin, params: AckParams, context) -> JSONValue in
        let order = try OrderLookup.inState(
            params.order, [.sent, .reopened], to: "acknowledge", chinese: "签收", in: context.db)
        try context.db.execute(
            "UPDATE cases_orders SET status = 'acknowledged', ack_by = ?, ack_at = ? WHERE id = ?",
            [params.by, plugin.config.zone.format(context.now), order.id])
        return try WorkOrders.changed(order.id, .acknowledged, context)
    }

    /// `cases.workorders.done`: what was done, by whom.
    static let doneMethod: Method<CasesPlugin> = .write(
        "cases.workorders.done", "Records the work as done: what was done and by whom.", zh: "派工单完成：记录完成的工作和完成人。",
        display: display, result: WorkOrder.self
    ) { (plugin, params: DoneParams, context) -> JSONValue in
        let order = try OrderLookup.inState(
            params.order, [.sent, .acknowledged, .reopened], to: "mark done", chinese: "登记完成", in: context.db)
        try context.db.execute(
            "UPDATE cases_orders SET status = 'done', done_at = ?, done_ms = ?, done_by = ?, work = ? WHERE id = ?",
            [plugin.config.zone.format(context.now), context.stamp.ms, params.by, params.work, order.id])
        return try WorkOrders.changed(order.id, .done, context)
    }

    /// `cases.workorders.delay`: the order cannot be done in time; the resident was told and
    /// apologised to. The new time is recorded; the due time stays, so the order still counts late.
    static let delayMethod: Method<CasesPlugin> = .write(
        "cases.workorders.delay",
        "Records that an order cannot be done in time: the reason, the new time, and that the resident was told and apologised to (it still counts late).",
        zh: "派工单延期：记录原因、新的完成时间，并确认已向业主致歉说明（延期仍计为不及时）。", display: display, result: WorkOrder.self
    ) { (plugin, params: DelayParams, context) -> JSONValue in
        let order = try OrderLookup.inState(
            params.order, [.sent, .acknowledged, .reopened], to: "delay", chinese: "延期", in: context.db)
        guard params.residentTold else {
            throw RPCError(
                .validation,
                "a delay is recorded once the resident has been told and apologised to (residentTold: true)",
                field: "residentTold", details: ["rule": "resident_told"]
            ).localized("zh", "须先向业主致歉并说明情况，再登记延期（residentTold: true）")
        }
        let newDueMs = EpochMillis.of(params.newDue)
        let promised = order.delays.last?["newDue"]?.stringValue.flatMap(Timestamp.parse).map(EpochMillis.of)
        let floor = max(promised ?? order.dueMs, context.stamp.ms)
        guard newDueMs > floor else {
            throw RPCError(
                .validation,
                "newDue must be later than now and than the time promised so far (\(plugin.config.zone.format(ms: floor)))",
                field: "newDue", details: ["rule": "new_due_later"]
            ).localized("zh", "新的完成时间须晚于现在和此前承诺的时间（\(plugin.config.zone.format(ms: floor))）")
        }
        guard order.delays.count < WorkOrders.maxDelays else {
            throw RPCError(
                .validation, "\(order.order) has been delayed \(WorkOrders.maxDelays) times, the most an order keeps",
                field: "order", details: ["rule": "max_delays", "maximum": .int(Int64(WorkOrders.maxDelays))]
            ).localized("zh", "派工单 \(order.order) 已延期 \(WorkOrders.maxDelays) 次，已达上限")
        }
        let delays =
            order.delays + [
                [
                    "reason": .string(params.reason), "newDue": .string(plugin.config.zone.format(params.newDue)),
                    "residentTold": true, "at": .string(plugin.config.zone.format(context.now)),
                ]
            ]
        try context.db.execute(
            "UPDATE cases_orders SET delays = ? WHERE id = ?", [JSONValue.array(delays).serialized(), order.id])
        return try WorkOrders.changed(order.id, .delayed, context)
    }

    /// `cases.workorders.reopen`: a done order goes out again (the work was not right), with a
    /// new due time; the case must be open (a dissatisfied callback reopens it).
    static let reopenMethod: Method<CasesPlugin> = .write(
        "cases.workorders.reopen",
        "Sends a done order out again (the work was not right), due again after the time limit unless due is given.",
        zh: "派工单返工：已完成的工单重新派出，按时限重新计算完成时间（也可指定）。", display: display, result: WorkOrder.self
    ) { (plugin, params: ReopenParams, context) -> JSONValue in
        let db = context.db
        let order = try OrderLookup.inState(params.order, [.done], to: "reopen", chinese: "返工", in: db)
        let found = try CaseLookup.inState(
            order.case, [.open, .dispatched, .reopened], to: "reopen an order of", chinese: "返工派单", in: db)
        let dueMs = try WorkOrders.dueMs(params.due, for: found, config: plugin.config, nowMs: context.stamp.ms)
        try db.execute(
            """
            UPDATE cases_orders SET status = 'reopened', due_at = ?, due_ms = ?, done_at = NULL, done_ms = NULL,
                done_by = NULL, work = NULL, reopen_reason = ?, overdue_ms = NULL
            WHERE id = ?
            """, [plugin.config.zone.format(ms: dueMs), dueMs, params.reason, order.id])
        try db.execute("UPDATE cases_cases SET status = 'dispatched' WHERE id = ?", [found.id])
        return try WorkOrders.changed(order.id, .orderReopened, context)
    }

    /// `cases.workorders {"overdue"?, "department"?}`: the orders to chase, by due time.
    static let listMethod: Method<CasesPlugin> = .read(
        "cases.workorders",
        "Work orders by due time: the open ones, or only those past due, or one department's; late ones are marked.",
        zh: "派工单列表（按完成时限排序）：未完成的、仅超时的，或某部门的；超时的标为超时。",
        display: DisplayHints(title: "order", list: "orders", columns: columns), result: WorkOrder.self
    ) { (plugin, params: OrdersParams, context) -> JSONValue in
        var sql = "SELECT \(WorkOrder.columns) FROM cases_orders WHERE 1 = 1"
        var arguments: [any SQLBindable] = []
        if params.all != true || params.overdue == true {
            sql += " AND status <> 'done'"
        }
        if params.overdue == true {
            sql += " AND due_ms < ?"
            arguments.append(context.nowMs)
        }
        if let department = params.department {
            sql += " AND department = ?"
            arguments.append(department)
        }
        if let id = params.case {
            sql += " AND case_no = ?"
            arguments.append(id)
        }
        let orders = WorkOrder.rows(try context.db.query(sql + " ORDER BY due_ms, id LIMIT 2000", arguments))
        return ["orders": .array(orders.map { $0.wire(nowMs: context.nowMs) })]
    }

    /// `cases.workorders.sweep` (role system): the minute job. Announces each open order past its
    /// due time once (`cases.workorder.overdue`).
    static let sweepMethod: Method<CasesPlugin> = .write(
        "cases.workorders.sweep",
        "The minute job (the daemon runs it): announces each work order newly past its due time once.",
        zh: "每分钟的后台任务（由守护进程执行）：超时的派工单各通知一次。", role: .system
    ) { (plugin, _: NoParams, context) -> JSONValue in
        let db = context.db
        let due = WorkOrder.rows(
            try db.query(
                """
                SELECT \(WorkOrder.columns) FROM cases_orders
                WHERE status <> 'done' AND overdue_ms IS NULL AND due_ms < ?
                ORDER BY due_ms, id LIMIT 500
                """, [context.stamp.ms]))
        for order in due {
            try db.execute("UPDATE cases_orders SET overdue_ms = ? WHERE id = ?", [context.stamp.ms, order.id])
            try context.emit(.workOrderOverdue, order.wire(nowMs: context.stamp.ms))
        }
        if !due.isEmpty {
            context.log.info("\(due.count) work order(s) newly overdue: cases.workorder.overdue announced")
        }
        return ["announced": .int(Int64(due.count))]
    }

    /// The due time of an order for `found`: `due` when given (it must be later than now), else
    /// now plus the configured minutes of its category and urgency.
    static func dueMs(_ due: Date?, for found: CaseRecord, config: CasesConfig, nowMs: Int64) throws(RPCError)
        -> Int64
    {
        if let due {
            let ms = EpochMillis.of(due)
            guard ms > nowMs else {
                throw RPCError(
                    .validation, "due must be later than now", field: "due", details: ["rule": "due_in_future"]
                ).localized("zh", "完成时限须晚于现在")
            }
            return ms
        }
        return nowMs + config.dueMinutes(found.category, Urgency(rawValue: found.urgency) ?? .normal) * 60_000
    }

    /// The order with row id `id` after a change: emitted on `topic` and returned.
    static func changed(_ id: Int64, _ topic: CasesPlugin.Topic, _ context: CasesWrite) throws -> JSONValue {
        let reply = try OrderLookup.stored(id: id, in: context.db).wire(nowMs: context.stamp.ms)
        try context.emit(topic, reply)
        return reply
    }
}

/// The params of `cases.dispatch`.
struct DispatchParams: MethodParams {
    @Param("The case", zh: "接待记录编号", maxLength: 32, text: .code, positional: true) var `case`: String
    @Param(
        "engineering, security, cleaning, landscaping or after_sales (configurable)",
        zh: "接单部门：engineering 工程部、security 保安部、cleaning 保洁部、landscaping 绿化部、after_sales 售后（以配置为准）", maxLength: 32,
        text: .verbatim)
    var department: String
    @Param("Due by (default: the category's and urgency's time limit)", zh: "完成时限（默认按分类和紧急程度）") var due: Date?
}

/// The params of `cases.workorders.ack`.
struct AckParams: MethodParams {
    @Param("The work order", zh: "派工单编号，如 WO20261205-0001", maxLength: 32, text: .code, positional: true) var order:
        String
    @Param("Who signed for it in the receiving department", zh: "签收人", maxLength: 100) var by: String
}

/// The params of `cases.workorders.done`.
struct DoneParams: MethodParams {
    @Param("The work order", zh: "派工单编号", maxLength: 32, text: .code, positional: true) var order: String
    @Param("What was done", zh: "完成的工作", maxLength: 2000, text: .note) var work: String
    @Param("Who did it", zh: "完成人", maxLength: 100) var by: String
}

/// The params of `cases.workorders.delay`.
struct DelayParams: MethodParams {
    @Param("The work order", zh: "派工单编号", maxLength: 32, text: .code, positional: true) var order: String
    @Param("Why it cannot be done in time", zh: "延期原因", maxLength: 500) var reason: String
    @Param("The new time promised to the resident", zh: "新的完成时间") var newDue: Date
    @Param(
        "The resident was told and apologised to (must be true)", zh: "已向业主致歉并说明（须为 true）") var residentTold: Bool
}

/// The params of `cases.workorders.reopen`.
struct ReopenParams: MethodParams {
    @Param("The work order", zh: "派工单编号", maxLength: 32, text: .code, positional: true) var order: String
    @Param("Why it goes out again", zh: "返工原因", maxLength: 500) var reason: String
    @Param("Due by (default: the time limit from now)", zh: "完成时限（默认按时限从现在起算）") var due: Date?
}

/// The params of `cases.workorders`.
struct OrdersParams: MethodParams {
    @Param("Only orders open past their due time", zh: "只看超时未完成的") var overdue: Bool?
    @Param("Only this department's", zh: "只看某部门的", maxLength: 32, text: .verbatim) var department: String?
    @Param("Only this case's", zh: "只看某接待记录的", maxLength: 32, text: .code) var `case`: String?
    @Param("Done orders too", zh: "包括已完成的") var all: Bool?
}
