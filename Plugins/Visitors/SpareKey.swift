import Foundation
import ReceptionPluginSDK

/// Where a spare-key entry is: `requested` (the host's consent asked) → `letter_received` (the
/// signed confirmation letter, 确认函, is in) → `escorted` (staff opened the door and took the key
/// back to the security office) → `locked_up` (staff locked up when the visitor left).
enum SpareKeyStatus: String, ParamChoice {
    case requested
    case letterReceived = "letter_received"
    case escorted
    case lockedUp = "locked_up"

    /// The Chinese label.
    var label: String {
        switch self {
        case .requested: "已申请"
        case .letterReceived: "已收确认函"
        case .escorted: "已陪同开门"
        case .lockedUp: "已锁门"
        }
    }
}

/// How the signed letter came back.
enum LetterVia: String, ParamChoice {
    case fax
    /// Signed and sent back (scanned, by courier, by hand).
    case returned

    /// The Chinese label.
    var label: String {
        switch self {
        case .fax: "传真"
        case .returned: "签字寄回"
        }
    }
}

/// An entry with the security office's spare key for a resident who is away. The key never
/// leaves the escorting staff member's hands: the record says who had it, when it came out of
/// the security office and when it went back.
struct SpareKeyEntry: Record {
    static let table = "visitors_spare_keys"

    @Column(wire: .hidden) var id: Int64
    @Column("SK20261206-0001: SK, the day it was asked, its number of the day") var entry: String
    @Column("The visit the entry is for") var visit: String
    @Column(format: .unit) var hostUnit: String
    @Column var hostName: String
    @Column("requested, letter_received, escorted or locked_up") var status: String
    @Column("How the host's consent was asked") var consentChannel: String
    @Column(format: .dateTime) var requestedAt: String
    @Column var requestedBy: String
    @Column("The signed confirmation letter's reference") var letterRef: String?
    @Column("fax or returned") var letterVia: String?
    @Column(format: .dateTime) var letterAt: String?
    @Column var letterBy: String?
    @Column("The staff member who held the key and opened the door") var staff: String?
    @Column("Key out of the security office", format: .dateTime) var keyOutAt: String?
    @Column(format: .dateTime) var doorOpenedAt: String?
    @Column("Key back in the security office", format: .dateTime) var keyBackAt: String?
    @Column var escortedBy: String?
    @Column(format: .dateTime) var lockedUpAt: String?
    @Column var lockedUpBy: String?
    @Column("The staff member who locked up") var lockUpStaff: String?
}

/// `visitors.spareKey.request`, `.letter`, `.escort`, `.lockUp`: letting a visitor in with the
/// security office's spare key. No letter, nobody goes in; the key is never lent to the visitor
/// (it is not on the desk's key register at all: staff carry it from the security office and back).
enum SpareKey {
    /// The columns worth showing of one entry.
    static let columns = ["entry", "visit", "hostUnit", "status", "letterRef", "staff", "keyOutAt", "keyBackAt"]
    /// How `daemon.methods` suggests showing one entry.
    static let display = DisplayHints(title: "entry", columns: columns)

    /// `visitors.spareKey.request`: the desk asks the away host's consent for a waiting visitor.
    static let requestMethod: Method<VisitorsPlugin> = .write(
        "visitors.spareKey.request",
        "Asks a host who is away to let a waiting visitor in with the security office's spare key; nothing happens until the signed letter is in.",
        zh: "住户不在家时，为等候的访客申请用保安室备用钥匙开门；收到住户签字的确认函之前不得开门。",
        display: display, result: SpareKeyEntry.self
    ) { (_, params: SpareKeyRequestParams, context) -> JSONValue in
        let db = context.db
        let visit = try VisitLookup.inState(
            params.visit, [.waiting], to: "ask for a spare-key entry for", chinese: "申请备用钥匙开门", in: db)
        if let open = try db.queryOne(
            "SELECT entry FROM visitors_spare_keys WHERE visit = ? AND status <> 'locked_up'", [visit.visit])
        {
            let entry = open.string("entry") ?? "?"
            throw RPCError.conflict(
                "visit \(visit.visit) has spare-key entry \(entry) open already",
                details: ["visit": .string(visit.visit), "entry": .string(entry)]
            ).localized("zh", "\(visit.visit) 已有备用钥匙开门申请 \(entry)")
        }
        let clock = LocalTime(zone: context.timeZone)
        var entry = SpareKeyEntry()
        entry.entry = try Numbers.next("SK", on: clock.day(of: context.now), in: db)
        entry.visit = visit.visit
        entry.hostUnit = visit.hostUnit
        entry.hostName = visit.hostName
        entry.status = SpareKeyStatus.requested.rawValue
        entry.consentChannel = params.channel.rawValue
        entry.requestedAt = context.stamp.time
        entry.requestedBy = context.stamp.by
        entry.id = try entry.insert(into: db)
        let reply = entry.jsonValue()
        try context.emit(.spareKeyRequested, reply)
        return reply
    }

