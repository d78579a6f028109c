import Foundation
import ReceptionProtocol

/// Shows the daemon's times the way a clerk reads them: short, and in the daemon's time zone
/// (`daemon.hello`'s `timeZone`), not the workstation's.
///
/// `2026-12-06T18:00:00.000+08:00` reads `today 18:00` on that day, `12-06 18:00` on another
/// day of the same year, and `2025-12-06 18:00` in another year. `--json` keeps the wire's form.
public struct TimeDisplay: Sendable {
    /// The zone times are shown in.
    public var timeZone: TimeZone
    /// What "today" and "this year" are measured from.
    public var now: Date
    /// `en` or `zh` (`today` or `今天`).
    public var language: String
    /// Whether times are written in full (`2026-12-06 18:00`) rather than relative to today: for
    /// files that outlive the day they were made on (`--csv`).
    public var absolute = false

    /// A display for `timeZone` as of `now`.
    public init(timeZone: TimeZone, now: Date = Date(), language: String = "en") {
        self.timeZone = timeZone
        self.now = now
        self.language = language
    }

    /// The zone a `daemon.hello` or `daemon.status` result names (`"timeZone": "Asia/Shanghai"`),
    /// else the system's (a daemon from before it published one).
    public static func zone(publishedIn result: JSONValue?) -> TimeZone {
        if let name = result?["timeZone"]?.stringValue, let zone = TimeZone(identifier: name) { return zone }
        return TimeZone.current
    }

    /// The short form of `text` when it is an ISO 8601 time with an offset, else `nil`.
    public func short(_ text: String) -> String? {
        guard let date = Self.parse(text) else { return nil }
        return short(date)
    }

    /// `today 18:00`, `tomorrow 12:00`, `yesterday 09:30`, `12-06 07:04` or `2025-12-06 07:04`.
    public func short(_ date: Date) -> String {
        let (year, month, day, hour, minute, _) = fields(of: date)
        let today = fields(of: now)
        let clock = "\(Self.two(hour)):\(Self.two(minute))"
        if absolute { return "\(year)-\(Self.two(month))-\(Self.two(day)) \(clock)" }
        if (year, month, day) == (today.year, today.month, today.day) {
            return (language == "zh" ? "今天 " : "today ") + clock
        }
        for (offset, english, chinese) in [(1, "tomorrow ", "明天 "), (-1, "yesterday ", "昨天 ")] {
            let other = fields(of: now.addingTimeInterval(Double(offset) * 86_400))
            if (year, month, day) == (other.year, other.month, other.day) {
                return (language == "zh" ? chinese : english) + clock
            }
        }
        let monthDay = "\(Self.two(month))-\(Self.two(day)) \(clock)"
        return year == today.year ? monthDay : "\(year)-\(monthDay)"
    }

    /// `text` with every ISO 8601 time in it (a daemon's error message: "lent to 张伟 since
    /// 2026-12-06T14:33:15.270+08:00") in its short form.
    public func shortenTimes(in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(where: \.isNumber) {
            out += rest[..<start]
            rest = rest[start...]
            // The longest run that could be a time: digits, -, :, ., T, Z, +.
            let run = rest.prefix { $0.isNumber || "-:.TZ+".contains($0) }
            var candidate = run
            while !candidate.isEmpty, Self.parse(String(candidate)) == nil, candidate.count > 16 {
                candidate = candidate.dropLast()
            }
            if candidate.count >= 16, let date = Self.parse(String(candidate)) {
                // Shown in the zone the daemon wrote it in (its offset), as of now.
                var display = self
                if let zone = Self.offsetZone(of: candidate) { display.timeZone = zone }
                out += display.short(date)
                rest = rest.dropFirst(candidate.count)
            } else {
                out += run
                rest = rest.dropFirst(run.count)
            }
        }
        return out + rest
    }

    /// The fixed-offset zone an ISO 8601 time ends with (`+08:00`, `Z`).
    static func offsetZone(of text: Substring) -> TimeZone? {
        if text.hasSuffix("Z") { return TimeZone(secondsFromGMT: 0) }
        let tail = text.suffix(6)
        guard tail.count == 6, let sign = tail.first, sign == "+" || sign == "-",
            let hours = Int(tail.dropFirst().prefix(2)), let minutes = Int(tail.suffix(2))
        else { return nil }
        return TimeZone(secondsFromGMT: (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60))
    }

    /// `18:00:05`: the time of day of `date`, for a line that scrolls by (`watch`).
    public func clock(_ date: Date) -> String {
        let (_, _, _, hour, minute, second) = fields(of: date)
        return "\(Self.two(hour)):\(Self.two(minute)):\(Self.two(second))"
    }

    private func fields(of date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (
            parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0
        )
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Reads `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±HH:MM`; `nil` for anything else
    /// (a plain date, free text).
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes.count <= 40 else { return nil }
        var index = 0
        func number(_ length: Int) -> Int? {
            guard index + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + length)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += length
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
            expect(0x54), let hour = number(2), expect(0x3A),
            let minute = number(2)
        else { return nil }
        var second = 0
        var nanosecond = 0
        if expect(0x3A) {
            guard let value = number(2) else { return nil }
            second = value
            if expect(0x2E) {
                var digits = 0
                var fraction = 0
                while index < bytes.count, (0x30...0x39).contains(bytes[index]), digits < 9 {
                    fraction = fraction * 10 + Int(bytes[index] - 0x30)
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<9 { fraction *= 10 }
                nanosecond = fraction
            }
        }
        var offset = 0
        if expect(0x5A) {
            offset = 0
        } else {
            guard index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D else { return nil }
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let hours = number(2), expect(0x3A), let minutes = number(2) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 61, let zone = TimeZone(secondsFromGMT: offset)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanosecond)
        return calendar.date(from: components)
    }
}
