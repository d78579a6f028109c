import Foundation
import GRDB
import GRDBSQLite

/// A storage error reduced to what stays the same while it repeats, so that
/// ``RepeatingErrorLog`` counts a flood of them as one cause.
///
/// The key is SQLite's extended result code and message with every run of digits replaced
/// by `#` (a message naming a page or a size does not make a new cause); the summary is a short
/// name for status lines ("disk full").
struct StorageFailure: Sendable {
    /// The normalised cause: `"sqlite 778: disk I/O error"`.
    let key: String
    /// A short name: "disk full", "read-only database", "disk I/O error".
    let summary: String
    /// The full description, for the log.
    let message: String

    /// The failure of a GRDB call (a `DatabaseError`, or any other error by its description).
    init(_ error: any Error) {
        if let error = error as? DatabaseError {
            self.init(code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)", full: "\(error)")
        } else {
            let text = "\(error)"
            self.init(
                key: "error: " + Self.withoutNumbers(text),
                summary: text.count > 80 ? String(text.prefix(80)) + "…" : text, message: text)
        }
    }

    /// A failure SQLite reported as `code` (extended) with `message` (`sqlite3_errmsg`).
    init(code: Int32, message: String, full: String? = nil) {
        self.init(
            key: "sqlite \(code): " + Self.withoutNumbers(message), summary: Self.summary(code: code, message: message),
            message: full ?? "\(message) (SQLite code \(code))")
    }

    private init(key: String, summary: String, message: String) {
        self.key = key
        self.summary = summary
        self.message = message
    }

    /// The short name of a SQLite result code.
    static func summary(code: Int32, message: String) -> String {
        switch code & 0xff {
        case SQLITE_FULL: return "disk full"
        case SQLITE_READONLY: return "read-only database"
        case SQLITE_IOERR: return "disk I/O error"
        case SQLITE_BUSY, SQLITE_LOCKED: return "database locked"
        case SQLITE_CANTOPEN: return "cannot open the database file"
        case SQLITE_CORRUPT, SQLITE_NOTADB: return "database corrupt"
        case SQLITE_PERM, SQLITE_AUTH: return "permission denied"
        default: return message
        }
    }

    /// `"page 1234 of 99"` → `"page # of #"`.
    static func withoutNumbers(_ text: String) -> String {
        var out = ""
        var inNumber = false
        for character in text {
            if character.isASCII, character.isNumber {
                if !inNumber { out.append("#") }
                inNumber = true
            } else {
                out.append(character)
                inNumber = false
            }
        }
        return out
    }
}
