import ReceptionProtocol

/// How a method's result is shown to people, from its entry in `daemon.methods`: the plugin's
/// `display` hints and the `result` record schema (labels, formats, enum choices).
public struct ResultDisplay: Sendable, Hashable {
    /// The member naming a record (`code` of a parcel, `number` of a pass).
    public var title: String?
    /// The member holding the list, for methods that return one (`items`).
    public var list: String?
    /// The members worth showing first, in order (a list's columns).
    public var columns: [String]
    /// Members that are money in minor units, wherever they appear.
    public var money: Set<String>
    /// The schema of the record the result is or lists, when the method declares one.
    public var schema: JSONValue?

    /// Hints given directly.
    public init(
        title: String? = nil, list: String? = nil, columns: [String] = [], money: Set<String> = [],
        schema: JSONValue? = nil
    ) {
        self.title = title
        self.list = list
        self.columns = columns
        self.money = money
        self.schema = schema
    }

    /// Reads one element of `daemon.methods`' `methods` array.
    public init(method json: JSONValue) {
        let display = json["display"]
        self.init(
            title: display?["title"]?.stringValue, list: display?["list"]?.stringValue,
            columns: (display?["columns"]?.arrayValue ?? []).compactMap(\.stringValue),
            money: Set((display?["money"]?.arrayValue ?? []).compactMap(\.stringValue)),
            schema: Self.withChoiceLabels(json["result"], from: json["params"]))
    }

    /// `result` with the choice labels (`x-labels`, `x-i18n`) of same-named params added where
    /// the result's member declares none: a parcel's `kind` is labelled where it is typed.
    static func withChoiceLabels(_ result: JSONValue?, from params: JSONValue?) -> JSONValue? {
        guard let typed = params?["properties"]?.objectValue else { return result }
        var properties = result?["properties"]?.objectValue ?? [:]
        var changed = false
        for (name, param) in typed {
            let source = param["items"]?["enum"] != nil ? param["items"] : param
            var labels: [String: JSONValue] = [:]
            for key in ["x-labels", "x-i18n"] { if let value = source?[key] { labels[key] = value } }
            guard !labels.isEmpty, var member = properties[name]?.objectValue ?? (result == nil ? [:] : nil),
                member["x-labels"] == nil, member["x-i18n"] == nil
            else { continue }
            member.merge(labels) { old, _ in old }
            properties[name] = .object(member)
            changed = true
        }
        guard changed else { return result }
        var schema = result?.objectValue ?? ["type": "object"]
        schema["properties"] = .object(properties)
        return .object(schema)
    }

    /// The schema of member `name` of a record described by `schema` (nil when undeclared).
    static func property(_ name: String, of schema: JSONValue?) -> JSONValue? {
        schema?["properties"]?[name]
    }
}
