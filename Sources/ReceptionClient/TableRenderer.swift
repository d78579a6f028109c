import ReceptionProtocol

/// Lays out rows of text as an aligned plain-text table.
///
/// ```
/// code    guest  room  weight
/// ------  -----  ----  ------
/// P-0001  李娜    1203     2.5
/// ```
///
/// Columns are separated by two spaces and sized by ``DisplayWidth``, so wide characters line
/// up; numeric columns are right-aligned; lines carry no trailing spaces.
public enum TableRenderer {
    /// The text between columns.
    public static let columnGap = "  "

    /// Renders `rows` under `headers`, with a dashed rule under the header. Rows shorter than the
    /// header are padded with empty cells. The result has no trailing newline.
    ///
    /// With `maxWidth`, the table is fitted to that many columns: the widest columns give up
    /// width first, down to ``minimumColumnWidth``, and their cells are cut with `…` (never
    /// wrapped); when even that is too wide, the last columns are left out. `paint` styles a data
    /// cell (row, column, its padded text) after the layout is fixed, so colour codes never count
    /// as width.
    public static func render(
        headers: [String], rows: [[String]], rightAligned: Set<Int> = [], maxWidth: Int? = nil,
        paint: (_ row: Int, _ column: Int, _ text: String) -> String = { $2 }
    ) -> String {
        var columnCount = Swift.max(headers.count, rows.map(\.count).max() ?? 0)
        guard columnCount > 0 else { return "" }
        func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }
        var widths = [Int](repeating: 0, count: columnCount)
        for column in 0..<columnCount {
            widths[column] = DisplayWidth.of(cell(headers, column))
            for row in rows { widths[column] = Swift.max(widths[column], DisplayWidth.of(cell(row, column))) }
        }
        if let maxWidth {
            let fitted = fit(widths, into: maxWidth)
            widths = fitted
            columnCount = fitted.count
        }
        func line(_ cells: [String], row: Int?) -> String {
            var parts: [String] = []
            for column in 0..<columnCount {
                let right = rightAligned.contains(column)
                let isLast = column == columnCount - 1
                let text = DisplayWidth.truncate(cell(cells, column), to: widths[column])
                let padded = isLast && !right ? text : DisplayWidth.pad(text, to: widths[column], alignRight: right)
                parts.append(row.map { paint($0, column, padded) } ?? padded)
            }
            return trimTrailingSpaces(parts.joined(separator: columnGap))
        }
        var lines = [line(headers, row: nil)]
        lines.append(widths.map { String(repeating: "-", count: Swift.max($0, 1)) }.joined(separator: columnGap))
        for (index, row) in rows.enumerated() { lines.append(line(row, row: index)) }
        return lines.joined(separator: "\n")
    }

    /// The narrowest a column is cut to before columns are left out instead.
    public static let minimumColumnWidth = 4

    /// Column widths whose table (with gaps) fits in `maxWidth`: the widest column loses a column
    /// at a time until it fits or every column is at ``minimumColumnWidth``; when that is not
    /// enough, the last columns are left out (at least one stays, cut to `maxWidth`).
    public static func fit(_ natural: [Int], into maxWidth: Int) -> [Int] {
        for count in stride(from: natural.count, through: 1, by: -1) {
            var widths = Array(natural.prefix(count))
            func total() -> Int { widths.reduce(0, +) + columnGap.count * (widths.count - 1) }
            while total() > maxWidth {
                guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
                    widths[widest] > minimumColumnWidth
                else { break }
                widths[widest] -= 1
            }
            if total() <= maxWidth { return widths }
        }
        return natural.isEmpty ? [] : [Swift.max(Swift.min(natural[0], maxWidth), 1)]
    }

    /// Renders JSON objects as a table: the columns are the union of their keys in first-seen
    /// order (each object's keys sorted, as the daemon writes them), minus those that are null or absent in every row (a parcel has some thirty fields,
    /// most empty until it moves on); a missing member is an empty cell; nested values are
    /// compact JSON; columns holding only numbers, and those named in `rightAlignedKeys` (money
    /// shown as `¥15.00`), are right-aligned.
    public static func render(objects: [JSONValue], rightAlignedKeys: Set<String> = []) -> String {
        let headers = columns(of: objects).filter { key in
            objects.contains { object in
                switch object[key] {
                case nil, .null?: return false
                default: return true
                }
            }
        }
        var rows: [[String]] = []
        var numeric = [Bool](repeating: true, count: headers.count)
        var seenValue = [Bool](repeating: false, count: headers.count)
        for object in objects {
            var row: [String] = []
            for (column, key) in headers.enumerated() {
                let value = object[key]
                row.append(cellText(value))
                switch value {
                case .int?, .double?: seenValue[column] = true
                case nil, .null?: break
                default:
                    seenValue[column] = true
                    numeric[column] = false
                }
            }
            rows.append(row)
        }
        let rightAligned = Set(
            headers.indices.filter { (numeric[$0] && seenValue[$0]) || rightAlignedKeys.contains(headers[$0]) })
        return render(headers: headers, rows: rows, rightAligned: rightAligned)
    }

    /// The union of the objects' keys in first-seen order, each object's keys taken in sorted
    /// order (non-objects contribute none).
    public static func columns(of objects: [JSONValue]) -> [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        for object in objects {
            for member in object.sortedMembers ?? [] where seen.insert(member.key).inserted {
                ordered.append(member.key)
            }
        }
        return ordered
    }

    /// The text of one value in a table cell or after `key: `: strings without quotes (line breaks
    /// and tabs become spaces), numbers and booleans as written, null and absent as empty,
    /// arrays and objects as compact JSON.
    public static func cellText(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return singleLine(text)
        case .bool(let flag)?: return flag ? "true" : "false"
        case let other?: return singleLine(other.serialized())
        }
    }

    /// `text` with line breaks, tabs and other control characters replaced by spaces.
    public static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return String(out)
    }

    /// `text` without trailing spaces.
    public static func trimTrailingSpaces(_ text: String) -> String {
        var result = Substring(text)
        while result.last == " " { result.removeLast() }
        return String(result)
    }
}
