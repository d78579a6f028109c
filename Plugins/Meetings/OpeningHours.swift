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

extension LocalTime {
    /// The weekday key (`mon`) of `day`.
    func weekday(of day: CivilDate) -> String {
        // 1970-01-01 was a Thursday.
        let index = ((day.dayNumber % 7) + 7 + 3) % 7
        return OpeningHours.weekdays[index]
    }
}
