/// What a member or a department is called, in English and in Simplified Chinese, and the
/// labels of its values: one entry of a plugin's ``DepartmentPlugin/glossary``.
///
/// ```swift
/// static let glossary: [String: Words] = [
///     "code": Words("Pickup code", "取件码"),
///     "status": Words("Status", "状态", choices: ParcelStatus.self),
/// ]
/// ```
public struct Words: Sendable {
    /// The English title.
    public var en: String
    /// The Chinese title.
    public var zh: String
    /// The labels of the member's values by language (`zh`: `held` → `待领取`).
    public var labels: [String: [String: String]]

    /// A title in both languages.
    public init(_ en: String, _ zh: String) {
        self.en = en
        self.zh = zh
        self.labels = [:]
    }

    /// A title in both languages for a member whose values are `choices`: each value's Chinese
    /// label is its ``ParamChoice/label``, its English one its ``ParamChoice/englishLabel``.
    public init<Choice: ParamChoice>(_ en: String, _ zh: String, choices: Choice.Type) {
        self.init(en, zh)
        var chinese: [String: String] = [:]
        var english: [String: String] = [:]
        for choice in Choice.allCases {
            if choice.label != choice.rawValue { chinese[choice.rawValue] = choice.label }
            if choice.englishLabel != choice.rawValue { english[choice.rawValue] = choice.englishLabel }
        }
        if !chinese.isEmpty { labels["zh"] = chinese }
        if !english.isEmpty { labels["en"] = english }
    }

    /// A title in both languages with the values' labels given here (values from the config,
    /// such as identity document types): `labels` maps a value to its (English, Chinese) labels.
    public init(_ en: String, _ zh: String, labels: [String: (en: String, zh: String)]) {
        self.init(en, zh)
        self.labels = ["en": labels.mapValues(\.en), "zh": labels.mapValues(\.zh)]
    }

    /// The contract's form.
    var term: PluginLabels.Term { PluginLabels.Term(title: ["en": en, "zh": zh], labels: labels) }
}

/// Writes a plugin's glossary into its schemas as `x-i18n`, so that a client finds each
/// member's title where it finds the member.
enum GlossaryAnnotation {
    /// `schema` with every property the glossary names annotated, at any depth. What a
    /// declaration already says (a param's own Chinese description) is kept.
    static func annotate(_ schema: JSONValue, with glossary: [String: PluginLabels.Term]) -> JSONValue {
        guard !glossary.isEmpty, case .object(var members) = schema else { return schema }
        if case .object(var properties)? = members["properties"] {
            for (name, property) in properties {
                var annotated = annotate(property, with: glossary)
                if let term = glossary[name], case .object(var fields) = annotated {
                    var i18n = fields["x-i18n"]?.objectValue ?? [:]
                    for (language, words) in term.schemaAnnotation {
                        var merged = words.objectValue ?? [:]
                        for (key, value) in i18n[language]?.objectValue ?? [:] { merged[key] = value }
                        i18n[language] = .object(merged)
                    }
                    fields["x-i18n"] = .object(i18n)
                    annotated = .object(fields)
                }
                properties[name] = annotated
            }
            members["properties"] = .object(properties)
        }
        if let items = members["items"] { members["items"] = annotate(items, with: glossary) }
        return .object(members)
    }
}

extension MethodDescriptor {
    /// The descriptor with its params and result schemas annotated from `glossary`.
    func annotated(with glossary: [String: PluginLabels.Term]) -> MethodDescriptor {
        guard !glossary.isEmpty else { return self }
        return MethodDescriptor(
            name: name, plugin: plugin, description: description,
            params: GlossaryAnnotation.annotate(params, with: glossary), access: access, role: role, redact: redact,
            display: display, result: result.map { GlossaryAnnotation.annotate($0, with: glossary) }, i18n: i18n)
    }
}
