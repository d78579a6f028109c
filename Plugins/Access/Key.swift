import Foundation
import ReceptionPluginSDK

/// A key on the register, as stored. On the wire it carries its open loan's members too (see
/// ``RegisteredKey``).
///
/// The wire names `tag`, `category`, `building`, `floor`, `unit`, `room`, `hook`, `status`
/// (`in` | `out` | `retired`) and, while out, `borrower`, `borrowerType`, `since`, `dueBack` are
/// a contract (issue 5); every member is always present, `null` when it does not apply.
struct Key: Record {
    static let table = "access_keys"
    @Column(wire: .hidden) var id: Int64
    @Column("The key's tag") var tag: String
    @Column("vacant_unit, owner_deposited, facility_spare or other") var category: String
    @Column var building: String?
    @Column var floor: String?
    @Column(format: .unit) var unit: String?
    /// The unit's canonical key (``DeskText/unitKey(_:)``) when the key opens a unit.
    @Column(wire: .hidden) var unitKey: String?
    @Column var room: String?
    @Column("The cabinet hook it hangs on") var hook: String
    @Column var note: String?
    @Column("in, out or retired") var status: String
    @Column(wire: .hidden) var loanId: Int64?
    @Column(format: .dateTime) var registeredAt: String
    @Column(wire: .hidden) var registeredMs: Int64
    @Column(wire: .hidden) var registeredBy: String
    @Column(format: .dateTime) var retiredAt: String?
    @Column(wire: .hidden) var retiredBy: String?
    @Column var retireReason: String?
}

/// The kinds of key the desk holds.
enum KeyCategory: String, ParamChoice {
    case vacantUnit = "vacant_unit"
    case ownerDeposited = "owner_deposited"
    case facilitySpare = "facility_spare"
    case other

    var label: String {
        switch self {
        case .vacantUnit: "空置房钥匙"
        case .ownerDeposited: "业主寄存钥匙"
        case .facilitySpare: "设施备用钥匙"
        case .other: "其他"
        }
    }
}

/// One lending of a key, open until it is checked in. As `access.keys.checkin` answers it
/// (`loan`), `idNumber` to admins only.
struct KeyLoan: Record {
    static let table = "access_key_loans"
    @Column var id: Int64
    @Column(wire: .hidden) var keyId: Int64
    @Column var tag: String
    @Column var borrower: String
    @Column("staff or external") var borrowerType: String
    @Column var idType: String?
    @Column("The borrower's document number (admins only)", wire: .adminOnly) var idNumber: String?
    @Column var idLast4: String?
    @Column(format: .money) var deposit: Int64
    @Column var authorisationRef: String?
    @Column var note: String?
    @Column("When it went out", column: "out_at", format: .dateTime) var since: String
    @Column(wire: .hidden) var outMs: Int64
    @Column("The operator who lent it", column: "out_by") var lentBy: String
    @Column(format: .dateTime) var dueBack: String
    @Column(wire: .hidden) var dueMs: Int64
    @Column(column: "in_at", format: .dateTime) var returnedAt: String?
    @Column(wire: .hidden) var inMs: Int64?
    @Column("The operator who took it back", column: "in_by") var receivedBy: String?
    @Column(wire: .hidden) var depositReceipt: String?
    @Column(wire: .hidden) var refundReceipt: String?
}

/// A key with its open loan (while out), as every key method answers it: the key's members and,
/// merged in, `borrower`, `borrowerType`, `since`, `dueBack`, `overdue`, `idType`, `idLast4`,
/// `deposit`, `authorisationRef`, `lentBy` (all `null` while in) and, to admins while out,
/// `idNumber`.
struct RegisteredKey {
    var key: Key
    var loan: KeyLoan?

    /// The loan members of the wire form at `nowMs`.
    private func loanMembers(nowMs: Int64, showPrivate: Bool) -> [String: JSONValue] {
        guard let loan else { return Self.noLoan }
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        var members: [String: JSONValue] = [
            "borrower": .string(loan.borrower), "borrowerType": .string(loan.borrowerType),
            "since": .string(loan.since), "dueBack": .string(loan.dueBack), "overdue": .bool(loan.dueMs < nowMs),
            "idType": text(loan.idType), "idLast4": text(loan.idLast4), "deposit": .int(loan.deposit),
            "authorisationRef": text(loan.authorisationRef), "lentBy": .string(loan.lentBy),
        ]
        if showPrivate { members["idNumber"] = text(loan.idNumber) }
        return members
    }

