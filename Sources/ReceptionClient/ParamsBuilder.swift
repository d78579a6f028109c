import ReceptionProtocol

/// A command line the user typed wrongly; `receptionctl` prints it and exits with status 2.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, one sentence.
    public var message: String
    /// The option the error is about, as typed (`--damage-nte`), when it is about one.
    public var option: String?
    /// Options close to a misspelled one, best first (`--damage-note`).
    public var suggestions: [String]
    /// Whether the option typed is not one the task takes.
    public var isUnknownOption: Bool
    /// Creates an error.
    public init(_ message: String, option: String? = nil, suggestions: [String] = [], isUnknownOption: Bool = false) {
        self.message = message
        self.option = option
        self.suggestions = suggestions
        self.isUnknownOption = isUnknownOption
    }
    /// The message.
    public var description: String { message }
}

/// The params built from a command line, and the option each param was given by.
public struct BuiltParams: Sendable, Hashable {
    /// The params object to send.
    public var params: JSONValue
    /// Param name → the option as typed (`--by`, `--damage-note`, `--damageNote`); `""` for a
    /// param filled by bare words (`x-positional`).
    public var spellings: [String: String]

    /// Creates a result.
    public init(params: JSONValue, spellings: [String: String] = [:]) {
        self.params = params
        self.spellings = spellings
    }
}

/// Builds a method's params object from `--name value` options, typed by its params schema.
///
/// - `string`: the text as typed; `integer`: a whole number; `number`: any number;
/// - `boolean`: `--urgent` (true), `--urgent=false`, `--no-urgent`;
/// - `array`: the option repeated (`--codes A --codes B`), each value typed by `items`;
/// - `object`: JSON text (`--address '{"city":"Taipei"}'`);
/// - no declared type: JSON when the text parses as JSON, else the text.
///
/// `--name=value` works for every option; a value may start with `-` (`--amount -5`).
///
/// Two schema annotations on a property shape the command line further:
/// - `"x-positional": true`: bare words fill the property (`receptionctl parcels pickup K7M3 P2Q4`
///   for `codes`); an array property takes all of them, any other property one. After `--`,
///   every word is positional, even one starting with `-`.
/// - `"x-aliases": ["by"]`: more option names for the property (`--by` for `collectedBy`).
///
/// A money property (`"format": "money"`) is typed in the currency's major units (`--deposit 50`,
/// `50.00` or `¥50` is 5000 fen) and sent in minor units, as the wire carries it.
///
/// A date or time property (`"format": "date"` or `"date-time"`) is typed as a person writes it
/// (`18:00`, `tomorrow 18:00`, `2026-12-06 18:00`, `2026-12-06`) and read in the daemon's time zone
/// by ``DateInput``; it is sent as `YYYY-MM-DD` or as ISO 8601 with offset. A plain date given to a
/// `date-time` property means that day's first instant, unless the property takes plain dates
/// itself (`"x-accepts-date": true`): then the date is sent as typed, for the daemon to read.
public enum ParamsBuilder {
    /// Splits a command line into the leading method words and the options after them
    /// (`["example","note","add","--text","hi"]` → `(["example","note","add"], ["--text","hi"])`).
    public static func splitWords(_ arguments: [String]) -> (words: [String], options: [String]) {
        let index = arguments.firstIndex { $0.hasPrefix("-") } ?? arguments.endIndex
        return (Array(arguments[..<index]), Array(arguments[index...]))
    }

    /// Separates positional values from the method's words when the words run past a method's
    /// name: `["parcels","pickup","K7M3","P2Q4"]` → `(["parcels","pickup"], ["K7M3","P2Q4"])` when
    /// `parcels.pickup` has an `x-positional` parameter. Words that name a method exactly, or
    /// whose longest method prefix takes no positional values, come back unchanged.
    public static func splitPositionals(
        _ words: [String], methods: [MethodInfo]
    ) -> (words: [String], positionals: [String]) {
        let name = words.joined(separator: ".")
        guard !methods.contains(where: { $0.name == name }) else { return (words, []) }
        for count in stride(from: words.count - 1, through: 1, by: -1) {
            let prefix = words[..<count].joined(separator: ".")
            guard let method = methods.first(where: { $0.name == prefix }) else { continue }
            guard method.positionalParam != nil else { return (words, []) }
            return (Array(words[..<count]), Array(words[count...]))
        }
        return (words, [])
    }

