import Foundation

/// Free text as the desk types it (names, units such as `3-2-1201` or `3栋2单元1201`, carriers,
/// reasons): Unicode NFC, leading and trailing white space removed, every run of white space
/// (the ideographic space U+3000 and line breaks included) turned into one ASCII space.
/// Everything else is kept as typed: no case folding, no width folding. Shared by every
/// department so that a unit typed at one desk matches the same unit typed at another.
public enum DeskText {
    /// The normalized text.
    public static func normalize(_ text: String) -> String {
        // Most of what the desk types is already normal: printable ASCII, single spaces inside
        // (ASCII is NFC). Answer that without the Unicode machinery.
        if isNormalASCII(text) { return text }
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

    /// Whether `text` is printable ASCII with no space at either end and no two spaces in a row.
    static func isNormalASCII(_ text: String) -> Bool {
        var previous: UInt8 = 0x20  // a leading space counts as "two in a row"
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F, !(byte == 0x20 && previous == 0x20) else { return false }
            previous = byte
        }
        return previous != 0x20 || text.utf8.isEmpty
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
