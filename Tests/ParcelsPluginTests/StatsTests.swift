import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `parcels.stats` through the real daemon: the supervisor's monthly report on the wire. What each
/// count counts, and the median and 90th percentile on known durations, are in
/// `Rules/StatsRulesTests.swift` (on a clock the test moves, without waiting).
@Suite("parcels over the socket: statistics", .timeLimit(.minutes(2)))
struct StatsTests {
    @Test(
        "parcels.stats answers the counts, five kinds in report order, and the pickup times in seconds; a backwards range is refused naming to"
    )
    func report() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let from = Timestamp.format(Date().addingTimeInterval(-3600))
        let fast = try desk.receive("parcel")
        let slow = try desk.receive("letter")
        _ = try desk.receive("express")
        let sent = try desk.receive("registered")
        try desk.pickup([fast.code, slow.code])
        try desk.call("parcels.return", ["code": .string(sent.code), "reason": "refused"])
        let to = Timestamp.format(Date().addingTimeInterval(3600))

        let stats = try desk.call("parcels.stats", ["from": .string(from), "to": .string(to)])
        #expect(stats["received"] == 4)
        #expect(stats["collected"] == 2)
        #expect(stats["returned"] == 1)
        #expect(stats["stillHeld"] == 1)
        #expect(stats["overdue"] == 0)
        #expect(stats["overdueDays"] == 7)
        #expect(stats["pickupCount"] == 2)
        let kinds = try #require(stats["kinds"]?.arrayValue)
        #expect(
            kinds.compactMap { $0["kind"]?.stringValue } == ["letter", "periodical", "registered", "express", "parcel"])
        #expect(kinds.first { $0["kind"] == "parcel" }?["collected"] == 1)
        #expect(kinds.first { $0["kind"] == "registered" }?["returned"] == 1)
        #expect(kinds.first { $0["kind"] == "express" }?["stillHeld"] == 1)
        let median = try #require(Self.number(stats["pickupMedianSeconds"]), "\(stats.serialized())")
        let p90 = try #require(Self.number(stats["pickupP90Seconds"]), "\(stats.serialized())")
        #expect(median >= 0 && median < 60, "median \(median)")
        #expect(p90 >= median && p90 < 60, "p90 \(p90)")
        #expect(stats["from"]?.stringValue?.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)

        let backwards = try #require(try desk.callError("parcels.stats", ["from": .string(to), "to": .string(from)]))
        #expect(backwards.code == -32007)
        #expect(backwards.field == "to")
        try daemon.stop()
    }

    /// A number member as a Double (`nil` when absent or not a number).
    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: return nil
        }
    }
}
