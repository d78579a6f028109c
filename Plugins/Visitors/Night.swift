import Foundation
import ReceptionPluginSDK

/// The curfew and the night: the minute job that marks overstays (`visitors.sweep`),
/// `visitors.overnight` (the host registers the visitor for the night) and
/// `visitors.overnightList` (the night's list for security).
enum Night {
    /// Most nights one registration covers.
    static let longestStay: Int64 = 30

    /// `visitors.sweep` (role system): the minute job. Marks each visit on site past its curfew
    /// `overstay` and announces it once (`visitors.overstay`).
    static let sweepMethod: Method<VisitorsPlugin> = .write(
        "visitors.sweep",
        "The minute job (the daemon runs it): marks visitors on site past the curfew as overstaying, announcing each once.",
        zh: "每分钟的后台任务（由守护进程执行）：超过离开时间仍在访的访客标为逾时，每人只通知一次。", role: .system
    ) { (_, _: NoParams, context) -> JSONValue in
        let db = context.db
        let late = Visit.rows(
            try db.query(
                """
                SELECT \(Visit.columns) FROM visitors_visits
                WHERE status = 'on_site' AND overstay = 0 AND leave_by_ms <= ?
                ORDER BY leave_by_ms, id LIMIT 500
                """, [context.stamp.ms]))
        for visit in late {
            try db.execute(
                "UPDATE visitors_visits SET overstay = 1, overstay_at = ? WHERE id = ? AND overstay = 0",
                [context.stamp.time, visit.id])
            let stored = try VisitLookup.stored(id: visit.id, in: db)
            try context.emit(.overstay, try VisitLookup.wire(stored, nowMs: context.stamp.ms, in: db))
            context.log.info("visit \(visit.visit): \(visit.name) still at \(visit.hostUnit) past \(visit.leaveBy)")
        }
        return ["announced": .int(Int64(late.count))]
    }

    /// `visitors.overnight`: the host brings the visitor to the desk and signs the temporary
    /// lodging register; only a state-issued document counts.
    static let overnightMethod: Method<VisitorsPlugin> = .write(
        "visitors.overnight",
        "Registers a visitor for the night: the host brings them to the desk, a state-issued document is checked (only its type and last four characters are kept) and the host signs the temporary lodging register.",
        zh: "留宿登记：住户带访客到前台，查验国家签发的证件（只保留证件类型和号码后四位），住户在临时住宿登记簿上签字。",
        display: Arrivals.display, result: Visit.self
    ) { (plugin, params: OvernightParams, context) -> JSONValue in
        let db = context.db
        let document = params.document
        let type = try plugin.config.document(document.type)
        guard type.overnight else {
            let accepted = plugin.config.documents.filter(\.overnight)
            throw RPCError(
                .validation,
                "a night's stay needs a state-issued document (\(accepted.map(\.name).joined(separator: ", "))); a \(type.en) is accepted by day only",
                field: "idType",
                details: [
                    "rule": "state_document_required", "idType": .string(type.name),
                    "accepted": .array(accepted.map { .string($0.name) }),
                ]
            ).localized(
                "zh", "留宿登记须出示国家签发的证件（\(accepted.map(\.zh).joined(separator: "、"))），\(type.zh)只可用于日间来访登记")
        }
        guard params.hostSigned else {
            throw RPCError(
                .validation, "the host must sign the temporary lodging register (hostSigned: true)",
                field: "hostSigned", details: ["rule": "host_signature_required"]
            ).localized("zh", "住户须在临时住宿登记簿上签字")
        }
        let visit = try VisitLookup.inState(
            params.visit, [.onSite], to: "register for the night", chinese: "办理留宿登记", in: db)
        let clock = LocalTime(zone: context.timeZone)
        // The night of D runs from noon on D to noon on D+1: registered at 00:30, the night began the day before.
        let night = clock.day(of: context.now.addingTimeInterval(-12 * 3600))
        guard let until = night.adding(days: Int(params.nights)) else {
            throw RPCError.internalError("no date \(params.nights) nights after \(night)")
        }
        try db.execute(
            """
            UPDATE visitors_visits SET status = 'overnight', nights = ?, night_of = ?, night_until = ?,
                night_id_type = ?, night_id_last4 = ?, host_signed = 1, overnight_at = ?, overnight_by = ?
            WHERE id = ?
            """,
            [
                params.nights, night.description, until.description, document.type, document.last4,
                context.stamp.time, context.stamp.by, visit.id,
            ])
        let reply = try VisitLookup.wire(try VisitLookup.stored(id: visit.id, in: db), nowMs: context.stamp.ms, in: db)
        try context.emit(.overnight, reply)
        context.log.info(
            "visit \(visit.visit): \(visit.name) (\(document.masked)) stays \(params.nights) night(s) at \(visit.hostUnit) from \(night)"
        )
        return reply
    }

    /// `visitors.overnightList {"date"}`: who stays the night of `date`, for security.
    static let overnightListMethod: Method<VisitorsPlugin> = .read(
        "visitors.overnightList", "The visitors registered to stay the night of a date (the list for security).",
        zh: "某日夜间留宿访客名单（交保安）。",
        display: DisplayHints(
            title: "visit", list: "visits",
            columns: [
                "visit", "name", "hostUnit", "hostName", "nights", "nightOf", "nightUntil", "nightIdType", "status",
            ]),
        result: Visit.self
    ) { (_, params: DateParams, context) -> JSONValue in
        let day = params.date.description
        return try OnSite.list(
            """
            SELECT \(Visit.columns) FROM visitors_visits
            WHERE night_of IS NOT NULL AND night_of <= ? AND night_until > ?
            ORDER BY host_unit_key, id LIMIT ?
            """, [day, day, OnSite.limit + 1], nowMs: context.nowMs, in: context.db)
    }
}

/// The params of `visitors.overnight`.
struct OvernightParams: MethodParams {
    @Param("The visit", zh: "访客登记编号", maxLength: 32, text: .code, positional: true) var visit: String
    @Param(
        "A state-issued document: passport, id_card, home_return_permit or taiwan_permit",
        zh: "国家签发的证件：护照、身份证、回乡证、台胞证", maxLength: 32)
    var idType: String
    @Param(
        "The document's number (only its last four characters are kept)", zh: "证件号码（只保留后四位）", maxLength: 32,
        text: .code, private: true)
    var idNumber: String
    @Param("How many nights", zh: "留宿几晚", minimum: 1, maximum: Night.longestStay) var nights: Int64
    @Param("The host signed the temporary lodging register (must be true)", zh: "住户已在临时住宿登记簿上签字（须为 true）")
    var hostSigned: Bool

    func validate() throws(RPCError) { try IdentityDocument.check(number: idNumber) }

    /// The document shown for the night.
    var document: IdentityDocument { IdentityDocument(type: idType, number: idNumber) }
}

/// The params naming a date.
struct DateParams: MethodParams {
    @Param(
        "The night's date (YYYY-MM-DD): the night from that evening to the next morning", zh: "日期（YYYY-MM-DD）：当晚至次日早晨",
        positional: true)
    var date: CivilDate
}
