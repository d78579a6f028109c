import Foundation
import ReceptionPluginSDK

/// `parcels.recipients`: who has items at the desk under part of a name, so a clerk who heard
/// only a surname (`李`) can ask which 李 is meant. `parcels.pending` stays exact for scripts.
enum RecipientSearch {
    /// The most candidates one reply lists.
    static let maxCandidates: Int64 = 50

    /// `parcels.recipients`.
    static let method: Method<ParcelsPlugin> = .read(
        "parcels.recipients",
        "Lists the recipients with items at the desk whose name starts with (then contains) the text, with unit and item count.",
        zh: "按姓氏或名字中的字查在柜有件的收件人，列出房号和件数。",
        display: DisplayHints(title: "recipient", list: "recipients", columns: ["recipient", "unit", "items"])
    ) { (_, params: RecipientsParams, context) in
        try candidates(params, in: context.db)
    }

    /// Names starting with the query first (a range over the held-items index on `recipient`),
    /// then names containing it elsewhere (`LIKE '%…%'`: a scan, but only of the items at the
    /// desk, which the partial indexes hold); each recipient and unit once, with its item count.
    static func candidates(_ params: RecipientsParams, in db: SQLiteConnection) throws -> JSONValue {
        let query = params.query.trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else {
            throw RPCError.validation(field: "query", "query must name at least one character of the name")
        }
        let limit = params.limit ?? 20
        var unitCondition = ""
        var unitArguments: [any SQLBindable] = []
        if let unit = params.unit {
            unitCondition = " AND unit_key = ?"
            unitArguments.append(try DeskText.requiredUnitKey(unit, field: "unit"))
        }
        // Every string starting with `query` sorts from `query` up to `query` + the last code point
        // (SQLite compares text by its UTF-8 bytes, and U+10FFFF's are the largest a character has).
        let upper = query + "\u{10FFFF}"
        let grouped = """
            SELECT recipient, max(unit) AS unit, count(*) AS items, min(received_ms) AS since
            FROM parcels_items
            WHERE \(ParcelStatus.heldSQL) AND {match}\(unitCondition)
            GROUP BY recipient, unit_key ORDER BY recipient, since LIMIT ?
            """
        let prefixed = try db.query(
            grouped.replacingOccurrences(of: "{match}", with: "recipient >= ? AND recipient < ?"),
            [query, upper] + unitArguments + [limit + 1])
        var rows = prefixed
        if rows.count <= Int(limit) {
            // `%` and `_` in what the clerk typed are plain characters.
            let escaped = query.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            rows += try db.query(
                grouped.replacingOccurrences(
                    of: "{match}", with: "recipient LIKE ? ESCAPE '\\' AND NOT (recipient >= ? AND recipient < ?)"),
                ["%" + escaped + "%", query, upper] + unitArguments + [limit + 1 - Int64(rows.count)])
        }
        let candidates: [JSONValue] = rows.prefix(Int(limit)).map { row in
            [
                "recipient": .string(row.string("recipient") ?? ""), "unit": .string(row.string("unit") ?? ""),
                "items": .int(row.int("items") ?? 0),
            ]
        }
        var result: [String: JSONValue] = ["query": .string(query), "recipients": .array(candidates)]
        if rows.count > Int(limit) { result["more"] = true }
        return .object(result)
    }
}

/// The params of `parcels.recipients`.
struct RecipientsParams: MethodParams {
    @Param(
        "Part of the name: a surname (李) or any part of it", zh: "姓名的一部分：姓（李）或名字中的字", maxLength: 100, positional: true)
    var query: String
    @Param("Only recipients of this unit, in any spelling", maxLength: 64, format: .unit) var unit: String?
    @Param("How many recipients at most (default 20)", minimum: 1, maximum: RecipientSearch.maxCandidates)
    var limit: Int64?
}
