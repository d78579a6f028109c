import Foundation
import ReceptionPluginSDK

/// `access.keys.checkout` and `access.keys.checkin`: lending keys.
///
/// A key is out to one borrower at a time. Two desks lending the same key at once both reach
/// the single writer; the first one's conditional update (`status = 'in'`) takes the key, the
/// second finds it out and gets `conflict` with who has it since when. The partial unique index
/// on open loans backs that up.
enum KeyLending {
    /// `access.keys.checkout`.
    static let checkoutMethod: Method<AccessPlugin> = .write(
        "access.keys.checkout",
        "Lends a key: to staff, or to an external borrower against an identity document and a deposit.",
        params: Schema.object(
            [
                "tag": KeyRegister.tagSchema,
                "borrower": Schema.string("Who takes the key", maxLength: KeyLimits.borrower),
                "borrowerType": Schema.string("staff or external", oneOf: ["staff", "external"]),
                "idType": Schema.string(
                    "External: identity document type (id_card, passport, ...)", maxLength: BadgeLimits.idType),
                "idNumber": Schema.string(
                    "External: the document's number (stored; shown in full to admins only)",
                    maxLength: BadgeLimits.idNumber),
                "deposit": Schema.integer(
                    "External: the deposit taken, minor units", minimum: 0,
                    maximum: AccessConfig.maxAmount),
                "dueBack": Schema.string(
                    "When it must be back: ISO 8601 with offset, e.g. 2026-11-26T18:00:00+08:00", maxLength: 40),
                "authorisationRef": Schema.string(
                    "The owner's authorisation reference (required to lend an owner_deposited key to a visitor)",
                    maxLength: BadgeLimits.reference),
                "note": Schema.string("Anything else (what for)", maxLength: KeyLimits.note),
            ], required: ["tag", "borrower", "borrowerType", "dueBack"]),
        redact: ["idNumber"]
    ) { (plugin, params: CheckoutParams, context) in
        try checkout(params, plugin: plugin, context: context)
    }

