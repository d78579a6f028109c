import Foundation
import Testing

@testable import ReceptionProtocol

/// The integer-arithmetic `Timestamp.format` against `Calendar`, and the strict `Timestamp.parse`.
@Suite("Timestamp conversion")
struct TimestampConversionTests {
    /// The `Calendar`-based formatting `Timestamp.format` used to do, as the reference.
    static func reference(_ date: Date, _ timeZone: TimeZone) -> String {
        Timestamp.calendarFormat(date, timeZone: timeZone, offset: timeZone.secondsFromGMT(for: date))
    }

    static let zoneNames = [
        "UTC", "Asia/Shanghai", "America/St_Johns", "Pacific/Chatham", "America/New_York", "Europe/London",
        "Australia/Lord_Howe", "Asia/Kolkata",
    ]

    @Test("format matches Calendar for random dates 1600...9999, in zones with odd offsets", arguments: zoneNames)
    func randomDates(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        var generator = SplitMix(seed: UInt64(truncatingIfNeeded: zoneName.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        for index in 0..<3000 {
            let seconds: Double
            switch index % 4 {
            case 0: seconds = Double.random(in: -11_600_000_000...253_402_000_000, using: &generator)
            case 1:  // whole milliseconds around now, before and after 1970
                seconds =
                    Double(Int.random(in: -3_000_000_000...4_000_000_000, using: &generator))
                    + Double(Int.random(in: 0..<1000, using: &generator)) / 1000
            case 2: seconds = Double.random(in: -5...5, using: &generator)  // around the epoch, negative fractions
            default: seconds = Double.random(in: -2_500_000_000 ... -1, using: &generator)  // before 1970
            }
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.format(date, timeZone: zone) == Self.reference(date, zone), "\(seconds) in \(zoneName)")
        }
    }

    @Test("format matches Calendar around daylight saving switches, second by second")
    func daylightSaving() throws {
        // 2026-03-08 (US), 2026-03-29 (EU), 2026-11-01 (US), 2026-04-05 (Chatham, Lord Howe) switches.
        let switches: [(String, Double)] = [
            ("America/New_York", 1_772_953_200), ("America/New_York", 1_793_512_800),
            ("America/St_Johns", 1_772_947_800), ("America/St_Johns", 1_793_507_400), ("Europe/London", 1_774_746_000),
            ("Pacific/Chatham", 1_775_311_200), ("Australia/Lord_Howe", 1_775_314_800),
        ]
        for (name, instant) in switches {
            let zone = try #require(TimeZone(identifier: name))
            for delta in stride(from: -7200.0, through: 7200.0, by: 599.75) {
                let date = Date(timeIntervalSince1970: instant + delta)
                #expect(
                    Timestamp.format(date, timeZone: zone) == Self.reference(date, zone), "\(name) \(instant + delta)")
            }
        }
    }

