import Foundation

/// The canonical form of a unit (an address inside the property), as every department stores
/// and matches it: `3栋2单元1201`, `３栋２单元１２０１`, `3栋 2单元 1201`, `3号楼2单元1201室` and
/// `3-2-1201` are all the unit `3-2-1201`. What the desk typed is kept beside it for display.
///
/// The rules, in order:
/// 1. NFKC: full-width digits, letters and signs become ASCII (`３` → `3`, `Ａ` → `A`, `－` → `-`,
///    `／` → `/`), the ideographic space a space.
/// 2. ASCII letters are upper-cased (`b座` is `B座`), as codes are. Other scripts are kept.
/// 3. Separators: the words 号楼 栋 幢 座 单元 室 号, the signs `-` `/`, the dashes U+2010 and
///    U+2012–U+2015, the minus sign U+2212, and white space. 号楼 is read before 号.
/// 4. A run of separators is one `-`; separators at either end are dropped (`1201室` is `1201`).
///
/// Everything else is kept as it is: digits are never reinterpreted, so leading zeros stay
/// (`03-2-0801` is not `3-2-801`: a property may number rooms that way on purpose), letters
/// stay attached to what they are attached to (`B2-1201` is `B2-1201`, `B座2单元1201` is
/// `B-2-1201`), and other words (楼 alone, 层, 第, Chinese numerals) are not separators.
/// White space separates like a word does, so `3 2 1201` is `3-2-1201` (the clerk meant that)
/// and `3栋 2单元 1201` is too (the run of separators folds to one).
///
/// Stored rows are keyed by a migration, in SQL: ``unitKeyBackfillSQL(table:source:key:)`` computes the same key for
/// every text whose characters NFKC leaves alone or maps from the full-width block, which is
/// the repertoire units are typed in (ASCII, CJK ideographs, full-width forms).
extension DeskText {
    /// The canonical key of a unit (see the extension's notes). Empty when the text has no
    /// building, entrance or room in it (only separators, or nothing).
    public static func unitKey(_ text: String) -> String {
        let folded = isCompatibilityStable(text) ? text : streamSafe(text).precomposedStringWithCompatibilityMapping
        var out = String.UnicodeScalarView()
        var pendingSeparator = false
        var scalars = folded.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            if isUnitSeparator(scalar) {
                pendingSeparator = true
                continue
            }
            // The two-character words: 号楼 (号 alone is a separator too) and 单元 (单 alone is not).
            if scalar == "号" {
                if next == "楼" { next = scalars.next() }
                pendingSeparator = true
                continue
            }
            if scalar == "单", next == "元" {
                next = scalars.next()
                pendingSeparator = true
                continue
            }
            if pendingSeparator, !out.isEmpty { out.append("-") }
            pendingSeparator = false
            if (0x61...0x7A).contains(scalar.value), let upper = Unicode.Scalar(scalar.value - 0x20) {
                out.append(upper)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The unit's key; a validation error naming `field` when nothing of the unit is left
    /// (`室`, `-`): a unit must name a building, an entrance or a room.
    public static func requiredUnitKey(_ text: String, field: String) throws(RPCError) -> String {
        let key = unitKey(text)
        guard !key.isEmpty else {
            throw RPCError.validation(
                field: field, "\(field) \"\(text)\" names no building, entrance or room (e.g. 3-2-1201 or 3栋2单元1201)"
            ).localized("zh", "\(field)“\(text)”没有写出楼栋、单元或房号（如 3-2-1201 或 3栋2单元1201）")
        }
        return key
    }

    /// Whether `scalar` is a one-character separator of a unit: 栋 幢 座 室, `-`, `/`, the dashes
    /// and minus sign, or white space (号 and 单元 are handled by ``unitKey(_:)`` itself).
    static func isUnitSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "栋", "幢", "座", "室", "-", "/", "\u{2010}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}":
            return true
        default:
            return scalar.properties.isWhitespace
        }
    }

    /// Whether NFKC leaves `text` as it is: printable ASCII, spaces, and CJK unified ideographs
    /// (none has a compatibility mapping). The usual unit skips the Unicode machinery.
    static func isCompatibilityStable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return (0x20..<0x7F).contains(value) || (0x4E00...0x9FFF).contains(value)
                || (0x3400...0x4DBF).contains(value)
        }
    }

    /// SQL statements that store ``unitKey(_:)`` of `source` in `key` for every row of `table`,
    /// for the migration that adds the key to rows stored before it. They are exact for every
    /// text whose characters NFKC leaves alone or maps from the full-width block U+FF01–U+FF5E
    /// or the ideographic space (ASCII, CJK ideographs, full-width forms: what units are typed
    /// in), with white space already folded to single spaces as ``normalize(_:)`` stores it; a
    /// test holds the SQL and the Swift together.
    ///
    /// Only `UPDATE`, `replace`, `upper` and `trim` (in SQLite and PostgreSQL alike). The
    /// rewriting takes about 120 nested calls, and SQLite's parser takes about 33, so it is split
    /// into passes of ``sqlPassDepth``, each an `UPDATE` of the key by the previous pass. Shipped
    /// migrations embed this text: change the key's rules with a new function and a new
    /// migration, never by editing this one.
    public static func unitKeyBackfillSQL(table: String, source: String, key: String) -> String {
        unitKeySQLPasses().enumerated().map { index, pass in
            "UPDATE \(table) SET \(key) = \(pass(index == 0 ? source : key));"
        }.joined(separator: "\n")
    }

    /// Nested calls in one pass of ``unitKeyBackfillSQL(table:source:key:)``.
    static let sqlPassDepth = 24

    /// The passes of the key's SQL: each turns an expression (the column, or the previous pass's
    /// result) into the next; applied in order they give ``unitKey(_:)``.
    static func unitKeySQLPasses() -> [@Sendable (String) -> String] {
        var steps: [@Sendable (String) -> String] = []
        // 1. NFKC of the full-width block and the ideographic space.
        for value in UInt32(0xFF01)...0xFF5E {
            guard let wide = Unicode.Scalar(value), let narrow = Unicode.Scalar(value - 0xFEE0) else { continue }
            let from = sqlLiteral(String(wide))
            let to = sqlLiteral(String(narrow))
            steps.append { "replace(\($0), \(from), \(to))" }
        }
        steps.append { "replace(\($0), '\u{3000}', ' ')" }
        // 2. ASCII letters upper-cased.
        steps.append { "upper(\($0))" }
        // 3. Separators to '-', 号楼 before 号 and 单元 before anything else.
        let separators = [
            "号楼", "单元", "栋", "幢", "座", "室", "号", "/", " ", "\t", "\n", "\r", "\u{2010}", "\u{2012}", "\u{2013}",
            "\u{2014}", "\u{2015}", "\u{2212}",
        ]
        for separator in separators {
            steps.append { "replace(\($0), '\(separator)', '-')" }
        }
        // 4. Runs folded by halving (seven times: enough for the 64 characters a unit may have),
        // ends trimmed.
        for _ in 0..<7 { steps.append { "replace(\($0), '--', '-')" } }
        steps.append { "trim(\($0), '-')" }
        return stride(from: 0, to: steps.count, by: sqlPassDepth).map { start in
            let pass = Array(steps[start..<min(start + sqlPassDepth, steps.count)])
            return { column in pass.reduce(column) { expression, step in step(expression) } }
        }
    }

    /// `text` as a SQL string literal.
    private static func sqlLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
