import ReceptionProtocol

/// Keeps residents' identity numbers out of audit records and logs: the named members keep
/// only their last four characters (`"****1234"`), wherever they appear in the params.
public enum Redaction {
    /// `value` with the members named in `keys` masked, at any depth.
    public static func apply(_ value: JSONValue, keys: [String]) -> JSONValue {
        guard !keys.isEmpty else { return value }
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members {
                if keys.contains(key), member != .null {
                    switch member {
                    case .string(let text): out[key] = .string(mask(text))
                    case .int(let number): out[key] = .string(mask(String(number)))
                    default: out[key] = .string("****")  // numbers as doubles, arrays, objects
                    }
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

    /// Strings longer than this are cut in audit records (a refused 1 MiB note must not cost
    /// 1 MiB of audit table).
    public static let auditStringLimit = 1024

    /// `value` with every string longer than ``auditStringLimit`` cut, saying how long it was.
    public static func capped(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.utf8.count > auditStringLimit:
            return .string(String(text.prefix(auditStringLimit / 4)) + "…(\(text.utf8.count) bytes)")
        case .array(let elements):
            return .array(elements.prefix(1000).map(capped) + (elements.count > 1000 ? [.string("…(\(elements.count) items)")] : []))
        case .object(let members):
            return .object(members.mapValues(capped))
        default:
            return value
        }
    }

    /// `"110101199003071234"` → `"****1234"`; four characters or fewer become `"****"`.
    public static func mask(_ text: String) -> String {
        text.count > 4 ? "****" + String(text.suffix(4)) : "****"
    }
}
