import ReceptionProtocol

/// The words a clerk reads for a member, an option or a choice, in English (`en`) or Simplified
/// Chinese (`zh`), from what the schemas of `daemon.methods` declare:
///
/// ```json
/// "x-i18n": {"en": {"title": "Pickup code", "labels": {"held": "held"}},
///            "zh": {"title": "取件码", "labels": {"held": "待领取"}}}
/// ```
///
/// `x-labels` (the Chinese labels of enum choices) is read too. Nothing here is sent back to the
/// daemon: wire names and values stay as they are.
public enum Labels {
    /// `zh` when the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, the first one set and not
    /// empty; else `configured`, the config file's `language`) starts with `zh`, else `en`
    /// (``Language/resolve(environment:configured:)``).
    public static func language(environment: [String: String], configured: String? = nil) -> String {
        Language.resolve(environment: environment, configured: configured).rawValue
    }

    /// The title of a member or option: `x-i18n[language].title`; else, in English, the name
    /// humanised (`receivedAt` → `Received at`); in Chinese, the English title.
    public static func title(of name: String, schema property: JSONValue?, language: String) -> String {
        if let title = property?["x-i18n"]?[language]?["title"]?.stringValue, !title.isEmpty { return title }
        if language != "en", let title = property?["x-i18n"]?["en"]?["title"]?.stringValue, !title.isEmpty {
            return title
        }
        return humanised(name)
    }

    /// The label of an enum choice: `x-i18n[language].labels[value]`; else, in Chinese,
    /// `x-labels[value]`; else the value itself. Looks in the items of an array schema too.
    public static func choice(_ value: String, schema property: JSONValue?, language: String) -> String {
        guard let property else { return value }
        for schema in [property, property["items"]].compactMap({ $0 }) {
            if let label = schema["x-i18n"]?[language]?["labels"]?[value]?.stringValue, !label.isEmpty {
                return label
            }
            if language == "zh", let label = schema["x-labels"]?[value]?.stringValue, !label.isEmpty { return label }
        }
        return value
    }

    /// A wire name as words: `receivedAt` → `Received at`, `days_waiting` → `Days waiting`,
    /// `idLast4` → `Id last4`.
    public static func humanised(_ name: String) -> String {
        var words: [String] = []
        var current = ""
        for character in name {
            if character == "_" || character == "-" || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        guard let first = words.first else { return name }
        let rest = words.dropFirst().map { word in
            // Acronyms typed as runs of capitals (`ID`) would split into letters; keep words lower-case.
            word.lowercased()
        }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + rest).joined(separator: " ")
    }
}