    /// Whether the options ask for help (`--help` or `-h` in a position where it is not a value).
    public static func wantsHelp(_ options: [String], for method: MethodInfo?) -> Bool {
        var index = 0
        while index < options.count {
            let token = options[index]
            index += 1
            if token == "--" { return false }
            if token == "--help" || token == "-h" { return true }
            guard token.hasPrefix("--"), !token.contains("=") else { continue }
            if let spec = method?.param(named: String(token.dropFirst(2))), spec.kind != .boolean {
                index += 1  // skip its value
            }
        }
        return false
    }

    /// The params object for `method` from `options`.
    ///
    /// - Throws: ``UsageError`` for an option the schema does not list, a value of the wrong type,
    ///   a missing value, a repeated single-value option, a stray word, or a missing required option.
    public static func build(
        options: [String], for method: MethodInfo, currency: Currency = .cny, dates: DateInput = .local
    ) throws(UsageError) -> JSONValue {
        try parse(options: options, for: method, currency: currency, dates: dates).params
    }

    /// The params for `method` from `options`, and how each was typed, so errors about a param can
    /// name the option the person used (`--by` rather than `--collected-by`).
    ///
    /// - Parameter alsoAccepted: Further option names (without `--`) that are valid on this command
    ///   line although not params (receptionctl's own `json`, `socket`...), offered as suggestions
    ///   for a misspelled option.
    /// - Parameter currency: The daemon's currency, in whose major units money options are typed.
    /// - Parameter dates: Reads date and time options in the daemon's time zone.
    /// - Parameter given: Params already filled another way (`items` from `--file items.csv`).
    /// - Throws: ``UsageError`` as ``build(options:for:)`` does; an unknown option carries the
    ///   closest known ones in ``UsageError/suggestions``.
    public static func parse(
        options: [String], for method: MethodInfo, alsoAccepted: [String] = [], currency: Currency = .cny,
        dates: DateInput = .local, given: [String: JSONValue] = [:]
    ) throws(UsageError) -> BuiltParams {
        var spellings: [String: String] = [:]
        var values = given
        var lists: [String: [JSONValue]] = [:]
        var index = 0
        var previousBoolean: String?
        var onlyPositionals = false
        while index < options.count {
            let token = options[index]
            index += 1
            if token == "--", !onlyPositionals {
                onlyPositionals = true
                continue
            }
            guard !onlyPositionals, token.hasPrefix("--"), token.count > 2 else {
                if !onlyPositionals, let previousBoolean, ["true", "false", "yes", "no"].contains(token.lowercased()) {
                    throw UsageError(
                        "\(previousBoolean) is a switch and takes no separate value: write \(previousBoolean)=\(token)")
                }
                guard let spec = method.positionalParam else {
                    throw UsageError("unexpected argument '\(token)' (options look like --name value)")
                }
                spellings[spec.name] = spellings[spec.name] ?? ""
                if case .array(let items) = spec.kind {
                    lists[spec.name, default: []].append(
                        try convert(token, as: items, spec: spec, currency: currency, dates: dates))
                    continue
                }
                guard values[spec.name] == nil else {
                    throw UsageError("unexpected argument '\(token)': \(spec.optionName) was already given")
                }
                values[spec.name] = try convert(token, as: spec.kind, spec: spec, currency: currency, dates: dates)
                continue
            }
            previousBoolean = nil
            var name = String(token.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            var negated = false
            var found = method.param(named: name)
            if found == nil, name.hasPrefix("no-"), let positive = method.param(named: String(name.dropFirst(3))),
                positive.kind == .boolean
            {
                found = positive
                negated = true
            }
            guard let spec = found else {
                let suggestions = suggestedOptions(for: name, in: method, alsoAccepted: alsoAccepted)
                let hint = Phrase(
                    suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: " or "))?",
                    suggestions.isEmpty ? "" : "；是不是想写 \(suggestions.joined(separator: " 或 "))？")()
                throw UsageError(
                    Phrase("unknown option --\(name) for \(method.name)", "\(method.name) 没有 --\(name) 这个选项")() + hint,
                    option: "--\(name)", suggestions: suggestions, isUnknownOption: true)
            }
            spellings[spec.name] = negated ? "--\(name.dropFirst(3))" : "--\(name)"
            let value: JSONValue
            if spec.kind == .boolean {
                if negated {
                    if inline != nil { throw UsageError("--\(name) takes no value") }
                    value = false
                } else if let inline {
                    value = .bool(try parseBoolean(inline, option: spec.optionName))
                } else {
                    value = true
                    previousBoolean = "--\(name)"
                }
            } else {
                let text: String
                if let inline {
                    text = inline
                } else {
                    guard index < options.count else {
                        throw UsageError(
                            Phrase(
                                "\(spec.optionName) needs a value (\(spec.kind))",
                                "\(spec.optionName) 后面要写一个值（\(spec.kind)）")())
                    }
                    text = options[index]
                    index += 1
                }
                if case .array(let items) = spec.kind {
                    lists[spec.name, default: []].append(
                        try convert(text, as: items, spec: spec, currency: currency, dates: dates))
                    continue
                }
                value = try convert(text, as: spec.kind, spec: spec, currency: currency, dates: dates)
            }
            if values[spec.name] != nil {
                throw UsageError(
                    Phrase("\(spec.optionName) was given more than once", "\(spec.optionName) 只能写一次")())
            }
            values[spec.name] = value
        }
        for (name, list) in lists { values[name] = .array(list) }
        let missing = method.params.filter { $0.required && values[$0.name] == nil }.map(\.optionName)
        if !missing.isEmpty {
            let noun = missing.count == 1 ? "option" : "options"
            throw UsageError(
                Phrase(
                    "\(method.name) needs the \(noun) \(missing.joined(separator: ", "))",
                    "\(method.name) 缺少必填选项 \(missing.joined(separator: "、"))")())
        }
        return BuiltParams(params: .object(values), spellings: spellings)
    }

    /// Up to three option names (with `--`) close to the misspelled `name`: params by their
    /// kebab-case names and aliases, and `alsoAccepted`.
    public static func suggestedOptions(for name: String, in method: MethodInfo, alsoAccepted: [String]) -> [String] {
        var candidates = method.params.flatMap { [$0.kebabName] + $0.aliases } + alsoAccepted
        var seen: Set<String> = []
        candidates = candidates.filter { !$0.isEmpty && seen.insert($0).inserted }
        let typed = name.lowercased().replacingOccurrences(of: "_", with: "-")
        return NameSuggester.suggestions(for: typed, among: candidates, limit: 3, separator: "-").map { "--" + $0 }
    }

    /// Reads `text` as a value of `kind` for the option `spec`; a money amount in `currency`'s major
    /// units, a date or time as `dates` reads it.
    public static func convert(
        _ text: String, as kind: ParamSpec.Kind, spec: ParamSpec, currency: Currency = .cny, dates: DateInput = .local
    ) throws(UsageError) -> JSONValue {
        let option = spec.optionName
        if spec.isMoney, kind == .integer || kind == .number {
            return .int(try money(text, spec: spec, currency: currency))
        }
        if spec.isDateOrTime, kind == .string || kind == .any {
            return .string(try dateOrTime(text, spec: spec, dates: dates))
        }
        let value: JSONValue
        switch kind {
        case .string:
            // A choice may be typed as the label a clerk reads (`身份证` for `id_card`).
            value = .string(spec.value(forTyped: text) ?? text)
        case .integer:
            guard let number = Int64(text) else {
                throw UsageError(
                    Phrase("\(option) needs a whole number, not '\(text)'", "\(option) 要写整数，不是“\(text)”")())
            }
            value = .int(number)
        case .number:
            if let whole = Int64(text) {
                value = .int(whole)
            } else if let number = Double(text), number.isFinite {
                value = .double(number)
            } else {
                throw UsageError("\(option) needs a number, not '\(text)'")
            }
        case .boolean:
            value = .bool(try parseBoolean(text, option: option))
        case .object:
            guard let parsed = try? JSONValue.parse(text), parsed.objectValue != nil else {
                throw UsageError("\(option) needs a JSON object, e.g. \(option) '{\"key\":\"value\"}'")
            }
            value = parsed
        case .array:
            guard let parsed = try? JSONValue.parse(text), parsed.arrayValue != nil else {
                throw UsageError("\(option) needs a JSON array here, e.g. \(option) '[1,2]'")
            }
            value = parsed
        case .any:
            if let parsed = try? JSONValue.parse(text) {
                value = parsed
            } else {
                value = .string(text)
            }
        }
        if !spec.choices.isEmpty, let text = value.stringValue, !spec.choices.contains(text) {
            let listed = spec.choices.map { choice in
                let label = Language.current == .zh ? spec.label(of: choice, in: .zh) : choice
                return label == choice ? choice : "\(choice)（\(label)）"
            }
            throw UsageError(
                Phrase(
                    "\(option) must be one of: \(listed.joined(separator: ", ")) (not '\(text)')",
                    "\(option) 只能是：\(listed.joined(separator: "、"))（不是“\(text)”）")())
        }
        return value
    }

    /// The minor units of an amount typed in major units for the money option `spec`, within the
    /// schema's `minimum` and `maximum` (told in major units too).
    static func money(_ text: String, spec: ParamSpec, currency: Currency) throws(UsageError) -> Int64 {
        let option = spec.optionName
        let example = currency.decimals > 0 ? "50 or 50.\(String(repeating: "0", count: currency.decimals))" : "50"
        switch MoneyInput.minorUnits(text, in: currency) {
        case .failure(.notAnAmount):
            throw UsageError(
                Phrase(
                    "\(option) needs an amount in \(currency.majorUnitName) (\(currency.symbol)), such as \(example), not '\(text)'",
                    "\(option) 要写金额（\(currency.symbol)，单位：元），如 \(example.replacingOccurrences(of: " or ", with: " 或 "))，不是“\(text)”"
                )(),
                option: option)
        case .failure(.tooManyDecimals):
            let rule =
                currency.decimals == 0
                ? "takes whole \(currency.majorUnitName) (\(currency.code) has no decimals)"
                : "takes at most \(currency.decimals) decimals (\(currency.code) counts to \(currency.format(minorUnits: 1)))"
            throw UsageError("\(option) \(rule), not '\(text)'", option: option)
        case .failure(.tooLarge):
            throw UsageError("\(option) is too large: '\(text)'", option: option)
        case .success(let amount):
            if let minimum = spec.minimum, amount < minimum {
                let rule =
                    minimum == 0 ? "cannot be negative" : "must be at least \(currency.format(minorUnits: minimum))"
                throw UsageError("\(option) \(rule), not '\(text)'", option: option)
            }
            if let maximum = spec.maximum, amount > maximum {
                throw UsageError(
                    "\(option) must be at most \(currency.format(minorUnits: maximum)), not '\(text)'", option: option)
            }
            return amount
        }
    }

    /// The wire text of a date (`YYYY-MM-DD`) or time (ISO 8601 with offset) typed for `spec`.
    static func dateOrTime(_ text: String, spec: ParamSpec, dates: DateInput) throws(UsageError) -> String {
        let option = spec.optionName
        let isDay = spec.format == "date"
        // A property that takes a plain date itself gives it its own meaning (a range's last day).
        if !isDay, spec.acceptsDate, case .success(let day) = dates.date(text) { return day }
        let result = isDay ? dates.date(text) : dates.dateTime(text)
        switch result {
        case .success(let wire):
            return wire
        case .failure(.noSuchDateOrTime):
            throw UsageError(
                Phrase(
                    "\(option): there is no such \(isDay ? "day" : "day or time") as '\(text)'",
                    "\(option)：没有“\(text)”这个\(isDay ? "日期" : "日期或时间")")(), option: option)
        case .failure(.notRecognised):
            let forms =
                isDay ? DateInput.dateForms : spec.acceptsDate ? DateInput.dateTimeOrDayForms : DateInput.dateTimeForms
            throw UsageError(
                Phrase(
                    "\(option) needs a \(isDay ? "date" : "time") written \(forms), not '\(text)'",
                    "\(option) 要写\(isDay ? "日期" : "时间")，格式：\(forms)；不是“\(text)”")(), option: option)
        }
    }

    /// `true`/`false` (also `yes`/`no`, `1`/`0`, any case).
    static func parseBoolean(_ text: String, option: String) throws(UsageError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw UsageError("\(option) is true or false, not '\(text)'")
        }
    }
}
