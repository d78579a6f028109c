import ReceptionProtocol

/// One method as `daemon.methods` describes it.
public struct MethodInfo: Sendable, Hashable {
    /// The full name, `<plugin>.<verb>` or `<plugin>.<noun>.<verb>`.
    public var name: String
    /// The plugin that provides it (`daemon`, `events` for built-ins).
    public var plugin: String
    /// What it does, one sentence.
    public var description: String
    /// `read` or `write`.
    public var access: String
    /// The least role that may call it: `operator` or `admin`.
    public var role: String
    /// Whether its plugin is loaded and the method can be called now.
    public var available: Bool
    /// Its parameters, from the params JSON schema, by name (the order the daemon writes them).
    public var params: [ParamSpec]
    /// Whether the schema accepts members it does not list (`additionalProperties` not `false`).
    public var allowsOtherParams: Bool
    /// The result members that are money in minor units, at any depth (`display.money`).
    public var moneyMembers: Set<String> = []
    /// How its result is shown to people (`display` hints and the `result` schema).
    public var display = ResultDisplay()
    /// The method's words in other languages (`i18n`: `{"zh": {"description": …}}`), `null` when not published.
    public var i18n: JSONValue = .null

    /// Creates a description.
    public init(
        name: String, plugin: String = "", description: String = "", access: String = "read",
        role: String = "operator", available: Bool = true, params: [ParamSpec] = [], allowsOtherParams: Bool = false
    ) {
        self.name = name
        self.plugin = plugin
        self.description = description
        self.access = access
        self.role = role
        self.available = available
        self.params = params
        self.allowsOtherParams = allowsOtherParams
    }

    /// Reads one element of `daemon.methods`' `methods` array; `nil` if it has no name.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue else { return nil }
        let schema = json["params"] ?? .null
        self.init(
            name: name,
            plugin: json["plugin"]?.stringValue ?? String(name.split(separator: ".").first ?? ""),
            description: json["description"]?.stringValue ?? "",
            access: json["access"]?.stringValue ?? "",
            role: json["role"]?.stringValue ?? "",
            available: json["available"]?.boolValue ?? true,
            params: ParamSpec.list(fromSchema: schema),
            allowsOtherParams: schema["additionalProperties"]?.boolValue ?? (schema["properties"] == nil))
        moneyMembers = Set((json["display"]?["money"]?.arrayValue ?? []).compactMap(\.stringValue))
        display = ResultDisplay(method: json)
        i18n = json["i18n"] ?? .null
    }

    /// Whether money is typed into it or shown from it, so the daemon's currency matters.
    public var involvesMoney: Bool { !moneyMembers.isEmpty || params.contains(where: \.isMoney) }

    /// Whether a date or time is typed into it, so the daemon's time zone matters.
    public var takesDates: Bool { params.contains(where: \.isDateOrTime) }

    /// The methods in a `daemon.methods` result (`{"methods":[…]}`).
    public static func list(from result: JSONValue) -> [MethodInfo] {
        let methods = (result["methods"]?.arrayValue ?? []).compactMap(MethodInfo.init(json:))
        // A result member reads like the same-named param of any method of its plugin (`kind` → 信件).
        var labels: [String: [String: JSONValue]] = [:]
        for method in methods {
            labels[method.plugin, default: [:]].merge(method.display.choiceLabels) { first, _ in first }
        }
        // Then its plugin's glossary (`plugins[].i18n.glossary`), for members no schema carries
        // (a receipt inside a pass's reply, a computed `daysWaiting`).
        for plugin in result["plugins"]?.arrayValue ?? [] {
            guard let name = plugin["name"]?.stringValue,
                let glossary = plugin["i18n"]?["glossary"]?.objectValue
            else { continue }
            for (member, term) in glossary {
                labels[name, default: [:]].merge([member: Self.schemaWords(ofTerm: term)]) { own, _ in own }
            }
        }
        return methods.map { method in
            var method = method
            method.display.choiceLabels.merge(labels[method.plugin] ?? [:]) { own, _ in own }
            return method
        }
    }

    /// A glossary term (`{"en": "Status", "zh": "状态", "labels": {"zh": {…}}}`) as the
    /// `x-i18n` a schema property would carry.
    static func schemaWords(ofTerm term: JSONValue) -> JSONValue {
        var byLanguage: [String: JSONValue] = [:]
        for (language, value) in term.objectValue ?? [:] where language != "labels" {
            guard let title = value.stringValue else { continue }
            var words: [String: JSONValue] = ["title": .string(title)]
            if let labels = term["labels"]?[language] { words["labels"] = labels }
            byLanguage[language] = .object(words)
        }
        return ["x-i18n": .object(byLanguage)]
    }

    /// The words a person types for it, in kebab case (`parcels.receiveBatch` → `parcels`,
    /// `receive-batch`; `example.note.add` → `example`, `note`, `add`).
    public var words: [String] { name.split(separator: ".").map { CommandWords.kebab(String($0)) } }

    /// The parameter an option name (without `--`) refers to: its exact name, its kebab-case
    /// spelling (`--room-number` for `roomNumber` or `room_number`), or one of its `x-aliases`.
    public func param(named optionName: String) -> ParamSpec? {
        params.first { $0.name == optionName } ?? params.first { $0.kebabName == optionName }
            ?? params.first { $0.aliases.contains(optionName) }
    }

    /// The parameter the bare words after the method's words fill (`"x-positional": true`), if any.
    public var positionalParam: ParamSpec? { params.first(where: \.positional) }
}

