import Foundation
import ReceptionProtocol

/// Free text as the desk types it (names, units such as `3-2-1201` or `3栋2单元1201`, carriers,
/// reasons): Unicode NFC, leading and trailing white space removed, every run of white space
/// (the ideographic space U+3000 and line breaks included) turned into one ASCII space.
/// Everything else is kept as typed: no case folding, no width folding. Shared by every
/// department so that text typed at one desk reads the same at another; units are compared
/// by their canonical form, ``unitKey(_:)``, which also folds width, case and the building words.
///
/// Normalization is linear in the text's length. Foundation's NFC is quadratic in a run of
/// combining marks it must reorder (100,000 marks of two classes: 6 s, on the writer), so text
/// is made stream-safe first
/// (UAX #15: at most 30 combining marks in a row, see ``TextMeasure``). Params that came through
/// a method's schema already are: the daemon refuses any other string before the plugin runs.
/// For text from elsewhere, ``required(_:field:)`` and ``checked(_:field:)`` refuse a longer run
/// with a validation error naming the field, and ``normalize(_:)`` (which cannot fail) breaks
/// such a run with U+034F COMBINING GRAPHEME JOINER every 30 marks, UAX #15's Stream-Safe Text
/// Process, so it never does more than linear work either.
public enum DeskText {
    /// The normalized text. Linear time for any input (see the type's notes on stream-safe text).
    public static func normalize(_ text: String) -> String {
        // Most of what the desk types is already normal (`3-2-1201`, `3栋2单元 1201`, `李娜`):
        // answer that without the Unicode machinery.
        if isAlreadyNormal(text) { return text }
        return normalizeFully(text)
    }

    /// The normalized text; a validation error naming `field` when it has more than 30
    /// combining marks in a row, found in one pass before any normalization.
    public static func checked(_ text: String, field: String) throws(RPCError) -> String {
        guard TextMeasure.isStreamSafe(text) else {
            throw RPCError.validation(field: field, TextMeasure.notStreamSafeMessage(field: field))
        }
        return normalize(text)
    }

    /// ``normalize(_:)`` without the fast path: stream-safe, NFC, then white space folded.
    static func normalizeFully(_ text: String) -> String {
        let composed = streamSafe(text).precomposedStringWithCanonicalMapping
        var out = ""
        out.reserveCapacity(composed.utf8.count)
        var pendingSpace = false
        for character in composed {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(character)
        }
        return out
    }

    /// `text` in Stream-Safe Text Format (UAX #15): after every 30 combining marks in a row a
    /// U+034F COMBINING GRAPHEME JOINER (a starter that changes no rendering) is inserted, so no
    /// run that NFC reorders is longer than 30. Text that is stream-safe already comes back as it is.
    static func streamSafe(_ text: String) -> String {
        if TextMeasure.isStreamSafe(text) { return text }
        var out = String.UnicodeScalarView()
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x300, scalar.properties.canonicalCombiningClass != .notReordered {
                if run == TextMeasure.maxNonStarters {
                    out.append(Self.graphemeJoiner)
                    run = 0
                }
                run += 1
            } else {
                run = 0
            }
            out.append(scalar)
        }
        return String(out)
    }

    /// U+034F COMBINING GRAPHEME JOINER: canonical combining class 0, no visible effect.
    static let graphemeJoiner: Unicode.Scalar = "\u{34F}"

    /// Whether `scalar` is a letter or a digit of any script (general category L* or N*): what
    /// a document number's characters may be.
    public static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
            .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Whether `text` is already normal: printable ASCII and CJK unified ideographs only (both
    /// are NFC as they stand: no ideograph decomposes or combines), with no space at either end
    /// and no two spaces in a row.
    static func isAlreadyNormal(_ text: String) -> Bool {
        var previousWasSpace = true  // a leading space counts as "two in a row"
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x20 {
                if previousWasSpace { return false }
                previousWasSpace = true
                continue
            }
            guard
                (0x21..<0x7F).contains(value) || (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            else { return false }
            previousWasSpace = false
        }
        return !previousWasSpace || text.isEmpty
    }

    /// The normalized text, or `nil` when nothing is left (absent or only white space).
    public static func optional(_ text: String?) -> String? {
        guard let text else { return nil }
        let normalized = normalize(text)
        return normalized.isEmpty ? nil : normalized
    }

    /// The normalized text; a validation error naming `field` when nothing is left, or when it
    /// has more than 30 combining marks in a row (checked before normalizing).
    public static func required(_ text: String, field: String) throws(RPCError) -> String {
        let normalized = try checked(text, field: field)
        guard !normalized.isEmpty else {
            throw RPCError.validation(field: field, "\(field) must not be empty").localized("zh", "\(field) 不能为空")
        }
        return normalized
    }

    /// Free text (a note): trimmed and NFC, line breaks and inner spacing kept.
    public static func note(_ text: String) -> String {
        streamSafe(text).trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
    }

    /// A code printed on a card or tag, as stored and looked up: white space removed, letters
    /// upper-cased (`t000123` and ` T000123 ` name the same badge).
    public static func code(_ text: String) -> String {
        // Codes as printed are upper-case ASCII letters, digits and '-' already.
        if text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || $0 == 0x2D }) {
            return text
        }
        return String(normalize(text).filter { !$0.isWhitespace }).uppercased()
    }
}
