import Foundation
import ReceptionPluginSDK

/// `meetings.book`, `.reschedule`, `.cancel`, `.checkin`, `.end`, `.get`: a booking's life.
///
/// The overlap check and the insert run in one write call, and the daemon runs write calls one
/// at a time on its writer: of two desks booking the same slot at the same moment, the second
/// call sees the first one's booking and gets `conflict`.
enum Bookings {
    /// The columns worth showing of one booking.
    static let columns = ["booking", "room", "title", "organiser", "start", "end", "attendees", "class", "status"]

    /// How `daemon.methods` suggests showing one booking.
    static let display = DisplayHints(title: "booking", columns: columns, money: Money.booking)

    /// `meetings.book`: one booking, or a whole repeat series, with their preparation tasks.
    static let bookMethod: Method<MeetingsPlugin> = .write(
        "meetings.book",
        "Books a room (or a repeat series, all or nothing) and creates the preparation tasks; a clash is a conflict naming every booking in the way.",
        zh: "预订会议室（重复预订要么全部成功、要么一个不订），并生成会前准备任务；时间冲突时列出每一处冲突的预订。",
        display: DisplayHints(title: "booking", list: "bookings", columns: columns, money: Money.booking)
    ) { (plugin, params: BookParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let room = try RoomLookup.active(params.room, in: db)
        let starts = try Bookings.occurrences(params, config: config)
        let duration = params.end.timeIntervalSince(params.start)
        var clashes: [Slot.Clash] = []
        for start in starts {
            let end = start + duration
            try Slot.checkRoom(
                room, start: start, end: end, attendees: params.attendees, av: params.av ?? false, local: config.local)
            clashes += try Slot.blocking(room: room.room, start: start, end: end, local: config.local, in: db)
        }
        guard clashes.isEmpty else { throw Slot.conflict(clashes) }
        let today = config.local.day(of: context.now)
        let series =
            starts.count > 1
            ? "MS" + today.compact + "-" + Bookings.padded(try Counter.next("series:\(today.compact)", in: db)) : nil
        var bookings: [JSONValue] = []
        var tasks: [JSONValue] = []
        for start in starts {
            let end = start + duration
            var booking = Booking()
            booking.booking =
                "MT" + today.compact + "-" + Bookings.padded(try Counter.next("booking:\(today.compact)", in: db))
            booking.room = room.room
            booking.title = params.title
            booking.organiser = params.organiser
            booking.contact = params.contact
            booking.phone = params.phone
            booking.start = config.local.format(start)
            booking.startMs = EpochMillis.of(start)
            booking.end = config.local.format(end)
            booking.endMs = EpochMillis.of(end)
            booking.attendees = params.attendees
            booking.class = params.class.rawValue
            booking.av = params.av ?? false
            booking.notes = params.notes
            booking.status = BookingStatus.booked.rawValue
            booking.series = series
            booking.bookedAt = config.local.format(context.now)
            booking.bookedMs = context.stamp.ms
            booking.bookedBy = context.stamp.by
            booking.id = try booking.insert(into: db)
            let created = try TaskPlan.create(for: booking, config: config, in: db)
            tasks += created.map { $0.wire(nowMs: context.stamp.ms) }
            bookings.append(booking.wire())
            try context.emit(.booked, booking.wire())
        }
        return ["bookings": .array(bookings), "tasks": .array(tasks)]
    }

    /// `meetings.reschedule`: new times (and room), every rule checked again; the open tasks move.
    /// A major booking whose setup closed its room reopens it, and its setup task is open again.
    static let rescheduleMethod: Method<MeetingsPlugin> = .write(
        "meetings.reschedule",
        "Moves a booking to new times (and another room); its open tasks move with it. A major meeting's closed room reopens and its setup is to be redone.",
        zh: "会议改期（可换会议室），未完成的准备任务随之调整；一类会议已封闭的会议室随之解除封闭，会场布置须重新完成。", display: display, result: Booking.self
    ) { (plugin, params: RescheduleParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let booking = try BookingLookup.inState(params.booking, [.booked], to: "reschedule", chinese: "改期", in: db)
        let room = try RoomLookup.active(params.room ?? booking.room, in: db)
        try Slot.checkRoom(
            room, start: params.start, end: params.end, attendees: booking.attendees, av: booking.av,
            local: config.local)
        let clashes = try Slot.blocking(
            room: room.room, start: params.start, end: params.end, excluding: booking.id, local: config.local, in: db)
        guard clashes.isEmpty else { throw Slot.conflict(clashes) }
        try RoomClosure.reopen(booking, redoSetup: true, in: db)
        try db.execute(
            "UPDATE meetings_bookings SET room = ?, start_at = ?, start_ms = ?, end_at = ?, end_ms = ? WHERE id = ?",
            [
                room.room, config.local.format(params.start), EpochMillis.of(params.start),
                config.local.format(params.end),
                EpochMillis.of(params.end), booking.id,
            ])
        let moved = try BookingLookup.stored(id: booking.id, in: db)
        try TaskPlan.move(moved, config: config, in: db)
        try context.emit(.rescheduled, moved.wire())
        return moved.wire()
    }

    /// `meetings.cancel`: with a reason; its open tasks are cancelled, a closed room reopens.
    static let cancelMethod: Method<MeetingsPlugin> = .write(
        "meetings.cancel",
        "Cancels a booking (with the reason); its open tasks are cancelled and a major meeting's closed room reopens.",
        zh: "取消会议预订（须注明原因），未完成的准备任务一并取消；一类会议已封闭的会议室解除封闭。", display: display, result: Booking.self
    ) { (plugin, params: CancelParams, context) -> JSONValue in
        let db = context.db
        let booking = try BookingLookup.inState(params.booking, [.booked], to: "cancel", chinese: "取消", in: db)
        try RoomClosure.reopen(booking, redoSetup: false, in: db)
        try db.execute(
            """
            UPDATE meetings_bookings SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ?
            WHERE id = ?
            """, [plugin.config.local.format(context.now), context.stamp.by, params.reason, booking.id])
        try db.execute(
            "UPDATE meetings_tasks SET status = 'cancelled' WHERE booking = ? AND status = 'open'", [booking.booking])
        let stored = try BookingLookup.stored(id: booking.id, in: db)
        try context.emit(.cancelled, stored.wire())
        return stored.wire()
    }

    /// `meetings.checkin`: the meeting has started.
    static let checkinMethod: Method<MeetingsPlugin> = .write(
        "meetings.checkin",
        "Records that the meeting has started (its actual start counts for the fee); with tea, the first refill is due.",
        zh: "会议开始签到（实际开始时间用于计费）；有茶水服务的会议生成第一次续茶任务。", display: display, result: Booking.self
    ) { (plugin, params: BookingParams, context) -> JSONValue in
        let booking = try BookingLookup.inState(
            params.booking, [.booked], to: "check in", chinese: "签到开始", in: context.db)
        try context.db.execute(
            "UPDATE meetings_bookings SET status = 'in_progress', started_at = ?, started_ms = ? WHERE id = ?",
            [plugin.config.local.format(context.now), context.stamp.ms, booking.id])
        let stored = try BookingLookup.stored(id: booking.id, in: context.db)
        try TeaRefills.start(stored, at: context.now, config: plugin.config, in: context.db)
        try context.emit(.started, stored.wire())
        return stored.wire()
    }

    /// `meetings.end`: the meeting has ended (the real end time counts for the fee).
    static let endMethod: Method<MeetingsPlugin> = .write(
        "meetings.end",
        "Records that the meeting has ended; the actual start and end times make the room fee. The open tea refill is cancelled.",
        zh: "会议结束（按实际开始、结束时间计算场地费），未完成的续茶任务取消。", display: display, result: Booking.self
    ) { (plugin, params: BookingParams, context) -> JSONValue in
        let booking = try BookingLookup.inState(params.booking, [.inProgress], to: "end", chinese: "结束", in: context.db)
        try context.db.execute(
            "UPDATE meetings_bookings SET status = 'ended', ended_at = ?, ended_ms = ? WHERE id = ?",
            [plugin.config.local.format(context.now), context.stamp.ms, booking.id])
        try TeaRefills.stop(booking.booking, in: context.db)
        let stored = try BookingLookup.stored(id: booking.id, in: context.db)
        try context.emit(.ended, stored.wire())
        return stored.wire()
    }

    /// `meetings.get`: one booking.
    static let getMethod: Method<MeetingsPlugin> = .read(
        "meetings.get", "One booking, with its fee when settled.", zh: "查询一条会议预订（已结算的含费用明细）。",
        display: display, result: Booking.self
    ) { (plugin, params: BookingParams, context) -> JSONValue in
        try BookingLookup.existing(params.booking, in: context.db).wire()
    }

    /// The starts of a booking and its repeats, on the wall clock (a weekly meeting at 09:00
    /// stays at 09:00 across a daylight-saving change).
    static func occurrences(_ params: BookParams, config: MeetingsConfig) throws(RPCError) -> [Date] {
        try Slot.check(start: params.start, end: params.end)
        guard let repeating = params.repeat else { return [params.start] }
        let step = repeating.every == .week ? 7 : 1
        let limit = config.maxSeries
        var count: Int
        if let times = repeating.count {
            guard repeating.until == nil else {
                throw RPCError(.validation, "repeat takes count or until, not both", field: "repeat.until")
                    .localized("zh", "重复预订只能给出次数（count）或截止日期（until）之一")
            }
            count = Int(times)
        } else if let until = repeating.until {
            let first = config.local.day(of: params.start)
            guard until >= first else {
                throw RPCError(
                    .validation, "repeat.until \(until) is before the first meeting (\(first))", field: "repeat.until"
                )
                .localized("zh", "截止日期 \(until) 早于首次会议日期 \(first)")
            }
            count = (until.dayNumber - first.dayNumber) / step + 1
        } else {
            throw RPCError(.validation, "repeat needs count or until", field: "repeat")
                .localized("zh", "重复预订须给出次数（count）或截止日期（until）")
        }
        guard count <= limit else {
            throw RPCError(
                .validation, "a series books at most \(limit) meetings, this one would be \(count)", field: "repeat",
                details: ["rule": "max_series", "maximum": .int(Int64(limit))]
            ).localized("zh", "一次重复预订最多 \(limit) 场，此次为 \(count) 场")
        }
        count = max(count, 1)
        return (0..<count).map { index in
            config.local.calendar.date(byAdding: .day, value: index * step, to: params.start) ?? params.start
        }
    }

    /// `n` with at least four digits: 7 → `0007`.
    static func padded(_ n: Int64) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// How often a booking repeats.
enum RepeatEvery: String, ParamChoice {
    case day, week

    /// The Chinese label.
    var label: String { self == .day ? "每天" : "每周" }
}

/// `repeat` of `meetings.book`.
struct RepeatParams: MethodParams {
    @Param("day or week", zh: "每天（day）或每周（week）") var every: RepeatEvery
    @Param("How many meetings in all, the first included", zh: "共几场（含第一场）", minimum: 1, maximum: 366) var count: Int64?
    @Param("The last day a meeting may fall on", zh: "最后一场不晚于该日") var until: CivilDate?
}

/// The params of `meetings.book`.
struct BookParams: MethodParams {
    @Param("The room's id", zh: "会议室编号", maxLength: 32, text: .code) var room: String
    @Param("What the meeting is", zh: "会议名称", maxLength: 200) var title: String
    @Param("The tenant company or department booking", zh: "预订单位（租户公司或部门）", maxLength: 200) var organiser: String
    @Param("The organiser's contact, who signs the fee sheet", zh: "联系人（签字结算的人）", maxLength: 100) var contact: String
    @Param("The contact's phone", zh: "联系电话", maxLength: 32) var phone: String?
    @Param("Start (ISO 8601 with offset)", zh: "开始时间") var start: Date
    @Param("End (ISO 8601 with offset)", zh: "结束时间") var end: Date
    @Param("Attendees", zh: "参会人数", minimum: 1, maximum: 5000) var attendees: Int64
    @Param("routine, major or ad_hoc", zh: "会议类别：routine 日常（二类）、major 一类、ad_hoc 临时") var `class`: MeetingClass
    @Param("Projection or sound needed", zh: "是否需要投影、音响") var av: Bool?
    @Param("Anything else", zh: "备注", maxLength: 1000, text: .note) var notes: String?
    @Param("Repeat: {\"every\": \"day\" | \"week\", \"count\" | \"until\"}", zh: "重复预订：每天或每周，给出次数或截止日期")
    var `repeat`: RepeatParams?
}

/// The params of `meetings.reschedule`.
struct RescheduleParams: MethodParams {
    @Param("The booking", zh: "预订编号，如 MT20261205-0001", maxLength: 32, text: .code, positional: true) var booking:
        String
    @Param("New start", zh: "新的开始时间") var start: Date
    @Param("New end", zh: "新的结束时间") var end: Date
    @Param("Another room", zh: "改用的会议室", maxLength: 32, text: .code) var room: String?
}

/// The params of `meetings.cancel`.
struct CancelParams: MethodParams {
    @Param("The booking", zh: "预订编号", maxLength: 32, text: .code, positional: true) var booking: String
    @Param("Why", zh: "取消原因", maxLength: 500) var reason: String
}

/// The params naming one booking.
struct BookingParams: MethodParams {
    @Param("The booking", zh: "预订编号，如 MT20261205-0001", maxLength: 32, text: .code, positional: true) var booking:
        String
}

/// Booking and series numbers: one counter per local day.
enum Counter {
    /// The next value of `name` (1 for a new counter), in `meetings_counters` (``NamedCounter``).
    static func next(_ name: String, in db: SQLiteConnection) throws -> Int64 {
        try NamedCounter.next(name, table: "meetings_counters", in: db)
    }
}
