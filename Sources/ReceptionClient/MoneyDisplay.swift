import ReceptionProtocol

/// Shows the money in a result the way a person reads it: each member a method names in
/// `display.money` (at any depth: a badge's `fee`, its receipt's `total`, a ledger's `totals`)
/// becomes `¥15.00` instead of `1500`. Only for human output; `--json` keeps the wire's minor units.
public enum MoneyDisplay {
    /// `result` with every integer member named in `money` replaced by its text in `currency`;
    /// other values (nulls, strings, objects under a money name) stay as they are.
    public static func present(_ result: JSONValue, money: Set<String>, currency: Currency) -> JSONValue {
        guard !money.isEmpty else { return result }
        switch result {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, value) in members {
                if money.contains(key), let amount = value.intValue {
                    out[key] = .string(currency.format(minorUnits: amount))
                } else {
                    out[key] = present(value, money: money, currency: currency)
                }
            }
            return .object(out)
        case .array(let elements):
            return .array(elements.map { present($0, money: money, currency: currency) })
        default:
            return result
        }
    }
}
