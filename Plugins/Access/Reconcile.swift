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
/// `balanced` is true when `missing`, `unregistered` and `outButCounted` are all empty.
enum Reconcile {
    /// Most reports in one `access.keys.reconciliations` reply.
    static let maxPage: Int64 = 100

    /// `access.keys.reconcile`.
    static let reconcileMethod: Method<AccessPlugin> = .write(
        "access.keys.reconcile",
        "Compares the tags counted in the cabinet with the register; stores and returns the report.",
        params: Schema.object(
            [
                "counted": Schema.annotate(
                    Schema.array(
                        "Every tag counted on the hooks", items: Schema.string("A tag", maxLength: KeyLimits.tag),
                        maxItems: KeyLimits.counted),
                    positional: true),
                "note": Schema.string("Anything else (who counted...)", maxLength: KeyLimits.note),
            ], required: ["counted"])
    ) { (_, params: ReconcileParams, context) in
        let db = context.db
        let now = context.now
        var counted: [String] = []
        var seen: Set<String> = []
        var duplicates: Set<String> = []
        for (index, raw) in params.counted.enumerated() {
            let tag = try Text.requiredCode(raw, field: "counted[\(index)]")
            if seen.insert(tag).inserted { counted.append(tag) } else { duplicates.insert(tag) }
        }
        let keys = try db.query("SELECT \(Key.select) WHERE k.status <> 'retired' ORDER BY k.tag").map(Key.init(row:))
        let view = KeyView(now: now, caller: context.caller)
        let registered = Set(keys.map(\.tag))
        var missing: [JSONValue] = []
        var outOnLoan: [JSONValue] = []
        var outButCounted: [String] = []
        var matched = 0
        for key in keys {
            switch (key.status, seen.contains(key.tag)) {
            case ("in", true): matched += 1
            case ("in", false): missing.append(view.publicKey(key))
            case (_, let wasCounted):
                outOnLoan.append(view.publicKey(key))
                if wasCounted { outButCounted.append(key.tag) }
            }
        }
        let unregistered = counted.filter { !registered.contains($0) }.sorted()
        let by = Actor.name(context.caller)
        let note = DeskText.optional(params.note)
        var report: [String: JSONValue] = [
            "time": .string(Timestamp.format(now)), "by": .string(by), "note": Text.json(note),
            "counted": .int(Int64(counted.count)), "registered": .int(Int64(keys.count)),
            "matched": .int(Int64(matched)), "missing": .array(missing),
            "unregistered": .array(unregistered.map { .string($0) }), "outOnLoan": .array(outOnLoan),
            "outButCounted": .array(outButCounted.map { .string($0) }),
            "duplicates": .array(duplicates.sorted().map { .string($0) }),
            "balanced": .bool(missing.isEmpty && unregistered.isEmpty && outButCounted.isEmpty),
        ]
        try db.execute(
            "INSERT INTO access_reconciliations (at, at_ms, by, note, counted_tags, report) VALUES (?, ?, ?, ?, ?, ?)",
            [
                Timestamp.format(now), EpochMillis.of(now), by, note,
                JSONValue.array(counted.map { .string($0) }).serialized(), JSONValue.object(report).serialized(),
            ])
        report["id"] = .int(db.lastInsertRowID)
        let result = JSONValue.object(report)
        try context.emit("access.key.reconciled", result)
        return result
    }

    /// `access.keys.reconciliations`.
    static let listMethod: Method<AccessPlugin> = .read(
        "access.keys.reconciliations", "Lists the stored reconciliation reports, newest first.",
        params: Schema.object([
            "cursor": Schema.string("nextCursor of the previous page", maxLength: 40),
            "limit": Schema.integer("Reports per page (default 12)", minimum: 1, maximum: maxPage),
        ])
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
        for row in rows.prefix(Int(limit)) {
            guard let text = row.string("report"), case .object(var report) = try JSONValue.parse(text) else {
                continue
            }
            report["id"] = .int(row.int("id") ?? 0)
            reports.append(.object(report))
        }
        let next: JSONValue =
            rows.count > Int(limit)
            ? rows.prefix(Int(limit)).last?.int("id").map { .string(ListCursor.encode($0)) }
                ?? .null : .null
        return ["reconciliations": .array(reports), "nextCursor": next] as JSONValue
    }
}

/// The params of `access.keys.reconcile`.
struct ReconcileParams: Decodable, Sendable {
    let counted: [String]
    let note: String?
}

/// The params of `access.keys.reconciliations`.
struct ReconciliationsParams: Decodable, Sendable {
    let cursor: String?
    let limit: Int64?
}
