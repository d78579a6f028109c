import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// `parcels.stats` in-process, on a clock the test moves: what each count counts in the range
/// [`from`, `to`), and the median and 90th percentile of the time to pickup on known durations.
@Suite("parcels rules: statistics")
struct StatsRulesTests {
    /// `parcels.stats` for [`from`, `to`).
    private func stats(_ desk: ParcelsHarness, from: Date, to: Date) throws -> JSONValue {
        try desk.call(
            "parcels.stats", ["from": .string(Timestamp.format(from)), "to": .string(Timestamp.format(to))])
    }

    /// Receives one item per duration at the clock's time, then hands each out `duration`
    /// seconds after its receipt (in increasing order); the clock ends at the last pickup.
    private func pickups(after durations: [Double], on desk: ParcelsHarness) throws {
        let start = desk.clock.now
        let codes = try durations.map { _ in try desk.receive().code }
        for (code, duration) in zip(codes, durations).sorted(by: { $0.1 < $1.1 }) {
            desk.clock.now = start.addingTimeInterval(duration)
            try desk.pickup([code])
        }
    }

    /// A number member as a Double (`nil` when absent or not a number).
    private func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: return nil
        }
    }

    @Test("An odd count of pickups: the median is the middle time, the 90th percentile the nearest-rank one")
    func oddCount() throws {
        let desk = try ParcelsHarness.parcels()
        let start = desk.clock.now
        try pickups(after: [40, 10, 100, 30, 20], on: desk)
        let report = try stats(desk, from: start, to: desk.clock.now.addingTimeInterval(1))
        #expect(report["pickupCount"] == 5)
        #expect(number(report["pickupMedianSeconds"]) == 30)
        #expect(number(report["pickupP90Seconds"]) == 100, "rank ceil(0.9 × 5) = 5: the slowest")
    }

    @Test(
        "An even count: the median is the mean of the two middle times; times keep their milliseconds; the 90th percentile of ten is the ninth"
    )
    func evenCount() throws {
        let desk = try ParcelsHarness.parcels()
        let start = desk.clock.now
        try pickups(after: [1.5, 3.0, 2.25, 4.125], on: desk)
        let four = try stats(desk, from: start, to: desk.clock.now.addingTimeInterval(1))
        #expect(number(four["pickupMedianSeconds"]) == 2.625, "(2.25 + 3.0) / 2")
        #expect(number(four["pickupP90Seconds"]) == 4.125, "rank ceil(0.9 × 4) = 4")

        let ten = try ParcelsHarness.parcels()
        let tenStart = ten.clock.now
        try pickups(after: (1...10).map { Double($0) * 60 }, on: ten)
        let report = try stats(ten, from: tenStart, to: ten.clock.now.addingTimeInterval(1))
        #expect(report["pickupCount"] == 10)
        #expect(number(report["pickupMedianSeconds"]) == 330, "(300 + 360) / 2")
        #expect(number(report["pickupP90Seconds"]) == 540, "rank ceil(0.9 × 10) = 9")
    }

    @Test(
        "received, stillHeld and overdue count items received in the range; collected and returned count what left the desk in it, whenever it came"
    )
    func whatEachCountCounts() throws {
        let desk = try ParcelsHarness.parcels()
        let t0 = desk.clock.now
        let parcel = try desk.receive("parcel")
        let letter = try desk.receive("letter")
        try desk.receive("express")
        desk.clock.advance(days: 1)
        try desk.pickup([parcel.code])
        try desk.call("parcels.return", ["code": .string(letter.code), "reason": "refused"])
        try desk.receive("registered")

        let dayTwo = try stats(desk, from: t0.addingTimeInterval(12 * 3600), to: t0.addingTimeInterval(2 * 86_400))
        #expect(dayTwo["received"] == 1, "the registered letter")
        #expect(dayTwo["collected"] == 1, "the parcel, received the day before")
        #expect(dayTwo["returned"] == 1)
        #expect(dayTwo["stillHeld"] == 1)
        #expect(dayTwo["overdue"] == 0)
        #expect(dayTwo["pickupCount"] == 1)
        #expect(number(dayTwo["pickupMedianSeconds"]) == 86_400)
        #expect(number(dayTwo["pickupP90Seconds"]) == 86_400)
        #expect(
            dayTwo["kinds"] == [
                ["kind": "letter", "received": 0, "collected": 0, "returned": 1, "stillHeld": 0, "overdue": 0],
                ["kind": "periodical", "received": 0, "collected": 0, "returned": 0, "stillHeld": 0, "overdue": 0],
                ["kind": "registered", "received": 1, "collected": 0, "returned": 0, "stillHeld": 1, "overdue": 0],
                ["kind": "express", "received": 0, "collected": 0, "returned": 0, "stillHeld": 0, "overdue": 0],
                ["kind": "parcel", "received": 0, "collected": 1, "returned": 0, "stillHeld": 0, "overdue": 0],
            ])

        let dayOne = try stats(desk, from: t0, to: t0.addingTimeInterval(12 * 3600))
        #expect(dayOne["received"] == 3, "from is inclusive: received at exactly from")
        #expect(dayOne["collected"] == 0)
        #expect(dayOne["returned"] == 0)
        #expect(dayOne["stillHeld"] == 1, "the express parcel, still held now")
        #expect(dayOne["pickupCount"] == 0)
        #expect(dayOne["pickupMedianSeconds"] == .null)
        #expect(dayOne["pickupP90Seconds"] == .null)
        #expect(try stats(desk, from: t0.addingTimeInterval(-3600), to: t0)["received"] == 0, "to is exclusive")

        desk.clock.advance(days: 7)
        let later = try stats(desk, from: t0, to: t0.addingTimeInterval(2 * 86_400))
        #expect(later["stillHeld"] == 2)
        #expect(later["overdue"] == 1, "the express parcel is held eight days, the registered letter seven")
        #expect(later["overdueDays"] == 7)
    }

    @Test("The range is echoed as the desk writes times; an empty range has zeros, five kinds, and null times")
    func emptyRange() throws {
        let desk = try ParcelsHarness.parcels(config: ["overdue_days": 0])
        try desk.receive()
        let from = desk.clock.now.addingTimeInterval(-30 * 86_400)
        let to = desk.clock.now.addingTimeInterval(-86_400)
        let report = try stats(desk, from: from, to: to)
        #expect(
            report == [
                "from": .string(Timestamp.format(from)), "to": .string(Timestamp.format(to)),
                "kinds": .array(
                    ["letter", "periodical", "registered", "express", "parcel"].map {
                        [
                            "kind": .string($0), "received": 0, "collected": 0, "returned": 0, "stillHeld": 0,
                            "overdue": 0,
                        ]
                    }),
                "received": 0, "collected": 0, "returned": 0, "stillHeld": 0, "overdue": 0, "overdueDays": 0,
                "pickupCount": 0, "pickupMedianSeconds": nil, "pickupP90Seconds": nil,
            ])
    }

    @Test(
        "to must be after from (validation naming to); from and to are ISO 8601 times with an offset (validation naming the field), both required (-32602)"
    )
    func rangeRefusals() throws {
        let desk = try ParcelsHarness.parcels()
        let now = desk.clock.now
        let backwards = try desk.callError(
            "parcels.stats",
            ["from": .string(Timestamp.format(now)), "to": .string(Timestamp.format(now.addingTimeInterval(-1)))])
        #expect(backwards.code == -32007)
        #expect(backwards.field == "to")
        #expect(backwards.message == "to must be after from")
        let empty = try desk.callError(
            "parcels.stats", ["from": .string(Timestamp.format(now)), "to": .string(Timestamp.format(now))])
        #expect(empty.field == "to", "an empty range is refused too")
        let words = try desk.callError("parcels.stats", ["from": "November", "to": .string(Timestamp.format(now))])
        #expect(words.code == -32007, "the schema's format is a hint; the params type reads the time")
        #expect(words.field == "from")
        #expect(
            words.message
                == "from must be a date (2026-12-01) or an ISO 8601 time with offset (2026-12-01T08:00:00+08:00); got \"November\"")
        let missing = try desk.callError("parcels.stats", ["from": .string(Timestamp.format(now))])
        #expect(missing.code == -32602)
        #expect(missing.field == "to")
    }
}
