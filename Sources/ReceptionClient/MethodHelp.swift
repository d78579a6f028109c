/// Help text for a method, written from its `daemon.methods` description.
public enum MethodHelp {
    /// The full help: the task's words and description, who may call it, a usage line, the
    /// options, and what the reply contains (``ReplySummary``). Money options are told in
    /// `currency`'s major units.
    public static func render(
        _ method: MethodInfo, command: String = "receptionctl", currency: Currency = .cny, width: Int = 80
    ) -> String {
        var lines: [String] = []
        let title = method.words.joined(separator: " ")
        let description = method.description(in: .current)
        lines.append(description.isEmpty ? title : "\(title): \(description)")
        var facts: [String] = []
        if !method.access.isEmpty {
            facts.append(method.access == "write" ? Phrase("changes data", "会修改数据")() : Phrase("read-only", "只读")())
        }
        if !method.role.isEmpty { facts.append(Phrase("role: ", "角色：")() + method.role) }
        if !method.available { facts.append(Phrase("UNAVAILABLE: its plugin is not loaded", "不可用：插件未加载")()) }
        facts.append(Phrase("method ", "方法 ")() + method.name)
        if !facts.isEmpty { lines.append(facts.joined(separator: Phrase(", ", "，")())) }
        lines.append("")
        lines.append(Phrase("Usage: ", "用法：")() + usageLine(method, command: command, currency: currency))
        lines.append("")
        if method.params.isEmpty {
            lines.append(Phrase("This method takes no options.", "这项任务没有选项。")())
        } else {
            lines.append(Phrase("Options:", "选项：")())
            lines.append(optionsText(method, currency: currency))
        }
        if let list = CSVItems.listParam(of: method) { lines += ["", fileNote(list)] }
        lines.append("")
        lines.append(ReplySummary.text(method, currency: currency, width: width))
        return lines.joined(separator: "\n")
    }

    /// `receptionctl example note add --text <string> [--urgent] [--tags <string> ...]`:
    /// required options first, then the rest by name.
    public static func usageLine(_ method: MethodInfo, command: String = "receptionctl", currency: Currency = .cny)
        -> String
    {
        var parts = [command] + method.words
        if let positional = method.positionalParam {
            let word = "<\(positional.kebabName)>" + (positional.isRepeatable ? "..." : "")
            parts.append(positional.required ? word : "[\(word)]")
        }
        for spec in ordered(method.params) where !spec.positional {
            let synopsis = optionSynopsis(spec, currency: currency)
            parts.append(spec.required ? synopsis : "[\(synopsis)]")
        }
        parts.append("[--json]")
        return parts.joined(separator: " ")
    }

    /// One aligned line per option: synopsis, then `(required)`/`(repeatable)`, description and choices.
    public static func optionsText(_ method: MethodInfo, currency: Currency = .cny) -> String {
        let specs = ordered(method.params)
        let synopses = specs.map { optionSynopsis($0, currency: currency) }
        let width = synopses.map { DisplayWidth.of($0) }.max() ?? 0
        var lines: [String] = []
        for (spec, synopsis) in zip(specs, synopses) {
            var notes: [String] = []
            if spec.required { notes.append(Phrase("(required)", "（必填）")()) }
            if spec.positional { notes.append(Phrase("(or as bare words)", "（也可直接写在任务后）")()) }
            if !spec.aliases.isEmpty {
                let aliases = spec.aliases.map { "--" + $0 }.joined(separator: ", ")
                notes.append(Phrase("(also \(aliases))", "（也可写 \(aliases)）")())
            }
            if spec.isRepeatable { notes.append(Phrase("(repeat for several)", "（可重复多次）")()) }
            let description = spec.description(in: .current)
            if !description.isEmpty { notes.append(description) }
            if spec.isMoney { notes.append(moneyNote(currency)) }
            if spec.isDateOrTime { notes.append(dateNote(spec)) }
            if !spec.choices.isEmpty {
                let labelled = spec.choices.map { choice in
                    let label = Language.current == .zh ? spec.label(of: choice, in: .zh) : choice
                    return label == choice ? choice : "\(choice)（\(label)）"
                }
                notes.append(Phrase("one of: ", "可选：")() + labelled.joined(separator: ", "))
            }
            let line = "  " + DisplayWidth.pad(synopsis, to: width) + "  " + notes.joined(separator: Phrase(" ", "")())
            lines.append(TableRenderer.trimTrailingSpaces(line))
        }
        return lines.joined(separator: "\n")
    }

    /// `--text <string>`, `--urgent`, `--tags <string> ...`; a money option `--deposit <yuan>`.
    public static func optionSynopsis(_ spec: ParamSpec, currency: Currency = .cny) -> String {
        if spec.isMoney {
            let unit = currency.majorUnitName
            return spec.isRepeatable ? "\(spec.optionName) <\(unit)> ..." : "\(spec.optionName) <\(unit)>"
        }
        if spec.isDateOrTime, !spec.isRepeatable {
            return "\(spec.optionName) <\(spec.format == "date" ? "date" : "time")>"
        }
        switch spec.kind {
        case .boolean: return spec.optionName
        case .array(let items): return "\(spec.optionName) <\(items)> ..."
        default: return "\(spec.optionName) <\(spec.kind)>"
        }
    }

    /// What a date or time option's help adds: the forms it takes, in the daemon's time zone.
    public static func dateNote(_ spec: ParamSpec) -> String {
        let forms =
            spec.format == "date"
            ? DateInput.dateForms : spec.acceptsDate ? DateInput.dateTimeOrDayForms : DateInput.dateTimeForms
        return Phrase(
            "(\(forms); the daemon's time zone)",
            "（\(forms.replacingOccurrences(of: " or ", with: " 或 ").replacingOccurrences(of: " (today)", with: "（今天）").replacingOccurrences(of: " (that day's start)", with: "（当天零点）").replacingOccurrences(of: "ISO 8601 with offset", with: "带时区的 ISO 8601"))；按守护进程的时区）"
        )()
    }

    /// How a batch task takes its list from a CSV file instead of repeated options.
    public static func fileNote(_ list: ParamSpec) -> String {
        let columns =
            list.itemParams.filter(\.required).map(\.kebabName)
            + list.itemParams.filter { !$0.required }.map(\.kebabName)
        return "Or --file FILE.csv (--file - or a pipe for stdin) instead of \(list.optionName): a header row of "
            + "the columns \(columns.joined(separator: ",")), then one row per element (RFC 4180, UTF-8; "
            + "errors name the line)."
    }

    /// What a money option's help adds: `amount in yuan (¥), e.g. 50, 50.00 or ¥50`.
    public static func moneyNote(_ currency: Currency) -> String {
        let symbol = currency.symbol.trimmingSpaceSuffix
        let examples =
            currency.decimals > 0
            ? "50, 50.\(String(repeating: "0", count: currency.decimals)) or \(symbol)50" : "50 or \(symbol)50"
        return Phrase(
            "(amount in \(currency.majorUnitName) (\(symbol)), e.g. \(examples))",
            "（金额，单位：元（\(symbol)），如 \(examples.replacingOccurrences(of: " or ", with: " 或 "))）")()
    }

    private static func ordered(_ params: [ParamSpec]) -> [ParamSpec] {
        params.filter(\.required) + params.filter { !$0.required }
    }
}

extension String {
    /// Without trailing spaces (a configured symbol such as `XYZ `).
    fileprivate var trimmingSpaceSuffix: String {
        var text = Substring(self)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
