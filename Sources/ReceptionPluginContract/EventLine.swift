import ReceptionProtocol

/// The readable line a client prints for one event, in English and Simplified Chinese
/// (`receptionctl watch` prints `A9F9 letter for 陈静 received at desk-1 by li.na`).
///
/// A template names members of the event's `data` in braces, a dot reaching into a nested
/// record (`{badge.number}`); `{workstation}` and `{operator}` are who made the change, as the
/// event notification carries them. A part in square brackets is left out when a member it
/// names is empty or absent: `received[ at {workstation}][ by {operator}]`. The daemon only
/// carries the templates (`daemon.methods` publishes them as `events`); clients fill them in.
public struct EventLine: Sendable, Equatable {
    /// The English template.
    public var en: String
    /// The Simplified Chinese template.
    public var zh: String

    /// A line in both languages.
    public init(_ en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    /// No line declared: clients print the event's raw data.
    public static let none = EventLine("", zh: "")

    /// Whether nothing is declared.
    public var isEmpty: Bool { en.isEmpty && zh.isEmpty }

    /// The wire form: `{"en": "…", "zh": "…"}`.
    public var jsonValue: JSONValue { ["en": .string(en), "zh": .string(zh)] }

    /// Reads the wire form; the error names the topic and what is wrong with its template.
    public init(json: JSONValue, topic: String) throws(PluginLoadError) {
        guard let en = json["en"]?.stringValue, let zh = json["zh"]?.stringValue else {
            throw PluginLoadError("manifest: event \(topic): \"line\" needs \"en\" and \"zh\" templates")
        }
        for template in [en, zh] {
            if let problem = Self.problem(in: template) {
                throw PluginLoadError("manifest: event \(topic): line \"\(template)\": \(problem)")
            }
        }
        self.init(en, zh: zh)
    }

    /// Why `template` cannot be filled in (an unclosed brace or bracket, a nested bracket, an
    /// empty member name), or `nil` when it can.
    public static func problem(in template: String) -> String? {
        var inBraces = false
        var inBrackets = false
        var name = ""
        for character in template {
            switch character {
            case "{":
                if inBraces { return "a { inside {…}" }
                inBraces = true
                name = ""
            case "}":
                if !inBraces { return "a } without its {" }
                if name.isEmpty { return "{} names no member" }
                inBraces = false
            case "[":
                if inBraces { return "a [ inside {…}" }
                if inBrackets { return "[…] cannot nest" }
                inBrackets = true
            case "]":
                if inBraces { return "a ] inside {…}" }
                if !inBrackets { return "a ] without its [" }
                inBrackets = false
            default:
                if inBraces { name.append(character) }
            }
        }
        if inBraces { return "a { is not closed" }
        if inBrackets { return "a [ is not closed" }
        return nil
    }
}