    @Test("format truncates milliseconds toward the past, also before 1970")
    func millisecondsFloor() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5), timeZone: utc) == "1969-12-31T23:59:59.500+00:00")
        #expect(
            Timestamp.format(Date(timeIntervalSince1970: -0.0001), timeZone: utc) == "1969-12-31T23:59:59.999+00:00")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0.0009), timeZone: utc) == "1970-01-01T00:00:00.000+00:00")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0), timeZone: utc) == "1970-01-01T00:00:00.000+00:00")
        #expect(
            Timestamp.format(Date(timeIntervalSince1970: 951_782_400), timeZone: utc) == "2000-02-29T00:00:00.000+00:00"
        )
        // Local mean time before 1901 in Shanghai is +08:05:43: applied in full, written as +08:05.
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let old = Date(timeIntervalSince1970: -2_000_000_000)
        #expect(Timestamp.format(old, timeZone: shanghai) == Self.reference(old, shanghai))
    }

    @Test("Outside 1600...9999 format still agrees with Calendar")
    func farDates() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        for seconds in [-62_135_596_800.0, -12_219_292_801, 253_402_300_800, 1e13] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.format(date, timeZone: utc) == Self.reference(date, utc))
        }
    }

    @Test("parse reads back what format wrote, to the millisecond", arguments: zoneNames)
    func roundTrip(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        var generator = SplitMix(seed: 42)
        for _ in 0..<2000 {
            // From 1950: older local mean time offsets have seconds, which `±hh:mm` cannot carry.
            let millis = Int64.random(in: -631_152_000_000...250_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let text = Timestamp.format(date, timeZone: zone)
            let back = try #require(Timestamp.parse(text), "\(text)")
            // Truncated to the millisecond, plus the rounding of a Double that far from 2001.
            #expect(abs(back.timeIntervalSince(date)) < 0.0011, "\(text)")
        }
    }

    @Test("parse accepts RFC 3339 forms and ±hhmm, ±hh offsets")
    func parseForms() {
        let instant = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(Timestamp.parse("2026-11-18T11:06:40Z") == instant)
        #expect(Timestamp.parse("2026-11-18T11:06:40+00:00") == instant)
        #expect(Timestamp.parse("2026-11-18T11:06:40-00:00") == instant)
        #expect(Timestamp.parse("2026-11-18T19:06:40+08:00") == instant)
        #expect(Timestamp.parse("2026-11-18T19:06:40+0800") == instant)
        #expect(Timestamp.parse("2026-11-18T19:06:40+08") == instant)
        #expect(Timestamp.parse("2026-11-18T07:36:40-03:30") == instant)
        #expect(Timestamp.parse("2026-11-19T00:51:40+13:45") == instant)
        #expect(Timestamp.parse("2026-11-18T11:06:40.2Z") == Date(timeIntervalSince1970: 1_795_000_000.2))
        #expect(Timestamp.parse("2026-11-18T11:06:40.25Z") == Date(timeIntervalSince1970: 1_795_000_000.25))
        // Digits past the millisecond are read and truncated, as the formatter did.
        #expect(Timestamp.parse("2026-11-18T11:06:40.123456789Z") == Date(timeIntervalSince1970: 1_795_000_000.123))
        #expect(Timestamp.parse("2026-11-18T11:06:40.9999Z") == Date(timeIntervalSince1970: 1_795_000_000.999))
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(Timestamp.parse("2000-02-29T00:00:00Z") == Date(timeIntervalSince1970: 951_782_400))
        #expect(Timestamp.parse("1969-12-31T23:59:59.500Z") == Date(timeIntervalSince1970: -0.5))
        #expect(Timestamp.parse("1900-01-01T00:00:00Z") == Date(timeIntervalSince1970: -2_208_988_800))
        #expect(Timestamp.parse("9999-12-31T23:59:59Z") == Date(timeIntervalSince1970: 253_402_300_799))
    }

    @Test(
        "parse refuses impossible dates and times, other shapes and surrounding text",
        arguments: [
            "2026-13-18T11:06:40Z", "2026-00-18T11:06:40Z", "2026-11-00T11:06:40Z", "2026-11-31T11:06:40Z",
            "2026-11-32T11:06:40Z", "2026-02-29T11:06:40Z", "2026-02-30T11:06:40Z", "1900-02-29T00:00:00Z",
            "2026-11-18T24:00:00Z", "2026-11-18T23:60:00Z", "2026-11-18T23:59:60Z", "2026-11-18T11:06:40+24:00",
            "2026-11-18T11:06:40+08:60", "2026-11-18T11:06:40+8:00", "2026-11-18T11:06:40+08:0",
            "2026-11-18T11:06:40+080",
            "2026-11-18T11:06:40+08:00:30", "2026-11-18T11:06:40", "2026-11-18T11:06:40.Z", "2026-11-18T11:06:40,250Z",
            "2026-11-18T11:06:40.12a3Z", "2026-11-18t11:06:40z", "2026-11-18 11:06:40Z", "2026-11-18T11:06Z",
            "2026-11-18",
            "20261118T110640Z", "2026-1-18T11:06:40Z", "2026-11-18T1:06:40Z", " 2026-11-18T11:06:40Z",
            "2026-11-18T11:06:40Z ", "2026-11-18T11:06:40Zjunk", "26-11-18T11:06:40Z", "+2026-11-18T11:06:40Z",
            "2026-11-18T11:06:40UTC", "２０２６-11-18T11:06:40Z", "yesterday", "",
        ])
    func parseRejects(text: String) {
        #expect(Timestamp.parse(text) == nil, "\(text) was accepted")
    }
}
