import ReceptionPluginSDK

/// A work order (派工单), as stored and as sent on the wire. `late` is not stored: it is worked
/// out from the caller's now by ``wire(nowMs:)`` (done after its due time, or still open past it).
/// A delay records the new time promised to the resident in `delays` and leaves `due` as it was:
/// an order delayed, even with the resident told, is late against its due time.
struct WorkOrder: Record {
    static let table = "cases_orders"

    @Column(wire: .hidden) var id: Int64
    @Column("WO20261205-0001: WO, the day it was sent, its number of the day", column: "order_no") var order: String
    @Column("The case it serves", column: "case_no") var `case`: String
    @Column("engineering, security, cleaning, landscaping or after_sales (configurable)") var department: String
    @Column(column: "due_at", format: .dateTime) var due: String
    @Column(wire: .hidden) var dueMs: Int64
    @Column("sent, acknowledged, done or reopened") var status: String
    @Column(format: .dateTime) var sentAt: String
    @Column(wire: .hidden) var sentMs: Int64
    @Column var sentBy: String
    @Column("Who signed the slip for the receiving department") var ackBy: String?
    @Column(format: .dateTime) var ackAt: String?
    @Column(format: .dateTime) var doneAt: String?
    @Column(wire: .hidden) var doneMs: Int64?
    @Column("Who did the work") var doneBy: String?
    @Column("What was done") var work: String?
    @Column(column: "delays", wire: .hidden) var delaysText: String
    @Column("Why it was sent out again") var reopenReason: String?
    @Column(wire: .hidden) var overdueMs: Int64?

    /// The order's state.
    var state: OrderStatus { OrderStatus(rawValue: status) ?? .sent }

    /// Done after its due time, or still open past it at `nowMs`.
    func isLate(nowMs: Int64) -> Bool {
        if let doneMs, state == .done { return doneMs > dueMs }
        return nowMs > dueMs
    }

    /// The delays as the wire shows them.
    var delays: [JSONValue] { (try? JSONValue.parse(delaysText))?.arrayValue ?? [] }

    /// The order on the wire with `late` as of `nowMs`.
    func wire(nowMs: Int64) -> JSONValue {
        jsonValue(replacing: ["late": .bool(isLate(nowMs: nowMs)), "delays": .array(delays)])
    }
}

/// Finding work orders by id.
enum OrderLookup {
    /// The order `id` names, or `not_found` naming it.
    static func existing(_ id: String, in db: SQLiteConnection) throws -> WorkOrder {
        guard let row = try db.queryOne("SELECT \(WorkOrder.columns) FROM cases_orders WHERE order_no = ?", [id])
        else {
            throw RPCError(.notFound, "no work order \(id)", field: "order", details: ["order": .string(id)])
                .localized("zh", "没有编号为 \(id) 的派工单")
        }
        return WorkOrder(row: row)
    }

    /// The order, which must be in one of `wanted`; `invalid_state` naming its state when not.
    static func inState(
        _ id: String, _ wanted: [OrderStatus], to action: String, chinese: String, in db: SQLiteConnection
    ) throws -> WorkOrder {
        let found = try existing(id, in: db)
        guard wanted.contains(found.state) else {
            throw RPCError.invalidState(
                "cannot \(action) \(id): it is \(found.status), not \(wanted.map(\.rawValue).joined(separator: " or "))",
                details: [
                    "order": .string(id), "status": .string(found.status),
                    "expected": .array(wanted.map { .string($0.rawValue) }),
                ]
            ).localized(
                "zh",
                "派工单 \(id) 无法\(chinese)：当前状态为“\(found.state.label)”，须为“\(wanted.map(\.label).joined(separator: "”或“"))”"
            )
        }
        return found
    }

    /// The order with row id `id` (just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> WorkOrder {
        guard let row = try db.queryOne("SELECT \(WorkOrder.columns) FROM cases_orders WHERE id = ?", [id]) else {
            throw RPCError.internalError("work order \(id) vanished")
        }
        return WorkOrder(row: row)
    }

    /// The open orders of case `id`.
    static func open(of id: String, in db: SQLiteConnection) throws -> [WorkOrder] {
        WorkOrder.rows(
            try db.query(
                "SELECT \(WorkOrder.columns) FROM cases_orders WHERE case_no = ? AND status <> 'done' ORDER BY id", [id]
            ))
    }
}

/// A callback (回访) task, as stored and as the case's `callback` member shows it.
struct CallbackTask: Record {
    static let table = "cases_callbacks"

    @Column(wire: .hidden) var id: Int64
    @Column(column: "case_no", wire: .hidden) var `case`: String
    @Column("pending or done") var status: String
    @Column(format: .dateTime) var createdAt: String
    @Column(wire: .hidden) var createdMs: Int64
    @Column("Calls made, reached or not") var attempts: Int64
    @Column("Whether the resident was reached") var reached: Bool?
    @Column("very_satisfied, satisfied, neutral or dissatisfied") var satisfaction: String?
    @Column var comments: String?
    @Column(format: .dateTime) var calledAt: String?
    @Column(wire: .hidden) var calledMs: Int64?
    @Column var calledBy: String?
}

/// Finding callback tasks.
enum CallbackLookup {
    /// The latest callback task of case `id`, if any.
    static func latest(of id: String, in db: SQLiteConnection) throws -> CallbackTask? {
        try db.queryOne(
            "SELECT \(CallbackTask.columns) FROM cases_callbacks WHERE case_no = ? ORDER BY id DESC LIMIT 1", [id]
        ).map(CallbackTask.init(row:))
    }
}
