import Foundation
import ReceptionPluginSDK

/// One cash event at the desk and its receipt: what the person at the counter paid or got back.
///
/// `total` is the cash that changed hands, seen from the desk: fee + deposit − refund (negative
/// when the desk paid out). A forfeited deposit moves no cash; it is recorded so the deposits
/// the desk still holds add up.
struct Receipt: Sendable {
    /// What happened: `issue`, `renew`, `return`, `lost`, `checkout`, `checkin`.
    let operation: String
    /// The badge's number, for badge operations.
    var badge: String?
    /// The badge's kind.
    var kind: String?
    /// The key's tag, for key operations.
    var key: String?
    var fee: Int64 = 0
    var deposit: Int64 = 0
    var refund: Int64 = 0
    var forfeited: Int64 = 0

    /// Whether any money is recorded.
    var isEmpty: Bool { fee == 0 && deposit == 0 && refund == 0 && forfeited == 0 }
}

/// Writing receipts and ledger entries, and `access.ledger`.
enum Ledger {
    /// Most entries in one `access.ledger` reply.
    static let maxEntries: Int64 = 10_000

    /// Stores `receipt` under a new receipt number with one ledger entry per non-zero amount;
    /// returns its wire form.
    static func record(_ receipt: Receipt, plugin: AccessPlugin, context: WriteContext) throws -> JSONValue {
        let db = context.db
        let now = context.now
        let at = Timestamp.format(now)
        let ms = EpochMillis.of(now)
        let date = CivilDate(localDateOf: now)
        let by = Actor.name(context.caller)
        let sequence = try Counter.next("receipt:\(date.compact)", in: db)
        let digits = String(sequence)
        let number =
            plugin.config.receiptPrefix + date.compact + "-"
            + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        try db.execute(
            """
            INSERT INTO access_receipts (number, at, at_ms, date, operation, badge, key_tag, fee, deposit, refund,
                forfeited, by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                number, at, ms, date.description, receipt.operation, receipt.badge, receipt.key, receipt.fee,
                receipt.deposit, receipt.refund, receipt.forfeited, by,
            ])
        for (type, amount) in [
            ("fee", receipt.fee), ("deposit", receipt.deposit), ("refund", receipt.refund),
            ("forfeit", receipt.forfeited),
        ] where amount > 0 {
            try db.execute(
                """
                INSERT INTO access_ledger (receipt, at, at_ms, date, type, amount, operation, badge, kind, key_tag, by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    number, at, ms, date.description, type, amount, receipt.operation, receipt.badge, receipt.kind,
                    receipt.key, by,
                ])
        }
        return [
            "number": .string(number), "time": .string(at), "date": .string(date.description),
            "operation": .string(receipt.operation), "badge": Text.json(receipt.badge), "key": Text.json(receipt.key),
            "fee": .int(receipt.fee), "deposit": .int(receipt.deposit), "refund": .int(receipt.refund),
            "forfeited": .int(receipt.forfeited), "total": .int(receipt.fee + receipt.deposit - receipt.refund),
            "by": .string(by),
        ]
    }

    /// `access.ledger`: the entries of a date range and their totals, for the cash handover.
    static let method: Method<AccessPlugin> = .read(
        "access.ledger",
        "Lists the fees, deposits, refunds and forfeited deposits of a date range with their totals.",
        params: Schema.object(
            [
                "from": Schema.string("First day, inclusive (YYYY-MM-DD)", maxLength: 10),
                "to": Schema.string("Last day, inclusive (YYYY-MM-DD; default: from)", maxLength: 10),
                "type": Schema.string("Only entries of this type", oneOf: ["fee", "deposit", "refund", "forfeit"]),
                "limit": Schema.integer(
                    "Entries listed at most (default 1000); totals cover all", minimum: 0,
                    maximum: maxEntries),
            ], required: ["from"])
    ) { (_, params: LedgerParams, context) in
        let from = try CivilDate.param(params.from, field: "from")
        let to = try params.to.map { text throws(RPCError) in try CivilDate.param(text, field: "to") } ?? from
        guard from <= to else { throw RPCError.validation(field: "to", "to (\(to)) is before from (\(from))") }
        var condition = "date >= ? AND date <= ?"
        var arguments: [any SQLBindable] = [from.description, to.description]
        if let type = params.type {
            condition += " AND type = ?"
            arguments.append(type)
        }
        let limit = params.limit ?? 1000
        let rows = try context.db.query(
            """
            SELECT id, receipt, at, date, type, amount, operation, badge, kind, key_tag, by FROM access_ledger
            WHERE \(condition) ORDER BY date, id LIMIT ?
            """, arguments + [limit + 1])
        let entries: [JSONValue] = rows.prefix(Int(limit)).map { row in
            [
                "id": .int(row.int("id") ?? 0), "receipt": Text.json(row.string("receipt")),
                "time": Text.json(row.string("at")), "date": Text.json(row.string("date")),
                "type": Text.json(row.string("type")), "amount": .int(row.int("amount") ?? 0),
                "operation": Text.json(row.string("operation")), "badge": Text.json(row.string("badge")),
                "kind": Text.json(row.string("kind")), "key": Text.json(row.string("key_tag")),
                "by": Text.json(row.string("by")),
            ]
        }
        let sums = try context.db.queryOne(
            """
            SELECT count(*) AS n, count(DISTINCT receipt) AS receipts,
                   total(CASE type WHEN 'fee' THEN amount END) AS fees,
                   total(CASE type WHEN 'deposit' THEN amount END) AS deposits,
                   total(CASE type WHEN 'refund' THEN amount END) AS refunds,
                   total(CASE type WHEN 'forfeit' THEN amount END) AS forfeited
            FROM access_ledger WHERE \(condition)
            """, arguments)
        // total() is a float; amounts are integers far below 2^53, so the sums are exact.
        func sum(_ column: String) -> Int64 { Int64(sums?[column].double ?? 0) }
        let fees = sum("fees")
        let deposits = sum("deposits")
        let refunds = sum("refunds")
        let forfeited = sum("forfeited")
        var result: [String: JSONValue] = [
            "from": .string(from.description), "to": .string(to.description), "entries": .array(entries),
            "totals": [
                "entries": .int(sums?.int("n") ?? 0), "receipts": .int(sums?.int("receipts") ?? 0),
                "fees": .int(fees), "deposits": .int(deposits), "refunds": .int(refunds),
                "forfeited": .int(forfeited), "cash": .int(fees + deposits - refunds),
                "depositsNet": .int(deposits - refunds - forfeited),
            ],
        ]
        if rows.count > Int(limit) { result["more"] = true }
        return JSONValue.object(result)
    }
}

/// Named counters on the writer: badge numbers per prefix, receipt numbers per day.
enum Counter {
    /// The next value of `name` (1 for a new counter).
    static func next(_ name: String, in db: SQLiteConnection) throws -> Int64 {
        try db.execute(
            """
            INSERT INTO access_counters (name, value) VALUES (?, 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1
            """, [name])
        guard let value = try db.queryOne("SELECT value FROM access_counters WHERE name = ?", [name])?.int("value")
        else { throw RPCError.internalError("counter \(name) vanished") }
        return value
    }
}

/// The params of `access.ledger`.
struct LedgerParams: Decodable, Sendable {
    let from: String
    let to: String?
    let type: String?
    let limit: Int64?
}