    private static let noLoan: [String: JSONValue] = [
        "borrower": .null, "borrowerType": .null, "since": .null, "dueBack": .null, "overdue": .null,
        "idType": .null, "idLast4": .null, "deposit": .null, "authorisationRef": .null, "lentBy": .null,
    ]

    /// The wire form; the borrower's full identity number only when `showPrivate`.
    func jsonBytes(nowMs: Int64, showPrivate: Bool) -> [UInt8] {
        key.jsonBytes(replacing: loanMembers(nowMs: nowMs, showPrivate: showPrivate))
    }

    /// The wire form as a value.
    func json(nowMs: Int64, showPrivate: Bool) -> JSONValue {
        key.jsonValue(replacing: loanMembers(nowMs: nowMs, showPrivate: showPrivate))
    }
}

/// Finding keys by tag, with their open loans.
enum KeyLookup {
    /// The key on the register (not retired) with `tag`, if any.
    static func current(tag: String, in db: SQLiteConnection) throws -> RegisteredKey? {
        try db.queryOne("SELECT \(Key.columns) FROM access_keys WHERE tag = ? AND status <> 'retired'", [tag])
            .map { try withLoan(Key(row: $0), db) }
    }

    /// The key with `tag`: the one on the register, else the latest retired one; `not_found`
    /// when the tag was never registered.
    static func existing(tag: String, in db: SQLiteConnection) throws -> RegisteredKey {
        if let key = try current(tag: tag, in: db) { return key }
        if let row = try db.queryOne(
            "SELECT \(Key.columns) FROM access_keys WHERE tag = ? ORDER BY id DESC LIMIT 1", [tag])
        {
            return RegisteredKey(key: Key(row: row), loan: nil)
        }
        throw RPCError.notFound("no key tagged \(tag) on the register", details: ["tag": .string(tag)])
            .localized("zh", "登记簿上没有编号为 \(tag) 的钥匙")
    }

    /// The key with its open loan, if any.
    static func withLoan(_ key: Key, _ db: SQLiteConnection) throws -> RegisteredKey {
        guard let loanId = key.loanId else { return RegisteredKey(key: key, loan: nil) }
        let loan = try db.queryOne("SELECT \(KeyLoan.columns) FROM access_key_loans WHERE id = ?", [loanId])
        return RegisteredKey(key: key, loan: loan.map(KeyLoan.init(row:)))
    }

    /// The keys `sql` (a `SELECT \(Key.columns) FROM access_keys ...`) finds, with their open
    /// loans (read in one more query).
    static func keys(_ sql: String, _ arguments: [any SQLBindable] = [], in db: SQLiteConnection) throws
        -> [RegisteredKey]
    {
        let keys = Key.rows(try db.query(sql, arguments))
        guard keys.contains(where: { $0.loanId != nil }) else { return keys.map { RegisteredKey(key: $0) } }
        var open: [Int64: KeyLoan] = [:]
        for loan in KeyLoan.rows(
            try db.query("SELECT \(KeyLoan.columns) FROM access_key_loans WHERE in_ms IS NULL"))
        {
            open[loan.id] = loan
        }
        return keys.map { RegisteredKey(key: $0, loan: $0.loanId.flatMap { open[$0] }) }
    }

    /// `invalid_state` for a retired key (`action`: "lend", "check in", "retire").
    static func retired(_ key: Key, action: String) -> RPCError {
        let chinese = ["lend": "借出", "check in": "归还", "retire": "停用"][action] ?? action
        return RPCError.invalidState(
            "cannot \(action) key \(key.tag): it was retired at \(key.retiredAt ?? "?")"
                + (key.retireReason.map { " (\($0))" } ?? ""),
            details: ["tag": .string(key.tag), "status": "retired"]
        ).localized(
            "zh",
            "钥匙 \(key.tag) 无法\(chinese)：已于 \(key.retiredAt ?? "?") 停用" + (key.retireReason.map { "（\($0)）" } ?? ""))
    }
}
