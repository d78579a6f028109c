import Foundation
import GRDB

import enum ReceptionPluginSDK.DeskText

/// Fills the visitors plugin's book with six months of visits, as a desk that signs in every
/// visitor would have it: `--visits` visits over the last 180 days, between 08:00 and 22:00
/// (UTC+8), each with the attempts to reach the host. Most were let in (the intercom answered,
/// or the flat phone after an intercom without answer) and signed out within hours, a few after
/// the 23:00 curfew (marked overstay) and about 3% registered for one or two nights; about 5% were
/// refused, 4% left a message (most handed over since), 3% gave up waiting. The newest `--on-site`
/// are inside now: arrived in the last four hours and on site, a tenth of them staying the night
/// since yesterday evening (the `visitors.onSite` list).
///
/// Visits and messages are numbered as the plugin numbers them (`V20261206-0001`,
/// `M20261206-0001` per local day) and its counters move past them.
struct VisitorsSeeder: PluginSeeder {
    /// The visitors plugin.
    let plugin = "visitors"

    private static let day: Int64 = 86_400_000
    private static let hour: Int64 = 3_600_000
    private static let minute: Int64 = 60_000
    /// The plugin's default curfew, 23:00, and the visiting day's start, 06:00 (minutes of the day).
    private static let curfew: Int64 = 23 * 60
    private static let dayStarts: Int64 = 6 * 60
    private static let purposes = ["探亲", "访友", "送货", "维修", "家政", "看房"]

