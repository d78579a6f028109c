import Foundation
import ReceptionPluginSDK

/// `meetings.rooms.define`, `.retire`, `.list`, `.free`: the rooms the desk lets.
enum Rooms {
    /// The columns worth showing of one room.
    static let columns = ["room", "name", "floor", "capacity", "equipment", "hourlyFee", "status"]

    /// How `daemon.methods` suggests showing one room.
    static let display = DisplayHints(title: "room", columns: columns, money: Money.room)

    /// `meetings.rooms.define` (admin): a new room, or new details for one (its bookings stay).
    static let defineMethod: Method<MeetingsPlugin> = .write(
        "meetings.rooms.define",
        "Defines a meeting room, or changes one's details: name, floor, capacity, equipment, hourly fee, opening hours.",
        zh: "登记会议室或修改其信息：名称、楼层、容纳人数、设备、每小时收费、各日开放时间。", role: .admin, display: display,
        result: Room.self
    ) { (plugin, params: DefineRoomParams, context) in
        let hours = try OpeningHours(param: params.hours)
        for (index, item) in params.equipment.enumerated() where !Rooms.isValidName(item) {
            throw RPCError(
                .validation,
                "equipment[\(index)] \"\(item)\": a name is lowercase letters, digits or _ (projector, audio)",
                field: "equipment[\(index)]"
            ).localized("zh", "equipment[\(index)]“\(item)”：设备名只能用小写字母、数字和 _，如 projector、audio")
        }
        let equipment = Array(Set(params.equipment)).sorted().joined(separator: ",")
        let stamp = context.stamp
        if let row = try context.db.queryOne("SELECT id FROM meetings_rooms WHERE room = ?", [params.room]),
            let id = row.int("id")
        {
            try context.db.execute(
                """
                UPDATE meetings_rooms SET name = ?, floor = ?, capacity = ?, equipment = ?, hourly_fee = ?, hours = ?,
                    status = 'active', retired_at = NULL, retired_by = NULL
                WHERE id = ?
                """,
                [params.name, params.floor, params.capacity, equipment, params.hourlyFee, hours.stored, id])
        } else {
            var room = Room()
            room.room = params.room
            room.name = params.name
            room.floor = params.floor
            room.capacity = params.capacity
            room.equipmentText = equipment
            room.hourlyFee = params.hourlyFee
            room.hoursText = hours.stored
            room.status = "active"
            room.definedAt = plugin.config.local.format(context.now)
            room.definedBy = stamp.by
            try room.insert(into: context.db)
        }
        return try RoomLookup.existing(params.room, in: context.db).wire
    }

    /// `meetings.rooms.retire` (admin): no new bookings; those already made stay.
    static let retireMethod: Method<MeetingsPlugin> = .write(
        "meetings.rooms.retire", "Retires a room: it takes no new bookings; those already made stay.",
        zh: "停用会议室：不再接受新预订，已有预订不受影响。", role: .admin, display: display, result: Room.self
    ) { (plugin, params: RoomParams, context) in
        let room = try RoomLookup.active(params.room, in: context.db)
        try context.db.execute(
            "UPDATE meetings_rooms SET status = 'retired', retired_at = ?, retired_by = ? WHERE id = ?",
            [plugin.config.local.format(context.now), context.stamp.by, room.id])
        return try RoomLookup.existing(params.room, in: context.db).wire
    }

    /// `meetings.rooms.list`: every room, active first, by id.
    static let listMethod: Method<MeetingsPlugin> = .read(
        "meetings.rooms.list", "Lists the rooms (retired ones too, after the active), by id.",
        zh: "列出会议室（停用的排在后面），按编号排序。",
        display: DisplayHints(title: "room", list: "rooms", columns: columns, money: Money.room), result: Room.self
    ) { (_, _: NoParams, context) -> JSONValue in
        let rooms = Room.rows(
            try context.db.query("SELECT \(Room.columns) FROM meetings_rooms ORDER BY status, room LIMIT 1000"))
        return ["rooms": .array(rooms.map(\.wire))]
    }

    /// `meetings.rooms.free`: the active rooms free for the whole slot (no booking, not closed for
    /// a major meeting), open through it, that seat the attendees and have the equipment.
    static let freeMethod: Method<MeetingsPlugin> = .read(
        "meetings.rooms.free",
        "Lists the rooms free for a slot (no booking, not closed for a major meeting) that are open then and fit the attendees and equipment.",
        zh: "查询某时段空闲（无预订、未因一类会议封闭）、开放且容得下人数、设备齐全的会议室。",
        display: DisplayHints(title: "room", list: "rooms", columns: columns, money: Money.room), result: Room.self
    ) { (plugin, params: FreeParams, context) -> JSONValue in
        try Slot.check(start: params.from, end: params.to, startField: "from", endField: "to")
        let rooms = Room.rows(
            try context.db.query("SELECT \(Room.columns) FROM meetings_rooms WHERE status = 'active' ORDER BY room"))
        var free: [JSONValue] = []
        for room in rooms {
            if let attendees = params.attendees, attendees > room.capacity { continue }
            if !Set(params.equipment ?? []).isSubset(of: Set(room.equipmentList)) { continue }
            if Slot.closedPart(room, start: params.from, end: params.to, local: plugin.config.local) != nil { continue }
            let blocking = try Slot.blocking(
                room: room.room, start: params.from, end: params.to, local: plugin.config.local, in: context.db)
            if blocking.isEmpty { free.append(room.wire) }
        }
        return ["rooms": .array(free)]
    }

    /// Whether `name` may name a piece of equipment.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// The params of `meetings.rooms.define`.
struct DefineRoomParams: MethodParams {
    @Param("The room's id, e.g. A-301", zh: "会议室编号，如 A-301", maxLength: 32, text: .code, positional: true)
    var room: String
    @Param("Its name", zh: "名称，如 三楼大会议室", maxLength: 100) var name: String
    @Param("Its floor", zh: "楼层", minimum: -10, maximum: 200) var floor: Int64
    @Param("Most attendees it seats", zh: "最多容纳人数", minimum: 1, maximum: 5000) var capacity: Int64
    @Param(
        "Equipment: projector, audio, video_conference, …", zh: "设备：projector 投影、audio 音响、video_conference 视频会议……",
        maxItems: 32, element: ParamSpec("A piece of equipment", maxLength: 32))
    var equipment: [String]
    @Param("Fee per hour", zh: "每小时收费", minimum: 0, maximum: 100_000_000, format: .money) var hourlyFee: Int64
    @Param(
        "Opening hours by weekday: {\"mon\": [\"08:00\", \"22:00\"], ...}; a day left out is closed",
        zh: "各日开放时间，如 {\"mon\": [\"08:00\", \"22:00\"]}；未列出的日子不开放")
    var hours: JSONValue
}

/// The params of `meetings.rooms.retire`.
struct RoomParams: MethodParams {
    @Param("The room's id", zh: "会议室编号", maxLength: 32, text: .code, positional: true) var room: String
}

/// The params of `meetings.rooms.free`.
struct FreeParams: MethodParams {
    @Param("From (ISO 8601 with offset)", zh: "开始时间") var from: Date
    @Param("To (ISO 8601 with offset)", zh: "结束时间") var to: Date
    @Param("Attendees to seat", zh: "参会人数", minimum: 1, maximum: 5000) var attendees: Int64?
    @Param("Equipment needed", zh: "所需设备", maxItems: 32, element: ParamSpec("A piece of equipment", maxLength: 32))
    var equipment: [String]?
}
