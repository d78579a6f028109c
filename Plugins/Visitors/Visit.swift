import ReceptionPluginSDK

/// Where a visit is: `waiting` at the desk → `on_site` (the host agreed) → `signed_out`, or
/// `overnight` (registered for the night) → `signed_out`; `waiting` → `refused` (the host said no)
/// or `left_message` (nobody answered and the visitor left a message).
enum VisitStatus: String, ParamChoice {
    case waiting
    case onSite = "on_site"
    case refused
    case leftMessage = "left_message"
    case signedOut = "signed_out"
    case overnight

    /// The Chinese label.
    var label: String {
        switch self {
        case .waiting: "等候中"
        case .onSite: "在访"
        case .refused: "住户拒绝"
        case .leftMessage: "已留言离开"
        case .signedOut: "已离开"
        case .overnight: "留宿登记"
        }
    }

    /// How English messages name the state.
    var englishLabel: String {
        switch self {
        case .waiting: "waiting"
        case .onSite: "on site"
        case .refused: "refused"
        case .leftMessage: "gone, message left"
        case .signedOut: "signed out"
        case .overnight: "staying the night"
        }
    }
}

/// One visit, as stored and as sent on the wire (the wire names of issue 15 are a contract;
/// every member is always present, `null` when it does not apply). `contacts` (the attempts to
/// reach the host) and `overstay` as of now are added by ``VisitLookup/wire(_:nowMs:in:)``.
struct Visit: Record {
    static let table = "visitors_visits"

    @Column(wire: .hidden) var id: Int64
    @Column("V20261206-0001: V, the day it was registered, its number of the day") var visit: String
    @Column("The visitor's name") var name: String
    @Column("The identity document's type") var idType: String
    @Column("The document number's last four characters (the only part kept)") var idLast4: String
    @Column("The desk saw the document") var idSeen: Bool
    @Column("The desk copied the document") var idCopied: Bool
    @Column("The unit visited", format: .unit) var hostUnit: String
    @Column(wire: .hidden) var hostUnitKey: String
    @Column("The resident visited") var hostName: String
    @Column var purpose: String?
    @Column("How many people come") var party: Int64
    @Column("The vehicle's plate") var plate: String?
    @Column("The announcement the arrival matched (E20261206-0001), or null") var expected: String?
    @Column("waiting, on_site, refused, left_message, signed_out or overnight") var status: String
    @Column("host_opened, desk_opened or staff_escorted (spare key)") var doorOpenedBy: String?
    @Column(format: .dateTime) var arrivedAt: String
    @Column(wire: .hidden) var arrivedMs: Int64
    @Column(format: .dateTime) var admittedAt: String?
    @Column(wire: .hidden) var admittedMs: Int64?
    @Column(format: .dateTime) var signedOutAt: String?
    @Column(wire: .hidden) var signedOutMs: Int64?
    @Column var signedOutBy: String?
    @Column("The curfew this visit is held to", format: .dateTime) var leaveBy: String
    @Column(wire: .hidden) var leaveByMs: Int64
    @Column("Still on site past the curfew") var overstay: Bool
    @Column(format: .dateTime) var overstayAt: String?
    @Column("Nights registered") var nights: Int64?
    @Column("The first night's date", format: .date) var nightOf: String?
    @Column("The day the stay ends", format: .date) var nightUntil: String?
    @Column("The state-issued document shown for the night") var nightIdType: String?
    @Column("Its number's last four characters") var nightIdLast4: String?
    @Column("The host signed the temporary lodging register") var hostSigned: Bool?
    @Column(format: .dateTime) var overnightAt: String?
    @Column var overnightBy: String?
    @Column var registeredBy: String

    /// The visit's state.
    var state: VisitStatus { VisitStatus(rawValue: status) ?? .waiting }

    /// `error.data` of an `invalid_state` about this visit.
    var stateDetails: [String: JSONValue] { ["visit": .string(visit), "status": .string(status)] }
}

/// One attempt to reach the host: `{"channel", "result", "by", "at"}` on the wire.
struct Contact: Record {
    static let table = "visitors_contacts"

    @Column(wire: .hidden) var id: Int64
    @Column(wire: .hidden) var visitId: Int64
    @Column("intercom, flat_phone or other_phone") var channel: String
    @Column("accepted, refused or no_answer") var result: String
    @Column("Who at the desk made it", column: "contacted_by") var by: String
    @Column(column: "contacted_at", format: .dateTime) var at: String
    @Column(wire: .hidden) var contactedMs: Int64
}

