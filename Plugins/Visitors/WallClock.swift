import Foundation
import ReceptionPluginSDK

/// Wall-clock times and local days in the daemon's zone (`[daemon] time_zone`, which the daemon
/// makes the process's zone: ``WriteContext/timeZone``). The curfew is a wall time: 23:00 is
/// 23:00 on the day daylight saving starts or ends.
struct WallClock: Sendable {
    /// The calendar, in the daemon's zone.
    let calendar: Calendar

    /// The wall clock of `zone`.
    init(zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// Minutes after midnight of `HH:MM` (`23:00` → 1380), or `nil` when it is not such a time.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// The calendar date of `date`.
    func day(of date: Date) -> CivilDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CivilDate.placeholder
    }

    /// Minutes after local midnight shown on the wall clock at `date`.
    func wallMinutes(_ date: Date) -> Int {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// The instant the wall clock shows `minutes` after midnight on `day` (a wall time that a
    /// daylight-saving change skips is the first one after it).
    func instant(_ day: CivilDate, minutes: Int) -> Date {
        var parts = DateComponents()
        parts.year = day.year
        parts.month = day.month
        parts.day = day.day
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        return calendar.date(from: parts) ?? day.startInLocalTime
    }

    /// `date` as ISO 8601 with the zone's offset at that instant.
    func format(_ date: Date) -> String { Timestamp.format(date, timeZone: calendar.timeZone) }
}

/// When a visit must end: the curfew of the day it arrives on. A visitor who arrives after the
/// curfew, or in the small hours before the visiting day starts (06:00), is past it already.
enum Curfew {
    /// 06:00: a visit that arrives earlier belongs to the night before.
    static let dayStarts = 6 * 60

    /// The instant by which a visitor arriving at `arrival` leaves.
    static func leaveBy(arrival: Date, curfew: Int, clock: WallClock) -> Date {
        let minutes = clock.wallMinutes(arrival)
        if minutes < dayStarts || minutes >= curfew { return arrival }
        return clock.instant(clock.day(of: arrival), minutes: curfew)
    }
}
