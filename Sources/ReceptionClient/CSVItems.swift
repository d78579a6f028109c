import ReceptionProtocol

/// Turns a CSV file into the list param of a batch method (`parcels.receiveBatch`' `items`): the
/// header names the options a person types for one item (`kind,recipient,unit,carrier,tracking,shelf`,
/// kebab-case `damage-note`, the wire's `damageNote`, an alias, or the Chinese title the plugin
/// publishes), and each row's cells are typed as those options are (choices, money, dates).
/// An empty cell leaves the member out.
public struct CSVItems: Sendable {
    /// The list param the rows fill.
    public var list: ParamSpec
    /// Where the rows came from, for messages (`items.csv`, `stdin`).
    public var source: String

    /// A reader for `list`, the rows read from `source`.
    public init(list: ParamSpec, source: String) {
        self.list = list
        self.source = source
    }

    /// The method's one list-of-objects param, which `--file` fills; `nil` when it has none or several.
    public static func listParam(of method: MethodInfo) -> ParamSpec? {
        let lists = method.params.filter { !$0.itemParams.isEmpty }
        return lists.count == 1 ? lists[0] : nil
    }

    /// The list and the file line of each element, from `bytes` (the whole file).
    ///
    /// - Throws: ``UsageError`` naming the source, the line and the column: a file that is not
    ///   CSV, too many rows or too long a line, a header naming no member, a required column
    ///   missing or empty, a cell of the wrong type.
    public func items(
        from bytes: [UInt8], currency: Currency = .cny, dates: DateInput = .local, maxLineBytes: Int = 4096
    ) throws(UsageError) -> (items: JSONValue, lines: [Int]) {
        let table: CSVTable
        do {
            table = try CSVTable.parse(bytes, limits: .init(maxRows: list.maxItems ?? 1000, maxLineBytes: maxLineBytes))
        } catch {
            throw UsageError("\(source) \(error)", option: "--file")
        }
        var columns: [ParamSpec] = []
        for (index, name) in table.header.enumerated() {
            guard let spec = member(named: name) else {
                let known = list.itemParams.map(\.kebabName)
                let close = NameSuggester.suggestions(
                    for: name.lowercased().replacingOccurrences(of: "_", with: "-"), among: known, limit: 3,
                    separator: "-")
                let hint = close.isEmpty ? "" : "; did you mean \(close.joined(separator: " or "))?"
                throw UsageError(
                    "\(source) line 1, column \(index + 1): unknown column '\(name)'\(hint) (columns: \(known.joined(separator: ", ")))",
                    option: "--file")
            }
            if let earlier = columns.firstIndex(where: { $0.name == spec.name }) {
                throw UsageError(
                    "\(source) line 1: columns \(earlier + 1) and \(index + 1) both name \(spec.kebabName)",
                    option: "--file")
            }
            columns.append(spec)
        }
        let missing = list.itemParams.filter { $0.required && !columns.contains($0) }.map(\.kebabName)
        if !missing.isEmpty {
            throw UsageError(
                "\(source) line 1: the header needs the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))",
                option: "--file")
        }
        guard !table.rows.isEmpty else { throw UsageError("\(source) has a header but no rows", option: "--file") }
        var items: [JSONValue] = []
        for row in table.rows {
            var item: [String: JSONValue] = [:]
            for (spec, raw) in zip(columns, row.fields) {
                let text = raw.trimmingCharacters(in: " \t")
                if text.isEmpty {
                    if spec.required {
                        throw UsageError(
                            "\(source) line \(row.line), column \(spec.kebabName): needs a value", option: "--file")
                    }
                    continue
                }
                do {
                    item[spec.name] = try ParamsBuilder.convert(
                        text, as: spec.kind, spec: spec, currency: currency, dates: dates)
                } catch {
                    // The cell's message names the option (`--kind`); the file has a column.
                    let message = error.message.replacingOccurrences(of: spec.optionName, with: spec.kebabName)
                    throw UsageError(
                        "\(source) line \(row.line), column \(spec.kebabName): \(message)", option: "--file")
                }
            }
            items.append(.object(item))
        }
        return (.array(items), table.rows.map(\.line))
    }

    /// The element member a header cell names: wire name, kebab-case, alias, or Chinese title;
    /// case, `_` and `-` do not matter.
    func member(named header: String) -> ParamSpec? {
        let folded = Self.fold(header)
        return list.itemParams.first { spec in
            Self.fold(spec.name) == folded || spec.aliases.contains(where: { Self.fold($0) == folded })
                || spec.chineseTitle.map { $0 == header } == true
        }
    }

    /// `damage-note`, `damage_note`, `DamageNote` → `damagenote`.
    static func fold(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
    }
}

extension String {
    /// Without leading and trailing characters in `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
