import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `parcels.stats`: the supervisor's monthly report.
@Suite("parcels: statistics", .timeLimit(.minutes(2)))
struct StatsTests {
    @Test("Counts per kind, still held, overdue, returned, and the median and 90th-percentile time to pickup")
    func report() throws {
        let daemon = try ParcelsDesk.start(config: "[plugins.parcels]\noverdue_days = 0\n")
        let desk = try daemon.connect()
        let from = Timestamp.format(Date().addingTimeInterval(-3600))
        let fast = try desk.receive("parcel")
        let medium = try desk.receive("parcel")
        let slow = try desk.receive("letter")
        _ = try desk.receive("express")
        let sent = try desk.receive("registered")
        try desk.pickup([fast.code])
        Thread.sleep(forTimeInterval: 1.0)
        try desk.pickup([medium.code])
        Thread.sleep(forTimeInterval: 1.0)
        try desk.pickup([slow.code])
        try desk.call("parcels.return", ["code": .string(sent.code), "reason": "refused"])
        let to = Timestamp.format(Date().addingTimeInterval(3600))

        let stats = try desk.call("parcels.stats", ["from": .string(from), "to": .string(to)])
        #expect(stats["received"] == 5)
        #expect(stats["collected"] == 3)
        #expect(stats["returned"] == 1)
        #expect(stats["stillHeld"] == 1)
        #expect(stats["overdue"] == 1, "overdue_days = 0: everything still held is overdue")
        #expect(stats["pickupCount"] == 3)
        let kinds = try #require(stats["kinds"]?.arrayValue)
        #expect(
            kinds.compactMap { $0["kind"]?.stringValue } == ["letter", "periodical", "registered", "express", "parcel"])
        let parcel = try #require(kinds.first { $0["kind"] == "parcel" })
        #expect(parcel["received"] == 2)
        #expect(parcel["collected"] == 2)
        #expect(kinds.first { $0["kind"] == "registered" }?["returned"] == 1)
        #expect(kinds.first { $0["kind"] == "express" }?["stillHeld"] == 1)

        // Times to pickup ≈ 0 s, 1 s, 2 s: median the middle one, 90th percentile the slowest.
        let median = try #require(Self.number(stats["pickupMedianSeconds"]), "\(stats.serialized())")
        let p90 = try #require(Self.number(stats["pickupP90Seconds"]), "\(stats.serialized())")
        #expect(median >= 0.9 && median < 1.9, "median \(median)")
        #expect(p90 >= 1.9 && p90 < 3.5, "p90 \(p90)")
        #expect(stats["from"]?.stringValue?.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)

        let empty = try desk.call(
            "parcels.stats", ["from": "2020-01-01T00:00:00+08:00", "to": "2020-02-01T00:00:00+08:00"])
        #expect(empty["received"] == 0)
        #expect(empty["pickupCount"] == 0)
        #expect(empty["pickupMedianSeconds"] == .null)
        #expect(empty["pickupP90Seconds"] == .null)

        #expect(try desk.callError("parcels.stats", ["from": .string(to), "to": .string(from)])?.field == "to")
        #expect(try desk.callError("parcels.stats", ["from": "November", "to": .string(to)])?.field == "from")
        #expect(try desk.callError("parcels.stats", ["from": .string(from)])?.field == "to")
        try daemon.stop()
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: return nil
        }
    }
}
