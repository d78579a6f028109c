import Foundation

/// The who and when of one call, for the `*_at`, `*_ms` and `*_by` columns: every time a call
/// stamps is the same clock reading (the caller's `now`).
public struct Stamp: Sendable {
    /// The time, ISO 8601 with the daemon's offset (`2026-12-06T10:15:03.120+08:00`).
    public let time: String
    /// The same time in milliseconds since 1970, for ordering and ranges.
    public let ms: Int64
    /// Who: the operator the connection named with `daemon.hello`, else `uid N`.
    public let by: String
    /// The time as a `Date`.
    public let date: Date

    /// The stamp of `caller` at `date`, its time written with the offset of `timeZone` (the
    /// property's: the daemon's zone, or the testing kit's).
    public init(caller: Caller, date: Date, timeZone: TimeZone = .current) {
        self.date = date
        self.time = timeZone == .current ? Timestamp.format(date) : Timestamp.format(date, timeZone: timeZone)
        self.ms = EpochMillis.of(date)
        self.by = caller.actorName
    }
}

/// Milliseconds since 1970, stored beside every ISO 8601 time for ordering and ranges.
public enum EpochMillis {
    /// `date` in whole milliseconds.
    public static func of(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The time `ms` milliseconds after 1970.
    public static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}
