import ReceptionProtocol

/// Turns a method's result into text for people (what `receptionctl` prints without `--json`).
public enum ResultFormatter {
    /// The human-readable form of `result`, without a trailing newline:
    ///
    /// - an object holding arrays of objects (`{"items":[…],"total":3}`): each such array as a
    ///   table (titled `key:` when there are several), then the other members as `key: value`;
    /// - any other object: aligned `key: value` lines;
    /// - an array of objects: a table; an array of other values: one per line;
    /// - a string: the string itself; other scalars as JSON.
    ///
    /// Empty objects give an empty string; empty arrays give `(none)`. Table columns named in
    /// `rightAligned` (amounts of money already written as `¥15.00`) are right-aligned.
    public static func humanText(_ result: JSONValue, rightAligned: Set<String> = []) -> String {
        switch result {
        case .object:
            let members = result.sortedMembers ?? []
            let tables = members.filter { isTable($0.value) }
            let others = members.filter { !isTable($0.value) }
            var sections: [String] = []
            for table in tables {
                let rendered = TableRenderer.render(
                    objects: table.value.arrayValue ?? [], rightAlignedKeys: rightAligned)
                sections.append(tables.count > 1 ? "\(table.key):\n\(rendered)" : rendered)
            }
            if !others.isEmpty { sections.append(keyValueLines(others)) }
            return sections.joined(separator: "\n\n")
        case .array(let elements):
            if elements.isEmpty { return "(none)" }
            if isTable(result) { return TableRenderer.render(objects: elements, rightAlignedKeys: rightAligned) }
            return elements.map { TableRenderer.cellText($0) }.joined(separator: "\n")
        case .string(let text):
            return text
        default:
            return result.serialized()
        }
    }

    /// Whether `value` is a non-empty array whose elements are all objects.
    public static func isTable(_ value: JSONValue) -> Bool {
        guard let elements = value.arrayValue, !elements.isEmpty else { return false }
        return elements.allSatisfy { $0.objectValue != nil }
    }

    /// `key: value` lines with the values aligned. Multi-line strings continue under their value;
    /// empty arrays read `(none)`; other nested values are compact JSON.
    public static func keyValueLines(_ members: [(key: String, value: JSONValue)]) -> String {
        let keyWidth = members.map { DisplayWidth.of($0.key) }.max() ?? 0
        var lines: [String] = []
        for member in members {
            let label = DisplayWidth.pad(member.key + ":", to: keyWidth + 1)
            let indent = String(repeating: " ", count: keyWidth + 2)
            let valueLines: [String]
            switch member.value {
            case .string(let text):
                valueLines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                    TableRenderer.singleLine(String($0))
                }
            case .array(let elements) where elements.isEmpty:
                valueLines = ["(none)"]
            default:
                valueLines = [TableRenderer.cellText(member.value)]
            }
            for (index, text) in valueLines.enumerated() {
                let line = index == 0 ? label + " " + text : indent + text
                lines.append(TableRenderer.trimTrailingSpaces(line))
            }
        }
        return lines.joined(separator: "\n")
    }
}