    /// Whether the visitors tables exist.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("visitors_visits") && db.tableExists("visitors_contacts")
            && db.tableExists("visitors_messages")
    }

    /// The curfew a visit arriving at `arrival` is held to, as the plugin sets it: 23:00 of its
    /// day, or the arrival itself after the curfew or before 06:00.
    static func leaveBy(arrival: Int64) -> Int64 {
        let local = arrival + 8 * hour
        let minutes = (local % day) / minute
        if minutes < dayStarts || minutes >= curfew { return arrival }
        return local - local % day - 8 * hour + curfew * minute
    }

    /// How a visit ended (or stands).
    private enum Outcome {
        case signedOut, overnight, refused, leftMessage, gaveUp, onSite, overnightNow
    }

    /// Writes the visits, their contact attempts, the messages and the counters.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM visitors_visits") ?? 0 }
        guard existing == 0 else {
            throw BenchError("the visitors tables already hold \(existing) visits: seed an empty state directory")
        }
        var random = SeededRandom(seed: plan.seed ^ 0x5649_5349_544F_5253)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let localToday = (now + 8 * Self.hour) / Self.day
        var visits: [(arrival: Int64, outcome: Outcome)] = []
        visits.reserveCapacity(plan.visits)
        for _ in 0..<(plan.visits - plan.onSite) {
            // 08:00 to 22:00 local of one of the last 180 days (a local day's 08:00 is its UTC midnight).
            var arrival =
                (localToday - 1 - Int64(random.index(180))) * Self.day + Int64(random.index(Int(14 * Self.hour)))
            arrival = min(arrival, now - 4 * Self.hour - Int64(random.index(Int(Self.day))))
            let draw = random.index(100)
            let outcome: Outcome =
                draw < 5
                ? .refused : draw < 9 ? .leftMessage : draw < 12 ? .gaveUp : draw < 15 ? .overnight : .signedOut
            visits.append((arrival, outcome))
        }
        for index in 0..<plan.onSite {
            // A tenth stay the night since yesterday evening; the rest came in the last four hours.
            let overnight = index % 10 == 9
            let arrival =
                overnight
                ? (localToday - 1) * Self.day + 12 * Self.hour + Int64(random.index(Int(Self.hour)))
                : now - 5 * Self.minute - Int64(random.index(Int(4 * Self.hour)))
            visits.append((arrival, overnight ? .overnightNow : .onSite))
        }
        visits.sort { $0.arrival < $1.arrival }

        var numbers = DailyNumbers(separator: ":")
        var counts: [String: Int] = [:]
        var messages = 0
        try writer.inTransaction { db in
            let visitInsert = try db.makeStatement(
                sql: """
                    INSERT INTO visitors_visits (visit, name, id_type, id_last4, id_seen, id_copied, host_unit,
                        host_unit_key, host_name, purpose, party, plate, expected, status, door_opened_by, arrived_at,
                        arrived_ms, admitted_at, admitted_ms, signed_out_at, signed_out_ms, signed_out_by, leave_by,
                        leave_by_ms, overstay, overstay_at, nights, night_of, night_until, night_id_type,
                        night_id_last4, host_signed, overnight_at, overnight_by, registered_by)
                    VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                        ?, ?, ?, ?, ?)
                    """)
            let contactInsert = try db.makeStatement(
                sql: """
                    INSERT INTO visitors_contacts (visit_id, channel, result, contacted_by, contacted_at, contacted_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            let messageInsert = try db.makeStatement(
                sql: """
                    INSERT INTO visitors_messages (message, visit, name, host_unit, host_unit_key, host_name, text,
                        left_at, left_ms, left_by, delivered, delivered_at, delivered_to, delivered_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (index, visit) in visits.enumerated() {
                let arrival = visit.arrival
                let unitIndex = random.index(property.units.count)
                let unit = property.units[unitIndex]
                let residents = property.residents[unitIndex]
                let host = residents[random.index(residents.count)]
                let name = Property.name(&random)
                let by = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
                let number = numbers.next("V", at: arrival)
                let idType = random.chance(90) ? "id_card" : "passport"
                let last4 = String(1000 + random.index(9000))
                let leaveBy = Self.leaveBy(arrival: arrival)
                // The attempts to reach the host: the intercom, then the flat phone when nobody answers it.
                var attempts: [(channel: String, result: String)] = []
                let intercomAnswered = random.chance(80)
                var status = "signed_out"
                var door: String?
                switch visit.outcome {
                case .refused:
                    attempts = [("intercom", "refused")]
                    status = "refused"
                case .leftMessage:
                    attempts = [("intercom", "no_answer"), ("flat_phone", "no_answer")]
                    status = "left_message"
                case .gaveUp:
                    attempts = [("intercom", "no_answer"), ("flat_phone", "no_answer")]
                case .signedOut, .overnight, .onSite, .overnightNow:
                    attempts =
                        intercomAnswered
                        ? [("intercom", "accepted")] : [("intercom", "no_answer"), ("flat_phone", "accepted")]
                    door = intercomAnswered ? "host_opened" : "desk_opened"
                    if visit.outcome == .onSite { status = "on_site" }
                    if visit.outcome == .overnightNow { status = "overnight" }
                }
                let admitted: Int64? = door == nil ? nil : arrival + Int64(1 + random.index(5)) * Self.minute
                var signedOut: Int64?
                var overstayAt: Int64?
                var night: (nights: Int, of: Int64, registered: Int64)?
                switch visit.outcome {
                case .signedOut:
                    let stay = Int64(20 + random.index(220)) * Self.minute
                    signedOut = (admitted ?? arrival) + stay
                    if random.chance(2) {
                        signedOut = max(signedOut ?? 0, leaveBy) + Int64(5 + random.index(60)) * Self.minute
                    }
                case .overnight, .overnightNow:
                    let registered =
                        max(admitted ?? arrival, arrival + Self.hour) + Int64(random.index(60)) * Self.minute
                    let localDay = (registered + 8 * Self.hour - 12 * Self.hour) / Self.day
                    let nights = visit.outcome == .overnightNow ? 2 + random.index(2) : 1 + random.index(2)
                    night = (nights, localDay, registered)
                    if visit.outcome == .overnight {
                        // Out the morning the stay ends, 08:00 to 11:00.
                        signedOut = (localDay + Int64(nights)) * Self.day + Int64(random.index(Int(3 * Self.hour)))
                    }
                case .gaveUp, .refused:
                    signedOut = visit.outcome == .gaveUp ? arrival + Int64(8 + random.index(15)) * Self.minute : nil
                case .leftMessage, .onSite:
                    break
                }
                if let out = signedOut, visit.outcome != .overnight, out > leaveBy, admitted != nil {
                    overstayAt = leaveBy + Int64(random.index(60_000))
                }
                counts[status, default: 0] += 1
                let values: [(any DatabaseValueConvertible)?] = [
                    number, name, idType, last4, unit, DeskText.unitKey(unit), host,
                    Self.purposes[random.index(Self.purposes.count)], 1 + (random.chance(20) ? random.index(3) : 0),
                    random.chance(10) ? "粤B\(10_000 + random.index(90_000))" : nil, status, door,
                    IsoTime.format(arrival), arrival, admitted.map(IsoTime.format), admitted,
                    signedOut.map(IsoTime.format), signedOut, signedOut == nil ? nil : by, IsoTime.format(leaveBy),
                    leaveBy, overstayAt == nil ? 0 : 1, overstayAt.map(IsoTime.format), night?.nights,
                    night.map { Self.date($0.of) }, night.map { Self.date($0.of + Int64($0.nights)) },
                    night == nil ? nil : idType, night == nil ? nil : last4, night == nil ? nil : 1,
                    night.map { IsoTime.format($0.registered) }, night == nil ? nil : by, by,
                ]
                try visitInsert.execute(arguments: StatementArguments(values))
                let visitID = db.lastInsertedRowID
                for (offset, attempt) in attempts.enumerated() {
                    let at = arrival + Int64(offset + 1) * Self.minute
                    try contactInsert.execute(arguments: [
                        visitID, attempt.channel, attempt.result, by, IsoTime.format(at), at,
                    ])
                }
                if visit.outcome == .leftMessage {
                    let left = arrival + 4 * Self.minute
                    let delivered = random.chance(90) ? left + Int64(random.index(Int(2 * Self.day))) : nil
                    let deliveredAt = delivered.flatMap { $0 < now ? $0 : nil }
                    let values: [(any DatabaseValueConvertible)?] = [
                        numbers.next("M", at: left), number, name, unit, DeskText.unitKey(unit), host,
                        "来访未遇，请回电", IsoTime.format(left), left, by, deliveredAt == nil ? 0 : 1,
                        deliveredAt.map(IsoTime.format), deliveredAt == nil ? nil : host, deliveredAt == nil ? nil : by,
                    ]
                    try messageInsert.execute(arguments: StatementArguments(values))
                    messages += 1
                }
                if (index + 1) % 50_000 == 0 { progress("visitors: \(Report.grouped(index + 1)) visits") }
            }
            try numbers.write(into: "visitors_counters", db)
            return .commit
        }
        let inside = (counts["on_site"] ?? 0) + (counts["overnight"] ?? 0)
        let shown = ["signed_out", "refused", "left_message"].map { "\(Report.grouped(counts[$0] ?? 0)) \($0)" }
        return
            "\(Report.grouped(plan.visits)) visits (\(Report.grouped(inside)) on site, \(shown.joined(separator: ", "))), "
            + "\(Report.grouped(messages)) messages"
    }

    /// A local day number as `YYYY-MM-DD`.
    private static func date(_ localDay: Int64) -> String {
        String(IsoTime.format(localDay * day).prefix(10))
    }
}
