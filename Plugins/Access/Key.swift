import Foundation
import ReceptionPluginSDK

/// Limits on key params, in characters.
enum KeyLimits {
    static let tag = 32
    static let place = 64
    static let floor = 16
    static let hook = 32
    static let note = 500
    static let borrower = 100
    /// Tags in one reconciliation count.
    static let counted = 10_000
}

/// The kinds of key the desk holds.
enum KeyCategory {
    static let all = ["vacant_unit", "owner_deposited", "facility_spare", "other"]
}

/// A key on the register with its current loan, as stored and as sent on the wire.
///
/// The wire names `tag`, `category`, `building`, `floor`, `unit`, `room`, `hook`, `status`
/// (`in` | `out` | `retired`) and, while out, `borrower`, `borrowerType`, `since`, `dueBack` are
/// a contract (issue 5); every member is always present, `null` when it does not apply.
struct Key: Sendable {
    let id: Int64
    let tag: String
    let category: String
    let building: String?
    let floor: String?
    let unit: String?
    let room: String?
    let hook: String
    let note: String?
    let status: String
    let registeredAt: String
    let retiredAt: String?
    let retireReason: String?
    /// The open loan, while out.
    let loan: KeyLoan?

    /// `SELECT \(Key.select) WHERE ...`: the key and its open loan.
    static let select = """
        k.id, k.tag, k.category, k.building, k.floor, k.unit, k.room, k.hook, k.note, k.status, k.registered_at,
        k.retired_at, k.retire_reason, \(KeyLoan.columns("l"))
        FROM access_keys k LEFT JOIN access_key_loans l ON l.id = k.loan_id
        """

    init(row: Row) {
        id = row.int("id") ?? 0
        tag = row.string("tag") ?? ""
        category = row.string("category") ?? ""
        building = row.string("building")
        floor = row.string("floor")
        unit = row.string("unit")
        room = row.string("room")
        hook = row.string("hook") ?? ""
        note = row.string("note")
        status = row.string("status") ?? ""
        registeredAt = row.string("registered_at") ?? ""
        retiredAt = row.string("retired_at")
        retireReason = row.string("retire_reason")
        loan = row.int("loan_id") == nil ? nil : KeyLoan(row: row)
    }

    /// The wire form; the borrower's full identity number only when `showIdNumber`.
    func json(nowMs: Int64, showIdNumber: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "tag": .string(tag), "category": .string(category), "building": Text.json(building),
            "floor": Text.json(floor), "unit": Text.json(unit), "room": Text.json(room), "hook": .string(hook),
            "note": Text.json(note), "status": .string(status), "registeredAt": .string(registeredAt),
            "retiredAt": Text.json(retiredAt), "retireReason": Text.json(retireReason),
            "borrower": .null, "borrowerType": .null, "since": .null, "dueBack": .null, "overdue": .null,
            "idType": .null, "idLast4": .null, "deposit": .null, "authorisationRef": .null, "lentBy": .null,
        ]
        if let loan {
            members["borrower"] = .string(loan.borrower)
            members["borrowerType"] = .string(loan.borrowerType)
            members["since"] = .string(loan.outAt)
            members["dueBack"] = .string(loan.dueBack)
            members["overdue"] = .bool(loan.dueMs < nowMs)
            members["idType"] = Text.json(loan.idType)
            members["idLast4"] = Text.json(loan.idLast4)
            members["deposit"] = .int(loan.deposit)
            members["authorisationRef"] = Text.json(loan.authorisationRef)
            members["lentBy"] = .string(loan.outBy)
            if showIdNumber { members["idNumber"] = Text.json(loan.idNumber) }
        }
        return .object(members)
    }
}

/// One lending of a key, open until it is checked in.
struct KeyLoan: Sendable {
    let id: Int64
    let tag: String
    let borrower: String
    let borrowerType: String
    let idType: String?
    let idNumber: String?
    let idLast4: String?
    let deposit: Int64
    let authorisationRef: String?
    let note: String?
    let outAt: String
    let outBy: String
    let dueBack: String
    let dueMs: Int64
    let inAt: String?
    let inBy: String?

