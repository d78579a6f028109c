import ReceptionPluginSDK

/// `parcels.counts`: how many items are at the desk and how many of them are overdue, counted in
/// the held-only index (no row is read): what a shift handover asks, without listing the items.
enum Counts {
    static let countsMethod: Method<ParcelsPlugin> = .read(
        "parcels.counts",
        "Counts the items at the desk (held or notified) and those held longer than the overdue limit.",
        zh: "统计在柜件数（待通知和已通知）及其中超期的件数。", display: DisplayHints(title: "atDesk")
    ) { (plugin, params: CountsParams, context) in
        let days = params.days ?? plugin.config.overdueDays
        let row = try context.db.queryOne(
            """
            SELECT count(*) AS at_desk, coalesce(sum(CASE WHEN received_ms < ? THEN 1 ELSE 0 END), 0) AS overdue
            FROM parcels_items WHERE \(ParcelStatus.heldSQL)
            """, [plugin.config.overdueCutoff(now: context.now, days: days)])
        return [
            "atDesk": .int(row?.int("at_desk") ?? 0), "overdue": .int(row?.int("overdue") ?? 0),
            "days": .int(Int64(days)),
        ] as JSONValue
    }
}

/// `parcels.counts` params.
struct CountsParams: MethodParams {
    @Param(
        "Held longer than this many days counts as overdue (default: the configured overdue_days)",
        zh: "在柜超过几天算超期（默认按配置）", minimum: 0, maximum: 3650)
    var days: Int?
}
