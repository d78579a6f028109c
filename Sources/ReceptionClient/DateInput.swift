import Foundation
import ReceptionProtocol

/// Reads a date or a time a person typed (`18:00`, `tomorrow 9:30`, `2026-12-06 18:00`,
/// `2026-12-06`) in the daemon's time zone, as the wire carries it: ISO 8601 with offset for a
/// `date-time` param, `YYYY-MM-DD` for a `date` param.
///
/// The zone is the daemon's (`timeZone` in `daemon.hello`), not the workstation's: a clerk at a
/// laptop set to another zone still means the property's 18:00. "Today" is today in that zone.
public struct DateInput: Sendable {
    /// The zone typed times are read in.
    public var timeZone: TimeZone
    /// The moment "today" and "tomorrow" are counted from.
    public var now: Date

    /// A reader for `timeZone` at `now`.
    public init(timeZone: TimeZone, now: Date = Date()) {
        self.timeZone = timeZone
        self.now = now
    }

    /// A reader in this machine's zone; for a daemon that publishes none (before `timeZone`).
    public static var local: DateInput { DateInput(timeZone: .current) }

    /// The reader for the zone a `daemon.hello` or `daemon.status` result names (`timeZone`), or
    /// this machine's zone when it names none or one this machine does not know.
    public static func published(in result: JSONValue, now: Date = Date()) -> DateInput {
        let zone = result["timeZone"]?.stringValue.flatMap(TimeZone.init(identifier:)) ?? .current
        return DateInput(timeZone: zone, now: now)
    }

    /// The forms a `date-time` option takes, for help and errors.
    public static let dateTimeForms =
        "YYYY-MM-DD HH:MM, HH:MM (today), tomorrow HH:MM, YYYY-MM-DD (that day's start) or ISO 8601 with offset"
    /// The forms of a `date-time` option that also takes a plain date with its own meaning.
    public static let dateTimeOrDayForms =
        "YYYY-MM-DD HH:MM, HH:MM (today), tomorrow HH:MM, YYYY-MM-DD or ISO 8601 with offset"
    /// The forms a `date` option takes, for help and errors.
    public static let dateForms = "YYYY-MM-DD, today or tomorrow"

    /// Why typed text was refused.
    public enum Problem: Error, Sendable, Hashable {
        /// None of the accepted forms.
        case notRecognised
        /// The form is right but there is no such day or time (2026-02-30, 25:00).
        case noSuchDateOrTime
    }

    /// The ISO 8601 time with offset (`2026-12-06T18:00:00.000+08:00`) that `text` means.
    ///
    /// A full ISO form with an offset (or `Z`) is kept as typed; a plain date means that day's
    /// first instant in the zone.
    public func dateTime(_ text: String) -> Result<String, Problem> {
        let typed = Self.normalised(text)
        if Timestamp.parse(typed) != nil { return .success(typed) }
        if let iso = Self.completedISO(typed) { return .success(iso) }
        let parsed: (day: (Int, Int, Int), time: (Int, Int, Int)?)
        switch parse(typed) {
        case .failure(let problem): return .failure(problem)
        case .success(let value): parsed = value
        }
        let (year, month, day) = parsed.day
        let (hour, minute, second) = parsed.time ?? (0, 0, 0)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return .failure(.noSuchDateOrTime) }
        return .success(Timestamp.format(date, timeZone: timeZone))
    }

    /// The `YYYY-MM-DD` that `text` means: a date as typed, `today`, `tomorrow`.
    public func date(_ text: String) -> Result<String, Problem> {
        switch parse(Self.normalised(text)) {
        case .failure(let problem): return .failure(problem)
        case .success(let value) where value.time != nil: return .failure(.notRecognised)
        case .success(let value): return .success(Self.text(value.day))
        }
    }

    /// Today's date in the zone.
    public var today: (year: Int, month: Int, day: Int) {
        let offset = timeZone.secondsFromGMT(for: now)
        let days = CivilDays.floorDivide(Int(now.timeIntervalSince1970.rounded(.down)) + offset, 86_400)
        return CivilDays.civil(fromDays: days)
    }

    // MARK: Parsing

    /// A day and an optional time of day from the forms above (all but full ISO).
    private func parse(_ text: String) -> Result<(day: (Int, Int, Int), time: (Int, Int, Int)?), Problem> {
        let lowered = text.lowercased()
        var dayPart: Substring = lowered[...]
        var timePart: Substring?
        if let space = lowered.firstIndex(of: " ") {  // `2026-12-06 18:00`, `tomorrow 9:30`
            dayPart = lowered[..<space]
            timePart = lowered[lowered.index(after: space)...]
        } else if let t = lowered.firstIndex(of: "t"), lowered[..<t].contains("-") {  // `2026-12-06T18:00`
            dayPart = lowered[..<t]
            timePart = lowered[lowered.index(after: t)...]
        } else if lowered.contains(":") {  // `18:00`
            dayPart = "today"
            timePart = lowered[...]
        }
        let day: (Int, Int, Int)
        switch dayPart {
        case "today": day = today
        case "tomorrow":
            let (y, m, d) = today
            day = CivilDays.civil(fromDays: CivilDays.days(year: y, month: m, day: d) + 1)
        default:
            let fields = dayPart.split(separator: "-", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].count == 4, (1...2).contains(fields[1].count),
                (1...2).contains(fields[2].count), let y = Self.number(fields[0]), let m = Self.number(fields[1]),
                let d = Self.number(fields[2])
            else { return .failure(.notRecognised) }
            guard (1...12).contains(m), y >= 1, d >= 1, d <= CivilDays.daysIn(month: m, year: y) else {
                return .failure(.noSuchDateOrTime)
            }
            day = (y, m, d)
        }
        guard let timePart else { return .success((day, nil)) }
        let fields = timePart.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields.allSatisfy({ (1...2).contains($0.count) }),
            let hour = Self.number(fields[0]), let minute = Self.number(fields[1]),
            let second = fields.count == 3 ? Self.number(fields[2]) : 0
        else { return .failure(.notRecognised) }
        guard hour < 24, minute < 60, second < 60 else { return .failure(.noSuchDateOrTime) }
        return .success((day, (hour, minute, second)))
    }

    /// An ISO form with an offset but a space for the `T` or no seconds (`2026-12-06 18:00+08:00`),
    /// completed to what `Timestamp.parse` reads; `nil` when it is not one.
    static func completedISO(_ text: String) -> String? {
        var characters = Array(text)
        guard characters.count > 16, characters[10] == " " || characters[10] == "T", characters[13] == ":" else {
            return nil
        }
        characters[10] = "T"
        if ["+", "-", "Z"].contains(characters[16]) { characters.insert(contentsOf: ":00", at: 16) }
        let candidate = String(characters)
        return Timestamp.parse(candidate) != nil ? candidate : nil
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func text(_ day: (Int, Int, Int)) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(day.0, 4))-\(pad(day.1, 2))-\(pad(day.2, 2))"
    }

    /// Trimmed, with runs of spaces made one, and the full-width digits, colon, hyphen and space
    /// of a Chinese input method made half-width.
    static func normalised(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF1A, 0xFF0D: out.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            case 0x3000, 0x09: out.append(" ")
            default: out.append(scalar)
            }
        }
        return String(out).split(separator: " ").joined(separator: " ")
    }
}