    /// The loan columns under `alias`, named so they do not clash with the key's.
    static func columns(_ alias: String) -> String {
        """
        \(alias).id AS loan_id, \(alias).tag AS loan_tag, \(alias).borrower, \(alias).borrower_type, \
        \(alias).id_type, \(alias).id_number, \(alias).id_last4, \(alias).deposit, \(alias).authorisation_ref, \
        \(alias).note AS loan_note, \(alias).out_at, \(alias).out_by, \(alias).due_back, \(alias).due_ms, \
        \(alias).in_at, \(alias).in_by
        """
    }

    init(row: Row) {
        id = row.int("loan_id") ?? 0
        tag = row.string("loan_tag") ?? ""
        borrower = row.string("borrower") ?? ""
        borrowerType = row.string("borrower_type") ?? ""
        idType = row.string("id_type")
        idNumber = row.string("id_number")
        idLast4 = row.string("id_last4")
        deposit = row.int("deposit") ?? 0
        authorisationRef = row.string("authorisation_ref")
        note = row.string("loan_note")
        outAt = row.string("out_at") ?? ""
        outBy = row.string("out_by") ?? ""
        dueBack = row.string("due_back") ?? ""
        dueMs = row.int("due_ms") ?? 0
        inAt = row.string("in_at")
        inBy = row.string("in_by")
    }

    /// The wire form; the full identity number only when `showIdNumber`.
    func json(showIdNumber: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .int(id), "tag": .string(tag), "borrower": .string(borrower), "borrowerType": .string(borrowerType),
            "idType": Text.json(idType), "idLast4": Text.json(idLast4), "deposit": .int(deposit),
            "authorisationRef": Text.json(authorisationRef), "note": Text.json(note), "since": .string(outAt),
            "lentBy": .string(outBy), "dueBack": .string(dueBack), "returnedAt": Text.json(inAt),
            "receivedBy": Text.json(inBy),
        ]
        if showIdNumber { members["idNumber"] = Text.json(idNumber) }
        return .object(members)
    }
}

/// Finding keys by tag.
enum KeyLookup {
    /// The key on the register (not retired) with `tag`, if any.
    static func current(tag: String, in db: SQLiteConnection) throws -> Key? {
        try db.queryOne("SELECT \(Key.select) WHERE k.tag = ? AND k.status <> 'retired'", [tag]).map(Key.init(row:))
    }

    /// The key with `tag`: the one on the register, else the latest retired one; `not_found`
    /// when the tag was never registered.
    static func existing(tag: String, in db: SQLiteConnection) throws -> Key {
        if let key = try current(tag: tag, in: db) { return key }
        if let key = try db.queryOne("SELECT \(Key.select) WHERE k.tag = ? ORDER BY k.id DESC LIMIT 1", [tag]) {
            return Key(row: key)
        }
        throw RPCError.notFound("no key tagged \(tag) on the register", details: ["tag": .string(tag)])
    }

    /// `invalid_state` for a retired key.
    static func retired(_ key: Key, action: String) -> RPCError {
        RPCError.invalidState(
            "cannot \(action) key \(key.tag): it was retired at \(key.retiredAt ?? "?")"
                + (key.retireReason.map { " (\($0))" } ?? ""),
            details: ["tag": .string(key.tag), "status": "retired"])
    }
}

/// Replies for one caller: the time, and whether full identity numbers may be shown.
struct KeyView {
    let nowMs: Int64
    let admin: Bool

    init(now: Date, caller: Caller) {
        nowMs = EpochMillis.of(now)
        admin = caller.isAdmin
    }

    /// The key as this caller may see it.
    func key(_ key: Key) -> JSONValue { key.json(nowMs: nowMs, showIdNumber: admin) }
    /// The key as events and stored reports carry it.
    func publicKey(_ key: Key) -> JSONValue { key.json(nowMs: nowMs, showIdNumber: false) }
}
