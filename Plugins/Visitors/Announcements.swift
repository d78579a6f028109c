import Foundation
import ReceptionPluginSDK

/// A visitor a resident announced in advance (`visitors.expect`), and the checks an arrival
/// that names it must pass.
struct Announcement: Record {
    static let table = "visitors_expected"

    @Column(wire: .hidden) var id: Int64
    @Column("E20261206-0001: E, the day it was announced, its number of the day") var expected: String
    @Column("The unit visited", format: .unit) var hostUnit: String
    @Column(wire: .hidden) var hostUnitKey: String
    @Column("The resident who announced the visitor") var hostName: String
    @Column("The visitor's name") var name: String
    @Column("Expected from", column: "from_at", format: .dateTime) var from: String
    @Column(wire: .hidden) var fromMs: Int64
    @Column("Expected until", column: "to_at", format: .dateTime) var to: String
    @Column(wire: .hidden) var toMs: Int64
    @Column("Whether anyone will be home") var homeDuringVisit: Bool
    @Column var instructions: String?
    @Column("The visitor's document type, filled in in advance") var idType: String?
    @Column("Its number's last four characters") var idLast4: String?
    @Column("open, or arrived (a visit registered against it)") var status: String
    @Column("The visit registered against it") var visit: String?
    @Column(format: .dateTime) var announcedAt: String
    @Column(wire: .hidden) var announcedMs: Int64
    @Column var announcedBy: String
}

/// `visitors.expect`, and matching an arrival to its announcement.
enum Announcements {
    /// The columns worth showing of one announcement.
    static let columns = ["expected", "hostUnit", "hostName", "name", "from", "to", "homeDuringVisit", "status"]

    /// The longest window an announcement may cover.
    static let longestWindowDays = 31

    /// `visitors.expect`: a resident announces a visitor.
    static let expectMethod: Method<VisitorsPlugin> = .write(
        "visitors.expect",
        "Records a visitor a resident announces: who, when, whether anyone will be home, and the visitor's document if filled in in advance (only its type and last four characters are kept).",
        zh: "登记住户预约的访客：访客姓名、到访时间段、届时家中是否有人；可预先填写访客证件（只保留证件类型和号码后四位）。",
        display: DisplayHints(title: "expected", columns: columns), result: Announcement.self
    ) { (plugin, params: ExpectParams, context) -> JSONValue in
        let clock = LocalTime(zone: context.timeZone)
        guard params.to > params.from else {
            throw RPCError(
                .validation, "to \(clock.format(params.to)) must be after from \(clock.format(params.from))",
                field: "to", details: ["rule": "window_order"]
            ).localized("zh", "到访时间段的结束时间须晚于开始时间")
        }
        guard params.to > context.now else {
            throw RPCError(
                .validation, "to \(clock.format(params.to)) has passed already", field: "to",
                details: ["rule": "window_in_future"]
            ).localized("zh", "到访时间段已经过去，结束时间须晚于现在")
        }
        guard params.to.timeIntervalSince(params.from) <= Double(longestWindowDays) * 86_400 else {
            throw RPCError(
                .validation, "an announcement covers at most \(longestWindowDays) days", field: "to",
                details: ["rule": "window_length", "maximumDays": .int(Int64(longestWindowDays))]
            ).localized("zh", "预约时间段最长 \(longestWindowDays) 天")
        }
        if let type = params.idType { _ = try plugin.config.document(type) }
        var announcement = Announcement()
        announcement.expected = try Numbers.next("E", on: clock.day(of: context.now), in: context.db)
        announcement.hostUnit = params.hostUnit
        announcement.hostUnitKey = try DeskText.requiredUnitKey(params.hostUnit, field: "hostUnit")
        announcement.hostName = params.hostName
        announcement.name = params.name
        announcement.from = clock.format(params.from)
        announcement.fromMs = EpochMillis.of(params.from)
        announcement.to = clock.format(params.to)
        announcement.toMs = EpochMillis.of(params.to)
        announcement.homeDuringVisit = params.homeDuringVisit
        announcement.instructions = params.instructions
        announcement.idType = params.document?.type
        announcement.idLast4 = params.document?.last4
        announcement.status = "open"
        announcement.announcedAt = context.stamp.time
        announcement.announcedMs = context.stamp.ms
        announcement.announcedBy = context.stamp.by
        announcement.id = try announcement.insert(into: context.db)
        let reply = announcement.jsonValue()
        try context.emit(.expected, reply)
        let document = params.document.map { ", document \($0.masked)" } ?? ""
        context.log.info(
            "announced visitor \(announcement.expected) \(params.name) for \(params.hostUnit)\(document), home: \(params.homeDuringVisit)"
        )
        return reply
    }

