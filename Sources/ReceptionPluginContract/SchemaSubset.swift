import ReceptionProtocol

/// The JSON Schema keywords a plugin's params schema may use.
///
/// The daemon checks params against the schema before a method runs (``ParamsValidator``), and it
/// enforces exactly these keywords: `type` (`object`, `array`, `string`, `integer`, `number`,
/// `boolean`), `properties`, `required`, `additionalProperties` (`false` only), `enum`,
/// `maxLength` (Unicode scalars), `minimum`, `maximum`, `items`, `maxItems`.
///
/// Annotations are passed on to clients untouched: `description`, `format` (`money`, `date`,
/// `date-time`, `unit`; the SDK's param types check them), `x-labels` (a label per `enum`
/// value), `x-positional` and `x-aliases` (command-line hints for `receptionctl`),
/// `x-accepts-date` (a `date-time` property that also reads a plain `YYYY-MM-DD` itself), and
/// `x-i18n` (the member's title, description and value labels by language:
/// `{"zh": {"title": "取件码", "description": "…", "labels": {"held": "待领取"}}}`).
///
/// Any other keyword (`pattern`, `minLength`, `oneOf`, ...) would be silently ignored by the
/// validator, so a schema using one is refused when the plugin loads.
public enum SchemaSubset {
    /// Keywords the validator enforces.
    public static let enforced: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "maxLength", "minimum", "maximum", "items",
        "maxItems",
    ]
    /// Keywords carried to clients only.
    public static let annotations: Set<String> = [
        "description", "format", "x-labels", "x-positional", "x-aliases", "x-accepts-date", "x-i18n",
    ]
    /// The values `format` may take.
    public static let formats: Set<String> = ["money", "date", "date-time", "unit"]
    /// The values `type` may take.
    public static let types: Set<String> = ["object", "array", "string", "integer", "number", "boolean"]

    /// Why a schema is outside the subset.
    public struct Violation: Error, Sendable {
        /// What is wrong, naming the schema path (`properties.items.items.properties.unit`).
        public let message: String
    }

    /// Checks `schema` (and every schema inside it); the error names the first keyword outside the subset.
    public static func check(_ schema: JSONValue, path: String = "params") throws(Violation) {
        guard let members = schema.objectValue else { throw Violation(message: "\(path) must be a schema object") }
        for key in members.keys.sorted() where !enforced.contains(key) && !annotations.contains(key) {
            throw Violation(
                message:
                    "\(path) uses \"\(key)\", which the daemon does not enforce (allowed: \((enforced.union(annotations)).sorted().joined(separator: ", ")))"
            )
        }
        if let type = members["type"] {
            guard let name = type.stringValue, types.contains(name) else {
                throw Violation(message: "\(path): type must be one of \(types.sorted().joined(separator: ", "))")
            }
        }
        if let format = members["format"] {
            guard let name = format.stringValue, formats.contains(name) else {
                throw Violation(message: "\(path): format must be one of \(formats.sorted().joined(separator: ", "))")
            }
        }
        if let closed = members["additionalProperties"], closed != .bool(false) {
            throw Violation(message: "\(path): additionalProperties may only be false")
        }
        for key in ["maxLength", "minimum", "maximum", "maxItems"] {
            if let bound = members[key], bound.intValue == nil {
                throw Violation(message: "\(path): \(key) must be an integer")
            }
        }
        if let required = members["required"] {
            guard let names = required.arrayValue, names.allSatisfy({ $0.stringValue != nil }) else {
                throw Violation(message: "\(path): required must be an array of member names")
            }
            let known = members["properties"]?.objectValue ?? [:]
            if let unknown = names.compactMap(\.stringValue).first(where: { known[$0] == nil }) {
                throw Violation(message: "\(path): required names \"\(unknown)\", which is not in properties")
            }
        }
        if let values = members["enum"], values.arrayValue == nil {
            throw Violation(message: "\(path): enum must be an array")
        }
        if let labels = members["x-labels"] {
            guard let table = labels.objectValue, table.values.allSatisfy({ $0.stringValue != nil }) else {
                throw Violation(message: "\(path): x-labels must map enum values to label strings")
            }
        }
        if let i18n = members["x-i18n"] {
            guard let languages = i18n.objectValue else {
                throw Violation(message: "\(path): x-i18n must be an object")
            }
            for (language, words) in languages {
                guard let table = words.objectValue else {
                    throw Violation(message: "\(path): x-i18n.\(language) must be an object")
                }
                for (key, value) in table {
                    switch key {
                    case "title", "description":
                        guard value.stringValue != nil else {
                            throw Violation(message: "\(path): x-i18n.\(language).\(key) must be text")
                        }
                    case "labels":
                        guard let labels = value.objectValue, labels.values.allSatisfy({ $0.stringValue != nil }) else {
                            throw Violation(message: "\(path): x-i18n.\(language).labels must map values to text")
                        }
                    default:
                        throw Violation(
                            message: "\(path): x-i18n.\(language) has \"\(key)\" (allowed: description, labels, title)")
                    }
                }
            }
        }
        if let properties = members["properties"] {
            guard let table = properties.objectValue else {
                throw Violation(message: "\(path): properties must be an object")
            }
            for (name, property) in table.sorted(by: { $0.key < $1.key }) {
                try check(property, path: "\(path).properties.\(name)")
            }
        }
        if let items = members["items"] { try check(items, path: "\(path).items") }
    }
}
