import ReceptionProtocol

/// One member's value as a person reads it, in a table cell or a record's block.
struct ShownValue: Sendable, Equatable {
    /// The text, on one line.
    var text: String
    /// Its colour, applied once the layout is fixed.
    var colour: Palette.Colour?
    /// Whether it lines up on the right (amounts, counts).
    var alignRight: Bool = false
}

/// Turns wire values into what a clerk reads: money in yuan, times short and local, enum
/// choices by their label, yes/no, days as days; empty values give nothing at all.
enum ValueText {
    /// The shown form of member `name` of `record`, or `nil` when it is empty (null, `""`, `[]`,
    /// `{}`). Objects and arrays of objects come out as compact JSON; blocks show them as blocks.
    static func show(
        _ value: JSONValue, member name: String, property: JSONValue?, record: JSONValue?, money: Set<String>,
        presentation: Presentation
    ) -> ShownValue? {
        switch value {
        case .null:
            return nil
        case .string(let text):
            if text.isEmpty { return nil }
            return showString(text, member: name, property: property, record: record, presentation: presentation)
        case .int(let number):
            if money.contains(name) {
                return ShownValue(text: presentation.currency.format(minorUnits: number), alignRight: true)
            }
            if name.hasPrefix("days") {
                let text = presentation.word(number == 1 ? "1 day" : "\(number) days", "\(number) 天")
                return ShownValue(text: text, colour: name == "daysWaiting" ? .red : nil, alignRight: true)
            }
            return ShownValue(text: String(number), alignRight: true)
        case .double:
            return ShownValue(text: value.serialized(), alignRight: true)
        case .bool(let flag):
            let text = flag ? presentation.word("yes", "是") : presentation.word("no", "否")
            return ShownValue(text: text, colour: name == "overdue" && flag ? .red : nil)
        case .array(let elements):
            if elements.isEmpty { return nil }
            if elements.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) {
                let parts = elements.compactMap {
                    show(
                        $0, member: name, property: property?["items"], record: record, money: money,
                        presentation: presentation)?.text
                }
                return ShownValue(text: parts.joined(separator: ", "))
            }
            return ShownValue(text: TableRenderer.singleLine(value.serialized()))
        case .object(let members):
            if members.isEmpty { return nil }
            return ShownValue(text: TableRenderer.singleLine(value.serialized()))
        }
    }

    private static func showString(
        _ text: String, member name: String, property: JSONValue?, record: JSONValue?, presentation: Presentation
    ) -> ShownValue {
        let format = property?["format"]?.stringValue
        if format != "date", let short = presentation.times.short(text) {
            // A key past its due time is what the clerk must chase.
            let late = name == "dueBack" && record?["overdue"]?.boolValue == true
            return ShownValue(text: short, colour: late ? .red : nil)
        }
        let label = TableRenderer.singleLine(Labels.choice(text, schema: property, language: presentation.language))
        if name == "status" || name.hasSuffix("Status") {
            return ShownValue(text: label, colour: Palette.colour(ofStatus: text))
        }
        return ShownValue(text: label)
    }
}
