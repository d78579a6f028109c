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
            money: Set((display?["money"]?.arrayValue ?? []).compactMap(\.stringValue)), schema: json["result"])
        choiceLabels = Self.choiceLabels(ofParams: json["params"])
    }

    /// The labels of enum choices the method's params declare, by member (`kind` →
    /// `{"x-labels": {"letter": "信件"}}`): a parcel's `kind` is labelled where it is typed, and
    /// a result member of the same name reads the same. ``MethodInfo/list(from:)`` adds those of
    /// the other methods of the same plugin.
    public var choiceLabels: [String: JSONValue] = [:]

    /// The `x-labels` and `x-i18n` of each param (of its items, for a list) that has them.
    static func choiceLabels(ofParams params: JSONValue?) -> [String: JSONValue] {
        var labels: [String: JSONValue] = [:]
        for (name, param) in params?["properties"]?.objectValue ?? [:] {
            let source = param["items"]?["enum"] != nil ? param["items"] : param
            var found: [String: JSONValue] = [:]
            for key in ["x-labels", "x-i18n"] { if let value = source?[key] { found[key] = value } }
            if !found.isEmpty { labels[name] = .object(found) }
        }
        return labels
    }

    /// The schema of member `name` of a record described by `schema`, with the choice labels of
    /// a same-named param where the member declares none; `nil` when nothing is known.
    func member(_ name: String, of schema: JSONValue?) -> JSONValue? {
        let declared = Self.property(name, of: schema)
        guard let labels = choiceLabels[name]?.objectValue else { return declared }
        guard var members = declared?.objectValue else { return .object(labels) }
        for (key, value) in labels where members[key] == nil { members[key] = value }
        return .object(members)
    }

    /// The schema of member `name` of a record described by `schema` (nil when undeclared).
    static func property(_ name: String, of schema: JSONValue?) -> JSONValue? {
        schema?["properties"]?[name]
    }
}
