import Foundation
import ReceptionProtocol

/// What the `book` and `agenda` workloads ask for, made before the run.
///
/// Times are local to UTC+8 as in ``IsoTime`` and the seeders: run the daemon with
/// `TZ=Asia/Shanghai` (or another zone at +08:00), or the slots fall outside its opening hours.
enum MeetingsSlots {
    /// The first day `book` books, counted from today: past the seeder's four weeks ahead.
    static let firstDayAhead = 35

    /// `meetings.book` params, one per free hour of every active room from
    /// ``firstDayAhead`` days on, inside each room's opening hours, shuffled. `rooms` is
    /// `meetings.rooms.list`'s `rooms`; at most `limit` slots; none whose ``key(room:startMs:)``
    /// is in `taken` (booked by an earlier run).
    static func bookings(rooms: [JSONValue], limit: Int, taken: Set<String> = [], random: inout SeededRandom)
        -> [String]
    {
        let day: Int64 = 86_400_000
        let hour: Int64 = 3_600_000
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let today = (now + 8 * hour) / day
        let active = rooms.filter { $0["status"]?.stringValue ?? "active" == "active" }
        guard !active.isEmpty else { return [] }
        var slots: [String] = []
        var offset = Int64(firstDayAhead)
        // Days until enough slots (or ten years, for rooms that are never open).
        while slots.count < limit, offset < Int64(firstDayAhead) + 3650 {
            let localDay = today + offset
            let midnight = localDay * day - 8 * hour
            // 1970-01-01 was a Thursday.
            let weekday = ["thu", "fri", "sat", "sun", "mon", "tue", "wed"][Int(localDay % 7)]
            for room in active {
                guard let id = room["room"]?.stringValue,
                    let open = room["hours"]?[weekday]?.arrayValue, open.count == 2,
                    let from = open[0].stringValue.flatMap(minutes), let to = open[1].stringValue.flatMap(minutes)
                else { continue }
                var start = (from + 59) / 60
                while (start + 1) * 60 <= to {
                    let startMs = midnight + Int64(start) * hour
                    if taken.contains(key(room: id, startMs: startMs)) {
                        start += 1
                        continue
                    }
                    let capacity = room["capacity"]?.intValue ?? 1
                    var params = "{\"room\":"
                    JSONValue.writeString(id, to: &params)
                    params += ",\"title\":\"项目例会\",\"organiser\":\"华信科技有限公司\",\"contact\":\"周敏\""
                    params += ",\"start\":\"\(IsoTime.format(startMs))\",\"end\":\"\(IsoTime.format(startMs + hour))\""
                    params += ",\"attendees\":\(min(capacity, 4)),\"class\":\"routine\"}"
                    slots.append(params)
                    start += 1
                }
            }
            offset += 1
        }
        slots.shuffle(using: &random)
        return Array(slots.prefix(limit))
    }

    /// Every day from a year ago to four weeks ahead, as `YYYY-MM-DD`: the seeded agenda.
    static func days() -> [String] {
        let day: Int64 = 86_400_000
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let today = (now + 8 * 3_600_000) / day
        return (today - 365...today + Int64(MeetingsSeeder.daysAhead)).map {
            String(IsoTime.format($0 * day - 8 * 3_600_000 + 12 * 3_600_000).prefix(10))
        }
    }

    /// What identifies a slot this workload books: the room and the start.
    static func key(room: String, startMs: Int64) -> String {
        "\(room)@\(startMs)"
    }

    /// `08:30` → 510.
    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]) else { return nil }
        return hours * 60 + minutes
    }
}
