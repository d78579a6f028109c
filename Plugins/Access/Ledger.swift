import Foundation
import ReceptionPluginSDK

/// One cash event at the desk and its receipt: what the person at the counter paid or got back.
///
/// `total` (on the wire, not stored) is the cash that changed hands, seen from the desk:
/// fee + deposit − refund (negative when the desk paid out). A forfeited deposit moves no cash;
/// it is recorded so the deposits the desk still holds add up.
struct Receipt: Record {
    static let table = "access_receipts"
    @Column(wire: .hidden) var id: Int64
    @Column("AC20261126-0001: prefix, date, number of the day") var number: String
    @Column(column: "at", format: .dateTime) var time: String
    @Column(wire: .hidden) var atMs: Int64
    @Column(format: .date) var date: String
    @Column("issue, renew, return, lost, checkout or checkin") var operation: String
    @Column("The badge's number, for badge operations") var badge: String?
    @Column("The key's tag, for key operations", column: "key_tag") var key: String?
    @Column(format: .money) var fee: Int64
    @Column("Deposit taken", format: .money) var deposit: Int64
    @Column("Deposit paid back", format: .money) var refund: Int64
    @Column("Deposit kept", format: .money) var forfeited: Int64
    @Column var by: String

    /// Whether any money is recorded.
    var isEmpty: Bool { fee == 0 && deposit == 0 && refund == 0 && forfeited == 0 }

    /// The wire form: the stored members and `total`.
    var reply: JSONValue { jsonValue(replacing: ["total": .int(fee + deposit - refund)]) }
}

extension Receipt {
    /// What happened (`issue`, `renew`, `return`, `lost`, `checkout`, `checkin`) and the money,
    /// before the ledger numbers and stamps it.
    init(
        _ operation: String, badge: String? = nil, key: String? = nil, fee: Int64 = 0, deposit: Int64 = 0,
        refund: Int64 = 0, forfeited: Int64 = 0
    ) {
        self.init()
        self.operation = operation
        self.badge = badge
        self.key = key
        self.fee = fee
        self.deposit = deposit
        self.refund = refund
        self.forfeited = forfeited
    }
}

/// One amount of a receipt, as `access.ledger` lists it.
struct LedgerEntry: Record {
    static let table = "access_ledger"
    @Column var id: Int64
    @Column("The receipt's number") var receipt: String
    @Column(column: "at", format: .dateTime) var time: String
    @Column(wire: .hidden) var atMs: Int64
    @Column(format: .date) var date: String
    @Column("fee, deposit, refund or forfeit") var type: String
    @Column(format: .money) var amount: Int64
    @Column var operation: String
    @Column var badge: String?
    @Column var kind: String?
    @Column(column: "key_tag") var key: String?
    @Column var by: String
}

/// What a ledger entry records.
enum LedgerEntryType: String, ParamChoice {
    case fee, deposit, refund, forfeit

    var label: String {
        switch self {
        case .fee: "收费"
        case .deposit: "收押金"
        case .refund: "退押金"
        case .forfeit: "没收押金"
        }
    }
}

/// Writing receipts and ledger entries, and `access.ledger`.
enum Ledger {
    /// Stores `receipt` under a new receipt number, stamped with the call's time and operator,
    /// with one ledger entry per non-zero amount (`kind`: the badge's); returns it as stored.
    static func record(_ receipt: Receipt, kind: String? = nil, plugin: AccessPlugin, context: AccessWrite) throws
        -> Receipt
    {
        let db = context.db
        let date = context.today
        let digits = String(try Counter.next("receipt:\(date.compact)", in: db))
        var receipt = receipt
        receipt.number =
            plugin.config.receiptPrefix + date.compact + "-"
            + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        receipt.time = context.stamp.time
        receipt.atMs = context.stamp.ms
        receipt.date = date.description
        receipt.by = context.stamp.by
        receipt.id = try receipt.insert(into: db)
        let amounts: [(LedgerEntryType, Int64)] = [
            (.fee, receipt.fee), (.deposit, receipt.deposit), (.refund, receipt.refund), (.forfeit, receipt.forfeited),
        ]
        for (type, amount) in amounts where amount > 0 {
            var entry = LedgerEntry()
            entry.receipt = receipt.number
            entry.time = receipt.time
            entry.atMs = receipt.atMs
            entry.date = receipt.date
            entry.type = type.rawValue
            entry.amount = amount
            entry.operation = receipt.operation
            entry.badge = receipt.badge
            entry.kind = kind
            entry.key = receipt.key
            entry.by = receipt.by
            try entry.insert(into: db)
        }
        return receipt
    }

