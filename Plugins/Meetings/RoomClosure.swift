import Foundation
import ReceptionPluginSDK

/// "The room is closed to others once ready": when the `setup` task of a `major` booking is
/// marked done, its room is closed from that moment to the booking's end (`closedFrom` on the
/// booking). `meetings.book` and `meetings.reschedule` into the room in that window are a
/// `conflict` (`rule` `room_closed`, see ``Slot/conflict(_:)``) and `meetings.rooms.free` leaves
/// the room out. Bookings already in the window are not cancelled: the setup-done reply lists
/// them (`closing`) for the desk to move. Rescheduling or cancelling the major booking reopens the
/// room; a reschedule also reopens its setup task, which is redone for the new time.
///
/// Setup is due the day before, but nothing stops the desk from doing it earlier, so the window
/// may start any number of days before the meeting. The check does not assume how long it is: it
/// reads the room's closed bookings that end after the slot starts through a partial index on
/// (room, end_ms) that holds only closed bookings (`meetings_bookings_closed`), a handful per room.
enum RoomClosure {
    /// The task whose completion closes a major meeting's room.
    static let setupKind = "setup"

    /// Closes the room of the major booking that `task` (its `setup`, just done) prepares, from
    /// `context.now` to the booking's end; the ids of the room's other bookings (booked or in
    /// progress) in that window, by start. Nil when nothing closes: the booking is not `major`,
    /// is no longer booked or in progress, or has already ended.
    static func close(after task: MeetingTask, in context: MeetingsWrite, config: MeetingsConfig) throws -> [String]? {
        guard task.kind == setupKind, let id = task.booking else { return nil }
        let db = context.db
        let booking = try BookingLookup.existing(id, in: db)
        guard booking.class == MeetingClass.major.rawValue, [.booked, .inProgress].contains(booking.state),
            context.stamp.ms < booking.endMs
        else { return nil }
        try db.execute(
            "UPDATE meetings_bookings SET closed_from = ?, closed_ms = ? WHERE id = ?",
            [config.local.format(context.now), context.stamp.ms, booking.id])
        // The same (room, start_ms) range as the overlap check, from the window's start; the
        // `status <> 'cancelled'` term lets SQLite use that partial index (an IN list alone does not).
        let inWindow = try db.query(
            """
            SELECT booking FROM meetings_bookings
            WHERE room = ? AND start_ms > ? AND start_ms < ? AND status <> 'cancelled'
                AND status IN ('booked', 'in_progress') AND end_ms > ? AND id <> ?
            ORDER BY start_ms LIMIT 500
            """,
            [booking.room, context.stamp.ms - Slot.longestBookingMs, booking.endMs, context.stamp.ms, booking.id])
        return inWindow.compactMap { $0.string("booking") }
    }

    /// The major bookings of `room` (other than `excluding`) whose closed window overlaps
    /// `start`–`end` (milliseconds), by start.
    static func closures(
        room: String, start: Int64, end: Int64, excluding: Int64? = nil, in db: SQLiteConnection
    ) throws -> [Booking] {
        Booking.rows(try db.query(closuresQuery, [room, start, end, excluding ?? 0]))
    }

    /// The query of ``closures(room:start:end:excluding:in:)``: room, slot start, slot end, the
    /// booking left out. It reads `meetings_bookings_closed` (a rules test checks the plan).
    static let closuresQuery = """
        SELECT \(Booking.columns) FROM meetings_bookings
        WHERE room = ? AND closed_ms IS NOT NULL AND end_ms > ? AND closed_ms < ? AND status <> 'cancelled'
            AND id <> ?
        ORDER BY start_ms LIMIT 100
        """

    /// Reopens the room of `booking` (being rescheduled or cancelled) if its setup had closed it.
    /// With `redoSetup` (a reschedule) its done `setup` task is open again, to be done for the new
    /// time; a cancel leaves it as done (the booking's open tasks are cancelled).
    static func reopen(_ booking: Booking, redoSetup: Bool, in db: SQLiteConnection) throws {
        guard booking.closedMs != nil else { return }
        try db.execute("UPDATE meetings_bookings SET closed_from = NULL, closed_ms = NULL WHERE id = ?", [booking.id])
        guard redoSetup else { return }
        try db.execute(
            """
            UPDATE meetings_tasks SET status = 'open', done_at = NULL, done_by = NULL, note = NULL, overdue_ms = NULL
            WHERE task = ? AND status = 'done'
            """, ["\(booking.booking)/\(setupKind)"])
    }
}
