import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Two workstations booking the same room for the same slot at the same moment, over two
/// connections to the real daemon: its single writer serializes the two bookings, so one gets
/// the room and the other hears which booking is in the way.
@Suite("meetings: the same slot booked from two desks at once", .timeLimit(.minutes(2)))
struct BookingRaceTests {
    @Test(
        "Ten slots, each booked from desk-1 and desk-2 at once: exactly one succeeds, the other gets `conflict` naming it"
    )
    func concurrentBookings() throws {
        let daemon = try MeetingsCounter.start()
        let admin = try daemon.counter()
        try admin.call("meetings.rooms.define", MeetingsCounter.boardroom)
        let desks = [
            try daemon.counter(desk: "desk-1", operator: "li.na"),
            try daemon.counter(desk: "desk-2", operator: "wang.fang"),
        ]
        let slots = (0..<10).map { index in
            (
                MeetingsCounter.at(2, String(format: "%02d:00", 9 + index)),
                MeetingsCounter.at(2, String(format: "%02d:00", 10 + index))
            )
        }
        let barrier = Barrier(parties: 2)
        let outcomes = runOnThreads(2) { worker -> [Outcome] in
            var results: [Outcome] = []
            for (start, end) in slots {
                barrier.wait()
                let params = MeetingsCounter.booking(
                    room: "R301", start: start, end: end,
                    extra: ["organiser": .string(worker == 0 ? "华信科技有限公司" : "蓝海传媒")])
                do {
                    let reply = try desks[worker].book(params)
                    results.append(.booked(reply["bookings"]?.arrayValue?.first?["booking"]?.stringValue ?? "?"))
                } catch ClientError.rpc(let error) {
                    results.append(.refused(error))
                }
            }
            return results
        }
        let first = try outcomes[0].get()
        let second = try outcomes[1].get()
        #expect(first.count == slots.count && second.count == slots.count)
        for (index, (start, end)) in slots.enumerated() {
            let pair = [first[index], second[index]]
            let winners = pair.compactMap(\.booking)
            #expect(winners.count == 1, "slot \(start): \(pair)")
            guard let winner = winners.first, let loser = pair.compactMap(\.error).first else { continue }
            #expect(loser.kind == .conflict, "\(loser)")
            let clashes = loser.details["clashes"]?.arrayValue ?? []
            #expect(clashes.count == 1, "\(loser.details)")
            #expect(
                clashes.first?["booking"]?.stringValue == winner, "the clash names the booking in the way: \(loser)")
            #expect(
                clashes.first?["start"].flatMap(Self.instant) == Self.instant(.string(start))
                    && clashes.first?["end"].flatMap(Self.instant) == Self.instant(.string(end)), "\(clashes)")
            #expect(loser.message.contains(winner), "the message names it too: \(loser.message)")
        }
        // The day's agenda holds each slot once.
        let agenda = try admin.call("meetings.agenda", ["date": .string(MeetingsCounter.day(2))])
        let room = try #require(agenda["rooms"]?.arrayValue?.first { $0["room"] == "R301" }, "\(agenda)")
        let booked = room["bookings"]?.arrayValue ?? []
        #expect(booked.count == slots.count, "\(booked.count) bookings on the agenda")
        #expect(booked.allSatisfy { $0["status"] == "booked" })
        try daemon.stop()
    }

    /// What one desk heard for one slot.
    enum Outcome: Sendable, CustomStringConvertible {
        case booked(String)
        case refused(RPCError)

        /// The booking it made.
        var booking: String? {
            if case .booked(let id) = self { return id }
            return nil
        }

        /// The error it got.
        var error: RPCError? {
            if case .refused(let error) = self { return error }
            return nil
        }

        var description: String {
            switch self {
            case .booked(let id): return "booked \(id)"
            case .refused(let error): return "refused: \(error)"
            }
        }
    }

    /// The instant an ISO 8601 value names, whatever its precision and offset.
    static func instant(_ value: JSONValue) -> Date? {
        value.stringValue.flatMap { Timestamp.parse($0) }
    }
}

/// Lets `parties` threads pass together: each `wait` blocks until all have arrived.
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    // Guarded by `condition`.
    private var waiting = 0
    private var generation = 0

    /// A barrier for `parties` threads.
    init(parties: Int) {
        self.parties = parties
    }

    /// Blocks until every party has called `wait` in this round.
    func wait() {
        condition.lock()
        defer { condition.unlock() }
        let round = generation
        waiting += 1
        if waiting == parties {
            waiting = 0
            generation += 1
            condition.broadcast()
            return
        }
        while round == generation { condition.wait() }
    }
}
