import ReceptionProtocol

/// What `receptionctl parcels pending --recipient 李` adds when no name matches exactly: the
/// recipients at the desk whose name starts with or contains the text (`parcels.recipients`).
/// The reply itself stays exact (an empty list, exit 0), so scripts see what they always saw.
public enum RecipientCandidates {
    /// The method that lists candidates.
    public static let method = "parcels.recipients"

    /// The params of the candidates call after a `parcels.pending` call with `params` that found
    /// nothing (`reply`), or `nil` when there is nothing to suggest for.
    public static func lookup(afterPending params: JSONValue, reply: JSONValue) -> JSONValue? {
        guard let recipient = params["recipient"]?.stringValue, reply["items"]?.arrayValue?.isEmpty == true else {
            return nil
        }
        var query: [String: JSONValue] = ["query": .string(recipient), "limit": 10]
        if let unit = params["unit"] { query["unit"] = unit }
        return .object(query)
    }

    /// `no items for 李 exactly; did you mean: 李四 (3-2-1201, 2 items), 李娜 (3-2-1202, 1 item)?`,
    /// or `nil` when there are no candidates.
    public static func hint(for recipient: String, candidates: JSONValue) -> String? {
        let rows = candidates["recipients"]?.arrayValue ?? []
        guard !rows.isEmpty else { return nil }
        let names = rows.map { row -> String in
            let count = row["items"]?.intValue ?? 0
            let unit = row["unit"]?.stringValue ?? ""
            let name = row["recipient"]?.stringValue ?? ""
            return Phrase(
                "\(name) (\(unit), \(count) item\(count == 1 ? "" : "s"))", "\(name)（\(unit)，\(count) 件）")()
        }
        let more = candidates["more"] == true ? Phrase(", …", "、……")() : ""
        return Phrase(
            "no items for \(recipient) exactly; did you mean: \(names.joined(separator: ", "))\(more)?",
            "没有收件人正好叫“\(recipient)”的件；是不是：\(names.joined(separator: "、"))\(more)？")()
    }
}
