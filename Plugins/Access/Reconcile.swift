import Foundation
import ReceptionPluginSDK

/// `access.keys.reconcile` and `access.keys.reconciliations`: the monthly count of the key
/// cabinet against the register.
///
/// The report compares the tags counted on the hooks with the keys on the register (retired
/// keys are off it):
/// - `missing`: keys the register says are in the cabinet, not counted;
/// - `unregistered`: tags counted that are not on the register;
/// - `outOnLoan`: keys the register says are lent (not expected on a hook), each with its borrower;
/// - `outButCounted`: keys counted on a hook although the register says they are lent (a
///   return nobody checked in);
/// - `duplicates`: tags counted more than once.
/// `balanced` is true when `missing`, `unregistered` and `outButCounted` are all empty. The report
/// is stored as it was answered (its key objects are the operator view: no identity number).
enum Reconcile {
    /// The members of a report worth a column, in order.
    static let columns = ["time", "by", "counted", "registered", "matched", "balanced", "note"]

    /// `access.keys.reconcile`.
    static let reconcileMethod: Method<AccessPlugin> = .write(
        "access.keys.reconcile",
        "Compares the tags counted in the cabinet with the register; stores and returns the report.",
        zh: "盘点钥匙柜：把清点到的钥匙编号与登记簿核对，保存并给出盘点结果。",
        display: DisplayHints(columns: columns)
    ) { (_, params: ReconcileParams, context) in
        let db = context.db
        var counted: [String] = []
        var seen: Set<String> = []
        var duplicates: Set<String> = []
        for tag in params.counted {
            if seen.insert(tag).inserted { counted.append(tag) } else { duplicates.insert(tag) }
        }
        let keys = try KeyLookup.keys(
            "SELECT \(Key.columns) FROM access_keys WHERE status <> 'retired' ORDER BY tag", in: db)
        let nowMs = context.stamp.ms
        let registered = Set(keys.map(\.key.tag))
        var missing: [JSONValue] = []
        var outOnLoan: [JSONValue] = []
        var outButCounted: [String] = []
        var matched = 0
        for entry in keys {
            switch (entry.key.status, seen.contains(entry.key.tag)) {
            case ("in", true): matched += 1
            case ("in", false): missing.append(entry.json(nowMs: nowMs, showPrivate: false))
            case (_, let wasCounted):
                outOnLoan.append(entry.json(nowMs: nowMs, showPrivate: false))
                if wasCounted { outButCounted.append(entry.key.tag) }
            }
        }
        let unregistered = counted.filter { !registered.contains($0) }.sorted()
        var report: [String: JSONValue] = [
            "time": .string(context.stamp.time), "by": .string(context.stamp.by),
            "note": params.note.map { .string($0) } ?? .null, "counted": .int(Int64(counted.count)),
            "registered": .int(Int64(keys.count)), "matched": .int(Int64(matched)), "missing": .array(missing),
            "unregistered": .array(unregistered.map { .string($0) }), "outOnLoan": .array(outOnLoan),
            "outButCounted": .array(outButCounted.map { .string($0) }),
            "duplicates": .array(duplicates.sorted().map { .string($0) }),
            "balanced": .bool(missing.isEmpty && unregistered.isEmpty && outButCounted.isEmpty),
        ]
        let id = try db.insert(
            "INSERT INTO access_reconciliations (at, at_ms, by, note, counted_tags, report) VALUES (?, ?, ?, ?, ?, ?)",
            [
                context.stamp.time, nowMs, context.stamp.by, params.note,
                JSONValue.array(counted.map { .string($0) }).serialized(), JSONValue.object(report).serialized(),
            ])
        report["id"] = .int(id)
        let result = JSONValue.object(report)
        try context.emit(.keyReconciled, result)
        return result
    }

    /// `access.keys.reconciliations`.
    static let listMethod: Method<AccessPlugin> = .read(
        "access.keys.reconciliations", "Lists the stored reconciliation reports, newest first.",
        zh: "查看历次盘点记录，最新的在前。",
        display: DisplayHints(list: "reconciliations", columns: ["id"] + columns)
    ) { (_, params: ReconciliationsParams, context) in
        var arguments: [any SQLBindable] = []
        var whereClause = ""
        if let cursor = params.cursor {
            whereClause = "WHERE id < ?"
            arguments.append(try ListCursor.decode(cursor))
        }
        let limit = params.limit ?? 12
        let rows = try context.db.query(
            "SELECT id, report FROM access_reconciliations \(whereClause) ORDER BY id DESC LIMIT ?",
            arguments + [limit + 1])
        var reports: [JSONValue] = []
        for row in rows.prefix(limit) {
            guard let text = row.string("report"), case .object(var report) = try JSONValue.parse(text) else {
                continue
            }
            report["id"] = .int(row.int("id") ?? 0)
            reports.append(.object(report))
        }
        let next: JSONValue =
            rows.count > limit
            ? rows.prefix(limit).last?.int("id").map { .string(ListCursor.encode($0)) } ?? .null : .null
        return ["reconciliations": .array(reports), "nextCursor": next] as JSONValue
    }
}

/// The params of `access.keys.reconcile`.
struct ReconcileParams: MethodParams {
    @Param(
        "Every tag counted on the hooks", zh: "挂钩上清点到的全部钥匙编号", maxItems: 10_000, positional: true,
        element: ParamSpec("A tag", maxLength: 32, text: .code))
    var counted: [String]
    @Param("Anything else (who counted...)", zh: "备注（谁清点的等）", maxLength: 500) var note: String?
}

/// The params of `access.keys.reconciliations`.
struct ReconciliationsParams: MethodParams {
    @Param("nextCursor of the previous page", zh: "上一页给出的“下一页”标记", maxLength: 40, text: .verbatim) var cursor: String?
    @Param("Reports per page (default 12)", zh: "每页几次（默认 12）", minimum: 1, maximum: 100) var limit: Int?
}
