/// How text is measured against limits, in one place for the daemon's params check and the
/// SDK's ``DeskText``.
///
/// - A length limit (`maxLength`) counts **Unicode scalars** (code points): what JSON Schema's
///   `maxLength` counts and what SQLite's `length()` counts for TEXT, so a limit in a schema and
///   a `CHECK (length(x) <= n)` in a migration agree. Grapheme clusters (`String.count`) do not:
///   `"a"` followed by 150,000 combining marks is one grapheme.
/// - Text must be in UAX #15's Stream-Safe Text Format: at most ``maxNonStarters`` non-starters
///   (scalars whose canonical combining class is not 0, i.e. combining marks) in a row. No
///   language needs more. Foundation's NFC reorders a run of marks in time quadratic in its
///   length (100,000 alternating marks of two combining classes: 6 s); with runs of at most 30
///   the same text took 4.7 ms.
///
/// One linear pass over the scalars, stopping at the first scalar that breaks a rule. Scalars
/// below U+0300 are never non-starters, so ASCII and most Latin text skip the property lookup.
public enum TextMeasure {
    /// The most non-starters allowed in a row (UAX #15, Stream-Safe Text Format).
    public static let maxNonStarters = 30

    /// The outcome of ``check(_:maxScalars:)``.
    public enum Verdict: Sendable, Equatable {
        /// Within the limit and stream-safe.
        case fits
        /// More scalars than the limit; `scalars` is the whole count.
        case tooLong(scalars: Int)
        /// More than ``maxNonStarters`` non-starters in a row, starting at scalar `offset`.
        case notStreamSafe(offset: Int)
    }

    /// Checks `text` against a scalar limit (none when `nil`) and the stream-safe rule, in one
    /// pass that stops at the first broken rule.
    public static func check(_ text: String, maxScalars: Int? = nil) -> Verdict {
        let limit = maxScalars ?? Int.max
        var count = 0
        var run = 0
        for scalar in text.unicodeScalars {
            count += 1
            if count > limit { return .tooLong(scalars: text.unicodeScalars.count) }
            if scalar.value >= 0x300, scalar.properties.canonicalCombiningClass != .notReordered {
                run += 1
                if run > maxNonStarters { return .notStreamSafe(offset: count - run) }
            } else {
                run = 0
            }
        }
        return .fits
    }

    /// Whether `text` has at most ``maxNonStarters`` non-starters in a row.
    public static func isStreamSafe(_ text: String) -> Bool { check(text) == .fits }

    /// The message for a text that is not stream-safe, naming `field`.
    public static func notStreamSafeMessage(field: String) -> String {
        "\(field) has more than \(maxNonStarters) combining marks in a row; at most \(maxNonStarters) are allowed "
            + "(Unicode stream-safe text, UAX #15)"
    }

    /// The message for a text over its limit, naming `field`.
    public static func tooLongMessage(field: String, scalars: Int, limit: Int) -> String {
        "\(field) is \(scalars) Unicode scalars long; at most \(limit) allowed (lengths count Unicode scalars)"
    }
}