    /// `access.ledger`: the entries of a date range and their totals, for the cash handover.
    static let method: Method<AccessPlugin> = .read(
        "access.ledger",
        "Lists the fees, deposits, refunds and forfeited deposits of a date range with their totals.",
        zh: "列出一段日期内的收费、收押金、退押金和没收押金流水及合计，用于交班对账。",
        display: DisplayHints(
            title: "receipt", list: "entries",
            columns: ["time", "receipt", "type", "amount", "operation", "badge", "key", "by"],
            money: ["amount", "fees", "deposits", "refunds", "forfeited", "cash", "depositsNet"]),
        result: LedgerEntry.self
    ) { (_, params: LedgerParams, context) in
        var condition = "date >= ? AND date <= ?"
        var arguments: [any SQLBindable] = [params.from.description, params.last.description]
        if let type = params.type {
            condition += " AND type = ?"
            arguments.append(type.rawValue)
        }
        let limit = params.limit ?? 1000
        let entries = LedgerEntry.rows(
            try context.db.query(
                "SELECT \(LedgerEntry.columns) FROM access_ledger WHERE \(condition) ORDER BY date, id LIMIT ?",
                arguments + [limit + 1]))
        let sums = try context.db.queryOne(
            """
            SELECT count(*) AS n, count(DISTINCT receipt) AS receipts,
                   coalesce(sum(CASE type WHEN 'fee' THEN amount END), 0) AS fees,
                   coalesce(sum(CASE type WHEN 'deposit' THEN amount END), 0) AS deposits,
                   coalesce(sum(CASE type WHEN 'refund' THEN amount END), 0) AS refunds,
                   coalesce(sum(CASE type WHEN 'forfeit' THEN amount END), 0) AS forfeited
            FROM access_ledger WHERE \(condition)
            """, arguments)
        func sum(_ column: String) -> Int64 { sums?.int(column) ?? 0 }
        let (fees, deposits, refunds, forfeited) = (sum("fees"), sum("deposits"), sum("refunds"), sum("forfeited"))
        var out = SortedJSONObject()
        out.add("entries", rawElements: entries.prefix(limit).map { $0.jsonBytes() })
        out.add("from", params.from.description)
        if entries.count > limit { out.add("more", true) }
        out.add("to", params.last.description)
        out.add(
            "totals",
            [
                "entries": .int(sum("n")), "receipts": .int(sum("receipts")), "fees": .int(fees),
                "deposits": .int(deposits), "refunds": .int(refunds), "forfeited": .int(forfeited),
                "cash": .int(fees + deposits - refunds), "depositsNet": .int(deposits - refunds - forfeited),
            ] as JSONValue)
        return out.finish()
    }
}

/// The params of `access.ledger`.
struct LedgerParams: MethodParams {
    @Param("First day, inclusive (YYYY-MM-DD)", zh: "开始日期（含），如 2026-12-01") var from: CivilDate
    @Param("Last day, inclusive (YYYY-MM-DD; default: from)", zh: "截止日期（含），默认与开始日期同一天") var to: CivilDate?
    @Param("Only entries of this type", zh: "只看这种款项") var type: LedgerEntryType?
    @Param(
        "Entries listed at most (default 1000); totals cover all", zh: "最多列出几笔（默认 1000）；合计包括全部",
        minimum: 0, maximum: 10_000)
    var limit: Int?

    /// The last day: `to`, else `from`.
    var last: CivilDate { to ?? from }

    func validate() throws(RPCError) {
        guard from <= last else {
            throw RPCError.validation(field: "to", "to (\(last)) is before from (\(from))")
                .localized("zh", "截止日期（\(last)）早于开始日期（\(from)）")
        }
    }
}

/// Named counters on the writer: badge numbers per prefix, receipt numbers per day.
enum Counter {
    /// The next value of `name` (1 for a new counter), in `access_counters` (``NamedCounter``).
    static func next(_ name: String, in db: SQLiteConnection) throws -> Int64 {
        try NamedCounter.next(name, table: "access_counters", in: db)
    }
}
