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
        zh: "借出钥匙：借给员工，或凭证件和押金借给外来人员。",
        display: DisplayHints(title: "tag", columns: KeyRegister.columns, money: Money.key)
    ) { (plugin, params: CheckoutParams, context) in
        try checkout(params, plugin: plugin, context: context)
    }

    static func checkout(_ params: CheckoutParams, plugin: AccessPlugin, context: AccessWrite) throws -> JSONValue {
        let db = context.db
        let tag = params.tag
        let external = params.borrowerType == .external
        let deposit = params.deposit ?? 0
        if external, deposit < plugin.config.keyDepositMinimum {
            throw RPCError(
                .validation, "an external borrower must give a deposit of at least \(plugin.config.keyDepositMinimum)",
                field: "deposit",
                details: ["rule": "external_requires_deposit", "minimum": .int(plugin.config.keyDepositMinimum)]
            ).localized("zh", "外来人员借钥匙须交押金，至少 \(Money.yuan(plugin.config.keyDepositMinimum))")
        }
        guard params.dueBack > context.now else {
            throw RPCError(
                .validation, "dueBack \(Timestamp.format(params.dueBack)) is not in the future", field: "dueBack",
                details: ["rule": "due_in_future"]
            ).localized("zh", "应还时间 \(Timestamp.format(params.dueBack)) 已经过了，须晚于现在")
        }
        guard let found = try KeyLookup.current(tag: tag, in: db) else {
            throw KeyLookup.retired(try KeyLookup.existing(tag: tag, in: db).key, action: "lend")
        }
        if let loan = found.loan { throw conflict(found.key, loan) }
        if found.key.category == KeyCategory.ownerDeposited.rawValue, external, params.authorisationRef == nil {
            throw RPCError(
                .validation,
                "key \(tag) was deposited by its owner: it is handed to a visitor only with the owner's authorisation reference (authorisationRef)",
                field: "authorisationRef", details: ["rule": "owner_authorisation_required", "tag": .string(tag)]
            ).localized("zh", "钥匙 \(tag) 是业主寄存的：借给外来人员须有业主授权（请填写授权书编号）")
        }

        var loan = KeyLoan()
        loan.keyId = found.key.id
        loan.tag = tag
        loan.borrower = params.borrower
        loan.borrowerType = params.borrowerType.rawValue
        if let document = params.document {
            loan.idType = document.type
            loan.idNumber = document.number
            loan.idLast4 = document.last4
        }
        loan.deposit = deposit
        loan.authorisationRef = params.authorisationRef
        loan.note = params.note
        loan.since = context.stamp.time
        loan.outMs = context.stamp.ms
        loan.lentBy = context.stamp.by
        loan.dueBack = Timestamp.format(params.dueBack)
        loan.dueMs = EpochMillis.of(params.dueBack)
        loan.id = try loan.insert(into: db)
        try db.execute(
            "UPDATE access_keys SET status = 'out', loan_id = ? WHERE id = ? AND status = 'in'",
            [loan.id, found.key.id])
        guard db.changes == 1 else { throw RPCError.internalError("key \(tag) changed under the writer") }
        var receipt: JSONValue = .null
        if deposit > 0 {
            let stored = try Ledger.record(
                Receipt("checkout", key: tag, deposit: deposit), plugin: plugin, context: context)
            try db.execute("UPDATE access_key_loans SET deposit_receipt = ? WHERE id = ?", [stored.number, loan.id])
            receipt = stored.reply
        }
        var lent = found
        lent.key.status = "out"
        lent.key.loanId = loan.id
        lent.loan = loan
        let nowMs = context.stamp.ms
        try context.emit(
            .keyOut, ["key": lent.json(nowMs: nowMs, showPrivate: false), "receipt": receipt] as JSONValue)
        let who = params.document.map { " (\($0.masked))" } ?? ""
        context.log.info(
            "key \(tag) lent to \(params.borrowerType.rawValue) \(params.borrower)\(who), due back \(loan.dueBack)")
        return ["key": lent.json(nowMs: nowMs, showPrivate: context.caller.isAdmin), "receipt": receipt] as JSONValue
    }

    /// `conflict`: the key is out, saying who has it since when.
    static func conflict(_ key: Key, _ loan: KeyLoan) -> RPCError {
        RPCError(
            .conflict,
            "key \(key.tag) is already out: lent to \(loan.borrower) since \(loan.since), due back \(loan.dueBack)",
            field: "tag",
            details: [
                "tag": .string(key.tag), "borrower": .string(loan.borrower),
                "borrowerType": .string(loan.borrowerType), "since": .string(loan.since),
                "dueBack": .string(loan.dueBack),
            ]
        ).localized(
            "zh", "钥匙 \(key.tag) 已借出：\(loan.since) 起借给 \(loan.borrower)，应还时间 \(loan.dueBack)")
    }

    /// `access.keys.checkin`.
    static let checkinMethod: Method<AccessPlugin> = .write(
        "access.keys.checkin", "Takes a lent key back and refunds the borrower's deposit.",
        zh: "收回借出的钥匙，退还借用人的押金。",
        display: DisplayHints(title: "tag", columns: KeyRegister.columns, money: Money.key)
    ) { (plugin, params: CheckinParams, context) in
        let db = context.db
        let tag = params.tag
        let found = try KeyLookup.existing(tag: tag, in: db)
        if found.key.status == "retired" { throw KeyLookup.retired(found.key, action: "check in") }
        guard var loan = found.loan, found.key.status == "out" else {
            throw RPCError.invalidState(
                "cannot check in key \(tag): it is in the cabinet (hook \(found.key.hook)), not lent",
                details: ["tag": .string(tag), "status": .string(found.key.status)]
            ).localized("zh", "钥匙 \(tag) 无法归还：它在钥匙柜里（挂钩 \(found.key.hook)），没有借出")
        }
        if let note = params.note { loan.note = loan.note.map { "\($0) / \(note)" } ?? note }
        try db.execute(
            "UPDATE access_key_loans SET in_at = ?, in_ms = ?, in_by = ?, note = ? WHERE id = ? AND in_ms IS NULL",
            [context.stamp.time, context.stamp.ms, context.stamp.by, loan.note, loan.id])
        guard db.changes == 1 else { throw RPCError.internalError("loan of \(tag) changed under the writer") }
        try db.execute("UPDATE access_keys SET status = 'in', loan_id = NULL WHERE id = ?", [found.key.id])
        loan.returnedAt = context.stamp.time
        loan.inMs = context.stamp.ms
        loan.receivedBy = context.stamp.by
        var receipt: JSONValue = .null
        if loan.deposit > 0 {
            let stored = try Ledger.record(
                Receipt("checkin", key: tag, refund: loan.deposit), plugin: plugin, context: context)
            try db.execute("UPDATE access_key_loans SET refund_receipt = ? WHERE id = ?", [stored.number, loan.id])
            receipt = stored.reply
        }
        var returned = RegisteredKey(key: found.key)
        returned.key.status = "in"
        returned.key.loanId = nil
        let nowMs = context.stamp.ms
        let admin = context.caller.isAdmin
        try context.emit(
            .keyIn,
            [
                "key": returned.json(nowMs: nowMs, showPrivate: false), "loan": loan.jsonValue(),
                "refund": .int(loan.deposit), "receipt": receipt,
            ] as JSONValue)
        return [
            "key": returned.json(nowMs: nowMs, showPrivate: admin), "loan": loan.jsonValue(showPrivate: admin),
            "refund": .int(loan.deposit), "receipt": receipt,
        ] as JSONValue
    }
}

