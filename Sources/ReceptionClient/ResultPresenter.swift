import ReceptionProtocol

extension ResultFormatter {
    /// The result of a task as the person at the desk reads it, guided by the method's
    /// ``ResultDisplay``:
    ///
    /// - a list (`display.list`, or any member that is an array of records): a table of the
    ///   plugin's columns in its order, fitted to the width, then the other members, then
    ///   `more: --cursor XYZ` only when there is more; a list of groups (an agenda's rooms, each
    ///   with its bookings) is one row per inner record, its group's members alongside;
    /// - a record (it has its title member): one block;
    /// - records side by side (`{"badge":{…},"receipt":{…}}`): one block each, the receipt last,
    ///   the loose members (`refund`) between them;
    /// - an array of records: a table; a string: itself.
    ///
    /// Money, times, enum choices and yes/no are shown as ``ValueText`` says. No trailing newline;
    /// an empty object gives an empty string.
    public static func present(_ result: JSONValue, display: ResultDisplay, presentation: Presentation) -> String {
        switch result {
        case .object(let members):
            if members.isEmpty { return "" }
            if let listKey = listMember(of: members, display: display) {
                return listText(members, listKey: listKey, display: display, presentation: presentation)
            }
            let nested = members.filter { $0.value.objectValue?.isEmpty == false }
            let hasTitle = display.title.map { members[$0]?.stringValue != nil } ?? false
            if !hasTitle, !nested.isEmpty, nested.count + 4 >= members.count {
                return recordsText(members, display: display, presentation: presentation)
            }
            return RecordBlock.lines(result, schema: display.schema, display: display, presentation: presentation)
                .joined(separator: "\n")
        case .array(let elements):
            if elements.isEmpty { return presentation.word("(none)", "（无）") }
            if isTable(result) { return table(elements, display: display, presentation: presentation) }
            return elements.compactMap {
                ValueText.show(
                    $0, member: "", property: nil, record: nil, money: display.money, presentation: presentation)?.text
            }.joined(separator: "\n")
        case .string(let text):
            return text
        default:
            return result.serialized()
        }
    }

    /// The member holding the list: `display.list` when it is an array, else the first member
    /// that is a non-empty array of objects, unless the result is a record named by its title
    /// (an incident and the people `informed` of it is one record, not a list).
    static func listMember(of members: [String: JSONValue], display: ResultDisplay) -> String? {
        if let list = display.list, members[list]?.arrayValue != nil { return list }
        if display.list == nil, let title = display.title, members[title]?.stringValue != nil { return nil }
        return members.keys.sorted().first { isTable(members[$0] ?? .null) }
    }

    /// A list and what comes with it.
    static func listText(
        _ members: [String: JSONValue], listKey: String, display: ResultDisplay, presentation: Presentation
    ) -> String {
        let rows = members[listKey]?.arrayValue ?? []
        var sections = [
            rows.isEmpty
                ? presentation.word("(none)", "（无）") : table(rows, display: display, presentation: presentation)
        ]
        var others = members
        others[listKey] = nil
        let cursor = others.removeValue(forKey: "nextCursor")?.stringValue
        let more = others.removeValue(forKey: "more")?.boolValue ?? false
        // Further lists (a reconciliation's `missing` keys) and the loose members, as a block.
        // Titled by the plugin's words (its glossary) like the list's columns.
        var loose = ResultDisplay(money: display.money)
        loose.choiceLabels = display.choiceLabels
        let block = RecordBlock.lines(.object(others), schema: nil, display: loose, presentation: presentation)
        if !block.isEmpty { sections.append(block.joined(separator: "\n")) }
        if let cursor, !cursor.isEmpty {
            sections.append(presentation.word("more: --cursor \(cursor)", "更多：--cursor \(cursor)"))
        } else if more {
            sections.append(presentation.word("more: not all are shown; raise --limit", "更多：未全部列出，可加大 --limit"))
        }
        return sections.joined(separator: "\n\n")
    }

