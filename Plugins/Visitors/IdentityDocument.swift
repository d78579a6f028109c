import ReceptionPluginSDK

/// An identity document as shown at the desk: its type and its number. The number never leaves
/// the call that reads it: the visitors department stores the type and the last four characters
/// (`idLast4`) and that the document was seen and copied, and every reply, event, audit record
/// and log line carries those only (the params declare the number `private:`, so the audit keeps
/// its last four).
struct IdentityDocument: Sendable {
    /// The type and the number as the params give them.
    init(type: String, number: String) {
        self.type = type
        self.number = number
    }

    /// `passport`, `id_card`, ... (one of ``VisitorsConfig/documents``).
    let type: String
    /// The number as its `@Param` cleans a code: white space removed, letters in upper case.
    let number: String

    /// The last four characters (Unicode scalars), the only part kept.
    var last4: String { String(String.UnicodeScalarView(number.unicodeScalars.suffix(4))) }

    /// `passport ****1234`, for messages and log lines.
    var masked: String { "\(type) ****\(last4)" }

    /// The document of an optional pair of params, or `nil` when neither is given.
    init?(type: String?, number: String?) {
        guard let type, let number else { return nil }
        self.init(type: type, number: number)
    }

    /// Checks an optional pair of params (`idType`, `idNumber`): both or neither, the number as
    /// ``check(number:field:)`` wants it.
    static func checkPair(type: String?, number: String?) throws(RPCError) {
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