/// One parameter of a method: a property of its params schema.
public struct ParamSpec: Sendable, Hashable {
    /// The JSON type a parameter takes, and so how its command-line option is read.
    public indirect enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// Text, as typed.
        case string
        /// A whole number (sent as a JSON integer).
        case integer
        /// Any number.
        case number
        /// A switch: `--name` for true, `--name=false` or `--no-name` for false.
        case boolean
        /// A JSON object, typed as JSON text.
        case object
        /// A list: the option is repeated, each value read as `items`.
        case array(items: Kind)
        /// No declared type: JSON if the text parses as JSON, else text.
        case any

        /// Reads the `type` of a JSON schema (the first non-null one when it is a list).
        public init(schema: JSONValue) {
            var typeName = schema["type"]?.stringValue
            if typeName == nil, let list = schema["type"]?.arrayValue {
                typeName = list.compactMap(\.stringValue).first { $0 != "null" }
            }
            switch typeName {
            case "string"?: self = .string
            case "integer"?: self = .integer
            case "number"?: self = .number
            case "boolean"?: self = .boolean
            case "object"?: self = .object
            case "array"?: self = .array(items: Kind(schema: schema["items"] ?? .null))
            default:
                if let choices = schema["enum"]?.arrayValue, !choices.isEmpty,
                    choices.allSatisfy({ $0.stringValue != nil })
                {
                    self = .string
                } else {
                    self = .any
                }
            }
        }

        /// The placeholder shown in help: `string`, `integer`, `true|false`, `json`...
        public var description: String {
            switch self {
            case .string: return "string"
            case .integer: return "integer"
            case .number: return "number"
            case .boolean: return "true|false"
            case .object: return "json-object"
            case .array(let items): return items.description
            case .any: return "value"
            }
        }
    }

    /// The property name, as sent in params.
    public var name: String
    /// Its type.
    public var kind: Kind
    /// Whether the schema lists it in `required`.
    public var required: Bool
    /// The schema's `description`, if any.
    public var description: String
    /// The allowed values (`enum`), as text; empty when any value goes.
    public var choices: [String]
    /// Whether bare words on the command line fill it (`"x-positional": true` in the schema).
    public var positional: Bool
    /// Further option names (`"x-aliases": ["by"]` in the schema), without `--`.
    public var aliases: [String]
    /// The schema's `format` (of its items, for an array): `money`, `date`, `date-time`, `unit`.
    public var format: String?
    /// The property's words by language (`x-i18n`: `{"zh": {"title", "description", "labels"}}`),
    /// with `x-labels` read as the Chinese labels; `null` when it has none.
    public var i18n: JSONValue = .null
    /// The schema's `minimum`, when it is a whole number.
    public var minimum: Int64?
    /// The schema's `maximum`, when it is a whole number.
    public var maximum: Int64?
    /// Whether a `date-time` property also takes a plain `YYYY-MM-DD` on the wire, with a meaning
    /// of its own (`"x-accepts-date": true`; `parcels.stats`' `to` includes that whole day).
    public var acceptsDate = false
    /// The schema's `maxItems`, for a list.
    public var maxItems: Int?
    /// For a list of objects (`parcels.receiveBatch`' `items`), the members of each element.
    public var itemParams: [ParamSpec] = []
    /// The Chinese title the schema gives it (`x-i18n.zh.title`), when it gives one.
    public var chineseTitle: String?

    /// Creates a parameter.
    public init(
        name: String, kind: Kind, required: Bool = false, description: String = "", choices: [String] = [],
        positional: Bool = false, aliases: [String] = [], format: String? = nil, minimum: Int64? = nil,
        maximum: Int64? = nil
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.description = description
        self.choices = choices
        self.positional = positional
        self.aliases = aliases
        self.format = format
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether it is an amount of money (`"format": "money"`): typed in major units, sent in minor.
    public var isMoney: Bool { format == "money" }
    /// Whether it is a day (`"format": "date"`) or a time (`"date-time"`), typed in the daemon's zone.
    public var isDateOrTime: Bool { format == "date" || format == "date-time" }

    /// The parameters of an object schema (`{"type":"object","properties":{…},"required":[…]}`),
    /// sorted by name, as the daemon writes the schema.
    public static func list(fromSchema schema: JSONValue) -> [ParamSpec] {
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        return (schema["properties"]?.sortedMembers ?? []).map { member in
            let property = member.value
            let enumSource = property["enum"] ?? property["items"]?["enum"]
            let choices = (enumSource?.arrayValue ?? []).map { $0.stringValue ?? $0.serialized() }
            var spec = ParamSpec(
                name: member.key,
                kind: Kind(schema: property),
                required: required.contains(member.key),
                description: property["description"]?.stringValue ?? "",
                choices: choices,
                positional: property["x-positional"]?.boolValue ?? false,
                aliases: (property["x-aliases"]?.arrayValue ?? []).compactMap(\.stringValue),
                format: (property["format"] ?? property["items"]?["format"])?.stringValue,
                minimum: (property["minimum"] ?? property["items"]?["minimum"])?.intValue,
                maximum: (property["maximum"] ?? property["items"]?["maximum"])?.intValue)
            spec.acceptsDate = property["x-accepts-date"]?.boolValue ?? false
            spec.maxItems = property["maxItems"]?.intValue.map(Int.init)
            if let items = property["items"], items["properties"] != nil { spec.itemParams = list(fromSchema: items) }
            spec.chineseTitle = property["x-i18n"]?["zh"]?["title"]?.stringValue
            spec.i18n = ParamSpec.words(
                of: property["items"]?["enum"] != nil ? property["items"] ?? property : property)
            return spec
        }
    }

    /// `--name`.
    public var optionName: String { "--" + kebabName }

    /// The name in kebab case: `roomNumber` and `room_number` become `room-number`.
    public var kebabName: String { CommandWords.kebab(name) }

    /// Whether the option may be given more than once.
    public var isRepeatable: Bool {
        if case .array = kind { return true }
        return false
    }
}
