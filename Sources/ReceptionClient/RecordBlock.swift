import ReceptionProtocol

/// A record shown as a short block: a title line, then the members that matter, one a line,
/// labels aligned (CJK counted two columns), empty members left out.
///
/// ```
/// T000001 · tenant · active
///   Holder       王芳
///   Unit         3-2-1201
///   Valid until  2027-05-31
/// ```
///
/// Nested records (a pass's receipt, a key's loan) become blocks of their own. A receipt ends
/// with the amount due, set apart and in bold on a terminal.
enum RecordBlock {
    /// Members shown on the title line beside the title rather than below it.
    static let titleTags = ["kind", "operation", "status"]

    /// The block of `record`, as lines. `member` is the name it has in the result when it is one
    /// of several (`receipt`), `heading` the label shown for that name; `indent` is the block's
    /// left margin.
    static func lines(
        _ record: JSONValue, member: String? = nil, heading: String? = nil, schema: JSONValue?,
        display: ResultDisplay, presentation: Presentation, indent: Int = 0
    ) -> [String] {
        guard let members = record.objectValue else { return [] }
        let palette = presentation.palette
        let margin = String(repeating: " ", count: indent)
        let isReceipt = member == "receipt" || (members["total"] != nil && members["operation"] != nil)

        // The title line: what it is, its name, its kind and status.
        let titleKey = [display.title, "number", "code", "tag"].compactMap { $0 }.first { key in
            if case .string(let text)? = members[key] { return !text.isEmpty }
            return false
        }
        var used: Set<String> = []
        var title: [String] = []
        if let heading { title.append(heading) }
        if let titleKey, let text = members[titleKey]?.stringValue {
            title.append(text)
            used.insert(titleKey)
        }
        var tags: [String] = []
        for key in titleTags {
            guard let value = members[key], titleKey != nil || heading != nil,
                let shown = ValueText.show(
                    value, member: key, property: display.member(key, of: schema), record: record,
                    money: display.money, presentation: presentation)
            else { continue }
            tags.append(palette.paint(shown.text, shown.colour))
            used.insert(key)
        }
        var lines: [String] = []
        if !title.isEmpty || !tags.isEmpty {
            let name = palette.emphasis(title.joined(separator: " "))
            lines.append(
                margin
                    + ([name] + (tags.isEmpty ? [] : [tags.joined(separator: " · ")])).filter { !$0.isEmpty }
                    .joined(separator: "  "))
        }

        // The members that matter: the plugin's columns first, in its order, then the rest.
        let ordered =
            display.columns.filter { members[$0] != nil && !used.contains($0) }
            + members.keys.sorted().filter { !display.columns.contains($0) && !used.contains($0) }
        var rows: [(label: String, value: ShownValue)] = []
        var nested: [(key: String, label: String, record: JSONValue)] = []
        var total: ShownValue?
        for key in ordered {
            guard let value = members[key] else { continue }
            // A row number says nothing once the record has a name; a count of nothing is empty.
            if key == "id", titleKey != nil { continue }
            if key.hasSuffix("Count"), value.intValue == 0 { continue }
            let property = display.member(key, of: schema)
            let label = Labels.title(of: key, schema: property, language: presentation.language)
            if value.objectValue != nil {
                if value.objectValue?.isEmpty == false { nested.append((key, label, value)) }
                continue
            }
            if let elements = value.arrayValue, !elements.isEmpty, elements.allSatisfy({ $0.objectValue != nil }) {
                for element in elements { nested.append((key, label, element)) }
                continue
            }
            guard
                let shown = ValueText.show(
                    value, member: key, property: property, record: record, money: display.money,
                    presentation: presentation)
            else { continue }
            if isReceipt && display.money.contains(key) {
                if key == "total" {
                    total = shown
                    continue
                }
                if value.intValue == 0 { continue }  // a receipt lists only what changed hands
            }
            rows.append((label, shown))
        }
        var totalLabel: String?
        if var due = total, let amount = members["total"]?.intValue {
            if amount < 0 {
                due.text = presentation.currency.format(minorUnits: -amount)
                totalLabel = presentation.word("To refund", "应退")
            } else {
                totalLabel = presentation.word("Amount due", "应收")
            }
            total = due
        }
        let labelWidth = (rows.map { DisplayWidth.of($0.label) } + [totalLabel.map(DisplayWidth.of) ?? 0]).max() ?? 0
        let inner = margin + (lines.isEmpty ? "" : "  ")
        let valueWidth = presentation.width.map { Swift.max($0 - DisplayWidth.of(inner) - labelWidth - 2, 8) }
        func row(_ label: String, _ value: ShownValue, bold: Bool = false) -> String {
            let text = valueWidth.map { DisplayWidth.truncate(value.text, to: $0) } ?? value.text
            let painted = bold ? palette.emphasis(palette.paint(text, value.colour)) : palette.paint(text, value.colour)
            return inner + DisplayWidth.pad(label, to: labelWidth) + "  " + painted
        }
        for entry in rows { lines.append(row(entry.label, entry.value)) }
        if let total, let totalLabel {
            lines.append(inner + String(repeating: "-", count: labelWidth + 2 + DisplayWidth.of(total.text)))
            lines.append(row(totalLabel, total, bold: true))
        }
        for entry in nested {
            lines.append(
                contentsOf: Self.lines(
                    entry.record, member: entry.key, heading: entry.label,
                    schema: recordSchema(ResultDisplay.property(entry.key, of: schema)), display: display,
                    presentation: presentation, indent: DisplayWidth.of(inner)))
        }
        return lines.map(TableRenderer.trimTrailingSpaces)
    }

    /// `schema` when it describes a record (has `properties`), of an array's items too; else `nil`.
    static func recordSchema(_ schema: JSONValue?) -> JSONValue? {
        if schema?["properties"] != nil { return schema }
        if schema?["items"]?["properties"] != nil { return schema?["items"] }
        return nil
    }
}
