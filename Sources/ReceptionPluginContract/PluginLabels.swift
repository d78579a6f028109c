import ReceptionProtocol

/// A department's words in each language, for the people who read them: its title, its
/// summary, and a glossary that titles the members of its params and records (`code` is
/// "Pickup code" / "取件码") and labels their values (`held` is "held" / "待领取").
///
/// Published by `daemon.methods` under `plugins[].i18n`; the SDK also writes each glossary
/// term into the schemas as `x-i18n`, so a client finds a member's title where it finds the member.
///
/// ```json
/// {"title": {"en": "Mail and parcels", "zh": "邮件包裹"}, "summary": {"zh": "签收邮件包裹……"},
///  "glossary": {"status": {"en": "Status", "zh": "状态", "labels": {"zh": {"held": "待领取"}}}}}
/// ```
public struct PluginLabels: Sendable, Equatable {
    /// The department's name by language (`en`, `zh`).
    public var title: [String: String]
    /// Its one-sentence summary by language, beside the manifest's English `summary`.
    public var summary: [String: String]
    /// Member name → its title by language, and the labels of its values by language.
    public var glossary: [String: Term]

    /// One member's words.
    public struct Term: Sendable, Equatable {
        /// The member's title by language.
        public var title: [String: String]
        /// The labels of the member's values, by language, then by value.
        public var labels: [String: [String: String]]

        /// Creates a term.
        public init(title: [String: String], labels: [String: [String: String]] = [:]) {
            self.title = title
            self.labels = labels
        }

        /// The wire form: `{"en": "Status", "zh": "状态", "labels": {"zh": {"held": "待领取"}}}`.
        public var jsonValue: JSONValue {
            var members = title.mapValues { JSONValue.string($0) }
            if !labels.isEmpty {
                members["labels"] = .object(labels.mapValues { .object($0.mapValues { .string($0) }) })
            }
            return .object(members)
        }

        /// The `x-i18n` annotation this term gives a schema property:
        /// `{"en": {"title": "Status"}, "zh": {"title": "状态", "labels": {"held": "待领取"}}}`.
        public var schemaAnnotation: [String: JSONValue] {
            var byLanguage: [String: [String: JSONValue]] = [:]
            for (language, text) in title { byLanguage[language, default: [:]]["title"] = .string(text) }
            for (language, table) in labels {
                byLanguage[language, default: [:]]["labels"] = .object(table.mapValues { .string($0) })
            }
            return byLanguage.mapValues { .object($0) }
        }
    }

    /// Creates labels (empty by default).
    public init(title: [String: String] = [:], summary: [String: String] = [:], glossary: [String: Term] = [:]) {
        self.title = title
        self.summary = summary
        self.glossary = glossary
    }

    /// Whether there is nothing to say.
    public var isEmpty: Bool { title.isEmpty && summary.isEmpty && glossary.isEmpty }

    /// The wire form.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = [:]
        if !title.isEmpty { members["title"] = .object(title.mapValues { .string($0) }) }
        if !summary.isEmpty { members["summary"] = .object(summary.mapValues { .string($0) }) }
        if !glossary.isEmpty { members["glossary"] = .object(glossary.mapValues(\.jsonValue)) }
        return .object(members)
    }

    /// Reads labels from a manifest; the error names what is wrong.
    public init(json: JSONValue) throws(PluginLoadError) {
        guard let members = json.objectValue else { throw PluginLoadError("manifest: \"i18n\" must be an object") }
        for key in members.keys where !["title", "summary", "glossary"].contains(key) {
            throw PluginLoadError("manifest: i18n: unknown member \"\(key)\"")
        }
        func texts(_ value: JSONValue?, _ path: String) throws(PluginLoadError) -> [String: String] {
            guard let value else { return [:] }
            guard let table = value.objectValue, table.values.allSatisfy({ $0.stringValue != nil }) else {
                throw PluginLoadError("manifest: \(path) must map languages to text")
            }
            return table.compactMapValues(\.stringValue)
        }
        var glossary: [String: Term] = [:]
        if let entries = members["glossary"] {
            guard let table = entries.objectValue else {
                throw PluginLoadError("manifest: i18n.glossary must be an object")
            }
            for (name, entry) in table {
                guard var words = entry.objectValue else {
                    throw PluginLoadError("manifest: i18n.glossary.\(name) must be an object")
                }
                var labels: [String: [String: String]] = [:]
                if let byLanguage = words.removeValue(forKey: "labels") {
                    guard let languages = byLanguage.objectValue else {
                        throw PluginLoadError("manifest: i18n.glossary.\(name).labels must be an object")
                    }
                    for (language, table) in languages {
                        labels[language] = try texts(table, "i18n.glossary.\(name).labels.\(language)")
                    }
                }
                glossary[name] = Term(title: try texts(.object(words), "i18n.glossary.\(name)"), labels: labels)
            }
        }
        self.init(
            title: try texts(members["title"], "i18n.title"), summary: try texts(members["summary"], "i18n.summary"),
            glossary: glossary)
    }

    /// Checks a `{"<language>": {"<key>": "text", …}}` object whose keys are among `keys`
    /// (a method's `i18n`); the error names `path`.
    public static func checkTexts(_ value: JSONValue, keys: Set<String>, path: String) throws(PluginLoadError) {
        guard let languages = value.objectValue else { throw PluginLoadError("\(path) must be an object") }
        for (language, texts) in languages {
            guard let table = texts.objectValue else { throw PluginLoadError("\(path).\(language) must be an object") }
            for (key, text) in table {
                guard keys.contains(key) else {
                    throw PluginLoadError(
                        "\(path).\(language): unknown member \"\(key)\" (allowed: \(keys.sorted().joined(separator: ", ")))"
                    )
                }
                guard text.stringValue != nil else { throw PluginLoadError("\(path).\(language).\(key) must be text") }
            }
        }
    }
}