    /// `visitors.spareKey.letter`: the signed confirmation letter is in.
    static let letterMethod: Method<VisitorsPlugin> = .write(
        "visitors.spareKey.letter",
        "Records the host's signed confirmation letter (faxed or sent back) by its reference.",
        zh: "登记收到住户签字的确认函（传真或寄回）及其编号。",
        display: display, result: SpareKeyEntry.self
    ) { (_, params: SpareKeyLetterParams, context) -> JSONValue in
        let entry = try inState(params.entry, [.requested], to: "record a letter for", chinese: "登记确认函", in: context.db)
        try context.db.execute(
            """
            UPDATE visitors_spare_keys SET status = 'letter_received', letter_ref = ?, letter_via = ?, letter_at = ?,
                letter_by = ?
            WHERE id = ?
            """, [params.letterRef, params.via.rawValue, context.stamp.time, context.stamp.by, entry.id])
        let reply = try stored(id: entry.id, in: context.db).jsonValue()
        try context.emit(.spareKeyLetter, reply)
        return reply
    }

    /// `visitors.spareKey.escort`: staff take the key from the security office, open the door,
    /// and return the key at once; the visitor is on site. Refused without the letter.
    static let escortMethod: Method<VisitorsPlugin> = .write(
        "visitors.spareKey.escort",
        "Records the escort: the staff member took the spare key out of the security office, opened the door and put the key back; refused without the signed letter.",
        zh: "登记陪同开门：工作人员从保安室取备用钥匙、开门、立即交回保安室；未收到确认函的不得开门。",
        display: display, result: SpareKeyEntry.self
    ) { (plugin, params: SpareKeyEscortParams, context) -> JSONValue in
        let db = context.db
        let entry = try existing(params.entry, in: db)
        if entry.status == SpareKeyStatus.requested.rawValue {
            throw RPCError(
                .validation,
                "no entry without the letter: \(entry.hostName)'s signed confirmation letter for \(entry.entry) is not in (visitors.spareKey.letter)",
                field: "entry", details: ["rule": "letter_required", "entry": .string(entry.entry)]
            ).localized("zh", "未收到\(entry.hostName)签字的确认函（\(entry.entry)），不得开门")
        }
        _ = try inState(params.entry, [.letterReceived], to: "escort", chinese: "陪同开门", in: db)
        let clock = LocalTime(zone: context.timeZone)
        let keyOut = params.keyOutAt ?? context.now
        let opened = params.doorOpenedAt ?? context.now
        let keyBack = params.keyBackAt ?? context.now
        // The key comes out, the door opens, the key goes back at once: in that order, and not
        // later than now (a minute's grace for the clerk's clock).
        var wrong: String?
        if keyOut > opened {
            wrong = "doorOpenedAt"
        } else if opened > keyBack || keyBack > context.now + 60 {
            wrong = "keyBackAt"
        }
        if let wrong {
            throw RPCError(
                .validation,
                "the times run keyOutAt ≤ doorOpenedAt ≤ keyBackAt ≤ now: keyOutAt \(clock.format(keyOut)), doorOpenedAt \(clock.format(opened)), keyBackAt \(clock.format(keyBack))",
                field: wrong, details: ["rule": "escort_order"]
            ).localized("zh", "时间顺序须为：取钥匙 ≤ 开门 ≤ 交回钥匙 ≤ 现在")
        }
        let visit = try VisitLookup.inState(entry.visit, [.waiting], to: "let in", chinese: "放行", in: db)
        try db.execute(
            """
            UPDATE visitors_spare_keys SET status = 'escorted', staff = ?, key_out_at = ?, door_opened_at = ?,
                key_back_at = ?, escorted_by = ?
            WHERE id = ?
            """,
            [
                params.staff, clock.format(keyOut), clock.format(opened), clock.format(keyBack),
                context.stamp.by, entry.id,
            ])
        try db.execute(
            """
            UPDATE visitors_visits SET status = 'on_site', door_opened_by = ?, admitted_at = ?, admitted_ms = ?
            WHERE id = ?
            """, [DoorOpener.staffEscorted, clock.format(opened), EpochMillis.of(opened), visit.id])
        let reply = try stored(id: entry.id, in: db).jsonValue()
        try context.emit(.spareKeyEscorted, reply)
        try context.emit(
            .admitted,
            try VisitLookup.wire(try VisitLookup.stored(id: visit.id, in: db), nowMs: context.stamp.ms, in: db))
        return reply
    }

