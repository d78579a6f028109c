/// An identity document as shown at the desk: its type (`id_card`, `passport`, ...) and its
/// number. Residents' and visitors' numbers are private: a department keeps what its issue says
/// (access keeps the number for admins, visitors only the last four), declares the number's
/// `@Param` `private:` (the audit keeps its last four), and puts ``last4`` or ``masked`` in every
/// reply to an operator, event, error message and log line.
public struct IdentityDocument: Sendable, Equatable {
    /// `id_card`, `passport`, ... (cleaned by its `@Param`).
    public let type: String
    /// The number as its `@Param` cleans a code: white space removed, letters in upper case
    /// (`11010119900307123x` → `11010119900307123X`).
    public let number: String

    /// The document `type`, number `number`.
    public init(type: String, number: String) {
        self.type = type
        self.number = number
    }

    /// The document of an optional pair of params, or `nil` when either is missing.
    public init?(type: String?, number: String?) {
        guard let type, let number else { return nil }
        self.init(type: type, number: number)
    }

    /// The last four characters (Unicode scalars), the only part operators see.
    public var last4: String { String(String.UnicodeScalarView(number.unicodeScalars.suffix(4))) }

    /// `id_card ****071X`, for messages and log lines.
    public var masked: String { "\(type) ****\(last4)" }

    /// Checks a cleaned document number; errors name `field` and never quote the number.
    public static func check(number: String, field: String = "idNumber") throws(RPCError) {
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

    /// Checks an optional pair of params (`idType`, `idNumber`): both or neither, the number as
    /// ``check(number:field:)`` wants it.
    public static func checkPair(type: String?, number: String?) throws(RPCError) {
        if let number {
            guard type != nil else {
                throw RPCError.validation(field: "idType", "idType is required with idNumber")
                    .localized("zh", "填了证件号码，也要填证件类型")
            }
            try check(number: number)
        } else if type != nil {
            throw RPCError.validation(field: "idNumber", "idNumber is required with idType")
                .localized("zh", "填了证件类型，也要填证件号码")
        }
    }
}
