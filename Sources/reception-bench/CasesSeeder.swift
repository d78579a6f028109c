import Foundation
import GRDB
import ReceptionProtocol

import enum ReceptionPluginSDK.DeskText

/// Fills the cases plugin's register with a report month of a busy desk: `--cases` cases opened
/// in the last report period that has ended (the day after the 28th of the month before to the
/// 28th, as the plugin's default `report_day`), at opening hours, in the categories and
/// proportions the `cases-open` workload uses. Repairs, after-sales, services and most complaints
/// went out on a work order to the department that handles them, due after the plugin's default
/// minutes; most were done in time (about one in eight late), and the cases closed afterwards,
/// complaints judged valid or not. Each closed complaint, repair or service has its callback task,
/// most of them called (a few residents not reached, a few dissatisfied, which reopened the case);
/// services were paid at the counter against a receipt. About 4% of the cases are still open or
/// dispatched, their orders out, so the desk handover has open cases and overdue orders to list.
///
/// Numbers follow the plugin's (`CS…`, `WO…`, `SR…` per local day at UTC+8) and its counters move
/// past them.
struct CasesSeeder: PluginSeeder {
    /// The cases plugin.
    let plugin = "cases"

    private static let day: Int64 = 86_400_000
    private static let hour: Int64 = 3_600_000
    private static let minute: Int64 = 60_000

