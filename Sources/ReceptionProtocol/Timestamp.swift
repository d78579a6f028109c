import Foundation

/// ISO 8601 timestamps with a UTC offset, as every time on the wire is written.
///
/// Both directions are integer arithmetic on the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil` / `civil_from_days`): no `Calendar` or `DateFormatter` is built per call.
public enum Timestamp {
    /// `2026-11-26T10:15:03.123+08:00` in the machine's local time zone.
    ///
    /// Milliseconds are truncated toward the past (`-0.0005` s is `23:59:59.999` the day before).
    /// The offset is written as `±hh:mm`; an offset with seconds (historical local mean time) is
    /// applied in full to the date and time, and its seconds are left out of the written offset.
    public static func format(_ date: Date, timeZone: TimeZone = .current) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let reference = date.timeIntervalSinceReferenceDate
        // Outside 1600...9999 (where Foundation's calendar switches to Julian dates before 1582,
        // and years need more than four digits) the calendar-based formatting is kept as it was.
        guard reference >= earliestFast, reference < latestFast else {
            return calendarFormat(date, timeZone: timeZone, offset: offset)
        }
        let wholeSeconds = reference.rounded(.down)
        // Exact for these magnitudes; × 1000 can round up to 1000 only just below a whole second.
        let millis = min(Int((reference - wholeSeconds) * 1000), 999)
        let local = Int(wholeSeconds) + referenceToUnix + offset
        let days = CivilDays.floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = CivilDays.civil(fromDays: days)
        let sign = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        let absOffset = abs(offset)
        return String(unsafeUninitializedCapacity: 29) { buffer in
            func put(_ value: Int, width: Int, at position: Int) {
                var value = value
                var index = position + width - 1
                while index >= position {
                    buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                    value /= 10
                    index -= 1
                }
            }
            put(year, width: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, width: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(secondOfDay % 3600 / 60, width: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, width: 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millis, width: 3, at: 20)
            buffer[23] = sign
            put(absOffset / 3600 % 100, width: 2, at: 24)
            buffer[26] = UInt8(ascii: ":")
            put(absOffset % 3600 / 60, width: 2, at: 27)
            return 29
        }
    }

    /// Parses an RFC 3339 timestamp: `YYYY-MM-DDThh:mm:ss`, optional fractional seconds
    /// (`.` and one or more digits, read to the millisecond, the rest truncated), then `Z` or an
    /// offset `±hh:mm` (also `±hhmm` and `±hh`). Returns `nil` for anything else, including
    /// surrounding whitespace and impossible dates or times (month 13, February 30, hour 24,
    /// second 60).
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    // MARK: Parsing

    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 20 else { return nil }
        func digits(_ position: Int, _ count: Int) -> Int? {
            var value = 0
            for index in position..<(position + count) {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = digits(5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = digits(8, 2), bytes[10] == UInt8(ascii: "T"),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = digits(14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDays.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }

        var index = 19
        var millis = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let first = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                if index - first < 3 { millis = millis * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            let count = index - first
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { millis *= 10 }
        }

        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            let remaining = bytes.count - index
            let hours: Int?
            let minutes: Int?
            switch remaining {
            case 5 where bytes[index + 2] == UInt8(ascii: ":"):  // ±hh:mm
                hours = digits(index, 2)
                minutes = digits(index + 3, 2)
            case 4:  // ±hhmm
                hours = digits(index, 2)
                minutes = digits(index + 2, 2)
            case 2:  // ±hh
                hours = digits(index, 2)
                minutes = 0
            default:
                return nil
            }
            guard let hours, let minutes, hours < 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (negative ? -1 : 1)
            index = bytes.count
        default:
            return nil
        }
        guard index == bytes.count else { return nil }

        let days = CivilDays.days(year: year, month: month, day: day)
        let unix = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(unix) + Double(millis) / 1000)
    }

    // MARK: Calendar arithmetic

    /// Seconds from 1970-01-01 to 2001-01-01, Foundation's reference date.
    private static let referenceToUnix = 978_307_200
    /// 1600-01-01T00:00:00Z and 10000-01-01T00:00:00Z as reference-date intervals, widened by a
    /// day so that no UTC offset can move the local date out of the four-digit Gregorian range.
    private static let earliestFast = Double(-11_676_096_000 - referenceToUnix + 86_400)
    private static let latestFast = Double(253_402_300_800 - referenceToUnix - 86_400)

    /// The original `Calendar`-based formatting, for dates outside the fast path's range (and
    /// the reference the tests hold the fast path to). `offset` is `timeZone`'s at `date`.
    static func calendarFormat(_ date: Date, timeZone: TimeZone, offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let millis = (parts.nanosecond ?? 0) / 1_000_000
        let sign = offset < 0 ? "-" : "+"
        let absOffset = abs(offset)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(millis, 3))"
            + "\(sign)\(pad(absOffset / 3600, 2)):\(pad(absOffset % 3600 / 60, 2))"
    }
}
