import ReceptionPluginSDK

/// One case of the reception register, as stored and as sent on the wire.
///
/// The wire names of issue 16 are a contract; every member is always present, `null` when it does
/// not apply. `workOrders` (the ids of its orders), `callback` (its latest callback task, or
/// null), `payment` (a service's receipt), `notes` and `history` are put together by ``wire(in:)``.
struct CaseRecord: Record {
    static let table = "cases_cases"

    @Column(wire: .hidden) var id: Int64
    @Column("CS20261205-0001: CS, the day it was opened, its number of the day", column: "case_no") var `case`: String
    @Column("visit, phone, email, letter or other") var channel: String
    @Column("Who reported it") var reporter: String
    @Column("The resident's unit") var unit: String
    @Column(wire: .hidden) var unitKey: String
    @Column("How to reach the reporter (confidential: never in events or logs)") var contact: String?
    @Column("after_sales, repair, complaint, service, praise, suggestion or other (configurable)") var category: String
    @Column("For complaints: the area concerned (configurable)") var area: String?
    @Column var description: String
    @Column("normal, urgent or emergency") var urgency: String
    @Column("open, dispatched, closed or reopened") var status: String
    @Column("Complaints: judged valid at close") var valid: Bool?
    @Column("What was done, said at close") var outcome: String?
    @Column(column: "notes", wire: .hidden) var notesText: String
    @Column(column: "history", wire: .hidden) var historyText: String
    @Column("Services: the price list entry") var service: String?
    @Column(wire: .hidden) var receipt: String?
    @Column(wire: .hidden) var amount: Int64?
    @Column(wire: .hidden) var tendered: Int64?
    @Column(wire: .hidden) var changeGiven: Int64?
    @Column(format: .dateTime) var openedAt: String
    @Column(wire: .hidden) var openedMs: Int64
    @Column var openedBy: String
    @Column(format: .dateTime) var closedAt: String?
    @Column(wire: .hidden) var closedMs: Int64?
    @Column var closedBy: String?

    /// The case's state.
    var state: CaseStatus { CaseStatus(rawValue: status) ?? .open }

    /// Whether a close of this case makes a callback task.
    var getsCallback: Bool { ["complaint", "repair", "service"].contains(category) }

    /// The payment of a service, or null.
    var payment: JSONValue {
        guard let receipt, let amount else { return .null }
        return [
            "receipt": .string(receipt), "amount": .int(amount), "tendered": .int(tendered ?? amount),
            "change": .int(changeGiven ?? 0),
        ]
    }

    /// The case on the wire, with its orders' ids and its latest callback read from `db`.
    func wire(in db: SQLiteConnection) throws -> JSONValue {
        let orders = try db.query(
            "SELECT order_no FROM cases_orders WHERE case_no = ? ORDER BY id", [`case`]
        ).compactMap { $0.string("order_no") }
        let callback = try CallbackLookup.latest(of: `case`, in: db)
        return jsonValue(replacing: [
            "workOrders": .array(orders.map { .string($0) }),
            "callback": callback?.jsonValue() ?? .null,
            "payment": payment,
            "notes": (try? JSONValue.parse(notesText)) ?? [],
            "history": (try? JSONValue.parse(historyText)) ?? [],
        ])
    }

    /// The case as events carry it: the reporter's contact left out (residents' data stays
    /// with the desk; every subscriber, and any script, gets the event).
    func event(in db: SQLiteConnection) throws -> JSONValue {
        guard case .object(var members) = try wire(in: db) else { return .null }
        members["contact"] = .null
        return .object(members)
    }

    /// `error.data` of an `invalid_state` about this case.
    var stateDetails: [String: JSONValue] { ["case": .string(`case`), "status": .string(status)] }
}

/// Finding cases by id.
enum CaseLookup {
    /// The case `id` names, or `not_found` naming it.
    static func existing(_ id: String, in db: SQLiteConnection) throws -> CaseRecord {
        guard let row = try db.queryOne("SELECT \(CaseRecord.columns) FROM cases_cases WHERE case_no = ?", [id])
        else {
            throw RPCError(.notFound, "no case \(id)", field: "case", details: ["case": .string(id)])
                .localized("zh", "没有编号为 \(id) 的接待记录")
        }
        return CaseRecord(row: row)
    }

    /// The case, which must be in one of `wanted`; `invalid_state` naming its state when not
    /// (`action`/`chinese` say what was refused: "close", "结案").
    static func inState(
        _ id: String, _ wanted: [CaseStatus], to action: String, chinese: String, in db: SQLiteConnection
    ) throws -> CaseRecord {
        let found = try existing(id, in: db)
        guard wanted.contains(found.state) else {
            var details = found.stateDetails
            details["expected"] = .array(wanted.map { .string($0.rawValue) })
            throw RPCError.invalidState(
                "cannot \(action) \(id): it is \(found.status), not \(wanted.map(\.rawValue).joined(separator: " or "))",
                details: details
            ).localized(
                "zh",
                "\(id) 无法\(chinese)：当前状态为“\(found.state.label)”，须为“\(wanted.map(\.label).joined(separator: "”或“"))”")
        }
        return found
    }

    /// The case with row id `id` (just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> CaseRecord {
        guard let row = try db.queryOne("SELECT \(CaseRecord.columns) FROM cases_cases WHERE id = ?", [id]) else {
            throw RPCError.internalError("case \(id) vanished")
        }
        return CaseRecord(row: row)
    }
}

/// Case, order and receipt numbers: one counter per local day (`CS20261205-0001`).
enum Numbers {
    /// The next number with `prefix` on `day`.
    static func next(_ prefix: String, on day: CivilDate, in db: SQLiteConnection) throws -> String {
        let n = try NamedCounter.next("\(prefix):\(day.compact)", table: "cases_counters", in: db)
        let digits = String(n)
        return prefix + day.compact + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
