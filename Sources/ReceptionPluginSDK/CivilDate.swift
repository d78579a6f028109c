import Foundation
import ReceptionProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A calendar date without a time (`2027-05-31`), as badges' `validUntil`, `leaseEnd` and the
/// ledger's date ranges carry it. Proleptic Gregorian; "today" is the daemon's local date.
///
/// A badge is valid through the whole of its `validUntil` day: it reads as `expired` from the
/// next day on. Dates compare in the order of their text, which is why they are stored as text.
public struct CivilDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The year (1–9999).
    public let year: Int
    /// The month (1–12).
    public let month: Int
    /// The day of the month.
    public let day: Int

    /// A date from its parts, or `nil` when there is no such day (2027-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDate.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; `nil` for anything else (other separators, no zero padding,
    /// a day the month does not have).
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `date` as a calendar date in `zone` (the process's zone takes the faster path).
    public init(of date: Date, in zone: TimeZone) {
        if zone == .current {
            self.init(localDateOf: date)
            return
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self =
            CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CivilDate(localDateOf: date)
    }

    /// `date` as a calendar date in the daemon's time zone (`[daemon] time_zone`, which the
    /// daemon sets as the process's `TZ`), the same zone `Timestamp.format` writes offsets in.
    public init(localDateOf date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        // localtime_r always yields a real day.
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
    }

    /// The first instant of this day in the daemon's local time zone (midnight, or the first
    /// minute there is on a day whose midnight a daylight-saving change skips).
    public var startInLocalTime: Date {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_isdst = -1
        return Date(timeIntervalSince1970: TimeInterval(mktime(&parts)))
    }

    /// The first instant of this day in `zone` (the daemon's zone takes ``startInLocalTime``).
    public func start(in zone: TimeZone) -> Date {
        if zone == .current { return startInLocalTime }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? startInLocalTime
        return calendar.startOfDay(for: date)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `YYYYMMDD`, for receipt numbers.
    public var compact: String { description.replacingOccurrences(of: "-", with: "") }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { CivilDays.days(year: year, month: month, day: day) }

    /// The date `days` later (earlier when negative); `nil` outside years 1–9999.
    public func adding(days: Int) -> CivilDate? {
        let (year, month, day) = CivilDays.civil(fromDays: dayNumber + days)
        return CivilDate(year: year, month: month, day: day)
    }

    /// The same day `months` calendar months later, clamped to the month's last day
    /// (2026-11-30 plus 3 months is 2027-02-28).
    public func adding(months: Int) -> CivilDate? {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        guard (1...9999).contains(newYear) else { return nil }
        return CivilDate(
            year: newYear, month: newMonth, day: min(day, CivilDate.days(inMonth: newMonth, year: newYear)))
    }

    /// Days in `month` of `year`.
    public static func days(inMonth month: Int, year: Int) -> Int { CivilDays.daysIn(month: month, year: year) }

    /// The date in `text`, or a validation error naming `field`.
    public static func param(_ text: String, field: String) throws(RPCError) -> CivilDate {
        guard let date = CivilDate(parsing: text.trimmingCharacters(in: .whitespaces)) else {
            throw RPCError.validation(
                field: field, "\(field) must be a date written YYYY-MM-DD (e.g. 2027-05-31), got \"\(text)\""
            ).localized("zh", "\(field) 应为 YYYY-MM-DD 格式的日期（如 2027-05-31），收到的是“\(text)”")
        }
        return date
    }
}

extension CivilDate: ParamValue {
    /// 1970-01-01.
    public static var placeholder: CivilDate { CivilDate(localDateOf: Date(timeIntervalSince1970: 0)) }

    /// A date: `YYYY-MM-DD`.
    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var spec = spec
        spec.format = .date
        spec.maxLength = spec.maxLength ?? 10
        return String.paramSchema(spec)
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> CivilDate
    {
        guard case .string(let text) = value else { throw mismatch(value, "a string", at: path) }
        return try param(text, field: path)
    }
}

/// A time, or a whole day: a param that takes the full ISO 8601 form with offset
/// (`2026-12-01T08:00:00+08:00`) or a plain date (`2026-12-01`, that day in the daemon's time zone).
public enum TimeOrDay: ParamValue, Sendable, Equatable {
    /// An instant.
    case time(Date)
    /// A calendar day in the daemon's time zone.
    case day(CivilDate)

    /// The instant, or the day's first instant.
    public var start: Date {
        switch self {
        case .time(let date): return date
        case .day(let day): return day.startInLocalTime
        }
    }

    /// The instant, or the first instant after the day (a range ending at a day includes it).
    public var endOfRange: Date {
        switch self {
        case .time(let date): return date
        case .day(let day): return (day.adding(days: 1) ?? day).startInLocalTime
        }
    }

    public static var placeholder: TimeOrDay { .time(Date(timeIntervalSince1970: 0)) }

    /// A string: ISO 8601 with offset, or `YYYY-MM-DD` (`"x-accepts-date": true` tells clients a
    /// plain date is read here by the daemon, rather than as that day's start).
    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var spec = spec
        spec.format = spec.format ?? .dateTime
        spec.maxLength = spec.maxLength ?? 40
        var schema = String.paramSchema(spec)
        schema["x-accepts-date"] = true
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> TimeOrDay
    {
        guard case .string(let raw) = value else { throw mismatch(value, "a string", at: path) }
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let day = CivilDate(parsing: text) { return .day(day) }
        if let date = Timestamp.parse(text) { return .time(date) }
        throw RPCError.validation(
            field: path,
            "\(path) must be a date (2026-12-01) or an ISO 8601 time with offset (2026-12-01T08:00:00+08:00); got \"\(raw)\""
        ).localized("zh", "\(path) 应为日期（2026-12-01）或带时区的 ISO 8601 时间（2026-12-01T08:00:00+08:00），收到的是“\(raw)”")
    }
}
