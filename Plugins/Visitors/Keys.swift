import Foundation
import ReceptionPluginSDK

/// A key a resident left at the desk for a named visitor. The key itself is on the access
/// plugin's key register (category `owner_deposited`, the host's unit, `tag` on `hook`); this
/// record keeps which visitor it is for and the resident's authorisation.
struct KeyDeposit: Record {
    static let table = "visitors_key_deposits"

    @Column(wire: .hidden) var id: Int64
    @Column("KD20261206-0001: KD, the day it was left, its number of the day") var deposit: String
    @Column("The key's tag on the access plugin's key register") var tag: String
    @Column("The cabinet hook it hangs on") var hook: String
    @Column(format: .unit) var hostUnit: String
    @Column(wire: .hidden) var hostUnitKey: String
    @Column("The resident who left the key") var hostName: String
    @Column("The resident's authorisation reference") var authorisationRef: String
    @Column("The visitor the key is for") var name: String
    @Column("The visitor's document type") var idType: String
    @Column("Its number's last four characters") var idLast4: String
    @Column("The announcement the visitor's document came from") var expected: String?
    @Column("held or handed_over") var status: String
    @Column(format: .dateTime) var depositedAt: String
    @Column(wire: .hidden) var depositedMs: Int64
    @Column var depositedBy: String
    @Column(format: .dateTime) var handedOverAt: String?
    @Column var handedOverBy: String?
    @Column("The visitor signed for the key") var visitorSigned: Bool?
    @Column("The document checked at the hand-over") var handoverIdType: String?
    @Column("Its number's last four characters") var handoverIdLast4: String?
}

/// `visitors.keys.deposit` and `visitors.keys.handOver`: keys left for visitors, kept on the
/// access plugin's key register. The visitors plugin does not import the access plugin: it calls
/// `access.keys.register` and `access.keys.checkout` through ``WriteContext/call(_:_:)``, inside
/// this call's transaction as the same caller, so the key and this department's record commit
/// together or not at all. Without the access plugin both methods are `unavailable`.
enum Keys {
    /// The columns worth showing of one deposited key.
    static let columns = [
        "deposit", "tag", "hook", "hostUnit", "name", "status", "depositedAt", "handedOverAt",
    ]
    /// How `daemon.methods` suggests showing one deposited key.
    static let display = DisplayHints(title: "deposit", columns: columns)

    /// `visitors.keys.deposit`: a resident leaves a key at the desk for a named visitor.
    static let depositMethod: Method<VisitorsPlugin> = .write(
        "visitors.keys.deposit",
        "Records a key a resident leaves for a named visitor: it goes on the access plugin's key register (owner_deposited) with the resident's authorisation; the visitor's document (type and last four) comes from the announcement or is given here.",
        zh: "登记住户留给指定访客的钥匙：钥匙登记到门禁钥匙登记簿（业主寄存），附住户授权；访客证件（类型和后四位）取自预约或在此填写。",
        display: display, result: KeyDeposit.self
    ) { (plugin, params: DepositParams, context) -> JSONValue in
        let db = context.db
        let unitKey = try DeskText.requiredUnitKey(params.hostUnit, field: "hostUnit")
        let idType: String
        let idLast4: String
        if let document = params.document {
            _ = try plugin.config.document(document.type)
            idType = document.type
            idLast4 = document.last4
        } else if let expected = params.expected {
            let announcement = try Announcements.existing(expected, in: db)
            guard announcement.hostUnitKey == unitKey, Names.same(announcement.name, params.name) else {
                throw RPCError(
                    .validation, "announcement \(expected) is not for \(params.name) at \(params.hostUnit)",
                    field: "expected",
                    details: ["rule": "announcement_mismatch", "expected": .string(expected)]
                ).localized("zh", "预约 \(expected) 不是\(params.hostUnit)给\(params.name)的")
            }
            guard let type = announcement.idType, let last4 = announcement.idLast4 else {
                throw documentRequired(params.name)
            }
            idType = type
            idLast4 = last4
        } else {
            throw documentRequired(params.name)
        }
        let note =
            "left by \(params.hostName) for \(params.name) (authorisation \(params.authorisationRef))"
        _ = try access(context) {
            try context.call(
                "access.keys.register",
                [
                    "tag": .string(params.tag), "category": "owner_deposited",
                    "unit": .string(params.hostUnit),
                    "hook": .string(params.hook), "note": .string(note),
                ])
        }
        let clock = LocalTime(zone: context.timeZone)
        var deposit = KeyDeposit()
        deposit.deposit = try Numbers.next("KD", on: clock.day(of: context.now), in: db)
        deposit.tag = params.tag
        deposit.hook = params.hook
        deposit.hostUnit = params.hostUnit
        deposit.hostUnitKey = unitKey
        deposit.hostName = params.hostName
        deposit.authorisationRef = params.authorisationRef
        deposit.name = params.name
        deposit.idType = idType
        deposit.idLast4 = idLast4
        deposit.expected = params.document == nil ? params.expected : nil
        deposit.status = "held"
        deposit.depositedAt = context.stamp.time
        deposit.depositedMs = context.stamp.ms
        deposit.depositedBy = context.stamp.by
        deposit.id = try deposit.insert(into: db)
        let reply = deposit.jsonValue()
        try context.emit(.keyDeposited, reply)
        return reply
    }

