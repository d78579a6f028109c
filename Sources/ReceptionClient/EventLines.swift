import ReceptionProtocol

/// The readable line of each event topic, as plugins declare them and `daemon.methods`
/// publishes them (`"events": [{"topic", "plugin", "line": {"en", "zh"}}]`), filled in from an
/// event notification: `A9F9 letter for 陈静 received at desk-1 by li.na`.
///
/// Templates name members of the event's `data` in braces (`{badge.number}` reaches into a
/// nested record); `{workstation}` and `{operator}` come from the notification. A part in
/// square brackets is left out when a member it names is empty. Values are shown as in tables:
/// money in yuan, times short and local, choices by their label.
public struct EventLines: Sendable {
    /// The template of each topic, in the chosen language.
    public let templates: [String: String]
    /// Member schemas gathered from the methods' result records, for choice labels and formats.
    let properties: [String: JSONValue]
    /// Every member some method shows as money.
    let money: Set<String>

    /// Reads a `daemon.methods` result, taking each template in `language` (else English).
    public init(methodsResult: JSONValue, language: String) {
        var templates: [String: String] = [:]
        for entry in methodsResult["events"]?.arrayValue ?? [] {
            guard let topic = entry["topic"]?.stringValue else { continue }
            let line = entry["line"]
            let chosen = line?[language]?.stringValue ?? ""
            let text = chosen.isEmpty ? line?["en"]?.stringValue ?? "" : chosen
            if !text.isEmpty { templates[topic] = text }
        }
        var properties: [String: JSONValue] = [:]
        var money: Set<String> = []
        for method in methodsResult["methods"]?.arrayValue ?? [] {
            let display = ResultDisplay(method: method)
            money.formUnion(display.money)
            // The first schema of a member that labels its choices, else the first one seen.
            let names = Set((display.schema?["properties"]?.objectValue ?? [:]).keys).union(display.choiceLabels.keys)
            for name in names.sorted() {
                guard let property = display.member(name, of: display.schema) else { continue }
                let labelled = property["x-labels"] != nil || property["x-i18n"] != nil
                if properties[name] == nil
                    || (labelled && properties[name]?["x-labels"] == nil && properties[name]?["x-i18n"] == nil)
                {
                    properties[name] = property
                }
            }
        }
        self.templates = templates
        self.properties = properties
        self.money = money
    }

    /// The line for one `event` notification's params, or `nil` when its topic declares none.
    public func line(for params: JSONValue, presentation: Presentation) -> String? {
        guard let topic = params["topic"]?.stringValue, let template = templates[topic] else { return nil }
        let data = params["data"] ?? .null
        return Self.fill(template) { path in
            let parts = path.split(separator: ".").map(String.init)
            guard let last = parts.last else { return nil }
            var value: JSONValue? = nil
            var parent: JSONValue? = data
            if parts.count == 1, ["workstation", "operator"].contains(last), let envelope = params[last],
                envelope != .null
            {
                value = envelope
            } else {
                value = data
                for part in parts {
                    parent = value
                    value = value?[part]
                }
            }
            guard let value else { return nil }
            return ValueText.show(
                value, member: last, property: properties[last], record: parent, money: money,
                presentation: presentation)?.text
        }
    }

    /// `template` with each `{name}` replaced by `value(name)`; a `[…]` part is kept only when
    /// every name in it has a value; a name outside brackets without one reads `?`.
    public static func fill(_ template: String, value: (String) -> String?) -> String {
        var out = ""
        var segment = ""
        var segmentComplete = true
        var inBrackets = false
        var name: String?
        for character in template {
            if var current = name {
                if character == "}" {
                    let text = value(current)
                    if inBrackets {
                        if let text { segment += text } else { segmentComplete = false }
                    } else {
                        out += text ?? "?"
                    }
                    name = nil
                } else {
                    current.append(character)
                    name = current
                }
                continue
            }
            switch character {
            case "{":
                name = ""
            case "[":
                inBrackets = true
                segment = ""
                segmentComplete = true
            case "]" where inBrackets:
                if segmentComplete { out += segment }
                inBrackets = false
            default:
                if inBrackets { segment.append(character) } else { out.append(character) }
            }
        }
        return TableRenderer.singleLine(out)
    }
}
