import Foundation
import ReceptionPluginSDK

/// "The desk looks after the meeting while it runs: tea refilled every 20–25 minutes."
///
/// A chain of `tea_refill` tasks, one open at a time, for a meeting whose class template has
/// `tea`: `meetings.checkin` makes the first, due `tea_refill_minutes` after the actual start;
/// marking one done makes the next, due that long after it was done, while the meeting is still
/// in progress; `meetings.end` cancels the open one. The ids count up per booking
/// (`MT20261205-0001/tea_refill-1`, `-2`, …). An overdue refill is announced by the minute job like
/// any task.
enum TeaRefills {
    /// The kind of task.
    static let kind = "tea_refill"

    /// Makes the first refill of `booking`, which has just started at `startedAt`, when its class
    /// serves tea; the task made, if any.
    @discardableResult
    static func start(_ booking: Booking, at startedAt: Date, config: MeetingsConfig, in db: SQLiteConnection) throws
        -> MeetingTask?
    {
        guard serves(booking, config: config) else { return nil }
        return try make(for: booking, after: startedAt, config: config, in: db)
    }

    /// After the refill `task` was done at `doneAt`: the next one, when its meeting is still in
    /// progress (and serves tea under the current templates).
    @discardableResult
    static func next(after task: MeetingTask, at doneAt: Date, config: MeetingsConfig, in db: SQLiteConnection) throws
        -> MeetingTask?
    {
        guard task.kind == kind, let id = task.booking else { return nil }
        let booking = try BookingLookup.existing(id, in: db)
        guard booking.state == .inProgress, serves(booking, config: config) else { return nil }
        return try make(for: booking, after: doneAt, config: config, in: db)
    }

    /// Cancels the open refill of `booking` (the meeting ended or was cancelled).
    static func stop(_ booking: String, in db: SQLiteConnection) throws {
        try db.execute(
            "UPDATE meetings_tasks SET status = 'cancelled' WHERE booking = ? AND kind = ? AND status = 'open'",
            [booking, kind])
    }

    /// Whether meetings of `booking`'s class get tea (their template lists `tea`).
    static func serves(_ booking: Booking, config: MeetingsConfig) -> Bool {
        config.templates[MeetingClass(rawValue: booking.class) ?? .routine]?.contains("tea") ?? false
    }

    /// Stores the next refill of `booking`, due `tea_refill_minutes` after `from`.
    private static func make(for booking: Booking, after from: Date, config: MeetingsConfig, in db: SQLiteConnection)
        throws -> MeetingTask
    {
        let made = try db.queryOne(
            "SELECT count(*) AS n FROM meetings_tasks WHERE booking = ? AND kind = ?", [booking.booking, kind])
        let number = (made?.int("n") ?? 0) + 1
        return try TaskPlan.add(
            "\(booking.booking)/\(kind)-\(number)", booking: booking.booking, kind: kind,
            due: from + TimeInterval(config.teaRefillMinutes * 60), config: config, in: db)
    }
}
