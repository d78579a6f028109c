import ReceptionProtocol

/// Keeps residents' identity numbers out of audit records and logs: the named members keep
/// only their last four characters (`"****1234"`), wherever they appear in the params.
enum Redaction {
    static func apply(_ value: JSONValue, keys: [String]) -> JSONValue {
        guard !keys.isEmpty else { return value }
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members {
                if keys.contains(key), case .string(let text) = member {
                    out[key] = .string(mask(text))
                } else {
                    out[key] = apply(member, keys: keys)
                }
            }
            return .object(out)
        case .array(let elements):
            return .array(elements.map { apply($0, keys: keys) })
        default:
            return value
        }
    }

    /// `"110101199003071234"` → `"****1234"`; four characters or fewer become `"****"`.
    static func mask(_ text: String) -> String {
        text.count > 4 ? "****" + String(text.suffix(4)) : "****"
    }
}
