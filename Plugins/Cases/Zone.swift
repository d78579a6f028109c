import Foundation
import ReceptionPluginSDK

/// Days and times in the property's zone (`[daemon] time_zone`, the process's zone; the testing
/// kit may run the plugin in another): when a local day starts, which day an instant falls on,
/// and times written ISO 8601 with that zone's offset.
struct Zone: Sendable {
    /// The calendar, in the property's zone.
    let calendar: Calendar

    /// The calendar of `zone`.
    init(_ zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The calendar date of `date`.
    func day(of date: Date) -> CivilDate { CivilDate(of: date, in: calendar.timeZone) }

    /// The first instant of `day`, in milliseconds since 1970.
    func startMs(of day: CivilDate) -> Int64 {
        var parts = DateComponents()
        parts.year = day.year
        parts.month = day.month
        parts.day = day.day
        let date = calendar.date(from: parts).map { calendar.startOfDay(for: $0) } ?? Date(timeIntervalSince1970: 0)
        return EpochMillis.of(date)
    }

    /// `date` as ISO 8601 with this zone's offset at that instant.
    func format(_ date: Date) -> String { Timestamp.format(date, timeZone: calendar.timeZone) }

    /// The instant `ms` as ISO 8601 with this zone's offset.
    func format(ms: Int64) -> String { format(EpochMillis.date(ms)) }
}
