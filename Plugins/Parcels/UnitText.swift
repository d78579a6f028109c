import Foundation

/// Free text as the desk types it (units such as `3-2-1201` or `3栋2单元1201`, names, carriers):
/// Unicode NFC, leading and trailing white space removed, every run of white space (including
/// the ideographic space U+3000 and line breaks) turned into one ASCII space. Everything else is
/// kept as typed: no case folding, no width folding.
enum UnitText {
    /// The normalized text.
    static func normalize(_ text: String) -> String {
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

    /// The normalized text, or `nil` when nothing is left (absent or only white space).
    static func optional(_ text: String?) -> String? {
        guard let text else { return nil }
        let normalized = normalize(text)
        return normalized.isEmpty ? nil : normalized
    }
}

/// Milliseconds since 1970, the integer stored beside every ISO 8601 time for ordering and ranges.
enum EpochMillis {
    /// `date` in whole milliseconds.
    static func of(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
