import Foundation
import ReceptionPluginSDK

/// `meetings.agenda`: the day's bookings per room in time order, what the counter screen shows
/// and what is printed each morning. Every active room is listed (an empty one has no bookings),
/// and a retired room when it still has bookings that day; cancelled bookings are left out.
enum Agenda {
    /// `meetings.agenda {"date"}`.
    static let method: Method<MeetingsPlugin> = .read(
        "meetings.agenda", "The day's bookings per room in time order (the counter screen and the morning print).",
        zh: "当日会议安排：按会议室、按时间顺序列出（前台屏幕显示、每天早上打印）。",
        display: DisplayHints(
            title: "room", list: "rooms",
            columns: ["room", "name", "booking", "start", "end", "title", "organiser", "attendees", "class", "status"])
    ) { (plugin, params: DateParams, context) -> RawJSON in
        let local = plugin.config.local
        let from = EpochMillis.of(local.start(of: params.date))
        let to = EpochMillis.of(local.start(of: params.date.adding(days: 1) ?? params.date))
        let bookings = Booking.rows(
            try context.db.query(
                """
                SELECT \(Booking.columns) FROM meetings_bookings
                WHERE start_ms >= ? AND start_ms < ? AND status <> 'cancelled'
                ORDER BY room, start_ms LIMIT 2000
                """, [from, to]))
        let rooms = Room.rows(try context.db.query("SELECT \(Room.columns) FROM meetings_rooms ORDER BY room"))
        // Written straight to bytes: a day is about 47 bookings and 36 KB, and building each
        // booking as a JSONValue (its record written, then parsed again) cost more than the query.
        var listed: [[UInt8]] = []
        for room in rooms {
            let own = bookings.filter { $0.room == room.room }
            guard room.status == "active" || !own.isEmpty else { continue }
            var entry = SortedJSONObject()
            entry.add("room", .string(room.room))
            entry.add("name", .string(room.name))
            entry.add("bookings", rawElements: own.map(\.wireBytes))
            listed.append(Array(entry.finish().text.utf8))
        }
        var result = SortedJSONObject()
        result.add("date", .string(params.date.description))
        result.add("rooms", rawElements: listed)
        return result.finish()
    }
}

/// The params of `meetings.agenda`.
struct DateParams: MethodParams {
    @Param("The day (YYYY-MM-DD)", zh: "日期（YYYY-MM-DD）", positional: true) var date: CivilDate
}