/// Finding visits, and writing them with their contacts.
enum VisitLookup {
    /// The visit `visit` names, or `not_found` naming it.
    static func existing(_ visit: String, in db: SQLiteConnection) throws -> Visit {
        guard let row = try db.queryOne("SELECT \(Visit.columns) FROM visitors_visits WHERE visit = ?", [visit]) else {
            throw RPCError(.notFound, "no visit \(visit)", field: "visit", details: ["visit": .string(visit)])
                .localized("zh", "没有编号为 \(visit) 的访客登记")
        }
        return Visit(row: row)
    }

    /// The visit, which must be in one of `wanted`; `invalid_state` naming its state when not
    /// (`action`/`chineseAction` say what was refused: "sign out", "登记离开").
    static func inState(
        _ visit: String, _ wanted: [VisitStatus], to action: String, chinese chineseAction: String,
        in db: SQLiteConnection
    ) throws -> Visit {
        let found = try existing(visit, in: db)
        guard wanted.contains(found.state) else {
            var details = found.stateDetails
            details["expected"] = .array(wanted.map { .string($0.rawValue) })
            throw RPCError.invalidState(
                "cannot \(action) \(visit): the visit is \(found.state.englishLabel), not \(wanted.map(\.englishLabel).joined(separator: " or "))",
                details: details
            ).localized(
                "zh",
                "\(visit) 无法\(chineseAction)：当前状态为“\(found.state.label)”，须为“\(wanted.map(\.label).joined(separator: "”或“"))”"
            )
        }
        return found
    }

    /// The visit with row id `id` (just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> Visit {
        guard let row = try db.queryOne("SELECT \(Visit.columns) FROM visitors_visits WHERE id = ?", [id]) else {
            throw RPCError.internalError("visit \(id) vanished")
        }
        return Visit(row: row)
    }

    /// The attempts to reach the host about `visit`, in order.
    static func contacts(of visit: Visit, in db: SQLiteConnection) throws -> [Contact] {
        Contact.rows(
            try db.query(
                "SELECT \(Contact.columns) FROM visitors_contacts WHERE visit_id = ? ORDER BY id", [visit.id]))
    }

    /// The visit on the wire with its `contacts`; `overstay` is also true for a visit on site
    /// past its curfew that the minute job has not reached yet.
    static func wire(_ visit: Visit, nowMs: Int64, in db: SQLiteConnection) throws -> JSONValue {
        let contacts = try contacts(of: visit, in: db).map { $0.jsonValue() }
        let late = visit.overstay || (visit.state == .onSite && visit.leaveByMs <= nowMs)
        return visit.jsonValue(replacing: ["contacts": .array(contacts), "overstay": .bool(late)])
    }

    /// Visits on the wire, the contacts of all of them read in one query.
    static func wire(_ visits: [Visit], nowMs: Int64, in db: SQLiteConnection) throws -> [JSONValue] {
        guard !visits.isEmpty else { return [] }
        var byVisit: [Int64: [JSONValue]] = [:]
        let marks = Array(repeating: "?", count: visits.count).joined(separator: ", ")
        for contact in Contact.rows(
            try db.query(
                "SELECT \(Contact.columns) FROM visitors_contacts WHERE visit_id IN (\(marks)) ORDER BY id",
                visits.map { $0.id as any SQLBindable }))
        {
            byVisit[contact.visitId, default: []].append(contact.jsonValue())
        }
        return visits.map { visit in
            let late = visit.overstay || (visit.state == .onSite && visit.leaveByMs <= nowMs)
            return visit.jsonValue(replacing: ["contacts": .array(byVisit[visit.id] ?? []), "overstay": .bool(late)])
        }
    }
}

/// Visit, announcement, message and deposit numbers: one counter per kind and local day.
enum Numbers {
    /// `<prefix><yyyymmdd>-<nnnn>` for the next number of `prefix` on `day` (V20261206-0001).
    static func next(_ prefix: String, on day: CivilDate, in db: SQLiteConnection) throws -> String {
        let n = try NamedCounter.next("\(prefix):\(day.compact)", table: "visitors_counters", in: db)
        let digits = String(n)
        return prefix + day.compact + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
