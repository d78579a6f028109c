import ReceptionProtocol

/// A list result as a spreadsheet reads it (`receptionctl … --csv`): the rows a table would show,
/// as RFC 4180 CSV.
///
/// The columns are the table's (the plugin's `display.columns` in its order, those with a value
/// in some row, else every member that has one), headed by the same labels in the same
/// language. Values read as in the table (choices by their label, times local, yes/no, a line
/// break as a space), except
/// money: a bare number of yuan (`1500` → `15.00`, no currency sign), so that a spreadsheet can
/// add it up; times in full (`2026-12-06 18:00`, the daemon's zone), never "today"; text that a
/// spreadsheet would run as a formula gets a leading `'`. A field is quoted when it holds a comma, a quote (written `""`) or a line break;
/// every line ends in CRLF, as RFC 4180 says.
extension ResultFormatter {
    /// The CSV of the list in `result`, or `nil` when it holds none (a record, a string): CSV
    /// is for lists. An empty list gives the header line alone when the plugin names its
    /// columns, else an empty string.
    public static func csv(_ result: JSONValue, display: ResultDisplay, presentation: Presentation) -> String? {
        let rows: [JSONValue]
        switch result {
        case .object(let members):
            if let list = display.list, let elements = members[list]?.arrayValue {
                rows = elements
            } else if let key = listMember(of: members, display: display) {
                rows = members[key]?.arrayValue ?? []
            } else {
                return nil
            }
        case .array(let elements) where elements.isEmpty || isTable(result):
            rows = elements
        default:
            return nil
        }
        var plain = presentation
        plain.currency = Currency(
            code: presentation.currency.code, symbol: "", decimals: presentation.currency.decimals)
        plain.width = nil
        plain.palette = .plain
        // A file outlives the day: times in full, in the daemon's zone (`2026-12-06 18:00`).
        plain.times.absolute = true
        let candidates = display.columns.isEmpty ? TableRenderer.columns(of: rows) : display.columns
        let cells: [[String?]] = rows.map { row in
            candidates.map { key in
                row[key].flatMap {
                    ValueText.show(
                        $0, member: key, property: display.member(key, of: display.schema), record: row,
                        money: display.money, presentation: plain)?.text
                }
            }
        }
        let keep =
            rows.isEmpty
            ? Array(candidates.indices) : candidates.indices.filter { c in cells.contains { $0[c] != nil } }
        guard !keep.isEmpty else { return "" }
        let header = keep.map {
            Labels.title(
                of: candidates[$0], schema: display.member(candidates[$0], of: display.schema),
                language: presentation.language)
        }
        var lines = [csvLine(header)]
        for row in cells { lines.append(csvLine(keep.map { row[$0] ?? "" })) }
        return lines.joined()
    }

    /// One CSV record and its CRLF.
    static func csvLine(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// `field`, quoted when it holds a comma, a quote or a line break (quotes doubled). Text a
    /// spreadsheet would run as a formula (`=`, `+`, `@`, a tab or carriage return, or `-` not
    /// starting a number: a name or note typed at the counter) gets a leading `'`.
    static func csvField(_ raw: String) -> String {
        var field = raw
        if let first = field.first {
            let second = field.dropFirst().first
            let formula =
                first == "=" || first == "+" || first == "@" || first == "\t" || first == "\r"
                || (first == "-" && !(second?.isNumber ?? false))
            if formula { field = "'" + field }
        }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return field
        }
        var quoted = "\""
        for character in field {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
