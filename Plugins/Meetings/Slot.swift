import Foundation
import ReceptionPluginSDK

/// The rules of a time slot in a room: end after start, inside the room's opening hours that day,
/// no overlap with another active booking (back-to-back is fine: an end equal to the next
/// start is no overlap), and not inside a major meeting's closed window (``RoomClosure``).
enum Slot {
    /// A booking in the way of a slot asked for: `start` and `end` are the slot (for a series, the
    /// occurrence), `booking` the booking in its way; `roomClosed` when it is not the booking's
    /// own times but its closed window (a major meeting's room, closed once its setup is done).
    struct Clash {
        /// The slot asked for.
        let start: String
        /// See ``start``.
        let end: String
        /// The booking in its way.
        let booking: Booking
        /// Whether the slot falls in `booking`'s closed window rather than on its times.
        let roomClosed: Bool
    }

    /// Everything in the way of `start`–`end` in `room`: the overlapping bookings, then the major
    /// bookings whose closed window it falls in (each booking named once, an overlap first).
    /// `local` writes the slot's times in the clashes.
    static func blocking(
        room: String, start: Date, end: Date, excluding: Int64? = nil, local: LocalTime, in db: SQLiteConnection
    ) throws -> [Clash] {
        let (from, to) = (EpochMillis.of(start), EpochMillis.of(end))
        let (slotStart, slotEnd) = (local.format(start), local.format(end))
        let overlaps = try clashes(room: room, start: from, end: to, excluding: excluding, in: db)
        let named = Set(overlaps.map(\.id))
        let closed = try RoomClosure.closures(room: room, start: from, end: to, excluding: excluding, in: db)
        return overlaps.map { Clash(start: slotStart, end: slotEnd, booking: $0, roomClosed: false) }
            + closed.filter { !named.contains($0.id) }.map {
                Clash(start: slotStart, end: slotEnd, booking: $0, roomClosed: true)
            }
    }

    /// Refuses an end not after the start.
    static func check(start: Date, end: Date, startField: String = "start", endField: String = "end") throws(RPCError) {
        guard end > start else {
            throw RPCError(
                .validation, "\(endField) must be after \(startField)", field: endField,
                details: ["rule": "end_after_start"]
            ).localized("zh", "结束时间（\(endField)）须晚于开始时间（\(startField)）")
        }
    }

    /// Why `start`–`end` is outside `room`'s opening hours (English, Chinese), or nil when inside.
    /// The slot must lie within one day's opening, read on that day's wall clock.
    static func closedPart(_ room: Room, start: Date, end: Date, local: LocalTime) -> (String, String)? {
        let day = local.day(of: start)
        let weekday = local.weekday(of: day)
        let index = OpeningHours.weekdays.firstIndex(of: weekday) ?? 0
        guard let hours = room.openingHours.days[weekday] else {
            return (
                "room \(room.room) is closed on \(weekday) \(day)",
                "会议室 \(room.room) \(OpeningHours.chineseWeekdays[index])（\(day)）不开放"
            )
        }
        let opens = local.instant(day, minutes: hours.lowerBound)
        let closes = local.instant(day, minutes: hours.upperBound)
        guard start >= opens, end <= closes else {
            let span = "\(OpeningHours.clock(hours.lowerBound))–\(OpeningHours.clock(hours.upperBound))"
            return (
                "room \(room.room) is open \(span) on \(weekday) \(day)",
                "会议室 \(room.room) \(OpeningHours.chineseWeekdays[index])（\(day)）开放时间为 \(span)"
            )
        }
        return nil
    }

    /// Longer than any booking can be: one day's opening, 25 hours on a daylight-saving day.
    static let longestBookingMs: Int64 = 26 * 3_600_000