    /// The announcement `expected` names, or `not_found`.
    static func existing(_ expected: String, in db: SQLiteConnection) throws -> Announcement {
        guard
            let row = try db.queryOne(
                "SELECT \(Announcement.columns) FROM visitors_expected WHERE expected = ?", [expected])
        else {
            throw RPCError(
                .notFound, "no announcement \(expected)", field: "expected", details: ["expected": .string(expected)]
            ).localized("zh", "没有编号为 \(expected) 的访客预约")
        }
        return Announcement(row: row)
    }

    /// The announcement an arrival names, checked against it: still open and not past its
    /// window, the same unit, the same visitor name, and (when the resident filled the document
    /// in) the same document type and last four characters.
    static func matching(
        _ expected: String, name: String, unitKey: String, document: IdentityDocument, nowMs: Int64,
        in db: SQLiteConnection
    ) throws -> Announcement {
        let found = try existing(expected, in: db)
        guard found.status == "open" else {
            throw RPCError.invalidState(
                "announcement \(expected) was used already by visit \(found.visit ?? "?")",
                details: ["expected": .string(expected), "status": .string(found.status)]
            ).localized("zh", "预约 \(expected) 已经登记过到访（\(found.visit ?? "?")）")
        }
        guard nowMs <= found.toMs else {
            throw RPCError(
                .validation, "announcement \(expected) ended at \(found.to)", field: "expected",
                details: ["rule": "announcement_expired", "to": .string(found.to)]
            ).localized("zh", "预约 \(expected) 已于 \(found.to) 过期")
        }
        guard found.hostUnitKey == unitKey else {
            throw mismatch(expected, "is for unit \(found.hostUnit)", "预约的是 \(found.hostUnit)", field: "hostUnit")
        }
        guard Names.same(found.name, name) else {
            throw mismatch(expected, "names another visitor", "预约的访客姓名不符", field: "name")
        }
        if let type = found.idType, let last4 = found.idLast4 {
            guard type == document.type, last4 == document.last4 else {
                throw mismatch(
                    expected, "was announced with another document (\(type) ending \(last4))",
                    "预约时登记的证件不符（\(type)，尾号 \(last4)）", field: "idNumber")
            }
        }
        return found
    }

    /// `validation` with rule `announcement_mismatch`.
    private static func mismatch(_ expected: String, _ english: String, _ chinese: String, field: String) -> RPCError {
        RPCError(
            .validation, "the arrival does not match announcement \(expected): it \(english)", field: field,
            details: ["rule": "announcement_mismatch", "expected": .string(expected)]
        ).localized("zh", "到访与预约 \(expected) 不符：\(chinese)")
    }
}

/// Comparing names as the desk types them: white space, width and case do not count.
enum Names {
    /// Whether `a` and `b` name the same person.
    static func same(_ a: String, _ b: String) -> Bool { key(a) == key(b) }

    /// `a` without white space, in lower case, width folded.
    static func key(_ text: String) -> String {
        DeskText.normalize(text).precomposedStringWithCompatibilityMapping.lowercased()
            .unicodeScalars.filter { !$0.properties.isWhitespace }.map(String.init).joined()
    }
}

/// The params of `visitors.expect`.
struct ExpectParams: MethodParams {
    @Param("The unit visited", zh: "被访房号，如 3-2-1201", maxLength: 64, format: .unit) var hostUnit: String
    @Param("The resident announcing the visitor", zh: "预约的住户姓名", maxLength: 100) var hostName: String
    @Param("The visitor's name", zh: "访客姓名", maxLength: 100) var name: String
    @Param("Expected from (ISO 8601 with offset)", zh: "预计到访时间（起）") var from: Date
    @Param("Expected until", zh: "预计到访时间（止）") var to: Date
    @Param("Whether anyone will be home", zh: "届时家中是否有人") var homeDuringVisit: Bool
    @Param("What the desk should do", zh: "给前台的交代", maxLength: 500, text: .note) var instructions: String?
    @Param("The visitor's document type, if filled in in advance", zh: "访客证件类型（可预先填写）", maxLength: 32)
    var idType: String?
    @Param(
        "The visitor's document number (only its last four characters are kept)", zh: "访客证件号码（只保留后四位）",
        maxLength: 32, text: .code, private: true)
    var idNumber: String?

    func validate() throws(RPCError) {
        _ = try DeskText.requiredUnitKey(hostUnit, field: "hostUnit")
        try IdentityDocument.checkPair(type: idType, number: idNumber)
    }

    /// The visitor's document, when filled in.
    var document: IdentityDocument? { IdentityDocument(type: idType, number: idNumber) }
}
