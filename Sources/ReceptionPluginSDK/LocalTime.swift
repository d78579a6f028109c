import Foundation

/// Local days and wall-clock times in the property's zone (the daemon's `[daemon] time_zone`,
/// or the zone a test gave the testing kit: `context.timeZone`, `config.timeZone`). Opening hours,
/// a curfew and a report's day boundaries are wall times: 08:00 is 08:00 on the day daylight
/// saving starts or ends.
///
/// ```swift
/// let local = LocalTime(zone: context.timeZone)
/// let curfew = local.instant(local.day(of: context.now), minutes: 23 * 60)
/// ```
public struct LocalTime: Sendable {
    /// The Gregorian calendar, in the zone.
    public let calendar: Calendar

    /// The local time of `zone`.
    public init(zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The zone.
    public var timeZone: TimeZone { calendar.timeZone }

    /// Minutes after midnight of `HH:MM` (`23:00` → 1380), or `nil` when it is not such a time.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// The calendar date of `date`.
    public func day(of date: Date) -> CivilDate { CivilDate(of: date, in: calendar.timeZone) }

    /// The first instant of `day` (midnight, or the first minute there is on a day whose midnight
    /// a daylight-saving change skips).
    public func start(of day: CivilDate) -> Date { day.start(in: calendar.timeZone) }

    /// The first instant of `day`, in milliseconds since 1970.
    public func startMs(of day: CivilDate) -> Int64 { EpochMillis.of(start(of: day)) }

    /// The instant the wall clock shows `minutes` after midnight on `day`; 24:00 is the next day's
    /// start, and a wall time a daylight-saving change skips is the first one after it.
    public func instant(_ day: CivilDate, minutes: Int) -> Date {
        if minutes >= 24 * 60 { return start(of: day.adding(days: 1) ?? day) }
        var parts = DateComponents()
        parts.year = day.year
        parts.month = day.month
        parts.day = day.day
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        return calendar.date(from: parts) ?? start(of: day)
    }

    /// Minutes after local midnight shown on the wall clock at `date` (an hour that repeats reads
    /// the same twice).
    public func wallMinutes(_ date: Date) -> Int {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// `date` as ISO 8601 with the zone's offset at that instant.
    public func format(_ date: Date) -> String { Timestamp.format(date, timeZone: calendar.timeZone) }

    /// The instant `ms` as ISO 8601 with the zone's offset.
    public func format(ms: Int64) -> String { format(EpochMillis.date(ms)) }
}
