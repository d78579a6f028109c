import Foundation
import GRDB

/// Fills the meetings plugin's tables with a year of bookings, as a building with a dozen rooms
/// would have them: each room booked most working days in one- to three-hour slots between
/// 08:00 and 21:00 (UTC+8, as ``IsoTime``), from a year ago to four weeks ahead. Past meetings
/// ended (about 5% were cancelled), were settled at the room's hourly fee with now and then an
/// extra, invoiced, and paid within weeks; those of the last month are partly still unpaid (the
/// `meetings.unpaid` follow-up list). Today's and later bookings are `booked` with their tasks
/// open; every open day has its `open_rooms` task.
///
/// Booking numbers follow the plugin's (`MT20261205-0001`, numbered per local day of booking),
/// and the per-day counters move past them so the desk's next booking gets a fresh number.
/// ``MeetingsSlots`` (the `book` workload) books from five weeks ahead, past every seeded row.
struct MeetingsSeeder: PluginSeeder {
    /// The meetings plugin.
    let plugin = "meetings"

    /// Whether the meetings tables exist.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("meetings_rooms") && db.tableExists("meetings_bookings") && db.tableExists("meetings_tasks")
    }

    /// A room of the seeded building.
    struct Room {
        let room: String
        let name: String
        let floor: Int
        let capacity: Int
        let equipment: [String]
        let hourlyFee: Int64
    }

    /// The building's rooms: every floor from 2 to 13 has one, the larger ones with AV.
    static let rooms: [Room] = (0..<12).map { index in
        let floor = 2 + index
        let large = index % 3 == 0
        let equipment = large ? ["audio", "projector", "video_conference"] : index % 3 == 1 ? ["projector"] : []
        return Room(
            room: "R\(floor)01", name: large ? "\(floor)01 大会议室" : "\(floor)01 会议室", floor: floor,
            capacity: large ? 40 : index % 3 == 1 ? 12 : 6, equipment: equipment,
            hourlyFee: large ? 30_000 : index % 3 == 1 ? 15_000 : 8_000)
    }

    /// Every room's opening hours, as the wire writes them.
    static let hours =
        #"{"fri":["08:00","22:00"],"mon":["08:00","22:00"],"sat":["08:00","22:00"],"sun":["08:00","22:00"],"#
        + #""thu":["08:00","22:00"],"tue":["08:00","22:00"],"wed":["08:00","22:00"]}"#

    /// Days seeded ahead of today.
    static let daysAhead = 28

    private static let day: Int64 = 86_400_000
    private static let hour: Int64 = 3_600_000
    private static let minute: Int64 = 60_000
    private static let organisers = [
        "华信科技有限公司", "中天律师事务所", "恒远投资", "蓝海传媒", "物业管理处", "安泰保险", "博雅教育", "工程部",
    ]
    private static let titles = ["周例会", "季度经营分析会", "客户洽谈", "项目评审", "培训", "董事会", "招聘面试", "年终总结会"]
    private static let extras: [(String, Int64)] = [("茶歇", 30_000), ("矿泉水", 6_000), ("横幅", 20_000), ("鲜花", 25_000)]

    /// One booking before it is written.
    private struct Row {
        var room: Int
        var startMs: Int64
        var endMs: Int64
        var meetingClass: String
        var av: Bool
        var bookedMs: Int64
    }

    /// Writes the rooms, the bookings with their tasks, and the counters.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM meetings_bookings") ?? 0
        }
        guard existing == 0 else {
            throw BenchError("the meetings tables already hold \(existing) bookings: seed an empty state directory")
        }
        var random = SeededRandom(seed: plan.seed ^ 0x4D45_4554_494E_4753)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let localToday = (now + 8 * Self.hour) / Self.day
        let firstDay = localToday - 365
        let lastDay = localToday + Int64(Self.daysAhead)
        let roomDays = Self.rooms.count * Int(lastDay - firstDay + 1)
        // Meetings per room and day, on average, to reach the plan's count.
        let perRoomDay = max(0.01, Double(plan.meetings) / Double(roomDays))

        var rows: [Row] = []
        rows.reserveCapacity(plan.meetings + plan.meetings / 10)
        for localDay in firstDay...lastDay {
            let midnight = localDay * Self.day - 8 * Self.hour
            for room in Self.rooms.indices {
                // A Poisson-ish count around the average, laid out from 08:00 without overlap.
                var count = Int(perRoomDay)
                if random.chance((perRoomDay - Double(count)) * 100) { count += 1 }
                var cursor = midnight + 8 * Self.hour + Int64(random.index(3)) * 30 * Self.minute
                for _ in 0..<count {
                    let length = Int64(2 + random.index(5)) * 30 * Self.minute
                    guard cursor + length <= midnight + 21 * Self.hour else { break }
                    let large = Self.rooms[room].equipment.contains("audio")
                    let meetingClass =
                        random.chance(8) ? (large ? "major" : "routine") : random.chance(4) ? "ad_hoc" : "routine"
                    let av = !Self.rooms[room].equipment.isEmpty && random.chance(large ? 60 : 25)
                    let lead =
                        meetingClass == "ad_hoc"
                        ? Int64(random.index(50) + 10) * Self.minute
                        : Int64(1 + random.index(14)) * Self.day + Int64(random.index(8)) * Self.hour
                    rows.append(
                        Row(
                            room: room, startMs: cursor, endMs: cursor + length, meetingClass: meetingClass, av: av,
                            bookedMs: min(now, cursor - lead)))
                    cursor += length + Int64(random.index(4)) * 30 * Self.minute
                }
            }
        }
        rows.sort { $0.bookedMs < $1.bookedMs }

        var counters: [String: Int] = [:]
        var statusCounts: [String: Int] = [:]
        var tasksWritten = 0
        var unpaid = 0
        try writer.inTransaction { db in
            let roomInsert = try db.makeStatement(
                sql: """
                    INSERT INTO meetings_rooms (room, name, floor, capacity, equipment, hourly_fee, hours, status,
                        defined_at, defined_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, 'root')
                    """)
            for room in Self.rooms {
                let values: [(any DatabaseValueConvertible)?] = [
                    room.room, room.name, room.floor, room.capacity, room.equipment.sorted().joined(separator: ","),
                    room.hourlyFee, Self.hours, IsoTime.format(now - 366 * Self.day),
                ]
                try roomInsert.execute(arguments: StatementArguments(values))
            }
            let bookingInsert = try db.makeStatement(
                sql: """
                    INSERT INTO meetings_bookings (booking, room, title, organiser, contact, phone, start_at, start_ms,
                        end_at, end_ms, attendees, class, av, notes, status, series, booked_at, booked_ms, booked_by,
                        started_at, started_ms, ended_at, ended_ms, cancelled_at, cancelled_by, cancel_reason, fee,
                        fee_total, settled_ms, invoice, paid_at, paid_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                        ?, ?, ?, ?)
                    """)
            let taskInsert = try db.makeStatement(
                sql: """
                    INSERT INTO meetings_tasks (task, booking, kind, team, due_at, due_ms, status, done_at, done_by,
                        note, overdue_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                    """)
            for localDay in firstDay...lastDay {
                let due = localDay * Self.day - 8 * Self.hour + 8 * Self.hour
                let past = due < now
                let compact = IsoTime.format(due).prefix(10).replacingOccurrences(of: "-", with: "")
                let values: [(any DatabaseValueConvertible)?] = [
                    "OPEN-" + compact, nil, "open_rooms", "front_desk", IsoTime.format(due), due,
                    past ? "done" : "open", past ? IsoTime.format(due - 10 * Self.minute) : nil,
                    past ? ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)] : nil,
                ]
                try taskInsert.execute(arguments: StatementArguments(values))
                tasksWritten += 1
            }
            for (index, row) in rows.enumerated() {
                let compact = IsoTime.format(row.bookedMs).prefix(10).replacingOccurrences(of: "-", with: "")
                let serial = (counters[compact] ?? 0) + 1
                counters[compact] = serial
                let digits = String(serial)
                let booking = "MT" + compact + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
                let room = Self.rooms[row.room]
                let by = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
                let contact = Property.name(&random)
                let cancelled = random.chance(5) && row.startMs - Self.day > row.bookedMs
                let ended = !cancelled && row.endMs < now
                var status = cancelled ? "cancelled" : ended ? "ended" : "booked"
                var startedMs: Int64?
                var endedMs: Int64?
                var cancelledMs: Int64?
                var fee: String?
                var feeTotal: Int64?
                var settledMs: Int64?
                var invoice: String?
                var paidMs: Int64?
                if cancelled {
                    cancelledMs = row.bookedMs + Int64(random.index(Int(row.startMs - Self.day - row.bookedMs)))
                } else if ended {
                    startedMs = row.startMs + Int64(random.index(10)) * Self.minute
                    endedMs = row.endMs - 30 * Self.minute + Int64(random.index(60)) * Self.minute
                    let settled = (endedMs ?? row.endMs) + Int64(5 + random.index(30)) * Self.minute
                    if settled < now {
                        let (json, total) = Self.fee(
                            room: room, startedMs: startedMs ?? row.startMs, endedMs: endedMs ?? row.endMs,
                            settledMs: settled, contact: contact, random: &random)
                        fee = json
                        feeTotal = total
                        settledMs = settled
                        let invoiced = settled + Int64(1 + random.index(3)) * Self.day
                        if invoiced < now { invoice = String(44_000_000 + index) }
                        let paid = invoiced + Int64(3 + random.index(40)) * Self.day
                        if invoice != nil, paid < now, !random.chance(2) { paidMs = paid } else { unpaid += 1 }
                    }
                } else if row.startMs <= now {
                    status = "in_progress"
                    startedMs = row.startMs
                }
                statusCounts[status, default: 0] += 1
                let values: [(any DatabaseValueConvertible)?] = [
                    booking, room.room, Self.titles[random.index(Self.titles.count)],
                    Self.organisers[random.index(Self.organisers.count)], contact,
                    "13\(100_000_000 + random.index(899_999_999))", IsoTime.format(row.startMs), row.startMs,
                    IsoTime.format(row.endMs), row.endMs, min(room.capacity, 2 + random.index(room.capacity)),
                    row.meetingClass, row.av ? 1 : 0, status, IsoTime.format(row.bookedMs), row.bookedMs, by,
                    startedMs.map(IsoTime.format), startedMs, endedMs.map(IsoTime.format), endedMs,
                    cancelledMs.map(IsoTime.format), cancelledMs == nil ? nil : by,
                    cancelledMs == nil ? nil : "会议取消", fee, feeTotal, settledMs, invoice,
                    paidMs.map(IsoTime.format), paidMs,
                ]
                try bookingInsert.execute(arguments: StatementArguments(values))
                for (kind, team, dueMs) in Self.tasks(of: row) {
                    let taskStatus = cancelled ? "cancelled" : dueMs < now ? "done" : "open"
                    let values: [(any DatabaseValueConvertible)?] = [
                        booking + "/" + kind, booking, kind, team, IsoTime.format(dueMs), dueMs, taskStatus,
                        taskStatus == "done" ? IsoTime.format(dueMs - 5 * Self.minute) : nil,
                        taskStatus == "done"
                            ? ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)] : nil,
                    ]
                    try taskInsert.execute(arguments: StatementArguments(values))
                    tasksWritten += 1
                }
                if (index + 1) % 20_000 == 0 { progress("meetings: \(Report.grouped(index + 1)) bookings") }
            }
            for (day, value) in counters {
                try db.execute(
                    sql: "INSERT INTO meetings_counters (name, value) VALUES (?, ?)",
                    arguments: ["booking:\(day)", value])
            }
            return .commit
        }
        let shown = ["ended", "in_progress", "booked", "cancelled"].map {
            "\(Report.grouped(statusCounts[$0] ?? 0)) \($0)"
        }
        return
            "\(Report.grouped(rows.count)) bookings in \(Self.rooms.count) rooms (\(shown.joined(separator: ", "))), "
            + "\(Report.grouped(unpaid)) settled and unpaid, \(Report.grouped(tasksWritten)) tasks"
    }

    /// The preparation tasks of `row` as the plugin's default templates and teams make them
    /// (`TaskPlan`, `MeetingsConfig.defaultTeams`): kind, team, due time.
    private static func tasks(of row: Row) -> [(String, String, Int64)] {
        var tasks: [(String, String, Int64)] = [
            ("tea", "front_desk", row.startMs - 15 * minute), ("room_check", "facilities", row.startMs - 15 * minute),
        ]
        if row.av {
            tasks.append(("av_sheet", "front_desk", row.bookedMs + 5 * minute))
            tasks.append(("av_check", "av", row.startMs - 30 * minute))
        }
        if row.meetingClass == "major" {
            tasks.append(("materials", "front_desk", row.startMs - day))
            let midnight = ((row.startMs + 8 * hour) / day) * day - 8 * hour
            tasks.append(("setup", "facilities", midnight - day + 18 * hour))
            tasks.append(("staff_on_site", "front_desk", row.startMs - 30 * minute))
        }
        if row.meetingClass == "ad_hoc" { tasks.append(("staff_on_site", "front_desk", row.bookedMs + 5 * minute)) }
        tasks.append(("reset", "facilities", row.endMs + 30 * minute))
        return tasks
    }

    /// The settlement as the plugin stores it (`Fees.roomLine`): the room's whole minutes used
    /// at the hourly fee, rounded up to the fen, the quantity in hours to two decimals; and now
    /// and then an extra.
    private static func fee(
        room: Room, startedMs: Int64, endedMs: Int64, settledMs: Int64, contact: String, random: inout SeededRandom
    ) -> (String, Int64) {
        let minutes = (endedMs - startedMs + minute - 1) / minute
        let roomAmount = (minutes * room.hourlyFee + 59) / 60
        let hundredths = (minutes * 100 + 59) / 60
        let fraction = hundredths % 100
        let quantity =
            fraction == 0
            ? "\(hundredths / 100)"
            : fraction % 10 == 0
                ? "\(hundredths / 100).\(fraction / 10)" : "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
        var lines = [
            #"{"amount":\#(roomAmount),"item":"room \#(room.room)","quantity":"\#(quantity)","unitPrice":\#(room.hourlyFee)}"#
        ]
        var total = roomAmount
        if random.chance(30) {
            let (item, amount) = extras[random.index(extras.count)]
            lines.append(#"{"amount":\#(amount),"item":"\#(item)","quantity":"1","unitPrice":\#(amount)}"#)
            total += amount
        }
        let json =
            #"{"lines":[\#(lines.joined(separator: ","))],"settledAt":"\#(IsoTime.format(settledMs))","signedBy":"\#(contact)","total":\#(total)}"#
        return (json, total)
    }
}
