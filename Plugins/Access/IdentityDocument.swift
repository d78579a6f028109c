import ReceptionPluginSDK

/// An identity document as shown at the counter: its type (`id_card`, `passport`, ...) and its
/// number. The full number is stored (the issue asks for it) but leaves the plugin only in
/// replies to admins; everything else (events, logs, listings for operators, error messages)
/// carries its last four characters.
struct IdentityDocument: Sendable {
    /// `id_card`, `passport`, ... (cleaned by its `@Param`).
    let type: String
    /// The number as its `@Param` cleans a code: white space removed, letters in upper case
    /// (`11010119900307123x` → `11010119900307123X`).
    let number: String

    /// The last four characters (Unicode scalars), the only part operators see.
    var last4: String { String(String.UnicodeScalarView(number.unicodeScalars.suffix(4))) }

    /// `id_card ****071X`, for messages and log lines.
    var masked: String { "\(type) ****\(last4)" }

    /// Checks a cleaned document number; errors name `field` and never quote the number.
    static func check(number: String, field: String = "idNumber") throws(RPCError) {
        // Counted in Unicode scalars, as schema limits and SQLite's length() count.
        guard number.unicodeScalars.count >= 4 else {
            throw RPCError.validation(
                field: field, "\(field) must have at least 4 characters (the whole document number)"
            ).localized("zh", "证件号码至少 4 位，请填写完整号码")
        }
        guard number.unicodeScalars.allSatisfy({ DeskText.isLetterOrDigit($0) || $0 == "-" }) else {
            throw RPCError.validation(field: field, "\(field) may hold only letters, digits and '-'")
                .localized("zh", "证件号码只能有字母、数字和“-”")
        }
    }
}
