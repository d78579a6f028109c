import Foundation
import ReceptionPluginSDK

/// `utilities.report {"month": "2026-12"}`: the month's figures for management, per utility.
///
/// The period ends on `report_day` (default 28) of the month and starts the day after
/// `report_day` of the month before (29 November to 28 December), whole days in the daemon's
/// zone. Each figure counts what happened in the period:
/// - `requests`, `cash`: requests made (and the cash taken);
/// - `cancelled`, `refunded`: requests cancelled (and the cash paid back);
/// - `bought`, `spent`, `credited`, `failures`: purchases the agent returned (the money spent,
///   the quantity credited in the utility's unit, and the failed ones);
/// - `collected`, `paidOut`: requests collected (and the leftovers handed back);
/// - `uncollected`, `owed`: requests back from the agent by the period's end and not collected
///   by then (and what the desk owed on them);
/// - `averageDaysToCollect`: over the requests collected in the period, the mean days from
///   request to collection, to one decimal (`null` when none was collected).
enum Report {
    /// `utilities.report`.
    static let method: Method<UtilitiesPlugin> = .read(
        "utilities.report", "The month's figures per utility, over the period ending on report_day (the 28th).",
        zh: "月报：按项目统计本期（上月 29 日至本月 28 日）的登记笔数、收款、花费、充值数量、失败、退还余款、未领取和平均领取天数。",
        display: DisplayHints(
            list: "utilities",
            columns: [
                "utility", "requests", "cash", "spent", "credited", "failures", "paidOut", "uncollected",
                "averageDaysToCollect",
            ],
            money: Money.report)
    ) { (plugin, params: ReportParams, context) in
        let period = try Period(month: params.month, reportDay: plugin.config.reportDay)
        let from = EpochMillis.of(period.first.startInLocalTime)
        let to = EpochMillis.of(period.afterLast.startInLocalTime)
        let db = context.db
        var figures: [String: Figures] = [:]
        func each(_ sql: String, _ apply: (Row, inout Figures) -> Void) throws {
            for row in try db.query(sql, [from, to]) {
                apply(row, &figures[row.string("utility") ?? "", default: Figures()])
            }
        }
        try each(
            """
            SELECT utility, count(*) AS n, coalesce(sum(cash), 0) AS cash FROM utilities_requests
            WHERE requested_ms >= ? AND requested_ms < ? GROUP BY utility
            """
        ) { row, figures in
            figures.requests = row.int("n") ?? 0
            figures.cash = row.int("cash") ?? 0
        }
        try each(
            """
            SELECT utility, count(*) AS n, coalesce(sum(paid_out), 0) AS refunded FROM utilities_requests
            WHERE cancelled_ms >= ? AND cancelled_ms < ? GROUP BY utility
            """
        ) { row, figures in
            figures.cancelled = row.int("n") ?? 0
            figures.refunded = row.int("refunded") ?? 0
        }
        try each(
            """
            SELECT utility, coalesce(sum(CASE WHEN failed = 0 THEN 1 ELSE 0 END), 0) AS bought,
                   coalesce(sum(CASE WHEN failed = 0 THEN 0 ELSE 1 END), 0) AS failures,
                   coalesce(sum(spent), 0) AS spent, coalesce(sum(credited_milli), 0) AS credited
            FROM utilities_requests WHERE returned_ms >= ? AND returned_ms < ? GROUP BY utility
            """
        ) { row, figures in
            figures.bought = row.int("bought") ?? 0
            figures.failures = row.int("failures") ?? 0
            figures.spent = row.int("spent") ?? 0
            figures.creditedMilli = row.int("credited") ?? 0
        }
        try each(
            """
            SELECT utility, count(*) AS n, coalesce(sum(paid_out), 0) AS paid,
                   coalesce(sum(collected_ms - requested_ms), 0) AS waited
            FROM utilities_requests WHERE collected_ms >= ? AND collected_ms < ? GROUP BY utility
            """
        ) { row, figures in
            figures.collected = row.int("n") ?? 0
            figures.paidOut = row.int("paid") ?? 0
            figures.waitedMs = row.int("waited") ?? 0
        }
        for row in try db.query(
            """
            SELECT utility, count(*) AS n, coalesce(sum(cash - coalesce(spent, 0)), 0) AS owed FROM utilities_requests
            WHERE returned_ms < ? AND (collected_ms IS NULL OR collected_ms >= ?) GROUP BY utility
            """, [to, to])
        {
            figures[row.string("utility") ?? "", default: Figures()].uncollected = row.int("n") ?? 0
            figures[row.string("utility") ?? "", default: Figures()].owed = row.int("owed") ?? 0
        }

        var total = Figures()
        var rows: [JSONValue] = []
        var names = plugin.config.utilities.map(\.name)
        // A utility no longer configured still has its stored requests counted.
        names += figures.keys.filter { !names.contains($0) }.sorted()
        for name in names {
            let figure = figures[name] ?? Figures()
            total.add(figure)
            var row = figure.json
            row["utility"] = .string(name)
            row["quantityUnit"] = plugin.config.utilities.first { $0.name == name }.map { .string($0.unit) } ?? .null
            row["credited"] = .string(Quantity.text(figure.creditedMilli))
            rows.append(.object(row))
        }
        return [
            "month": .string(params.month), "from": .string(period.first.description),
            "to": .string(period.last.description), "reportDay": .int(Int64(plugin.config.reportDay)),
            "utilities": .array(rows), "total": .object(total.json),
        ] as JSONValue
    }