    static func checkout(_ params: CheckoutParams, plugin: AccessPlugin, context: WriteContext) throws -> JSONValue {
        let db = context.db
        let now = context.now
        let tag = try Text.requiredCode(params.tag, field: "tag")
        let borrower = try DeskText.required(params.borrower, field: "borrower")
        let external = params.borrowerType == "external"
        var document: IdentityDocument?
        if params.idType != nil || params.idNumber != nil {
            guard let type = params.idType else {
                throw RPCError.validation(field: "idType", "idType is required with idNumber")
            }
            guard let number = params.idNumber else {
                throw RPCError.validation(field: "idNumber", "idNumber is required with idType")
            }
            document = try IdentityDocument(type: type, number: number)
        }
        let deposit = params.deposit ?? 0
        if external {
            guard document != nil else {
                throw RPCError(
                    .validation, "an external borrower must give an identity document (idType and idNumber)",
                    field: params.idType == nil ? "idType" : "idNumber", details: ["rule": "external_requires_id"])
            }
            guard deposit >= plugin.config.keyDepositMinimum else {
                throw RPCError(
                    .validation,
                    "an external borrower must give a deposit of at least \(plugin.config.keyDepositMinimum)",
                    field: "deposit",
                    details: ["rule": "external_requires_deposit", "minimum": .int(plugin.config.keyDepositMinimum)])
            }
        }
        guard let due = Timestamp.parse(params.dueBack.trimmingCharacters(in: .whitespaces)) else {
            throw RPCError.validation(
                field: "dueBack",
                "dueBack must be an ISO 8601 time with offset, e.g. 2026-11-26T18:00:00+08:00; got \"\(params.dueBack)\""
            )
        }
        guard due > now else {
            throw RPCError(
                .validation, "dueBack \(Timestamp.format(due)) is not in the future", field: "dueBack",
                details: ["rule": "due_in_future"])
        }

        guard let key = try KeyLookup.current(tag: tag, in: db) else {
            throw KeyLookup.retired(try KeyLookup.existing(tag: tag, in: db), action: "lend")
        }
        if let loan = key.loan { throw conflict(key, loan) }
        let authorisationRef = DeskText.optional(params.authorisationRef)
        if key.category == "owner_deposited", external, authorisationRef == nil {
            throw RPCError(
                .validation,
                "key \(tag) was deposited by its owner: it is handed to a visitor only with the owner's authorisation reference (authorisationRef)",
                field: "authorisationRef", details: ["rule": "owner_authorisation_required", "tag": .string(tag)])
        }

        let outBy = Actor.name(context.caller)
        try db.execute(
            """
            INSERT INTO access_key_loans (key_id, tag, borrower, borrower_type, id_type, id_number, id_last4, deposit,
                authorisation_ref, note, out_at, out_ms, out_by, due_back, due_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                key.id, tag, borrower, params.borrowerType, document?.type, document?.number, document?.last4, deposit,
                authorisationRef, DeskText.optional(params.note), Timestamp.format(now), EpochMillis.of(now), outBy,
                Timestamp.format(due), EpochMillis.of(due),
            ])
        let loanID = db.lastInsertRowID
        try db.execute(
            "UPDATE access_keys SET status = 'out', loan_id = ? WHERE id = ? AND status = 'in'", [loanID, key.id])
        guard db.changes == 1 else {
            throw RPCError.internalError("key \(tag) changed under the writer")
        }
        var receipt: JSONValue = .null
        if deposit > 0 {
            receipt = try Ledger.record(
                Receipt(operation: "checkout", key: tag, deposit: deposit), plugin: plugin, context: context)
            if let number = receipt["number"]?.stringValue {
                try db.execute("UPDATE access_key_loans SET deposit_receipt = ? WHERE id = ?", [number, loanID])
            }
        }
        guard let stored = try KeyLookup.current(tag: tag, in: db) else {
            throw RPCError.internalError("key \(tag) vanished")
        }
        let view = KeyView(now: now, caller: context.caller)
        try context.emit("access.key.out", ["key": view.publicKey(stored), "receipt": receipt] as JSONValue)
        let who = document.map { " (\($0.masked))" } ?? ""
        context.log.info(
            "key \(tag) lent to \(params.borrowerType) \(borrower)\(who), due back \(Timestamp.format(due))")
        return ["key": view.key(stored), "receipt": receipt] as JSONValue
    }

    /// `conflict`: the key is out, saying who has it since when.
    static func conflict(_ key: Key, _ loan: KeyLoan) -> RPCError {
        RPCError(
            .conflict,
            "key \(key.tag) is already out: lent to \(loan.borrower) since \(loan.outAt), due back \(loan.dueBack)",
            field: "tag",
            details: [
                "tag": .string(key.tag), "borrower": .string(loan.borrower),
                "borrowerType": .string(loan.borrowerType), "since": .string(loan.outAt),
                "dueBack": .string(loan.dueBack),
            ])
    }

    /// `access.keys.checkin`.
    static let checkinMethod: Method<AccessPlugin> = .write(
        "access.keys.checkin", "Takes a lent key back and refunds the borrower's deposit.",
        params: Schema.object(
            [
                "tag": KeyRegister.tagSchema,
                "note": Schema.string("Anything else (condition...)", maxLength: KeyLimits.note),
            ], required: ["tag"])
    ) { (plugin, params: CheckinParams, context) in
        let db = context.db
        let now = context.now
        let tag = try Text.requiredCode(params.tag, field: "tag")
        let key = try KeyLookup.existing(tag: tag, in: db)
        if key.status == "retired" { throw KeyLookup.retired(key, action: "check in") }
        guard let loan = key.loan, key.status == "out" else {
            throw RPCError.invalidState(
                "cannot check in key \(tag): it is in the cabinet (hook \(key.hook)), not lent",
                details: ["tag": .string(tag), "status": .string(key.status)])
        }
        let inBy = Actor.name(context.caller)
        try db.execute(
            """
            UPDATE access_key_loans SET in_at = ?, in_ms = ?, in_by = ?,
                note = CASE WHEN ? IS NULL THEN note ELSE ifnull(note || ' / ', '') || ? END
            WHERE id = ? AND in_ms IS NULL
            """,
            [
                Timestamp.format(now), EpochMillis.of(now), inBy, DeskText.optional(params.note),
                DeskText.optional(params.note), loan.id,
            ])
        guard db.changes == 1 else { throw RPCError.internalError("loan of \(tag) changed under the writer") }
        try db.execute("UPDATE access_keys SET status = 'in', loan_id = NULL WHERE id = ?", [key.id])
        var receipt: JSONValue = .null
        if loan.deposit > 0 {
            receipt = try Ledger.record(
                Receipt(operation: "checkin", key: tag, refund: loan.deposit), plugin: plugin, context: context)
            if let number = receipt["number"]?.stringValue {
                try db.execute("UPDATE access_key_loans SET refund_receipt = ? WHERE id = ?", [number, loan.id])
            }
        }
        guard let stored = try KeyLookup.current(tag: tag, in: db),
            let closed = try db.queryOne(
                "SELECT \(KeyLoan.columns("l")) FROM access_key_loans l WHERE l.id = ?", [loan.id]
            ).map(KeyLoan.init(row:))
        else { throw RPCError.internalError("key \(tag) vanished") }
        let view = KeyView(now: now, caller: context.caller)
        try context.emit(
            "access.key.in",
            [
                "key": view.publicKey(stored), "loan": closed.json(showIdNumber: false), "refund": .int(loan.deposit),
                "receipt": receipt,
            ] as JSONValue)
        return [
            "key": view.key(stored), "loan": closed.json(showIdNumber: view.admin), "refund": .int(loan.deposit),
            "receipt": receipt,
        ] as JSONValue
    }
}

/// The params of `access.keys.checkout`.
struct CheckoutParams: Decodable, Sendable {
    let tag: String
    let borrower: String
    let borrowerType: String
    let idType: String?
    let idNumber: String?
    let deposit: Int64?
    let dueBack: String
    let authorisationRef: String?
    let note: String?
}

/// The params of `access.keys.checkin`.
struct CheckinParams: Decodable, Sendable {
    let tag: String
    let note: String?
}
