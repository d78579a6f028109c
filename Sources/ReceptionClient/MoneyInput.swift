/// Reads an amount a person typed in major units (`50`, `50.5`, `50.00`, `¥50`, `CNY 50`) as the
/// integer of minor units the wire carries (`5000` for CNY).
public enum MoneyInput {
    /// Why a typed amount was refused.
    public enum Problem: Error, Sendable, Hashable {
        /// Not an amount at all.
        case notAnAmount
        /// More digits after the point than the currency has.
        case tooManyDecimals
        /// Beyond what 64 bits of minor units hold.
        case tooLarge
    }

    /// The minor units of `text` in `currency`.
    ///
    /// Accepted: an optional `-`, then optionally the currency's symbol or code (the full-width
    /// `￥` for `¥`), then digits with at most `decimals` digits after a `.`; spaces around the
    /// symbol are ignored, and full-width digits (typed by a Chinese input method) read as digits.
    public static func minorUnits(_ text: String, in currency: Currency) -> Result<Int64, Problem> {
        var rest = Substring(halfWidth(text).trimmingSpaces)
        var negative = false
        if rest.hasPrefix("-") {
            negative = true
            rest = rest.dropFirst()
        }
        let symbol = currency.symbol.trimmingSpaces
        for prefix in [symbol, currency.code] where !prefix.isEmpty && rest.hasPrefix(prefix) {
            rest = Substring(rest.dropFirst(prefix.count).trimmingSpaces)
            break
        }
        if !negative, rest.hasPrefix("-") {  // `¥-5`
            negative = true
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty, parts.count == 1 || !fraction.isEmpty,
            (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber })
        else { return .failure(.notAnAmount) }
        guard fraction.count <= currency.decimals else { return .failure(.tooManyDecimals) }
        let digits = String(whole) + fraction + String(repeating: "0", count: currency.decimals - fraction.count)
        guard let magnitude = Int64(digits.isEmpty ? "0" : digits) else { return .failure(.tooLarge) }
        return .success(negative ? -magnitude : magnitude)
    }

    /// `text` with full-width digits, full stop, minus and yen sign made half-width.
    static func halfWidth(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF0E, 0xFF0D:
                out.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            case 0xFFE5: out.append("¥")
            case 0x3000: out.append(" ")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