    /// The room's active bookings overlapping `start`–`end` (milliseconds), other than `excluding`.
    static func clashes(
        room: String, start: Int64, end: Int64, excluding: Int64? = nil, in db: SQLiteConnection
    ) throws -> [Booking] {
        // A booking lies within one day's opening (at most 25 hours, on a daylight-saving day), so
        // one that overlaps starts less than 26 hours before this one: the lower bound keeps the
        // index range on (room, start_ms) to a day's bookings instead of the room's whole past.
        Booking.rows(
            try db.query(
                """
                SELECT \(Booking.columns) FROM meetings_bookings
                WHERE room = ? AND start_ms > ? AND start_ms < ? AND status <> 'cancelled' AND end_ms > ? AND id <> ?
                ORDER BY start_ms
                """, [room, start - Self.longestBookingMs, end, start, excluding ?? 0]))
    }

    /// Checks a booking of `room` for `start`–`end` with `attendees` and `av` against every rule but
    /// the overlap; a validation error naming the field and the rule.
    static func checkRoom(
        _ room: Room, start: Date, end: Date, attendees: Int64, av: Bool, local: LocalTime
    ) throws(RPCError) {
        try check(start: start, end: end)
        guard attendees <= room.capacity else {
            throw RPCError(
                .validation, "\(attendees) attendees do not fit room \(room.room), which seats \(room.capacity)",
                field: "attendees", details: ["rule": "capacity", "capacity": .int(room.capacity)]
            ).localized("zh", "参会 \(attendees) 人超出会议室 \(room.room) 的容量（\(room.capacity) 人）")
        }
        if av, !room.equipmentList.contains(where: { Slot.avEquipment.contains($0) }) {
            throw RPCError(
                .validation,
                "room \(room.room) has no projector or sound (it has: \(room.equipmentText.isEmpty ? "nothing" : room.equipmentText))",
                field: "av",
                details: ["rule": "room_has_av", "equipment": .array(room.equipmentList.map { .string($0) })]
            ).localized("zh", "会议室 \(room.room) 没有投影或音响设备，无法满足 AV 需求")
        }
        if let (english, chinese) = closedPart(room, start: start, end: end, local: local) {
            throw RPCError(
                .validation, "outside opening hours: \(english)", field: "start", details: ["rule": "opening_hours"]
            ).localized("zh", "超出开放时间：\(chinese)")
        }
    }

    /// Equipment that serves a meeting needing AV.
    static let avEquipment: Set<String> = ["projector", "audio", "video_conference"]

    /// The `conflict` naming every clash: `data.clashes` is `[{start, end, booking, room, title}]`,
    /// the slot asked for and the booking in its way; a clash with a closed room adds
    /// `rule: "room_closed"` and the booking's `closedFrom`, and then `data.rule` is `room_closed`.
    static func conflict(_ clashes: [Clash]) -> RPCError {
        let names = clashes.map {
            $0.roomClosed
                ? "\($0.booking.booking) (a major meeting: the room is closed from \($0.booking.closedFrom ?? $0.booking.start) to \($0.booking.end))"
                : "\($0.booking.booking) (\($0.booking.start) to \($0.booking.end))"
        }
        let list: [JSONValue] = clashes.map {
            var clash: [String: JSONValue] = [
                "start": .string($0.start), "end": .string($0.end), "booking": .string($0.booking.booking),
                "room": .string($0.booking.room), "title": .string($0.booking.title),
            ]
            if $0.roomClosed {
                clash["rule"] = "room_closed"
                clash["closedFrom"] = $0.booking.closedFrom.map { .string($0) } ?? .null
            }
            return .object(clash)
        }
        var details: [String: JSONValue] = ["clashes": .array(list)]
        if clashes.contains(where: \.roomClosed) { details["rule"] = "room_closed" }
        return RPCError.conflict(
            "the room is taken: \(clashes.count) clash\(clashes.count == 1 ? "" : "es") with \(names.joined(separator: ", "))",
            details: details
        ).localized(
            "zh",
            "会议室时间冲突，共 \(clashes.count) 处："
                + clashes.map {
                    $0.roomClosed
                        ? "\($0.booking.booking)（一类会议，会议室自 \($0.booking.closedFrom ?? $0.booking.start) 起封闭至 \($0.booking.end)）"
                        : "\($0.booking.booking)（\($0.booking.start) 至 \($0.booking.end)）"
                }.joined(separator: "、"))
    }
}
