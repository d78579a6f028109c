import Foundation

/// Free text as the desk types it (names, units such as `3-2-1201` or `3栋2单元1201`, carriers,
/// reasons): Unicode NFC, leading and trailing white space removed, every run of white space
/// (the ideographic space U+3000 and line breaks included) turned into one ASCII space.
/// Everything else is kept as typed: no case folding, no width folding. Shared by every
/// department so that a unit typed at one desk matches the same unit typed at another.
public enum DeskText {
    /// The normalized text.
    public static func normalize(_ text: String) -> String {
        // Most of what the desk types is already normal (`3-2-1201`, `3栋2单元 1201`, `李娜`):
        // answer that without the Unicode machinery.
        if isAlreadyNormal(text) { return text }
        return normalizeFully(text)
    }

    /// ``normalize(_:)`` without the fast path: NFC, then white space folded.
    static func normalizeFully(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
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

    /// The normalized text; a validation error naming `field` when nothing is left.
    public static func required(_ text: String, field: String) throws(RPCError) -> String {
        let normalized = normalize(text)
        guard !normalized.isEmpty else { throw RPCError.validation(field: field, "\(field) must not be empty") }
        return normalized
    }
}
