import Foundation
import ReceptionPluginSDK

/// `parcels.stats`: the supervisor's monthly report.
///
/// For the half-open range [`from`, `to`) (`from` and `to` are ISO 8601 times, or plain dates in
/// the daemon's time zone: `from` a day's start, `to` the end of that day, so a day is included):
/// - `received`, `stillHeld`, `overdue` count items **received** in the range (still held now;
///   held now and longer than `overdue_days`);
/// - `collected` counts items **collected** in the range, `returned` items returned in it;
/// - `pickupMedianSeconds` and `pickupP90Seconds` are over the items collected in the range:
///   the time from receipt to pickup, in seconds (millisecond precision). The median of an even
///   count is the mean of the two middle values; the 90th percentile is the nearest-rank value
///   (the smallest time at or below which at least 90% of pickups fall). Both are computed in
///   SQL (sort and offset), so the range has no size limit; `null` when nothing was collected.
enum Stats {
    /// `parcels.stats`.
    static let method: Method<ParcelsPlugin> = .read(
        "parcels.stats", "Counts items per kind and pickup times for a date range (the monthly report).",
        zh: "按日期范围统计各类件数和领取用时（月报）。",
        display: DisplayHints(
            list: "kinds", columns: ["kind", "received", "collected", "returned", "stillHeld", "overdue"])
    ) { (plugin, params: StatsParams, context) in
        try report(params, plugin: plugin, context: context)
    }

    /// The counts of one kind.
    struct Counts {
        var received: Int64 = 0
        var collected: Int64 = 0
        var returned: Int64 = 0
        var stillHeld: Int64 = 0
        var overdue: Int64 = 0
    }

    static func report(_ params: StatsParams, plugin: ParcelsPlugin, context: ReadContext<ParcelsPlugin>) throws
        -> JSONValue
    {
        let from = EpochMillis.of(params.from.start)
        let to = EpochMillis.of(params.to.endOfRange)
        let db = context.db
        var counts: [String: Counts] = [:]
        let cutoff = plugin.config.overdueCutoff(now: context.now)
        for row in try db.query(
            """
            SELECT kind, count(*) AS received,
                   coalesce(sum(CASE WHEN \(ParcelStatus.heldSQL) THEN 1 ELSE 0 END), 0) AS held,
                   coalesce(sum(CASE WHEN \(ParcelStatus.heldSQL) AND received_ms < ? THEN 1 ELSE 0 END), 0) AS overdue
            FROM parcels_items WHERE received_ms >= ? AND received_ms < ? GROUP BY kind
            """, [cutoff, from, to])
        {
            let kind = row.string("kind") ?? ""
            counts[kind, default: Counts()].received = row.int("received") ?? 0
            counts[kind, default: Counts()].stillHeld = row.int("held") ?? 0
            counts[kind, default: Counts()].overdue = row.int("overdue") ?? 0
        }
        // The pickups of the range in one pass: counted by kind, and their waits kept to take the
        // median and the 90th percentile from one sort (three sorted scans of the range before).
        var waits: [Int64] = []
        for row in try db.query(
            "SELECT kind, collected_ms - received_ms AS d FROM parcels_items WHERE collected_ms >= ? AND collected_ms < ?",
            [from, to])
        {
            counts[row.string("kind") ?? "", default: Counts()].collected += 1
            waits.append(row.int("d") ?? 0)
        }
        waits.sort()
        for row in try db.query(
            "SELECT kind, count(*) AS n FROM parcels_items WHERE returned_ms >= ? AND returned_ms < ? GROUP BY kind",
            [from, to])
        {
            counts[row.string("kind") ?? "", default: Counts()].returned = row.int("n") ?? 0
        }

        var total = Counts()
        var kinds: [JSONValue] = []
        for kind in ParcelKind.allCases.map(\.rawValue) {
            let count = counts[kind] ?? Counts()
            total.received += count.received
            total.collected += count.collected
            total.returned += count.returned
            total.stillHeld += count.stillHeld
            total.overdue += count.overdue
            kinds.append([
                "kind": .string(kind), "received": .int(count.received), "collected": .int(count.collected),
                "returned": .int(count.returned), "stillHeld": .int(count.stillHeld), "overdue": .int(count.overdue),
            ])
        }

        let pickups = total.collected
        /// The wait at `offset` in ascending order (0-based).
        func duration(at offset: Int64) -> Int64? {
            offset >= 0 && offset < waits.count ? waits[Int(offset)] : nil
        }
        var median: JSONValue = .null
        var p90: JSONValue = .null
        if pickups > 0 {
            let middle: Double
            if pickups % 2 == 1 {
                middle = Double(duration(at: pickups / 2) ?? 0)
            } else {
                let low = duration(at: pickups / 2 - 1) ?? 0
                let high = duration(at: pickups / 2) ?? 0
                middle = Double(low + high) / 2
            }
            median = .double(seconds(middle))
            // Nearest rank: the ceil(0.9 n)-th smallest, 1-based.
            let rank = (pickups * 9 + 9) / 10
            p90 = .double(seconds(Double(duration(at: rank - 1) ?? 0)))
        }
        return [
            "from": .string(Timestamp.format(Date(timeIntervalSince1970: Double(from) / 1000))),
            "to": .string(Timestamp.format(Date(timeIntervalSince1970: Double(to) / 1000))),
            "kinds": .array(kinds),
            "received": .int(total.received), "collected": .int(total.collected), "returned": .int(total.returned),
            "stillHeld": .int(total.stillHeld), "overdue": .int(total.overdue),
            "overdueDays": .int(Int64(plugin.config.overdueDays)),
            "pickupCount": .int(pickups), "pickupMedianSeconds": median, "pickupP90Seconds": p90,
        ] as JSONValue
    }

    /// Milliseconds as seconds, to the millisecond.
    static func seconds(_ milliseconds: Double) -> Double {
        (milliseconds).rounded() / 1000
    }
}

/// The params of `parcels.stats`.
struct StatsParams: MethodParams {
    @Param(
        "Start of the range, inclusive: a date (that day's start) or an ISO 8601 time",
        zh: "开始日期（含当天），如 2026-12-01，也可写到时刻")
    var from: TimeOrDay
    @Param(
        "End of the range: a date (that day included) or an ISO 8601 time (exclusive)",
        zh: "截止日期（含当天），如 2026-12-31；写到时刻则不含该时刻")
    var to: TimeOrDay

    func validate() throws(RPCError) {
        guard to.endOfRange > from.start else {
            throw RPCError.validation(field: "to", "to must be after from").localized("zh", "截止时间须晚于开始时间")
        }
    }
}
