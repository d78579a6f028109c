import Foundation
import ReceptionPluginSDK

/// When each preparation task of a booking is due, per the issue:
/// `tea` and `room_check` at start − 15 min; `av_sheet` at booking + 5 min and `av_check` at
/// start − 30 min (only with AV); `materials` at start − 1 day; `setup` at 18:00 the day before;
/// `staff_on_site` at start − 30 min (at booking + 5 min for `ad_hoc`); `reset` at end + 30 min.
/// "A day before" and "the day before" are read on the wall clock, so a daylight-saving change
/// between does not shift them by an hour. Which kinds a class gets is configured (templates).
enum TaskPlan {
    /// The kinds and due times of a booking's tasks.
    static func dues(
        class meetingClass: MeetingClass, av: Bool, start: Date, end: Date, bookedAt: Date, config: MeetingsConfig
    ) -> [(kind: String, due: Date)] {
        let local = config.local
        let minute: TimeInterval = 60
        var plan: [(String, Date)] = []
        for kind in config.templates[meetingClass] ?? [] {
            switch kind {
            case "tea", "room_check": plan.append((kind, start - 15 * minute))
            case "av_sheet" where av: plan.append((kind, bookedAt + 5 * minute))
            case "av_check" where av: plan.append((kind, start - 30 * minute))
            case "materials":
                plan.append((kind, local.calendar.date(byAdding: .day, value: -1, to: start) ?? start - 86_400))
            case "setup":
                let dayBefore = local.day(of: start).adding(days: -1) ?? local.day(of: start)
                plan.append((kind, local.instant(dayBefore, minutes: 18 * 60)))
            case "staff_on_site":
                plan.append((kind, meetingClass == .adHoc ? bookedAt + 5 * minute : start - 30 * minute))
            case "reset": plan.append((kind, end + 30 * minute))
            default: continue
            }
        }
        return plan
    }

    /// Creates the tasks of `booking` (ids `<booking>/<kind>`), and the day's `open_rooms` at 08:00
    /// when it is the day's first; the tasks created.
    static func create(for booking: Booking, config: MeetingsConfig, in db: SQLiteConnection) throws -> [MeetingTask] {
        var created: [MeetingTask] = []
        let dues = dues(
            class: MeetingClass(rawValue: booking.class) ?? .routine, av: booking.av,
            start: EpochMillis.date(booking.startMs), end: EpochMillis.date(booking.endMs),
            bookedAt: EpochMillis.date(booking.bookedMs), config: config)
        for (kind, due) in dues {
            let id = "\(booking.booking)/\(kind)"
            created.append(try add(id, booking: booking.booking, kind: kind, due: due, config: config, in: db))
        }
        if let opening = try openRooms(
            on: config.local.day(of: EpochMillis.date(booking.startMs)), config: config, in: db)
        {
            created.append(opening)
        }
        return created
    }

    /// Creates `open_rooms` at 08:00 of `day` unless it exists; the task when created.
    static func openRooms(on day: CivilDate, config: MeetingsConfig, in db: SQLiteConnection) throws -> MeetingTask? {
        let id = "OPEN-\(day.compact)"
        guard try db.queryOne("SELECT id FROM meetings_tasks WHERE task = ?", [id]) == nil else { return nil }
        return try add(
            id, booking: nil, kind: "open_rooms", due: config.local.instant(day, minutes: 8 * 60), config: config,
            in: db)
    }

    /// Stores an open task `id` of `kind` for `booking`, due at `due`, done by the kind's team.
    static func add(
        _ id: String, booking: String?, kind: String, due: Date, config: MeetingsConfig, in db: SQLiteConnection
    ) throws -> MeetingTask {
        var task = MeetingTask()
        task.task = id
        task.booking = booking
        task.kind = kind
        task.team = config.teams[kind] ?? "front_desk"
        task.due = config.local.format(due)
        task.dueMs = EpochMillis.of(due)
        task.status = "open"
        task.id = try task.insert(into: db)
        return task
    }

    /// Moves the open tasks of `booking` to its new times (a moved task may be announced overdue
    /// again), and makes sure its new day is opened.
    static func move(_ booking: Booking, config: MeetingsConfig, in db: SQLiteConnection) throws {
        let dues = dues(
            class: MeetingClass(rawValue: booking.class) ?? .routine, av: booking.av,
            start: EpochMillis.date(booking.startMs), end: EpochMillis.date(booking.endMs),
            bookedAt: EpochMillis.date(booking.bookedMs), config: config)
        for (kind, due) in dues {
            try db.execute(
                """
                UPDATE meetings_tasks SET due_at = ?, due_ms = ?, overdue_ms = NULL
                WHERE task = ? AND status = 'open'
                """, [config.local.format(due), EpochMillis.of(due), "\(booking.booking)/\(kind)"])
        }
        _ = try openRooms(on: config.local.day(of: EpochMillis.date(booking.startMs)), config: config, in: db)
    }

    /// The tasks of `booking`, by due time.
    static func of(_ booking: String, in db: SQLiteConnection) throws -> [MeetingTask] {
        MeetingTask.rows(
            try db.query(
                "SELECT \(MeetingTask.columns) FROM meetings_tasks WHERE booking = ? ORDER BY due_ms, id", [booking]))
    }
}
