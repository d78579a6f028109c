import Foundation
import ReceptionPluginSDK

/// Codes and JSON helpers on top of the SDK's ``DeskText`` normalization.
enum Text {
    /// A badge number or key tag as stored and looked up: white space removed, letters in upper
    /// case (`t000123` and ` T000123 ` name the same badge).
    static func code(_ text: String) -> String {
        // Numbers as printed on passes and tags are upper-case letters and digits already.
        if text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || $0 == 0x2D }) {
            return text
        }
        return String(DeskText.normalize(text).filter { !$0.isWhitespace }).uppercased()
    }

    /// ``code(_:)``; a validation error naming `field` when nothing is left.
    static func requiredCode(_ text: String, field: String) throws(RPCError) -> String {
        let value = code(text)
        guard !value.isEmpty else { throw RPCError.validation(field: field, "\(field) must not be empty") }
        return value
    }

    /// A JSON string, or `null`.
    static func json(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
}

/// An identity document as shown at the counter: its type (`id_card`, `passport`, ...) and its
/// number. The full number is stored (the issue asks for it) but leaves the plugin only in
/// replies to admins; everything else (events, logs, listings for operators, error messages)
/// carries its last four characters.
struct IdentityDocument: Sendable {
    /// `id_card`, `passport`, ...
    let type: String
    /// The number: white space removed, letters in upper case (`11010119900307123x` →
    /// `11010119900307123X`).
    let number: String

    /// The last four characters (Unicode scalars), the only part operators see.
    var last4: String { String(String.UnicodeScalarView(number.unicodeScalars.suffix(4))) }

    /// Checks and normalizes a document; errors name `typeField`/`numberField` and never quote
    /// the number.
    init(type: String, number: String, typeField: String = "idType", numberField: String = "idNumber")
        throws(RPCError)
    {
        self.type = try DeskText.required(type, field: typeField)
        let cleaned = Text.code(number)
        // Counted in Unicode scalars, as schema limits and SQLite's length() count.
        guard cleaned.unicodeScalars.count >= 4 else {
            throw RPCError.validation(
                field: numberField, "\(numberField) must have at least 4 characters (the whole document number)")
        }
        guard cleaned.unicodeScalars.allSatisfy({ DeskText.isLetterOrDigit($0) || $0 == "-" }) else {
            throw RPCError.validation(
                field: numberField, "\(numberField) may hold only letters, digits and '-'")
        }
        self.number = cleaned
    }

    /// `id_card ****071X`, for messages and log lines.
    var masked: String { "\(type) ****\(last4)" }
}

/// Who did something at the desk, as recorded.
enum Actor {
    /// The operator the connection named with `daemon.hello`, else `uid N`.
    static func name(_ caller: Caller) -> String {
        if let name = caller.operator, !name.isEmpty { return name }
        return "uid \(caller.uid)"
    }
}
