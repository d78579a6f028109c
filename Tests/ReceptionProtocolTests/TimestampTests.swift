import Foundation
import ReceptionProtocol
import Testing

/// Times on the wire: ISO 8601 with milliseconds and a UTC offset.
@Suite("Timestamps")
struct TimestampTests {
    /// 2026-11-18T11:06:40.250Z: a quarter second is exact in binary, so the millis are exact too.
    static let instant = Date(timeIntervalSince1970: 1_795_000_000.25)

    @Test("format writes milliseconds and the offset of the given zone")
    func formatWithOffset() throws {
        let east = try #require(TimeZone(secondsFromGMT: 8 * 3600))
        #expect(Timestamp.format(Self.instant, timeZone: east) == "2026-11-18T19:06:40.250+08:00")
        let west = try #require(TimeZone(secondsFromGMT: -(3 * 3600 + 1800)))
        #expect(Timestamp.format(Self.instant, timeZone: west) == "2026-11-18T07:36:40.250-03:30")
        let utc = try #require(TimeZone(secondsFromGMT: 0))
        #expect(Timestamp.format(Self.instant, timeZone: utc) == "2026-11-18T11:06:40.250+00:00")
    }

    @Test("format in the local zone has the same shape: date, time, three-digit millis, ±hh:mm")
    func localShape() throws {
        let text = Timestamp.format(Date())
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/#
        #expect(text.wholeMatch(of: pattern) != nil, "\(text)")
    }

    @Test("parse reads back what format wrote, to the millisecond, in any zone")
    func roundTrip() throws {
        for offset in [0, 8 * 3600, -(3 * 3600 + 1800), 14 * 3600, -12 * 3600] {
            let zone = try #require(TimeZone(secondsFromGMT: offset))
            for date in [Self.instant, Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_700_000_123.789)] {
                let text = Timestamp.format(date, timeZone: zone)
                let back = try #require(Timestamp.parse(text), "\(text)")
                #expect(abs(back.timeIntervalSince(date)) < 0.001, "\(text) read back as \(back), expected \(date)")
            }
        }
        let now = Date()
        let back = try #require(Timestamp.parse(Timestamp.format(now)))
        #expect(abs(back.timeIntervalSince(now)) < 0.001)
    }

    @Test("parse accepts Z and whole seconds, and refuses text without an offset or not a time")
    func parseForms() {
        #expect(Timestamp.parse("2026-11-18T11:06:40Z") == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(Timestamp.parse("2026-11-18T19:06:40+08:00") == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(Timestamp.parse("2026-11-18T11:06:40.250Z") == Self.instant)
        #expect(Timestamp.parse("2026-11-18T11:06:40") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.parse("") == nil)
    }
}
