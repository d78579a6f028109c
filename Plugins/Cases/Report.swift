import ReceptionPluginSDK

/// `cases.report {"month": "2026-12"}`: the month's figures for management, due by the 28th.
///
/// The period ends on `report_day` (default 28); the special services' summary has its own,
/// ending on `services_report_day` (default 30). Each figure counts what happened in the period,
/// days in the daemon's zone:
/// - `byCategory`, `byArea`: cases opened (complaints, for the areas);
/// - `complaints`, `validComplaints`, `validityRate`: complaints closed, those judged valid;
/// - `ordersDue`, `ordersOnTime`, `timelinessRate`: work orders whose due time falls in the
///   period, and those done by it (a delay, even with the resident told, leaves the due time:
///   done after it is late). An order still open whose due time has not come yet is not counted
///   (a report run before the period ends does not call it late); one done early is;
/// - `callbacks`: callback tasks made by closes (`tasks`), those that reached the resident, and
///   the coverage; `satisfaction`: what those residents said, and the share satisfied or better;
/// - `services`: service orders taken (paid when ordered) and their revenue, per service.
/// `lines` has every figure as one row, for `receptionctl cases report --csv`.
enum Report {
    /// `cases.report`.
    static let method: Method<CasesPlugin> = .read(
        "cases.report",
        "The month's figures: cases per category and complaint area, complaint validity and work-order timeliness rates, callbacks and satisfaction, special services.",
        zh: "月报：按分类和投诉方面统计件数，投诉有效率、处理及时率、回访率和满意度，以及有偿服务的单数和收入（统计期截至 28 日，服务截至 30 日）。",
        display: DisplayHints(
            list: "lines", columns: ["section", "item", "count", "of", "rate", "amount"],
            money: Money.report)
    ) { (plugin, params: ReportParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let period = try ReportPeriod(month: params.month, endDay: config.reportDay)
        let (from, to) = period.range(in: config.zone)
        var lines: [JSONValue] = []
        func line(_ section: String, _ item: String, count: Int64, of whole: Int64? = nil, amount: Int64? = nil) {
            lines.append([
                "section": .string(section), "item": .string(item), "count": .int(count),
                "of": whole.map { .int($0) } ?? .null, "rate": whole.map { Rate.of(count, $0) } ?? .null,
                "amount": amount.map { .int($0) } ?? .null,
            ])
        }

        func counts(_ sql: String, _ key: String) throws -> [String: Int64] {
            var found: [String: Int64] = [:]
            for row in try db.query(sql, [from, to]) { found[row.string(key) ?? "", default: 0] = row.int("n") ?? 0 }
            return found
        }
        let categories = try counts(
            "SELECT category, count(*) AS n FROM cases_cases WHERE opened_ms >= ? AND opened_ms < ? GROUP BY category",
            "category")
        let areas = try counts(
            """
            SELECT area, count(*) AS n FROM cases_cases
            WHERE category = 'complaint' AND opened_ms >= ? AND opened_ms < ? GROUP BY area
            """, "area")
        var byCategory: [String: JSONValue] = [:]
        for name in Report.names(config.categories, categories) {
            byCategory[name] = .int(categories[name] ?? 0)
            line("category", name, count: categories[name] ?? 0)
        }
        var byArea: [String: JSONValue] = [:]
        for name in Report.names(config.areas, areas) {
            byArea[name] = .int(areas[name] ?? 0)
            line("area", name, count: areas[name] ?? 0)
        }

        let complaints = try db.queryOne(
            """
            SELECT count(*) AS n, coalesce(sum(CASE WHEN valid = 1 THEN 1 ELSE 0 END), 0) AS valid FROM cases_cases
            WHERE category = 'complaint' AND status = 'closed' AND closed_ms >= ? AND closed_ms < ?
            """, [from, to])
        let closed = complaints?.int("n") ?? 0
        let valid = complaints?.int("valid") ?? 0
        line("complaints", "valid", count: valid, of: closed)

        let orders = try db.queryOne(
            """
            SELECT count(*) AS n,
                   coalesce(sum(CASE WHEN status = 'done' AND done_ms <= due_ms THEN 1 ELSE 0 END), 0) AS on_time
            FROM cases_orders WHERE due_ms >= ? AND due_ms < ? AND (status = 'done' OR due_ms < ?)
            """, [from, to, context.nowMs])
        let due = orders?.int("n") ?? 0
        let onTime = orders?.int("on_time") ?? 0
        line("orders", "on_time", count: onTime, of: due)

        let calls = try db.queryOne(
            """
            SELECT count(*) AS n, coalesce(sum(CASE WHEN reached = 1 THEN 1 ELSE 0 END), 0) AS reached
            FROM cases_callbacks WHERE created_ms >= ? AND created_ms < ?
            """, [from, to])
        let tasks = calls?.int("n") ?? 0
        let reached = calls?.int("reached") ?? 0
        line("callbacks", "reached", count: reached, of: tasks)
        let said = try counts(
            """
            SELECT satisfaction, count(*) AS n FROM cases_callbacks
            WHERE reached = 1 AND created_ms >= ? AND created_ms < ? GROUP BY satisfaction
            """, "satisfaction")
        var satisfaction: [String: JSONValue] = [:]
        for level in Satisfaction.allCases {
            satisfaction[level.rawValue] = .int(said[level.rawValue] ?? 0)
            line("satisfaction", level.rawValue, count: said[level.rawValue] ?? 0, of: reached)
        }
        let pleased = (said[Satisfaction.verySatisfied.rawValue] ?? 0) + (said[Satisfaction.satisfied.rawValue] ?? 0)
        satisfaction["satisfiedRate"] = Rate.of(pleased, reached)
        line("satisfaction", "satisfied_or_better", count: pleased, of: reached)

        let servicePeriod = try ReportPeriod(month: params.month, endDay: config.servicesReportDay)
        let (serviceFrom, serviceTo) = servicePeriod.range(in: config.zone)
        var perService: [String: (orders: Int64, revenue: Int64)] = [:]
        for row in try db.query(
            """
            SELECT service, count(*) AS n, coalesce(sum(amount), 0) AS revenue FROM cases_cases
            WHERE category = 'service' AND receipt IS NOT NULL AND opened_ms >= ? AND opened_ms < ? GROUP BY service
            """, [serviceFrom, serviceTo])
        {
            perService[row.string("service") ?? ""] = (row.int("n") ?? 0, row.int("revenue") ?? 0)
        }
        var byService: [JSONValue] = []
        var serviceOrders: Int64 = 0
        var revenue: Int64 = 0
        for name in Report.names(config.services.map(\.name), perService) {
            let figures = perService[name] ?? (0, 0)
            serviceOrders += figures.orders
            revenue += figures.revenue
            byService.append([
                "service": .string(name), "orders": .int(figures.orders), "revenue": .int(figures.revenue),
            ])
            line("services", name, count: figures.orders, amount: figures.revenue)
        }
        line("services", "total", count: serviceOrders, amount: revenue)

        return [
            "month": .string(params.month), "period": period.json, "byCategory": .object(byCategory),
            "byArea": .object(byArea), "complaints": .int(closed), "validComplaints": .int(valid),
            "validityRate": Rate.of(valid, closed), "ordersDue": .int(due), "ordersOnTime": .int(onTime),
            "timelinessRate": Rate.of(onTime, due),
            "callbacks": ["tasks": .int(tasks), "reached": .int(reached), "coverageRate": Rate.of(reached, tasks)],
            "satisfaction": .object(satisfaction),
            "services": [
                "period": servicePeriod.json, "orders": .int(serviceOrders), "revenue": .int(revenue),
                "byService": .array(byService),
            ],
            "lines": .array(lines),
        ]
    }

    /// The configured names in their order, then any other name with stored figures (one no
    /// longer configured still counts), sorted.
    static func names<Value>(_ configured: [String], _ found: [String: Value]) -> [String] {
        configured + found.keys.filter { !configured.contains($0) }.sorted()
    }
}

/// The params of `cases.report`.
struct ReportParams: MethodParams {
    @Param(
        "The month, YYYY-MM (its period ends on report_day, the 28th)", zh: "月份，如 2026-12（统计期截至本月 28 日）",
        maxLength: 7, text: .verbatim, positional: true)
    var month: String
}