    /// Whether the cases tables exist.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("cases_cases") && db.tableExists("cases_orders") && db.tableExists("cases_callbacks")
    }

    /// The month whose report period (29th of the month before to the 28th) ended last before
    /// `now`: what `cases-report` asks for and where the seeded cases are (`2026-11` on 6 December).
    static func reportMonth(now: Date = Date()) -> String {
        let today = Int((Int64(now.timeIntervalSince1970 * 1000) + 8 * hour) / day)
        let (year, month, dayOfMonth) = CivilDays.civil(fromDays: today)
        let (reportYear, reportMonth) = dayOfMonth > 28 ? (year, month) : previous(year, month)
        return String(format: "%04d-%02d", reportYear, reportMonth)
    }

    /// The local days (numbered from 1970-01-01) of `month`'s report period, both included.
    static func period(of month: String) -> (first: Int, last: Int)? {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        let (year, monthBefore) = previous(parts[0], parts[1])
        return (
            CivilDays.days(year: year, month: monthBefore, day: 28) + 1,
            CivilDays.days(year: parts[0], month: parts[1], day: 28)
        )
    }

    private static func previous(_ year: Int, _ month: Int) -> (Int, Int) {
        month == 1 ? (year - 1, 12) : (year, month - 1)
    }

    /// The categories, how often (per hundred), what residents say, and who handles them.
    private static let kinds: [(category: String, weight: Int, department: String?, descriptions: [String])] = [
        ("repair", 35, "engineering", ["卫生间漏水", "厨房水龙头坏了", "入户门锁打不开", "客厅灯不亮", "地漏堵塞"]),
        ("complaint", 20, nil, ["楼道垃圾两天没人清", "夜里装修噪音", "保安态度差", "快递被放错柜"]),
        ("service", 8, "cleaning", ["预约上门服务"]),
        ("after_sales", 10, "after_sales", ["外墙渗水", "窗框开裂", "地板起拱"]),
        ("suggestion", 7, nil, ["建议增加电动车充电桩", "建议延长游泳池开放时间"]),
        ("praise", 5, nil, ["表扬维修师傅及时上门", "感谢保安帮忙搬运"]),
        ("other", 15, nil, ["咨询物业费缴纳方式", "询问停车位租赁", "咨询装修申报流程"]),
    ]

    /// Complaint areas and the department that answers them.
    private static let areas: [(area: String, department: String)] = [
        ("security", "security"), ("cleaning", "cleaning"), ("landscaping", "landscaping"),
        ("maintenance", "engineering"), ("mail", "security"), ("renovation", "engineering"),
        ("staff_attitude", "security"), ("other", "engineering"),
    ]

    /// The default price list (fen).
    private static let services: [(name: String, price: Int64)] = [
        ("carpet_cleaning", 15_000), ("housekeeping", 8_000), ("window_cleaning", 6_000),
    ]

    private static let satisfaction = [
        ("very_satisfied", 45), ("satisfied", 40), ("neutral", 11), ("dissatisfied", 4),
    ]

    /// Writes the cases, their orders and callbacks, and the counters.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cases_cases") ?? 0 }
        guard existing == 0 else {
            throw BenchError("the cases tables already hold \(existing) cases: seed an empty state directory")
        }
        let month = Self.reportMonth()
        guard let period = Self.period(of: month) else { throw BenchError("no report period for \(month)") }
        var random = SeededRandom(seed: plan.seed ^ 0x4341_5345_53)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let days = period.last - period.first + 1
        // Opening hours, 08:00 to 21:00 local (a local day's 08:00 is its UTC midnight), in time order.
        var opened = (0..<plan.cases).map { _ in
            Int64(period.first + random.index(days)) * Self.day + Int64(random.index(Int(13 * Self.hour)))
        }
        opened.sort()

        var numbers = DailyNumbers(separator: ":")
        var counts = (open: 0, closed: 0, reopened: 0, orders: 0, late: 0, callbacks: 0, services: 0)
        try writer.inTransaction { db in
            let caseInsert = try db.makeStatement(
                sql: """
                    INSERT INTO cases_cases (case_no, channel, reporter, unit, unit_key, contact, category, area,
                        description, urgency, status, valid, outcome, notes, history, service, receipt, amount, tendered,
                        change_given, opened_at, opened_ms, opened_by, closed_at, closed_ms, closed_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let orderInsert = try db.makeStatement(
                sql: """
                    INSERT INTO cases_orders (order_no, case_no, department, due_at, due_ms, status, sent_at, sent_ms,
                        sent_by, ack_by, ack_at, done_at, done_ms, done_by, work, delays, overdue_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)
                    """)
            let callbackInsert = try db.makeStatement(
                sql: """
                    INSERT INTO cases_callbacks (case_no, status, created_at, created_ms, attempts, reached,
                        satisfaction, comments, called_at, called_ms, called_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (index, openedMs) in opened.enumerated() {
                let kind = Self.pick(&random)
                let unitIndex = random.index(property.units.count)
                let unit = property.units[unitIndex]
                let residents = property.residents[unitIndex]
                let by = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
                let number = numbers.next("CS", at: openedMs)
                let urgencyDraw = random.index(100)
                let urgency = urgencyDraw < 85 ? "normal" : urgencyDraw < 99 ? "urgent" : "emergency"
                var area: (area: String, department: String)?
                if kind.category == "complaint" { area = Self.areas[random.index(Self.areas.count)] }
                var service: (name: String, price: Int64)?
                var receipt: String?
                var tendered: Int64?
                if kind.category == "service" {
                    service = Self.services[random.index(Self.services.count)]
                    receipt = numbers.next("SR", at: openedMs)
                    tendered = random.chance(50) ? service?.price : ((service?.price ?? 0) / 10_000 + 1) * 10_000
                    counts.services += 1
                }
                // Still open: about 4% of all, more of the last days'.
                let stillOpen = random.chance(index > plan.cases * 9 / 10 ? 20 : 2)
                // The case's order and callback, written after the case they reference.
                var dependents: [(statement: Statement, values: [(any DatabaseValueConvertible)?])] = []
                var lastDone = openedMs + Int64(10 + random.index(120)) * Self.minute
                var ordersOut = false
                let department = kind.department ?? (random.chance(60) ? area?.department : nil)
                if let department {
                    let sent = openedMs + Int64(5 + random.index(55)) * Self.minute
                    let dueMinutes: Int64 =
                        urgency == "emergency"
                        ? 30
                        : kind.category == "after_sales"
                            ? (urgency == "urgent" ? 1440 : 4320)
                            : (urgency == "urgent" ? 240 : 1440)
                    let due = sent + dueMinutes * Self.minute
                    let late = random.chance(12)
                    let done =
                        late
                        ? due + Int64(30 + random.index(Int(dueMinutes))) * Self.minute
                        : sent + Int64(random.index(Int(dueMinutes))) * Self.minute + Self.minute
                    let isDone = !stillOpen && done < now
                    let acked = sent + Int64(2 + random.index(30)) * Self.minute
                    let status = isDone ? "done" : (acked < now && random.chance(60) ? "acknowledged" : "sent")
                    let worker = Property.name(&random)
                    let values: [(any DatabaseValueConvertible)?] = [
                        numbers.next("WO", at: sent), number, department, IsoTime.format(due), due, status,
                        IsoTime.format(sent), sent, by, status == "sent" ? nil : worker,
                        status == "sent" ? nil : IsoTime.format(acked), isDone ? IsoTime.format(done) : nil,
                        isDone ? done : nil, isDone ? worker : nil, isDone ? "已处理完毕" : nil,
                        (isDone ? done > due : due < now) ? due + Self.minute : nil,
                    ]
                    dependents.append((orderInsert, values))
                    counts.orders += 1
                    if isDone, done > due { counts.late += 1 }
                    lastDone = done
                    ordersOut = !isDone
                }
                var closedMs: Int64? = lastDone + Int64(10 + random.index(240)) * Self.minute
                if stillOpen || ordersOut || (closedMs ?? now) >= now { closedMs = nil }
                var status = closedMs == nil ? (department == nil ? "open" : "dispatched") : "closed"
                var valid: Bool? = closedMs != nil && kind.category == "complaint" ? random.chance(70) : nil
                if let closed = closedMs, ["complaint", "repair", "service"].contains(kind.category) {
                    // The callback task made at the close; most called within two days.
                    let called = closed + Self.hour + Int64(random.index(Int(2 * Self.day)))
                    let isCalled = called < now && random.chance(92)
                    let reached = isCalled && random.chance(90)
                    var said: String?
                    if reached {
                        var draw = random.index(100)
                        for (level, weight) in Self.satisfaction {
                            if draw < weight {
                                said = level
                                break
                            }
                            draw -= weight
                        }
                    }
                    let values: [(any DatabaseValueConvertible)?] = [
                        number, reached ? "done" : "pending", IsoTime.format(closed), closed, isCalled ? 1 : 0,
                        isCalled ? (reached ? 1 : 0) : nil, said, said == "dissatisfied" ? "问题没有彻底解决" : nil,
                        isCalled ? IsoTime.format(called) : nil, isCalled ? called : nil, isCalled ? by : nil,
                    ]
                    dependents.append((callbackInsert, values))
                    counts.callbacks += 1
                    if said == "dissatisfied" {
                        // A dissatisfied resident reopened the case.
                        status = "reopened"
                        closedMs = nil
                        valid = nil
                    }
                }
                switch status {
                case "closed": counts.closed += 1
                case "reopened": counts.reopened += 1
                default: counts.open += 1
                }
                let values: [(any DatabaseValueConvertible)?] = [
                    number, random.chance(55) ? "visit" : "phone", residents[random.index(residents.count)], unit,
                    DeskText.unitKey(unit), random.chance(70) ? "13\(100_000_000 + random.index(900_000_000))" : nil,
                    kind.category, area?.area, kind.descriptions[random.index(kind.descriptions.count)], urgency,
                    status, valid.map { $0 ? 1 : 0 }, closedMs == nil ? nil : "已处理，住户确认", service?.name, receipt,
                    service?.price, tendered, tendered.map { $0 - (service?.price ?? 0) }, IsoTime.format(openedMs),
                    openedMs, by, closedMs.map(IsoTime.format), closedMs, closedMs == nil ? nil : by,
                ]
                try caseInsert.execute(arguments: StatementArguments(values))
                for dependent in dependents {
                    try dependent.statement.execute(arguments: StatementArguments(dependent.values))
                }
                if (index + 1) % 50_000 == 0 { progress("cases: \(Report.grouped(index + 1)) cases") }
            }
            try numbers.write(into: "cases_counters", db)
            return .commit
        }
        return
            "\(Report.grouped(plan.cases)) cases in the \(month) report period (\(Report.grouped(counts.closed)) closed, "
            + "\(Report.grouped(counts.open)) open, \(Report.grouped(counts.reopened)) reopened), "
            + "\(Report.grouped(counts.orders)) work orders (\(Report.grouped(counts.late)) late), "
            + "\(Report.grouped(counts.callbacks)) callbacks, \(Report.grouped(counts.services)) paid services"
    }

    private static func pick(_ random: inout SeededRandom) -> (
        category: String, weight: Int, department: String?, descriptions: [String]
    ) {
        var draw = random.index(100)
        for kind in kinds {
            if draw < kind.weight { return kind }
            draw -= kind.weight
        }
        return kinds[0]
    }
}