    /// Several records side by side: the titled one first, the receipt last, loose members between.
    static func recordsText(
        _ members: [String: JSONValue], display: ResultDisplay, presentation: Presentation
    ) -> String {
        let keys = members.keys.sorted()
        let records = keys.filter { members[$0]?.objectValue?.isEmpty == false }
        func rank(_ key: String) -> Int {
            if key == "receipt" { return 2 }
            if let title = display.title, members[key]?[title] != nil { return 0 }
            return 1
        }
        let ordered = records.sorted { (rank($0), $0) < (rank($1), $1) }
        var loose: [String: JSONValue] = [:]
        for key in keys where members[key]?.objectValue == nil { loose[key] = members[key] }
        var sections: [String] = []
        for key in ordered {
            if key == "receipt", !loose.isEmpty {
                let block = RecordBlock.lines(
                    .object(loose), schema: display.schema, display: display, presentation: presentation)
                if !block.isEmpty { sections.append(block.joined(separator: "\n")) }
                loose = [:]
            }
            guard let record = members[key] else { continue }
            let property = display.member(key, of: display.schema)
            let heading = Labels.title(of: key, schema: property, language: presentation.language)
            sections.append(
                RecordBlock.lines(
                    record, member: key, heading: heading, schema: RecordBlock.recordSchema(property),
                    display: display, presentation: presentation
                ).joined(separator: "\n"))
        }
        if !loose.isEmpty {
            let block = RecordBlock.lines(
                .object(loose), schema: display.schema, display: display, presentation: presentation)
            if !block.isEmpty { sections.append(block.joined(separator: "\n")) }
        }
        return sections.joined(separator: "\n\n")
    }

    /// A table of records: the plugin's columns in its order (those with a value in some row),
    /// else every member that has one; fitted to the presentation's width.
    static func table(_ rows: [JSONValue], display: ResultDisplay, presentation: Presentation) -> String {
        let rows = ungrouped(rows, columns: display.columns)
        let candidates = display.columns.isEmpty ? TableRenderer.columns(of: rows) : display.columns
        let schema = display.schema
        var shown: [[ShownValue?]] = rows.map { row in
            candidates.map { key in
                row[key].flatMap {
                    ValueText.show(
                        $0, member: key, property: display.member(key, of: schema), record: row,
                        money: display.money, presentation: presentation)
                }
            }
        }
        let keep = candidates.indices.filter { column in shown.contains { $0[column] != nil } }
        let columns = keep.map { candidates[$0] }
        shown = shown.map { row in keep.map { row[$0] } }
        let headers = columns.map {
            Labels.title(of: $0, schema: display.member($0, of: schema), language: presentation.language)
        }
        let rightAligned = Set(
            columns.indices.filter { column in
                let values = shown.compactMap { $0[column] }
                return !values.isEmpty && values.allSatisfy(\.alignRight)
            })
        let palette = presentation.palette
        return TableRenderer.render(
            headers: headers, rows: shown.map { $0.map { $0?.text ?? "" } }, rightAligned: rightAligned,
            maxWidth: presentation.width
        ) { row, column, text in
            palette.paint(text, shown[row][column]?.colour)
        }
    }

    /// Rows that are groups of records (`{"room", "name", "bookings": [...]}`) as one row per
    /// inner record with the group's other members alongside (the inner record's own members
    /// win); a group with no records stays one row, so an empty room is still listed. Rows are
    /// groups when one member is a list of records in some row and a list (or absent) in every
    /// row; otherwise they are returned as they are. Rows that carry every one of the plugin's
    /// `columns` themselves (an incident with the people `informed`) are records already: only
    /// rows lacking some column (a room without the booking's `start`) are groups.
    static func ungrouped(_ rows: [JSONValue], columns: [String] = []) -> [JSONValue] {
        if !columns.isEmpty, columns.allSatisfy({ column in rows.contains { $0[column] != nil } }) { return rows }
        let keys = Set(rows.flatMap { $0.objectValue?.keys.map { $0 } ?? [] })
        let nested = keys.filter { key in
            rows.contains { isTable($0[key] ?? .null) }
                && rows.allSatisfy { $0[key] == nil || $0[key]?.arrayValue != nil }
        }
        guard nested.count == 1, let key = nested.first else { return rows }
        var flat: [JSONValue] = []
        for row in rows {
            guard var group = row.objectValue else { return rows }
            let inner = group.removeValue(forKey: key)?.arrayValue ?? []
            if inner.isEmpty {
                flat.append(.object(group))
                continue
            }
            for record in inner {
                guard let members = record.objectValue else { return rows }
                flat.append(.object(group.merging(members) { _, own in own }))
            }
        }
        return flat
    }
}
