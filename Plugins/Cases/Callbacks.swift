import ReceptionPluginSDK

/// `cases.callback`: the call back to the resident (回访) after a complaint, repair or service
/// is closed. Reached or not; when reached, how satisfied; `dissatisfied` reopens the case.
enum Callbacks {
    /// `cases.callback`.
    static let method: Method<CasesPlugin> = .write(
        "cases.callback",
        "Records the callback to the resident: reached or not, how satisfied, comments; dissatisfied reopens the case.",
        zh: "登记回访：是否联系上、满意程度、意见；不满意则重开该记录。", display: Cases.display, result: CaseRecord.self
    ) { (plugin, params: CallbackParams, context) -> JSONValue in
        let db = context.db
        let found = try CaseLookup.existing(params.case, in: db)
        guard let task = try CallbackLookup.latest(of: found.case, in: db),
            task.status == CallbackStatus.pending.rawValue
        else {
            throw RPCError.invalidState(
                "\(found.case) has no callback to make: a closed complaint, repair or service gets one, once",
                details: found.stateDetails
            ).localized("zh", "\(found.case) 没有待回访任务：投诉、报修、有偿服务结案后各回访一次")
        }
        if params.reached {
            guard params.satisfaction != nil else {
                throw RPCError(
                    .validation,
                    "a callback that reached the resident records how satisfied they are: very_satisfied, satisfied, neutral or dissatisfied",
                    field: "satisfaction", details: ["rule": "satisfaction_required"]
                ).localized("zh", "联系上业主的回访须记录满意程度：非常满意、满意、一般或不满意")
            }
        } else if params.satisfaction != nil {
            throw RPCError(
                .validation, "satisfaction is recorded only when the resident was reached", field: "satisfaction",
                details: ["rule": "reached_only"]
            ).localized("zh", "未联系上业主，不能记录满意程度")
        }
        let at = plugin.config.zone.format(context.now)
        try db.execute(
            """
            UPDATE cases_callbacks SET status = ?, attempts = attempts + 1, reached = ?, satisfaction = ?, comments = ?,
                called_at = ?, called_ms = ?, called_by = ?
            WHERE id = ?
            """,
            [
                params.reached ? "done" : "pending", params.reached, params.satisfaction?.rawValue, params.comments, at,
                context.stamp.ms, context.stamp.by, task.id,
            ])
        let reopens = params.satisfaction == .dissatisfied
        if reopens {
            try db.execute(
                """
                UPDATE cases_cases SET status = 'reopened', valid = NULL, closed_at = NULL, closed_ms = NULL,
                    closed_by = NULL
                WHERE id = ?
                """, [found.id])
        }
        let stored = try CaseLookup.stored(id: found.id, in: db)
        let event = try stored.event(in: db)
        try context.emit(.callbackRecorded, event)
        if reopens { try context.emit(.reopened, event) }
        return try stored.wire(in: db)
    }
}

/// The params of `cases.callback`.
struct CallbackParams: MethodParams {
    @Param("The case", zh: "接待记录编号", maxLength: 32, text: .code, positional: true) var `case`: String
    @Param("Whether the resident was reached", zh: "是否联系上业主") var reached: Bool
    @Param(
        "very_satisfied, satisfied, neutral or dissatisfied (when reached)",
        zh: "满意程度：very_satisfied 非常满意、satisfied 满意、neutral 一般、dissatisfied 不满意（联系上时填写）")
    var satisfaction: Satisfaction?
    @Param("What the resident said", zh: "业主意见", maxLength: 1000, text: .note) var comments: String?
}
