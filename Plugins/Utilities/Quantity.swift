import ReceptionPluginSDK

/// Quantities of a utility (kWh, m³) as the wire carries them: decimal strings with up to three
/// decimals (`"200"`, `"35.5"`), kept as thousandths for exact sums.
enum Quantity {
    /// Most digits before the decimal point (999,999,999 kWh is far beyond any meter).
    static let maxWholeDigits = 9

    /// The thousandths `text` says: digits with an optional fraction of at most three digits,
    /// more than zero; a validation error on `field` with `rule` `decimal` otherwise.
    static func milli(_ text: String, field: String) throws(RPCError) -> Int64 {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        let digits: (Substring) -> Bool = { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        guard !whole.isEmpty, whole.count <= maxWholeDigits, digits(whole), digits(fraction), fraction.count <= 3,
            parts.count == 1 || !fraction.isEmpty,
            let wholeValue = Int64(whole),
            let fractionValue = Int64(fraction + String(repeating: "0", count: max(0, 3 - fraction.count)))
        else {
            throw RPCError(
                .validation,
                "\(field) must be a positive decimal number with at most 3 decimals, such as \"200\" or \"35.5\"; got \"\(text)\"",
                field: field, details: ["rule": "decimal"]
            ).localized("zh", "\(field) 须为正数，最多三位小数，如 \"200\" 或 \"35.5\"，收到的是 \"\(text)\"")
        }
        let value = wholeValue * 1000 + fractionValue
        guard value > 0 else {
            throw RPCError(
                .validation, "\(field) must be more than 0, got \"\(text)\"", field: field,
                details: ["rule": "positive"]
            )
            .localized("zh", "\(field) 须大于 0，收到的是 \"\(text)\"")
        }
        return value
    }

    /// The text of `milli` thousandths, without trailing zeros: 35500 → `"35.5"`, 200000 → `"200"`.
    static func text(_ milli: Int64) -> String {
        let whole = milli / 1000
        var fraction = String(milli % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}