    /// `visitors.keys.handOver`: the named visitor takes the key after a strict document check.
    static let handOverMethod: Method<VisitorsPlugin> = .write(
        "visitors.keys.handOver",
        "Hands a deposited key to its visitor: the name and document (type and last four) must match the one the resident named, the visitor signs, and the key is lent on the access plugin's register with the resident's authorisation.",
        zh: "把住户寄存的钥匙交给指定访客：姓名和证件（类型及后四位）须与住户指定的一致，访客签字，钥匙在门禁登记簿上凭住户授权借出。",
        display: display, result: KeyDeposit.self
    ) { (plugin, params: HandOverParams, context) -> JSONValue in
        let db = context.db
        guard
            let row = try db.queryOne(
                "SELECT \(KeyDeposit.columns) FROM visitors_key_deposits WHERE deposit = ?",
                [params.deposit])
        else {
            throw RPCError(
                .notFound, "no deposited key \(params.deposit)", field: "deposit",
                details: ["deposit": .string(params.deposit)]
            ).localized("zh", "没有编号为 \(params.deposit) 的寄存钥匙")
        }
        let deposit = KeyDeposit(row: row)
        guard deposit.status == "held" else {
            throw RPCError.invalidState(
                "key \(deposit.tag) (\(deposit.deposit)) was handed to \(deposit.name) at \(deposit.handedOverAt ?? "?")",
                details: ["deposit": .string(deposit.deposit), "status": .string(deposit.status)]
            ).localized(
                "zh",
                "钥匙 \(deposit.tag)（\(deposit.deposit)）已于 \(deposit.handedOverAt ?? "?") 交给\(deposit.name)")
        }
        let document = params.document
        _ = try plugin.config.document(document.type)
        guard Names.same(deposit.name, params.name) else {
            throw wrongPerson(
                deposit, "the key is for \(deposit.name), not \(params.name)",
                "钥匙是留给\(deposit.name)的，不是\(params.name)", field: "name")
        }
        guard deposit.idType == document.type, deposit.idLast4 == document.last4 else {
            throw wrongPerson(
                deposit,
                "the document is not the one \(deposit.hostName) named (\(deposit.idType) ending \(deposit.idLast4))",
                "证件与住户指定的不符（\(deposit.idType)，尾号 \(deposit.idLast4)）", field: "idNumber")
        }
        guard params.visitorSigned else {
            throw RPCError(
                .validation, "the visitor signs for the key (visitorSigned: true)", field: "visitorSigned",
                details: ["rule": "visitor_signature_required"]
            ).localized("zh", "访客须签字领取钥匙")
        }
        let clock = LocalTime(zone: context.timeZone)
        let dueBack =
            params.dueBack ?? nextCurfew(after: context.now, curfew: plugin.config.curfew, clock: clock)
        var checkout: [String: JSONValue] = [
            "tag": .string(deposit.tag), "borrower": .string(params.name), "borrowerType": "external",
            // The register gets the last four as the number: the full number is kept nowhere.
            "idType": .string(document.type), "idNumber": .string(document.last4),
            "dueBack": .string(clock.format(dueBack)),
            "authorisationRef": .string(deposit.authorisationRef),
            "note": .string("\(deposit.deposit): left by \(deposit.hostName); the visitor signed"),
        ]
        if let keyDeposit = params.keyDeposit { checkout["deposit"] = .int(keyDeposit) }
        do {
            _ = try access(context) { try context.call("access.keys.checkout", .object(checkout)) }
        } catch let error as RPCError where error.details["rule"] == "external_requires_deposit" {
            // The register's rule, said in this method's words (its `deposit` is our `keyDeposit`).
            let minimum = error.details["minimum"]?.intValue ?? 1
            throw RPCError(
                .validation,
                "the key register takes a deposit of at least \(minimum) (fen) from a visitor who borrows a key: give keyDeposit",
                field: "keyDeposit", details: ["rule": "key_deposit_required", "minimum": .int(minimum)]
            ).localized("zh", "钥匙登记簿要求外来人员借钥匙交押金：请填写押金（keyDeposit），至少 \(minimum) 分")
        }
        try db.execute(
            """
            UPDATE visitors_key_deposits SET status = 'handed_over', handed_over_at = ?, handed_over_by = ?,
                visitor_signed = 1, handover_id_type = ?, handover_id_last4 = ?
            WHERE id = ? AND status = 'held'
            """, [context.stamp.time, context.stamp.by, document.type, document.last4, deposit.id])
        guard
            let stored = try db.queryOne(
                "SELECT \(KeyDeposit.columns) FROM visitors_key_deposits WHERE id = ?", [deposit.id])
        else { throw RPCError.internalError("deposited key \(deposit.id) vanished") }
        let reply = KeyDeposit(row: stored).jsonValue()
        try context.emit(.keyHandedOver, reply)
        context.log.info(
            "key \(deposit.tag) (\(deposit.deposit)) handed to \(params.name) (\(document.masked))")
        return reply
    }