    /// One utility's figures (or all of them together).
    struct Figures {
        /// Requests made in the period.
        var requests: Int64 = 0
        /// Their cash.
        var cash: Int64 = 0
        /// Requests cancelled in the period.
        var cancelled: Int64 = 0
        /// The cash they paid back.
        var refunded: Int64 = 0
        /// Purchases the agent returned bought in the period.
        var bought: Int64 = 0
        /// Purchases the agent returned failed in the period.
        var failures: Int64 = 0
        /// The money spent on the returned purchases.
        var spent: Int64 = 0
        /// The quantity credited, in thousandths of the utility's unit.
        var creditedMilli: Int64 = 0
        /// Requests collected in the period.
        var collected: Int64 = 0
        /// The cash handed back at those collections.
        var paidOut: Int64 = 0
        /// Their milliseconds from request to collection, summed.
        var waitedMs: Int64 = 0
        /// Requests back by the period's end and not collected by then.
        var uncollected: Int64 = 0
        /// What the desk owed on them.
        var owed: Int64 = 0

        /// Adds `other`'s counts and sums (quantities are not added across utilities).
        mutating func add(_ other: Figures) {
            requests += other.requests
            cash += other.cash
            cancelled += other.cancelled
            refunded += other.refunded
            bought += other.bought
            failures += other.failures
            spent += other.spent
            collected += other.collected
            paidOut += other.paidOut
            waitedMs += other.waitedMs
            uncollected += other.uncollected
            owed += other.owed
        }

        /// The wire members (without `utility`, `unit`, `credited`).
        var json: [String: JSONValue] {
            let average: JSONValue =
                collected == 0
                ? .null : .double((Double(waitedMs) / Double(collected) / 86_400_000 * 10).rounded() / 10)
            return [
                "requests": .int(requests), "cash": .int(cash), "cancelled": .int(cancelled),
                "refunded": .int(refunded),
                "bought": .int(bought), "failures": .int(failures), "spent": .int(spent), "collected": .int(collected),
                "paidOut": .int(paidOut), "uncollected": .int(uncollected), "owed": .int(owed),
                "averageDaysToCollect": average,
            ]
        }
    }

    /// The days a report covers: `first` to `last`, both included.
    struct Period {
        /// The first day of the period.
        let first: CivilDate
        /// The last day of the period (`report_day`).
        let last: CivilDate
        /// The day after `last`, where the period's half-open range ends.
        let afterLast: CivilDate

        /// The period of `month` (`2026-12`) ending on `reportDay`.
        init(month: String, reportDay: Int) throws(RPCError) {
            let parts = month.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
                let number = Int(parts[1]), let last = CivilDate(year: year, month: number, day: reportDay),
                let previous = CivilDate(
                    year: number == 1 ? year - 1 : year, month: number == 1 ? 12 : number - 1, day: reportDay),
                let first = previous.adding(days: 1), let afterLast = last.adding(days: 1)
            else {
                throw RPCError(
                    .validation, "month must be written YYYY-MM (e.g. 2026-12), got \"\(month)\"", field: "month",
                    details: ["rule": "month"]
                ).localized("zh", "month 应为 YYYY-MM 格式的月份（如 2026-12），收到的是“\(month)”")
            }
            self.first = first
            self.last = last
            self.afterLast = afterLast
        }
    }
}

/// The params of `utilities.report`.
struct ReportParams: MethodParams {
    @Param(
        "The month, YYYY-MM (its period ends on report_day)", zh: "月份，如 2026-12（统计期截至本月 report_day 日）", maxLength: 7,
        text: .verbatim, positional: true)
    var month: String
}
