import Foundation
import GRDB

import enum ReceptionPluginSDK.DeskText

/// Fills the utilities plugin's register with a year of prepurchase requests, as a desk that
/// hands a batch to its agent (代办人) every Wednesday would have it: requests spread over the
/// last 365 days, each in the next Wednesday's batch, back two days later; most bought (a little
/// leftover or none), about 4% failed with all the cash owed back, about 3% cancelled before the
/// batch; the oldest collected within days of the return, a few never. What the last Wednesday
/// took is still `with_agent`, what came in since is `at_desk`: the shift check
/// (`utilities.cashOnHand`) sums the cash of those and what is owed on the uncollected.
///
/// Numbers follow the plugin's (`UT20261205-0001`, numbered per local day, UTC+8 as
/// ``IsoTime``), and the per-day counters move past them so the desk's next request gets a fresh
/// number.
struct UtilitiesSeeder: PluginSeeder {
    /// The utilities plugin.
    let plugin = "utilities"

    /// Whether `utilities_requests` exists.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("utilities_requests") && db.tableExists("utilities_batches")
    }

    /// A utility as the plugin's defaults define it, with what one unit of it costs (fen) and
    /// how residents pay for it here.
    private struct Utility {
        let name: String
        let share: Int
        let pricePerUnit: Int64
        let media: [String]
    }

    private static let utilities = [
        Utility(
            name: "electricity", share: 60, pricePerUnit: 56, media: ["remote", "remote", "meter_card", "account"]),
        Utility(name: "gas", share: 35, pricePerUnit: 300, media: ["gas_card", "gas_card", "gas_card", "account"]),
        Utility(name: "water", share: 5, pricePerUnit: 500, media: ["meter_card", "meter_card", "account"]),
    ]

    private static let agents = ["张师傅", "刘师傅", "陈建国"]
    private static let failures = ["卡片读取失败", "营业厅系统故障", "户号与卡不符", "当月已达购买上限"]
    private static let day: Int64 = 86_400_000

    /// One request before it is written.
    private struct Row {
        var requestedMs: Int64
        var utility: Utility
        var cash: Int64
        var unitIndex: Int
        var batchIndex: Int?
        var status = "at_desk"
    }

    /// Writes the batches and the requests.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM utilities_requests") ?? 0
        }
        guard existing == 0 else {
            throw BenchError(
                "the utilities tables already hold \(existing) requests: seed an empty state directory")
        }
        var random = SeededRandom(seed: plan.seed ^ 0x5554_494C_4954_59)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Wednesdays at 10:00 (UTC+8) over the last year: 1970-01-01 was a Thursday.
        let localNow = now + 8 * 3_600_000
        let daysSinceWednesday = ((localNow / Self.day) + 1) % 7
        var lastBatch = (localNow / Self.day - daysSinceWednesday) * Self.day + 10 * 3_600_000 - 8 * 3_600_000
        if lastBatch > now { lastBatch -= 7 * Self.day }
        var batchTimes: [Int64] = []
        var time = lastBatch
        while time > now - 372 * Self.day {
            batchTimes.insert(time, at: 0)
            time -= 7 * Self.day
        }

        var rows: [Row] = []
        rows.reserveCapacity(plan.utilityRequests)
        for _ in 0..<plan.utilityRequests {
            // Opening hours, 08:00 to 20:00 local, any day of the last year.
            let dayStart = (localNow / Self.day - Int64(random.index(365))) * Self.day - 8 * 3_600_000
            var requested = dayStart + 8 * 3_600_000 + Int64(random.index(12 * 3_600_000))
            if requested > now { requested = now - Int64(random.index(3_600_000)) }
            let utility = Self.pick(&random)
            let cash = Int64(2 + random.index(19)) * 2_500  // ¥50 to ¥500 in steps of ¥25
            rows.append(
                Row(requestedMs: requested, utility: utility, cash: cash, unitIndex: random.index(property.units.count))
            )
        }
        rows.sort { $0.requestedMs < $1.requestedMs }
        var members = Array(repeating: [Int](), count: batchTimes.count)
        for index in rows.indices {
            if random.chance(3) {
                rows[index].status = "cancelled"
                continue
            }
            guard let batch = batchTimes.firstIndex(where: { $0 > rows[index].requestedMs }) else { continue }
            rows[index].batchIndex = batch
            members[batch].append(index)
        }

        var counters: [String: Int] = [:]
        var statusCounts: [String: Int] = [:]
        var cashOnHand: Int64 = 0
        try writer.inTransaction { db in
            let batchInsert = try db.makeStatement(
                sql: """
                    INSERT INTO utilities_batches (id, agent, status, utility, request_count, cash_out, created_at,
                        created_ms, created_by, returned_at, returned_ms, returned_by, cash_back, spent)
                    VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let requestInsert = try db.makeStatement(
                sql: """
                    INSERT INTO utilities_requests (number, unit, unit_key, payer, utility, quantity, quantity_milli,
                        cash, medium, medium_ref, note, status, batch, spent, credited, credited_milli, utility_receipt,
                        failed, failure_reason, owed, paid_out, requested_at, requested_ms, requested_by, batched_at,
                        returned_at, returned_ms, collected_at, collected_ms, collected_by, proxy, handed_out_by,
                        cancelled_at, cancelled_ms, cancelled_by, cancel_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                        ?, ?, ?, ?, ?)
                    """)
            // Each batch: out at its Wednesday, back two days later (the last one is still out).
            var outcomes: [Int: (spent: Int64?, failed: Bool)] = [:]
            var returnTimes: [Int: Int64] = [:]
            for (batch, indices) in members.enumerated() where !indices.isEmpty {
                let created = batchTimes[batch]
                let open = batch == batchTimes.count - 1
                let cashOut = indices.reduce(Int64(0)) { $0 + rows[$1].cash }
                var spent: Int64 = 0
                for index in indices where !open {
                    let cash = rows[index].cash
                    if random.chance(4) {
                        outcomes[index] = (nil, true)
                    } else {
                        // Most buy for the whole amount; some leave a few yuan.
                        let leftover = random.chance(70) ? 0 : Int64(random.index(Int(cash / 100) / 4 + 1)) * 100
                        outcomes[index] = (cash - leftover, false)
                        spent += cash - leftover
                    }
                }
                let returned = created + 2 * Self.day + Int64(random.index(6 * 3_600_000))
                returnTimes[batch] = returned
                let by = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
                let values: [(any DatabaseValueConvertible)?] = [
                    Int64(batch + 1), Self.agents[random.index(Self.agents.count)], open ? "out" : "returned",
                    Int64(indices.count), cashOut, IsoTime.format(created), created, by,
                    open ? nil : IsoTime.format(returned), open ? nil : returned, open ? nil : by,
                    open ? nil : cashOut - spent, open ? nil : spent,
                ]
                try batchInsert.execute(arguments: StatementArguments(values))
                for index in indices {
                    rows[index].status = open ? "with_agent" : "ready"
                }
            }

            for (index, row) in rows.enumerated() {
                let local = IsoTime.format(row.requestedMs)
                let compact = local.prefix(10).replacingOccurrences(of: "-", with: "")
                let serial = (counters[compact] ?? 0) + 1
                counters[compact] = serial
                let digits = String(serial)
                let number = "UT" + compact + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
                let unit = property.units[row.unitIndex]
                let residents = property.residents[row.unitIndex]
                let payer = residents[random.index(residents.count)]
                let medium = row.utility.media[random.index(row.utility.media.count)]
                let quantityMilli: Int64? = random.chance(50) ? row.cash * 1000 / row.utility.pricePerUnit : nil
                let by = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
                var status = row.status
                var spent: Int64?
                var creditedMilli: Int64?
                var receipt: String?
                var failed = false
                var failureReason: String?
                var owed: Int64 = 0
                var paidOut: Int64 = 0
                var batchID: Int64?
                var batchedAt: String?
                var returnedMs: Int64?
                var collectedMs: Int64?
                var collectedBy: String?
                var proxy: Bool?
                var cancelledMs: Int64?
                if status == "cancelled" {
                    cancelledMs = min(now, row.requestedMs + Int64(random.index(Int(2 * Self.day))))
                    paidOut = row.cash
                } else if let batch = row.batchIndex {
                    batchID = Int64(batch + 1)
                    batchedAt = IsoTime.format(batchTimes[batch])
                }
                if status == "ready", let batch = row.batchIndex, let outcome = outcomes[index] {
                    returnedMs = returnTimes[batch]
                    if outcome.failed {
                        failed = true
                        failureReason = Self.failures[random.index(Self.failures.count)]
                        owed = row.cash
                    } else {
                        spent = outcome.spent
                        creditedMilli = (outcome.spent ?? 0) * 1000 / row.utility.pricePerUnit
                        receipt =
                            "\(row.utility.name == "gas" ? "RQ" : row.utility.name == "water" ? "SW" : "GD")"
                            + String(10_000_000 + random.index(89_999_999))
                        owed = row.cash - (outcome.spent ?? 0)
                    }
                    // Residents come within a day to two weeks; about one in fifty never has yet.
                    let comes = (returnedMs ?? now) + Int64(3_600_000 + random.index(Int(14 * Self.day)))
                    if comes < now, !random.chance(2) {
                        status = "collected"
                        collectedMs = comes
                        proxy = random.chance(15)
                        collectedBy = proxy == true ? Property.name(&random) : payer
                        paidOut = owed
                        owed = 0
                    }
                }
                if status == "at_desk" { cashOnHand += row.cash }
                cashOnHand += owed
                statusCounts[status, default: 0] += 1
                let values: [(any DatabaseValueConvertible)?] = [
                    number, unit, DeskText.unitKey(unit), payer, row.utility.name, quantityMilli.map(Self.decimal),
                    quantityMilli, row.cash, medium,
                    medium == "account" ? "户号\(100_000 + row.unitIndex)" : "卡\(row.unitIndex)",
                    status, batchID, spent, creditedMilli.map(Self.decimal), creditedMilli, receipt, failed ? 1 : 0,
                    failureReason, owed, paidOut, local, row.requestedMs, by, batchedAt,
                    returnedMs.map(IsoTime.format), returnedMs, collectedMs.map(IsoTime.format), collectedMs,
                    collectedBy,
                    proxy.map { $0 ? 1 : 0 }, collectedMs == nil ? nil : by, cancelledMs.map(IsoTime.format),
                    cancelledMs,
                    cancelledMs == nil ? nil : by, cancelledMs == nil ? nil : "住户改主意",
                ]
                try requestInsert.execute(arguments: StatementArguments(values))
                if (index + 1) % 50_000 == 0 { progress("utilities: \(Report.grouped(index + 1)) requests") }
            }
            for (day, value) in counters {
                try db.execute(
                    sql: "INSERT INTO utilities_counters (name, value) VALUES (?, ?)",
                    arguments: ["request:\(day)", value])
            }
            return .commit
        }
        let shown = ["at_desk", "with_agent", "ready", "collected", "cancelled"].map {
            "\(Report.grouped(statusCounts[$0] ?? 0)) \($0)"
        }
        return "\(Report.grouped(plan.utilityRequests)) requests (\(shown.joined(separator: ", "))) in "
            + "\(members.filter { !$0.isEmpty }.count) weekly batches; cash on hand \(cashOnHand / 100).\(String(format: "%02d", cashOnHand % 100))"
    }

    private static func pick(_ random: inout SeededRandom) -> Utility {
        var draw = random.index(100)
        for utility in utilities {
            if draw < utility.share { return utility }
            draw -= utility.share
        }
        return utilities[0]
    }

    /// Thousandths as the plugin writes a quantity: `187500` → `187.5`.
    static func decimal(_ milli: Int64) -> String {
        let whole = milli / 1000
        var fraction = String(milli % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}
