import Foundation
import ReceptionPluginSDK

/// One entry of the major-incident book (重大(突发)事件处理记录表), as stored and as sent.
/// `informed` is stored as JSON text and sent as the array it is.
struct Incident: Record {
    static let table = "desk_incidents"

    @Column(wire: .hidden) var id: Int64
    @Column("IN20261206-0001") var incident: String
    @Column("security, equipment, official_visit or other") var kind: String
    @Column("What happened") var what: String
    @Column(column: "place") var `where`: String
    @Column(column: "happened_at", format: .dateTime) var when: String
    @Column(column: "happened_ms", wire: .hidden) var whenMs: Int64
    @Column(column: "informed", wire: .hidden) var informedText: String
    @Column("What the desk did") var actions: String
    @Column var followUp: String?
    @Column(format: .dateTime) var recordedAt: String
    @Column var recordedBy: String

    /// The incident on the wire, `informed` an array of `{"who", "at"}`.
    var wire: JSONValue {
        jsonValue(replacing: ["informed": (try? JSONValue.parse(Array(informedText.utf8))) ?? .array([])])
    }
}

/// What kind of major incident.
enum IncidentKind: String, ParamChoice {
    /// A major security incident (theft, fight, intrusion).
    case security
    /// A major equipment failure (power, water, lifts).
    case equipment
    /// A visit by senior officials.
    case officialVisit = "official_visit"
    /// Anything else worth the book.
    case other

    /// The Chinese label.
    var label: String {
        switch self {
        case .security: "重大治安事件"
        case .equipment: "重大设备故障"
        case .officialVisit: "上级领导视察"
        case .other: "其他"
        }
    }
}

/// `desk.incident`, `desk.incidents`: the major-incident book.
enum Incidents {
    /// The columns worth showing of one incident.
    static let columns = ["incident", "kind", "when", "where", "what", "recordedBy"]

    /// `desk.incident`: an entry in the book.
    static let recordMethod: Method<DeskPlugin> = .write(
        "desk.incident",
        "Records a major incident: its kind, what, where and when, who was informed and when, the actions taken and the follow-up.",
        zh: "登记重大（突发）事件：类别、经过、地点、时间、通知了谁及通知时间、处理措施和后续跟进。",
        display: DisplayHints(title: "incident", columns: columns), result: Incident.self
    ) { (plugin, params: IncidentParams, context) in
        guard params.when <= context.now.addingTimeInterval(300) else {
            throw RPCError(
                .validation, "when \(plugin.config.local.format(params.when)) is in the future", field: "when",
                details: ["rule": "not_in_future"]
            ).localized("zh", "事件时间 \(plugin.config.local.format(params.when)) 还没到")
        }
        for (index, person) in params.informed.enumerated() where person.at < params.when {
            throw RPCError(
                .validation,
                "informed[\(index)].at \(plugin.config.local.format(person.at)) is before the incident (\(plugin.config.local.format(params.when)))",
                field: "informed[\(index)].at", details: ["rule": "informed_after_incident"]
            ).localized("zh", "informed[\(index)] 的通知时间早于事件发生时间")
        }
        var incident = Incident()
        incident.incident = try DeskNumbers.next("IN", on: context.today, in: context.db)
        incident.kind = params.kind.rawValue
        incident.what = params.what
        incident.where = params.where
        incident.when = plugin.config.local.format(params.when)
        incident.whenMs = EpochMillis.of(params.when)
        incident.informedText = JSONValue.array(
            params.informed.map { ["who": .string($0.who), "at": .string(plugin.config.local.format($0.at))] }
        ).serialized()
        incident.actions = params.actions
        incident.followUp = params.followUp
        incident.recordedAt = context.stamp.time
        incident.recordedBy = context.stamp.by
        incident.id = try incident.insert(into: context.db)
        try context.emit(.incident, incident.wire)
        return incident.wire
    }

    /// `desk.incidents`: the book, newest incident first.
    static let listMethod: Method<DeskPlugin> = .read(
        "desk.incidents", "Lists the major incidents, newest first, by day range and kind.",
        zh: "查看重大（突发）事件记录，最新的在前，可按日期和类别筛选。",
        display: DisplayHints(title: "incident", list: "incidents", columns: columns), result: Incident.self
    ) { (_, params: IncidentsParams, context) in
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        if let from = params.from {
            conditions.append("happened_ms >= ?")
            arguments.append(EpochMillis.of(from.start(in: context.timeZone)))
        }
        if let to = params.to {
            conditions.append("happened_ms < ?")
            arguments.append(EpochMillis.of(to.adding(days: 1)?.start(in: context.timeZone) ?? context.now))
        }
        if let kind = params.kind {
            conditions.append("kind = ?")
            arguments.append(kind.rawValue)
        }
        if let cursor = params.cursor {
            conditions.append("id < ?")
            arguments.append(try ListCursor.decode(cursor))
        }
        let limit = params.limit ?? 100
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = Incident.rows(
            try context.db.query(
                "SELECT \(Incident.columns) FROM desk_incidents \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments + [limit + 1]))
        let page = rows.prefix(Int(limit))
        let next: JSONValue =
            rows.count > Int(limit) ? page.last.map { .string(ListCursor.encode($0.id)) } ?? .null : .null
        return ["incidents": .array(page.map(\.wire)), "nextCursor": next] as JSONValue
    }
}

/// One person told of an incident.
struct InformedParams: MethodParams {
    @Param("Who was told (the duty manager, the police)", zh: "通知了谁，如值班经理、派出所", maxLength: 100) var who: String
    @Param("When", zh: "通知时间") var at: Date
}

/// The params of `desk.incident`.
struct IncidentParams: MethodParams {
    @Param("What kind of incident", zh: "事件类别") var kind: IncidentKind
    @Param("What happened", zh: "事件经过", maxLength: DeskLimits.text, text: .note) var what: String
    @Param("Where", zh: "地点", maxLength: 200) var `where`: String
    @Param("When it happened", zh: "发生时间") var when: Date
    @Param("Who was informed, and when", zh: "通知了谁及通知时间", maxItems: DeskLimits.informed)
    var informed: [InformedParams]
    @Param("What the desk did", zh: "处理措施", maxLength: DeskLimits.text, text: .note) var actions: String
    @Param("What follows up, and who", zh: "后续跟进", maxLength: DeskLimits.text, text: .note) var followUp: String?
}

/// The params of `desk.incidents`.
struct IncidentsParams: MethodParams {
    @Param("First day (YYYY-MM-DD)", zh: "开始日期") var from: CivilDate?
    @Param("Last day, included (YYYY-MM-DD)", zh: "截止日期（含）") var to: CivilDate?
    @Param("Only this kind", zh: "只看这个类别") var kind: IncidentKind?
    @Param("How many at most (default 100)", zh: "最多几条（默认 100）", minimum: 1, maximum: DeskLimits.maxList)
    var limit: Int64?
    @Param("nextCursor of the previous page", zh: "上一页给出的 nextCursor", maxLength: 32) var cursor: String?
}
