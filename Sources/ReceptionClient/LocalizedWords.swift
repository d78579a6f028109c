import ReceptionProtocol

/// The words a method and its options publish in each language (`i18n`, `x-i18n`, `x-labels`),
/// read for the language `receptionctl` speaks (``Language/current``).
extension MethodInfo {
    /// The method's one-sentence description in `language`, else the English one.
    public func description(in language: Language = .current) -> String {
        i18n[language.rawValue]?["description"]?.stringValue ?? description
    }
}

extension ParamSpec {
    /// A property's `x-i18n`, with `x-labels` merged in as the Chinese labels of its values.
    static func words(of property: JSONValue) -> JSONValue {
        var byLanguage = property["x-i18n"]?.objectValue ?? [:]
        if let chinese = property["x-labels"]?.objectValue {
            var zh = byLanguage["zh"]?.objectValue ?? [:]
            var labels = chinese
            for (value, label) in zh["labels"]?.objectValue ?? [:] { labels[value] = label }
            zh["labels"] = .object(labels)
            byLanguage["zh"] = .object(zh)
        }
        return byLanguage.isEmpty ? .null : .object(byLanguage)
    }

    /// The option's description in `language`: its own there, else its title there (Chinese
    /// readers get 收件人 rather than an English sentence), else the English description.
    public func description(in language: Language = .current) -> String {
        guard language != .en else { return description }
        return i18n[language.rawValue]?["description"]?.stringValue ?? i18n[language.rawValue]?["title"]?.stringValue
            ?? description
    }

    /// How `value` reads in `language`: its label there, else the value itself.
    public func label(of value: String, in language: Language = .current) -> String {
        i18n[language.rawValue]?["labels"]?[value]?.stringValue ?? value
    }

    /// The value a person meant by `typed`: a value as it is, or one of the values' labels in
    /// any language (`身份证` → `id_card`), so a clerk may type what they read. `nil` when it is
    /// neither.
    public func value(forTyped typed: String) -> String? {
        if choices.contains(typed) { return typed }
        for language in Language.allCases {
            for (value, label) in i18n[language.rawValue]?["labels"]?.objectValue ?? [:]
            where label.stringValue == typed {
                return value
            }
        }
        return nil
    }
}
