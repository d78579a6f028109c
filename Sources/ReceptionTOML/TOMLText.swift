import Foundation
import TOMLKit

/// The TOML reading both config files share: parse text, naming the line of a syntax error, and
/// find the line a key is written on (TOMLKit keeps no positions for keys).
///
/// Moved out of the daemon's `ConfigFile` unchanged so receptionctl reads its per-user file with
/// the same parser and the same error wording; the keys each file accepts stay with each reader.
public enum TOMLText {
    /// Parses `text` (read from `file`) into a table. A syntax error names the line.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, key: nil, "syntax error: \(error.description)")
        } catch {
            throw ConfigError(file: file, line: nil, key: nil, "syntax error: \(error)")
        }
    }

    /// `text` split into lines, as ``line(of:in:lines:)`` takes them.
    public static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Best-effort line number (from 1) of `key` inside `[section]` (`nil` or `""`: top level or
    /// any section), for error messages.
    public static func line(of key: String, in section: String?, lines: [String]) -> Int? {
        var current = ""
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                if section == nil || section == "", current == key || current.hasPrefix(key + ".") { return index + 1 }
                continue
            }
            if (section ?? "") == current || section == nil,
                line.hasPrefix(key),
                line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=")
            {
                return index + 1
            }
            if let section, section.hasPrefix("plugins."), current == section, line.hasPrefix(key) { return index + 1 }
        }
        return nil
    }
}
