import ReceptionProtocol

/// How a person should see a method's result: hints for `receptionctl` and other clients,
/// published in `daemon.methods` as `display`. The daemon never acts on them.
///
/// ```json
/// {"title": "code", "list": "items", "columns": ["code", "recipient", "unit", "receivedAt"],
///  "money": ["fee", "deposit", "total"]}
/// ```
public struct DisplayHints: Sendable, Equatable {
    /// The member that names a record (`code` of a parcel, `number` of a badge).
    public var title: String?
    /// The member of the result holding the list, for methods that return one (`items`).
    public var list: String?
    /// The columns of a list (or the members of a record) worth showing, in order.
    public var columns: [String]
    /// Members that are money, in integer minor units (fen), wherever they appear in the result.
    public var money: [String]

    /// Creates hints.
    public init(title: String? = nil, list: String? = nil, columns: [String] = [], money: [String] = []) {
        self.title = title
        self.list = list
        self.columns = columns
        self.money = money
    }

    /// Whether there is nothing to say.
    public var isEmpty: Bool { title == nil && list == nil && columns.isEmpty && money.isEmpty }

    /// The wire form.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = [:]
        if let title { members["title"] = .string(title) }
        if let list { members["list"] = .string(list) }
        if !columns.isEmpty { members["columns"] = .array(columns.map { .string($0) }) }
        if !money.isEmpty { members["money"] = .array(money.map { .string($0) }) }
        return .object(members)
    }

    /// Reads hints from a manifest; the error names what is wrong.
    public init(json: JSONValue, method: String) throws(PluginLoadError) {
        guard let members = json.objectValue else {
            throw PluginLoadError("manifest: method \(method): \"display\" must be an object")
        }
        for key in members.keys where !["title", "list", "columns", "money"].contains(key) {
            throw PluginLoadError("manifest: method \(method): unknown display hint \"\(key)\"")
        }
        func strings(_ key: String) throws(PluginLoadError) -> [String] {
            guard let value = members[key] else { return [] }
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw PluginLoadError("manifest: method \(method): display \"\(key)\" must be an array of names")
            }
            return array.compactMap(\.stringValue)
        }
        self.init(
            title: members["title"]?.stringValue, list: members["list"]?.stringValue, columns: try strings("columns"),
            money: try strings("money"))
    }
}