/// Who takes a key.
enum BorrowerType: String, ParamChoice {
    /// The desk's own people: no document, no deposit.
    case staff
    /// Anyone else: an identity document and a deposit.
    case external

    var label: String {
        switch self {
        case .staff: "员工"
        case .external: "外来人员"
        }
    }
}

/// The params of `access.keys.checkout`.
struct CheckoutParams: MethodParams {
    @Param("The key's tag, e.g. K-0012", zh: "钥匙编号，如 K-0012", maxLength: 32, text: .code, positional: true)
    var tag: String
    @Param("Who takes the key", zh: "借钥匙的人", maxLength: 100) var borrower: String
    @Param("staff or external", zh: "员工或外来人员") var borrowerType: BorrowerType
    @Param(
        "External: identity document type (id_card, passport, ...)", zh: "外来人员：证件类型，如身份证（id_card）、护照（passport）",
        maxLength: 32)
    var idType: String?
    @Param(
        "External: the document's number (stored; shown in full to admins only)",
        zh: "外来人员：证件号码（完整保存，只有管理员能看到全号）", maxLength: 32, text: .code,
        private: true)
    var idNumber: String?
    @Param(
        "External: the deposit taken", zh: "外来人员：收取的押金（元）", minimum: 0, maximum: AccessConfig.maxAmount,
        format: .money)
    var deposit: Int64?
    @Param(
        "When it must be back, e.g. 18:00 or tomorrow 12:00", zh: "应还时间，如 18:00 或 tomorrow 12:00（明天 12:00）")
    var dueBack: Date
    @Param(
        "The owner's authorisation reference (required to lend an owner_deposited key to a visitor)",
        zh: "业主授权书编号（业主寄存的钥匙借给外来人员时必填）", maxLength: 64)
    var authorisationRef: String?
    @Param("Anything else (what for)", zh: "备注（借去做什么）", maxLength: 500) var note: String?

    func validate() throws(RPCError) {
        if let idNumber {
            guard idType != nil else {
                throw RPCError.validation(field: "idType", "idType is required with idNumber")
                    .localized("zh", "填了证件号码，也要填证件类型")
            }
            try IdentityDocument.check(number: idNumber)
        } else if idType != nil {
            throw RPCError.validation(field: "idNumber", "idNumber is required with idType")
                .localized("zh", "填了证件类型，也要填证件号码")
        }
        if borrowerType == .external, idNumber == nil {
            throw RPCError(
                .validation, "an external borrower must give an identity document (idType and idNumber)",
                field: "idType", details: ["rule": "external_requires_id"]
            ).localized("zh", "外来人员借钥匙须登记证件（证件类型和证件号码）")
        }
    }

    /// The borrower's document, when one was given.
    var document: IdentityDocument? {
        guard let idType, let idNumber else { return nil }
        return IdentityDocument(type: idType, number: idNumber)
    }
}

/// The params of `access.keys.checkin`.
struct CheckinParams: MethodParams {
    @Param("The key's tag, e.g. K-0012", zh: "钥匙编号，如 K-0012", maxLength: 32, text: .code, positional: true)
    var tag: String
    @Param("Anything else (condition...)", zh: "备注（钥匙状况等）", maxLength: 500) var note: String?
}
