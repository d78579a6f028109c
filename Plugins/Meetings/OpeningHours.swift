import Foundation
import ReceptionPluginSDK

/// A room's opening hours per weekday, `{"mon": ["08:00", "22:00"], ...}`; a day left out is
/// closed. Times are minutes after the local midnight, so a day whose clock skips or repeats an
/// hour (daylight saving) still opens and closes at the times on the wall.
struct OpeningHours: Sendable, Equatable {
    /// The weekday keys, Monday first.
    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// The weekdays in Chinese, Monday first.
    static let chineseWeekdays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

    /// Opening and closing minute by weekday key.
    var days: [String: ClosedRange<Int>]

    /// Hours from their stored JSON text (written by ``stored``); closed every day if unreadable.
    init(stored text: String) {
        var days: [String: ClosedRange<Int>] = [:]
        if let object = (try? JSONValue.parse(text))?.objectValue {
            for (day, value) in object {
                if let pair = value.arrayValue, pair.count == 2, let open = pair[0].stringValue.flatMap(Self.minutes),
                    let close = pair[1].stringValue.flatMap(Self.minutes), open < close
                {
                    days[day] = open...close
                }
            }
        }
        self.days = days
    }

    /// Hours from the `hours` param, or a validation error naming the day and the rule.
    init(param: JSONValue, field: String = "hours") throws(RPCError) {
        guard let object = param.objectValue else {
            throw RPCError(
                .validation, "\(field) must be an object by weekday: {\"mon\": [\"08:00\", \"22:00\"]}", field: field
            )
            .localized("zh", "\(field) 应按星期给出开放时间，如 {\"mon\": [\"08:00\", \"22:00\"]}")
        }
        var days: [String: ClosedRange<Int>] = [:]
        for (day, value) in object {
            let path = "\(field).\(day)"
            guard Self.weekdays.contains(day) else {
                throw RPCError(
                    .validation, "\(path): a weekday is one of \(Self.weekdays.joined(separator: ", "))", field: path
                ).localized("zh", "\(path)：星期只能是 mon、tue、wed、thu、fri、sat、sun")
            }
            guard let pair = value.arrayValue, pair.count == 2, let open = pair[0].stringValue.flatMap(Self.minutes),
                let close = pair[1].stringValue.flatMap(Self.minutes), open < close
            else {
                throw RPCError(
                    .validation,
                    "\(path) must be [opening, closing] as HH:MM with opening before closing, e.g. [\"08:00\", \"22:00\"]",
                    field: path
                ).localized("zh", "\(path) 应为 [开门, 关门]，格式 HH:MM，且开门早于关门，如 [\"08:00\", \"22:00\"]")
            }
            days[day] = open...close
        }
        self.days = days
    }

    /// `HH:MM` (00:00–24:00) as minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]),
            let minutes = Int(parts[1]), (0...24).contains(hours), (0..<60).contains(minutes),
            hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }

    /// Minutes as `HH:MM`.
    static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60
        let rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// The wire shape, weekdays in order.
    var json: JSONValue {
        var object: [String: JSONValue] = [:]
        for (day, range) in days {
            object[day] = [.string(Self.clock(range.lowerBound)), .string(Self.clock(range.upperBound))]
        }
        return .object(object)
    }

    /// The stored text.
    var stored: String { json.serialized() }
}

/// Local days and wall-clock times in the property's zone (the process's zone, which the daemon
/// sets from `[daemon] time_zone`; the testing kit may run a plugin in another).
struct LocalTime: Sendable {
    /// The calendar, in the property's zone.
    let calendar: Calendar

    /// The calendar of `zone`.
    init(zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The calendar date of `date`.
    func day(of date: Date) -> CivilDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CivilDate.placeholder
    }

    /// The weekday key (`mon`) of `day`.
    func weekday(of day: CivilDate) -> String {
        // 1970-01-01 was a Thursday.
        let index = ((day.dayNumber % 7) + 7 + 3) % 7
        return OpeningHours.weekdays[index]
    }

    /// The instant at `minutes` after midnight on the wall clock of `day`: 08:00 is 08:00 even on
    /// a day that skipped an hour at 02:00; a wall time the change skips is the first one after it.
    func instant(_ day: CivilDate, minutes: Int) -> Date {
        var parts = DateComponents()
        parts.year = day.year
        parts.month = day.month
        parts.day = day.day
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        if minutes == 24 * 60 { return start(of: day.adding(days: 1) ?? day) }
        return calendar.date(from: parts) ?? start(of: day)
    }

    /// The first instant of `day`.
    func start(of day: CivilDate) -> Date {
        var parts = DateComponents()
        parts.year = day.year
        parts.month = day.month
        parts.day = day.day
        return calendar.date(from: parts).map { calendar.startOfDay(for: $0) } ?? Date(timeIntervalSince1970: 0)
    }

    /// Minutes after the local midnight shown on the wall clock at `date` (an hour that repeats
    /// reads the same twice).
    func wallMinutes(_ date: Date) -> Int {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// `date` as ISO 8601 with this zone's offset at that instant.
    func format(_ date: Date) -> String { Timestamp.format(date, timeZone: calendar.timeZone) }
}
