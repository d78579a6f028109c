import ReceptionPluginSDK

/// A meeting room, as stored and as sent on the wire.
///
/// `equipment` (an array) and `hours` (an object per weekday) are stored as text and written on
/// the wire in their JSON shapes by ``wire``.
struct Room: Record {
    static let table = "meetings_rooms"

    @Column(wire: .hidden) var id: Int64
    @Column("The room's id, e.g. A-301") var room: String
    @Column var name: String
    @Column var floor: Int64
    @Column("Most attendees it seats") var capacity: Int64
    @Column(column: "equipment", wire: .hidden) var equipmentText: String
    @Column("Fee per hour", format: .money) var hourlyFee: Int64
    @Column(column: "hours", wire: .hidden) var hoursText: String
    @Column("active or retired") var status: String
    @Column(format: .dateTime) var definedAt: String
    @Column var definedBy: String
    @Column(format: .dateTime) var retiredAt: String?
    @Column var retiredBy: String?

    /// The equipment names.
    var equipmentList: [String] { equipmentText.split(separator: ",").map(String.init) }

    /// The opening hours, parsed.
    var openingHours: OpeningHours { OpeningHours(stored: hoursText) }

    /// The room on the wire: `equipment` an array, `hours` an object.
    var wire: JSONValue {
        jsonValue(replacing: [
            "equipment": .array(equipmentList.map { .string($0) }), "hours": openingHours.json,
        ])
    }
}

/// Finding rooms by id.
enum RoomLookup {
    /// The room `room` names, or `not_found` naming it.
    static func existing(_ room: String, in db: SQLiteConnection, field: String = "room") throws -> Room {
        guard let row = try db.queryOne("SELECT \(Room.columns) FROM meetings_rooms WHERE room = ?", [room]) else {
            throw RPCError(.notFound, "no meeting room \(room)", field: field, details: ["room": .string(room)])
                .localized("zh", "没有会议室 \(room)")
        }
        return Room(row: row)
    }

    /// The room `room` names, which must be active.
    static func active(_ room: String, in db: SQLiteConnection, field: String = "room") throws -> Room {
        let found = try existing(room, in: db, field: field)
        guard found.status == "active" else {
            throw RPCError(
                .invalidState, "meeting room \(room) is retired", field: field,
                details: ["room": .string(room), "status": .string(found.status)]
            ).localized("zh", "会议室 \(room) 已停用")
        }
        return found
    }
}