    /// `visitors.spareKey.lockUp`: the visitor leaves; staff lock up (the visit signs out).
    static let lockUpMethod: Method<VisitorsPlugin> = .write(
        "visitors.spareKey.lockUp",
        "Records that staff locked up with the spare key when the visitor left (the visit is signed out if it was not).",
        zh: "访客离开时工作人员用备用钥匙锁门（访客同时登记离开）。",
        display: display, result: SpareKeyEntry.self
    ) { (_, params: SpareKeyLockUpParams, context) -> JSONValue in
        let db = context.db
        let entry = try inState(params.entry, [.escorted], to: "lock up", chinese: "锁门", in: db)
        let visit = try VisitLookup.existing(entry.visit, in: db)
        if visit.state == .onSite || visit.state == .overnight {
            _ = try Arrivals.signOut(visit.visit, context: context)
        }
        try db.execute(
            "UPDATE visitors_spare_keys SET status = 'locked_up', locked_up_at = ?, locked_up_by = ?, lock_up_staff = ? WHERE id = ?",
            [context.stamp.time, context.stamp.by, params.staff, entry.id])
        let reply = try stored(id: entry.id, in: db).jsonValue()
        try context.emit(.spareKeyLockedUp, reply)
        return reply
    }

    /// The entry `entry` names, or `not_found`.
    static func existing(_ entry: String, in db: SQLiteConnection) throws -> SpareKeyEntry {
        guard
            let row = try db.queryOne(
                "SELECT \(SpareKeyEntry.columns) FROM visitors_spare_keys WHERE entry = ?", [entry])
        else {
            throw RPCError(.notFound, "no spare-key entry \(entry)", field: "entry", details: ["entry": .string(entry)])
                .localized("zh", "没有编号为 \(entry) 的备用钥匙开门记录")
        }
        return SpareKeyEntry(row: row)
    }

    /// The entry, which must be in one of `wanted`; `invalid_state` naming its state when not.
    static func inState(
        _ entry: String, _ wanted: [SpareKeyStatus], to action: String, chinese: String, in db: SQLiteConnection
    ) throws -> SpareKeyEntry {
        let found = try existing(entry, in: db)
        let state = SpareKeyStatus(rawValue: found.status) ?? .requested
        guard wanted.contains(state) else {
            throw RPCError.invalidState(
                "cannot \(action) \(entry): it is \(state.englishLabel), not \(wanted.map(\.englishLabel).joined(separator: " or "))",
                details: [
                    "entry": .string(entry), "status": .string(found.status),
                    "expected": .array(wanted.map { .string($0.rawValue) }),
                ]
            ).localized("zh", "\(entry) 无法\(chinese)：当前状态为“\(state.label)”")
        }
        return found
    }

    /// The entry with row id `id` (just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> SpareKeyEntry {
        guard let row = try db.queryOne("SELECT \(SpareKeyEntry.columns) FROM visitors_spare_keys WHERE id = ?", [id])
        else { throw RPCError.internalError("spare-key entry \(id) vanished") }
        return SpareKeyEntry(row: row)
    }
}

/// The params of `visitors.spareKey.request`.
struct SpareKeyRequestParams: MethodParams {
    @Param("The waiting visit", zh: "等候中的访客登记编号", maxLength: 32, text: .code, positional: true) var visit: String
    @Param("How the host was asked: flat_phone or other_phone", zh: "如何征得住户同意：住户座机或其他电话")
    var channel: ContactChannel

    func validate() throws(RPCError) {
        guard channel.isPhone else {
            throw RPCError(
                .validation, "a host who is away is asked by phone: flat_phone or other_phone", field: "channel",
                details: ["rule": "phone_consent"]
            ).localized("zh", "住户不在家，须电话征得同意（住户座机或其他电话）")
        }
    }
}

/// The params of `visitors.spareKey.letter`.
struct SpareKeyLetterParams: MethodParams {
    @Param("The entry", zh: "备用钥匙开门编号，如 SK20261206-0001", maxLength: 32, text: .code, positional: true) var entry:
        String
    @Param("The signed letter's reference", zh: "确认函编号", maxLength: 64) var letterRef: String
    @Param("fax or returned", zh: "传真或签字寄回") var via: LetterVia
}

/// The params of `visitors.spareKey.escort`.
struct SpareKeyEscortParams: MethodParams {
    @Param("The entry", zh: "备用钥匙开门编号", maxLength: 32, text: .code, positional: true) var entry: String
    @Param("The staff member who holds the key throughout", zh: "全程持钥匙的工作人员", maxLength: 100) var staff: String
    @Param("Key out of the security office (default now)", zh: "从保安室取出钥匙的时间（默认现在）") var keyOutAt: Date?
    @Param("Door opened (default now)", zh: "开门时间（默认现在）") var doorOpenedAt: Date?
    @Param("Key back in the security office (default now)", zh: "钥匙交回保安室的时间（默认现在）") var keyBackAt: Date?
}

/// The params of `visitors.spareKey.lockUp`.
struct SpareKeyLockUpParams: MethodParams {
    @Param("The entry", zh: "备用钥匙开门编号", maxLength: 32, text: .code, positional: true) var entry: String
    @Param("The staff member who locked up", zh: "锁门的工作人员", maxLength: 100) var staff: String
}