    /// Runs a call into the access plugin; `unavailable` saying why when it is not loaded.
    static func access(_ context: VisitorsWrite, _ body: () throws -> JSONValue) throws -> JSONValue {
        do {
            return try body()
        } catch let error as RPCError where error.kind == .unavailable {
            throw RPCError(
                .unavailable,
                "the access plugin is not loaded: keys left for visitors go on its key register (install libreceptiond-access.so)",
                details: ["plugin": "access"]
            ).localized("zh", "门禁钥匙插件（access）未加载：访客钥匙须登记在它的钥匙登记簿上")
        }
    }

    /// The next curfew after `now`: today's if it is still ahead, else tomorrow's.
    static func nextCurfew(after now: Date, curfew: Int, clock: LocalTime) -> Date {
        let today = clock.day(of: now)
        let tonight = clock.instant(today, minutes: curfew)
        if tonight > now { return tonight }
        return clock.instant(today.adding(days: 1) ?? today, minutes: curfew)
    }

    /// `validation` with rule `visitor_document_required`.
    static func documentRequired(_ name: String) -> RPCError {
        RPCError(
            .validation,
            "a key is left for a visitor whose document the desk can check: give idType and idNumber, or an announcement (expected) with the document filled in",
            field: "idType", details: ["rule": "visitor_document_required"]
        ).localized("zh", "寄存钥匙须登记访客\(name)的证件：填写证件类型和号码，或给出已填证件的预约编号")
    }

    /// `validation` with rule `wrong_person`.
    static func wrongPerson(
        _ deposit: KeyDeposit, _ english: String, _ chinese: String, field: String
    ) -> RPCError {
        RPCError(
            .validation, "key \(deposit.tag) is not handed over: \(english)", field: field,
            details: ["rule": "wrong_person", "deposit": .string(deposit.deposit)]
        ).localized("zh", "钥匙 \(deposit.tag) 不能交出：\(chinese)")
    }
}

/// The params of `visitors.keys.deposit`.
struct DepositParams: MethodParams {
    @Param("The resident's unit", zh: "住户房号，如 3-2-1201", maxLength: 64, format: .unit) var hostUnit: String
    @Param("The resident leaving the key", zh: "寄存钥匙的住户", maxLength: 100) var hostName: String
    @Param("The visitor the key is for", zh: "钥匙留给的访客姓名", maxLength: 100) var name: String
    @Param(
        "The key's tag on the register, e.g. K-0101", zh: "钥匙编号，如 K-0101", maxLength: 32, text: .code)
    var tag: String
    @Param("The cabinet hook it hangs on", zh: "挂在钥匙柜哪个挂钩", maxLength: 32) var hook: String
    @Param("The resident's signed authorisation reference", zh: "住户授权书编号", maxLength: 64)
    var authorisationRef: String
    @Param(
        "The announcement with the visitor's document", zh: "填有访客证件的预约编号", maxLength: 32, text: .code)
    var expected: String?
    @Param("The visitor's document type (or give expected)", zh: "访客证件类型（或给出预约编号）", maxLength: 32)
    var idType: String?
    @Param(
        "The visitor's document number (only its last four characters are kept)", zh: "访客证件号码（只保留后四位）",
        maxLength: 32, text: .code, private: true)
    var idNumber: String?

    func validate() throws(RPCError) {
        _ = try DeskText.requiredUnitKey(hostUnit, field: "hostUnit")
        try IdentityDocument.checkPair(type: idType, number: idNumber)
    }

    /// The visitor's document, when given here.
    var document: IdentityDocument? { IdentityDocument(type: idType, number: idNumber) }
}

/// The params of `visitors.keys.handOver`.
struct HandOverParams: MethodParams {
    @Param(
        "The deposited key", zh: "寄存钥匙编号，如 KD20261206-0001", maxLength: 32, text: .code,
        positional: true)
    var deposit: String
    @Param("The visitor's name", zh: "访客姓名", maxLength: 100) var name: String
    @Param("The document shown", zh: "出示的证件类型", maxLength: 32) var idType: String
    @Param(
        "Its number (checked against the last four the resident gave; passed to the key register)",
        zh: "证件号码（与住户所留后四位核对）", maxLength: 32, text: .code, private: true)
    var idNumber: String
    @Param("The visitor signed for the key (must be true)", zh: "访客已签字领取（须为 true）") var visitorSigned: Bool
    @Param("When the key is due back (default: the next curfew)", zh: "应还时间（默认当晚离开时限）") var dueBack: Date?
    @Param(
        "The key deposit taken, if the key register asks one of external borrowers",
        zh: "押金（钥匙登记簿要求外来人员交押金时）",
        minimum: 0, maximum: 100_000_000, format: .money)
    var keyDeposit: Int64?

    func validate() throws(RPCError) { try IdentityDocument.check(number: idNumber) }

    /// The document shown.
    var document: IdentityDocument { IdentityDocument(type: idType, number: idNumber) }
}
