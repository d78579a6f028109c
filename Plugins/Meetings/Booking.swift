import ReceptionPluginSDK

/// Where a booking is in its life: `booked` → `in_progress` (checkin) → `ended`, or
/// `booked` → `cancelled`.
enum BookingStatus: String, ParamChoice {
    case booked
    case inProgress = "in_progress"
    case ended, cancelled

    /// The Chinese label.
    var label: String {
        switch self {
        case .booked: return "已预订"
        case .inProgress: return "进行中"
        case .ended: return "已结束"
        case .cancelled: return "已取消"
        }
    }

    /// How an `invalid_state` message names the state in English.
    var englishLabel: String {
        switch self {
        case .booked: return "booked"
        case .inProgress: return "in progress"
        case .ended: return "ended"
        case .cancelled: return "cancelled"
        }
    }
}

/// The class of a meeting, which decides its preparation tasks.
enum MeetingClass: String, ParamChoice {
    /// 日常会议（二类）: the everyday case.
    case routine
    /// 一类会议: signed materials and fee sheet in advance, set up the day before, staff 30 minutes early.
    case major
    /// 临时会议: staff at the room within 5 minutes of the notice.
    case adHoc = "ad_hoc"

    /// The Chinese label.
    var label: String {
        switch self {
        case .routine: return "日常会议（二类）"
        case .major: return "一类会议"
        case .adHoc: return "临时会议"
        }
    }

    /// The English label.
    var englishLabel: String {
        switch self {
        case .routine: return "routine"
        case .major: return "major"
        case .adHoc: return "ad hoc"
        }
    }
}

/// One booking of a room, as stored and as sent on the wire.
///
/// The wire names of issue 14 are a contract; every member is always present, `null` when it does
/// not apply. `fee` (the settlement, an object) is stored as its JSON text and written on the wire
/// in its shape by ``wire``.
struct Booking: Record {
    static let table = "meetings_bookings"

    @Column(wire: .hidden) var id: Int64
    @Column("MT20261205-0001: MT, the day it was booked, its number of the day") var booking: String
    @Column("The room's id") var room: String
    @Column var title: String
    @Column("The tenant company or department that books") var organiser: String
    @Column("The organiser's contact, who signs the fee sheet") var contact: String
    @Column var phone: String?
    @Column(column: "start_at", format: .dateTime) var start: String
    @Column(wire: .hidden) var startMs: Int64
    @Column(column: "end_at", format: .dateTime) var end: String
    @Column(wire: .hidden) var endMs: Int64
    @Column var attendees: Int64
    @Column("routine, major or ad_hoc") var `class`: String
    @Column("Projection or sound needed") var av: Bool
    @Column var notes: String?
    @Column("booked, in_progress, ended or cancelled") var status: String
    @Column("The repeat series it belongs to (MS20261205-0001), or null") var series: String?
    @Column(format: .dateTime) var bookedAt: String
    @Column(wire: .hidden) var bookedMs: Int64
    @Column var bookedBy: String
    @Column(format: .dateTime) var startedAt: String?
    @Column(wire: .hidden) var startedMs: Int64?
    @Column(format: .dateTime) var endedAt: String?
    @Column(wire: .hidden) var endedMs: Int64?
    @Column(format: .dateTime) var cancelledAt: String?
    @Column var cancelledBy: String?
    @Column var cancelReason: String?
    @Column(column: "fee", wire: .hidden) var feeText: String?
    @Column(column: "fee_total", wire: .hidden) var settledTotal: Int64?
    @Column(wire: .hidden) var settledMs: Int64?
    @Column("The invoice number") var invoice: String?
    @Column(format: .dateTime) var paidAt: String?
    @Column(wire: .hidden) var paidMs: Int64?
    @Column(
        "A major meeting's room is closed to others from this moment (its setup done) to its end; null while open",
        format: .dateTime)
    var closedFrom: String?
    @Column(wire: .hidden) var closedMs: Int64?

    /// The booking's state.
    var state: BookingStatus { BookingStatus(rawValue: status) ?? .booked }

    /// The booking on the wire, `fee` the settlement object (or null); `extra` members added.
    func wire(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var members = extra
        members["fee"] = feeText.flatMap { try? JSONValue.parse($0) } ?? .null
        return jsonValue(replacing: members)
    }

    /// ``wire(_:)`` as bytes, without building a `JSONValue` of the whole record.
    var wireBytes: [UInt8] {
        jsonBytes(replacing: ["fee": feeText.flatMap { try? JSONValue.parse($0) } ?? .null])
    }

    /// `error.data` of an `invalid_state` about this booking.
    var stateDetails: [String: JSONValue] { ["booking": .string(booking), "status": .string(status)] }
}

/// Finding bookings by id.
enum BookingLookup {
    /// The booking `booking` names, or `not_found` naming it.
    static func existing(_ booking: String, in db: SQLiteConnection) throws -> Booking {
        guard
            let row = try db.queryOne(
                "SELECT \(Booking.columns) FROM meetings_bookings WHERE booking = ?", [booking])
        else {
            throw RPCError(
                .notFound, "no meeting booking \(booking)", field: "booking", details: ["booking": .string(booking)]
            )
            .localized("zh", "没有编号为 \(booking) 的会议预订")
        }
        return Booking(row: row)
    }

    /// The booking, which must be in one of `wanted`; `invalid_state` naming its state when not
    /// (`action`/`chineseAction` say what was refused: "cancel", "取消").
    static func inState(
        _ booking: String, _ wanted: [BookingStatus], to action: String, chinese chineseAction: String,
        in db: SQLiteConnection
    ) throws -> Booking {
        let found = try existing(booking, in: db)
        guard wanted.contains(found.state) else {
            var details = found.stateDetails
            details["expected"] = .array(wanted.map { .string($0.rawValue) })
            throw RPCError.invalidState(
                "cannot \(action) \(booking): it is \(found.state.englishLabel), not \(wanted.map(\.englishLabel).joined(separator: " or "))",
                details: details
            ).localized(
                "zh",
                "\(booking) 无法\(chineseAction)：当前状态为“\(found.state.label)”，须为“\(wanted.map(\.label).joined(separator: "”或“"))”"
            )
        }
        return found
    }

    /// The booking with row id `id` (just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> Booking {
        guard let row = try db.queryOne("SELECT \(Booking.columns) FROM meetings_bookings WHERE id = ?", [id])
        else { throw RPCError.internalError("booking \(id) vanished") }
        return Booking(row: row)
    }
}
