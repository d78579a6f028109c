import Foundation
import ReceptionPluginSDK

/// `visitors.onSite` and `visitors.overstays`: who is inside now; `visitors.get`: one visit.
enum OnSite {
    /// Most visits one list answers (with `more: true` past it).
    static let limit = 1000

    /// `visitors.onSite {"unit"?}`: visitors inside now (on site or staying the night), by unit.
    static let onSiteMethod: Method<VisitorsPlugin> = .read(
        "visitors.onSite", "Who is inside now (on site or registered for the night), by unit; one unit's if named.",
        zh: "当前在访的访客（含留宿登记），按房号排列；可只看一户。",
        display: DisplayHints(title: "visit", list: "visits", columns: Arrivals.columns), result: Visit.self
    ) { (_, params: OnSiteParams, context) -> JSONValue in
        var sql = "SELECT \(Visit.columns) FROM visitors_visits WHERE status IN ('on_site','overnight')"
        var arguments: [any SQLBindable] = []
        if let unit = params.unit {
            sql += " AND host_unit_key = ?"
            arguments.append(try DeskText.requiredUnitKey(unit, field: "unit"))
        }
        sql += " ORDER BY host_unit_key, admitted_ms, id LIMIT ?"
        return try list(sql, arguments + [limit + 1], nowMs: context.nowMs, in: context.db)
    }

    /// `visitors.overstays {}`: visitors on site past their curfew, not registered for the night.
    static let overstaysMethod: Method<VisitorsPlugin> = .read(
        "visitors.overstays",
        "Visitors still on site past the curfew and not registered for the night (the host brings them to the desk).",
        zh: "超过离开时间仍在访、且未办理留宿登记的访客（须由住户带到前台登记）。",
        display: DisplayHints(title: "visit", list: "visits", columns: Arrivals.columns), result: Visit.self
    ) { (_, _: NoParams, context) -> JSONValue in
        try list(
            """
            SELECT \(Visit.columns) FROM visitors_visits
            WHERE status = 'on_site' AND (overstay = 1 OR leave_by_ms <= ?)
            ORDER BY leave_by_ms, host_unit_key, id LIMIT ?
            """, [context.nowMs, limit + 1], nowMs: context.nowMs, in: context.db)
    }

    /// `visitors.get {"visit"}`: one visit, whatever its state.
    static let getMethod: Method<VisitorsPlugin> = .read(
        "visitors.get", "One visit as it stands, with every attempt to reach the host.",
        zh: "查询一条访客登记的当前情况，含每次联系住户的记录。", display: Arrivals.display, result: Visit.self
    ) { (_, params: VisitParams, context) -> JSONValue in
        try VisitLookup.wire(
            try VisitLookup.existing(params.visit, in: context.db), nowMs: context.nowMs, in: context.db)
    }

    /// `{"visits": [...]}` of a query whose last argument is ``limit`` + 1 (`more: true` past it).
    static func list(
        _ sql: String, _ arguments: [any SQLBindable], nowMs: Int64, in db: SQLiteConnection
    ) throws -> JSONValue {
        let visits = Visit.rows(try db.query(sql, arguments))
        var reply: [String: JSONValue] = [
            "visits": .array(try VisitLookup.wire(Array(visits.prefix(limit)), nowMs: nowMs, in: db))
        ]
        if visits.count > limit { reply["more"] = true }
        return .object(reply)
    }
}

/// The params of `visitors.onSite`.
struct OnSiteParams: MethodParams {
    @Param(
        "Only this unit's visitors, in any spelling", zh: "只看这一户，如 3-2-1201 或 3栋2单元1201", maxLength: 64, format: .unit)
    var unit: String?
}
