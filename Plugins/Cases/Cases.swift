import Foundation
import ReceptionPluginSDK

/// `cases.open`, `.update`, `.close`, `.get`: a case's life in the reception register.
enum Cases {
    /// The columns worth showing of one case.
    static let columns = [
        "case", "openedAt", "unit", "reporter", "category", "area", "urgency", "status", "description",
    ]
    /// How `daemon.methods` suggests showing one case. A client shows a case's `history` (or,
    /// without one, its `notes`) as a table under it, with the columns after the case's own.
    static let display = DisplayHints(
        title: "case", columns: columns + ["at", "by", "member", "from", "to", "text"], money: Money.payment)
    /// The most notes on one case.
    static let maxNotes = 100

    /// `cases.open`: a resident's report, classified; a service is paid here; an emergency is
    /// announced at once.
    static let openMethod: Method<CasesPlugin> = .write(
        "cases.open",
        "Records what a resident reports (category, for complaints the area, urgency); a service is paid against a receipt now; an emergency is announced to every workstation at once.",
        zh: "登记业主来访、来电等反映的事项（分类；投诉须注明涉及方面；紧急程度）；有偿服务当场按价目表收费开收据；突发事件立即通知所有工作站。",
        display: display, result: CaseRecord.self
    ) { (plugin, params: OpenParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let category = try CasesConfig.member(params.category, of: config.categories, field: "category", chinese: "分类")
        let area = try Cases.checkedArea(params.area, category: category, config: config)
        var record = CaseRecord()
        if category == "service" {
            try Payment.take(params, config: config, into: &record, on: config.zone.day(of: context.now), in: db)
        } else if params.service != nil || params.tendered != nil {
            throw RPCError(
                .validation, "service and tendered are for service cases only (this one is \(category))",
                field: params.service != nil ? "service" : "tendered", details: ["rule": "service_only"]
            ).localized("zh", "只有有偿服务（service）类才填写服务项目和收款金额，此单为“\(category)”")
        }
        let today = config.zone.day(of: context.now)
        record.case = try Numbers.next("CS", on: today, in: db)
        record.channel = params.channel.rawValue
        record.reporter = params.reporter
        record.unit = params.unit
        record.unitKey = try DeskText.requiredUnitKey(params.unit, field: "unit")
        record.contact = params.contact
        record.category = category
        record.area = area
        record.description = params.description
        let urgency = params.urgency ?? .normal
        record.urgency = urgency.rawValue
        record.status = CaseStatus.open.rawValue
        record.notesText = "[]"
        record.historyText = "[]"
        record.openedAt = config.zone.format(context.now)
        record.openedMs = context.stamp.ms
        record.openedBy = context.stamp.by
        record.id = try record.insert(into: db)
        let event = try record.event(in: db)
        try context.emit(.opened, event)
        if urgency == .emergency {
            try context.emit(.emergency, event)
            // The case number and category only: the resident's name, unit and contact stay out of logs.
            context.log.notice("emergency \(record.case) (\(category)) opened: cases.emergency announced")
        }
        return try record.wire(in: db)
    }

    /// `cases.update`: a note, or a reclassification (category, area, urgency) whose old value
    /// is kept in `history`.
    static let updateMethod: Method<CasesPlugin> = .write(
        "cases.update",
        "Adds a note to a case, or reclassifies it (category, area, urgency), keeping the old value in its history.",
        zh: "补充记录，或重新分类（分类、投诉方面、紧急程度），原分类保留在变更记录中。", display: display, result: CaseRecord.self
    ) { (plugin, params: UpdateParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let found = try CaseLookup.existing(params.case, in: db)
        let reclassifies = params.category != nil || params.area != nil || params.urgency != nil
        guard reclassifies || params.note != nil else {
            throw RPCError(
                .validation, "cases.update needs a note, or a new category, area or urgency", field: "note",
                details: ["rule": "nothing_to_update"]
            ).localized("zh", "请填写补充记录，或给出新的分类、投诉方面或紧急程度")
        }
        let at = config.zone.format(context.now)
        var notes = (try? JSONValue.parse(found.notesText))?.arrayValue ?? []
        if let note = params.note {
            guard notes.count < Cases.maxNotes else {
                throw RPCError(
                    .validation, "\(found.case) has \(Cases.maxNotes) notes, the most a case keeps", field: "note",
                    details: ["rule": "max_notes", "maximum": .int(Int64(Cases.maxNotes))]
                ).localized("zh", "\(found.case) 已有 \(Cases.maxNotes) 条补充记录，已达上限")
            }
            notes.append(["at": .string(at), "by": .string(context.stamp.by), "text": .string(note)])
        }
        var history = (try? JSONValue.parse(found.historyText))?.arrayValue ?? []
        var category = found.category
        var area = found.area
        var urgency = found.urgency
        if reclassifies {
            guard found.state != .closed else {
                throw RPCError.invalidState(
                    "cannot reclassify \(found.case): it is closed", details: found.stateDetails
                ).localized("zh", "\(found.case) 已结案，不能重新分类")
            }
            if let wanted = params.category {
                category = try CasesConfig.member(wanted, of: config.categories, field: "category", chinese: "分类")
                guard (category == "service") == (found.category == "service") else {
                    throw RPCError(
                        .validation,
                        "a service case is opened as one, with its payment: \(found.case) cannot become \(category == "service" ? "a service" : category)",
                        field: "category", details: ["rule": "service_payment"]
                    ).localized("zh", "有偿服务须在登记时收费：\(found.case) 不能改为或改出“服务”类")
                }
            }
            if category == "complaint" {
                area = try Cases.checkedArea(params.area ?? area, category: category, config: config)
            } else if params.area != nil {
                _ = try Cases.checkedArea(params.area, category: category, config: config)
            } else {
                area = nil
            }
            urgency = params.urgency?.rawValue ?? urgency
            for (member, old, new) in [
                ("category", found.category, category), ("area", found.area, area), ("urgency", found.urgency, urgency),
            ] as [(String, String?, String?)] where old != new {
                history.append([
                    "at": .string(at), "by": .string(context.stamp.by), "member": .string(member),
                    "from": old.map { .string($0) } ?? .null, "to": new.map { .string($0) } ?? .null,
                ])
            }
        }
        try db.execute(
            "UPDATE cases_cases SET category = ?, area = ?, urgency = ?, notes = ?, history = ? WHERE id = ?",
            [
                category, area, urgency, JSONValue.array(notes).serialized(), JSONValue.array(history).serialized(),
                found.id,
            ])
        let stored = try CaseLookup.stored(id: found.id, in: db)
        let event = try stored.event(in: db)
        try context.emit(.updated, event)
        if urgency == Urgency.emergency.rawValue, found.urgency != urgency {
            try context.emit(.emergency, event)
            context.log.notice("emergency \(stored.case) (\(category)) escalated: cases.emergency announced")
        }
        return try stored.wire(in: db)
    }

    /// `cases.close`: the outcome; for a complaint whether it was judged valid. A complaint,
    /// repair or service gets a callback task.
    static let closeMethod: Method<CasesPlugin> = .write(
        "cases.close",
        "Closes a case with its outcome (a complaint: whether it was valid); complaints, repairs and services get a callback task.",
        zh: "结案：记录处理结果（投诉须判定是否有效）；投诉、报修、有偿服务结案后生成回访任务。", display: display, result: CaseRecord.self
    ) { (plugin, params: CloseParams, context) -> JSONValue in
        let config = plugin.config
        let db = context.db
        let found = try CaseLookup.inState(
            params.case, [.open, .dispatched, .reopened], to: "close", chinese: "结案", in: db)
        if found.category == "complaint" {
            guard params.valid != nil else {
                throw RPCError(
                    .validation, "a complaint is closed with valid: true or false (was it judged valid?)",
                    field: "valid", details: ["rule": "valid_required"]
                ).localized("zh", "投诉结案须判定是否有效（valid: true 或 false）")
            }
        } else if params.valid != nil {
            throw RPCError(
                .validation, "valid is judged for complaints only (\(found.case) is \(found.category))", field: "valid",
                details: ["rule": "complaint_only"]
            ).localized("zh", "只有投诉才判定是否有效，\(found.case) 不是投诉")
        }
        let open = try OrderLookup.open(of: found.case, in: db)
        guard open.isEmpty else {
            let ids = open.map(\.order)
            throw RPCError.invalidState(
                "cannot close \(found.case): work order \(ids.joined(separator: ", ")) is not done",
                details: found.stateDetails.merging(["orders": .array(ids.map { .string($0) })]) { $1 }
            ).localized("zh", "\(found.case) 无法结案：派工单 \(ids.joined(separator: "、")) 尚未完成")
        }
        let at = config.zone.format(context.now)
        try db.execute(
            """
            UPDATE cases_cases SET status = 'closed', outcome = ?, valid = ?, closed_at = ?, closed_ms = ?, closed_by = ?
            WHERE id = ?
            """, [params.outcome, params.valid, at, context.stamp.ms, context.stamp.by, found.id])
        if found.getsCallback {
            try db.execute(
                """
                INSERT INTO cases_callbacks (case_no, status, created_at, created_ms, attempts)
                VALUES (?, 'pending', ?, ?, 0)
                """, [found.case, at, context.stamp.ms])
        }
        let stored = try CaseLookup.stored(id: found.id, in: db)
        try context.emit(.closed, try stored.event(in: db))
        return try stored.wire(in: db)
    }

    /// `cases.get`: one case, with its orders' ids, its callback and its payment.
    static let getMethod: Method<CasesPlugin> = .read(
        "cases.get", "One case, with its work orders, its callback and its payment.", zh: "查询一条接待记录（含派工单、回访和收费）。",
        display: display, result: CaseRecord.self
    ) { (_, params: CaseParams, context) -> JSONValue in
        try CaseLookup.existing(params.case, in: context.db).wire(in: context.db)
    }

    /// `area` checked for a case of `category`: required and configured for a complaint,
    /// refused for anything else.
    static func checkedArea(_ area: String?, category: String, config: CasesConfig) throws(RPCError) -> String? {
        guard category == "complaint" else {
            guard area == nil else {
                throw RPCError(
                    .validation, "area is given for complaints only (this case is \(category))", field: "area",
                    details: ["rule": "complaint_only"]
                ).localized("zh", "只有投诉才填写涉及方面（area）")
            }
            return nil
        }
        guard let area else {
            throw RPCError(
                .validation,
                "a complaint names the area it is about: \(config.areas.joined(separator: ", "))", field: "area",
                details: ["rule": "area_required", "allowed": .array(config.areas.map { .string($0) })]
            ).localized("zh", "投诉须注明涉及方面（area）：\(config.areas.joined(separator: "、"))")
        }
        return try CasesConfig.member(area, of: config.areas, field: "area", chinese: "投诉涉及方面")
    }
}

/// The params of `cases.open`.
struct OpenParams: MethodParams {
    @Param("visit, phone, email, letter or other", zh: "来源：visit 来访、phone 来电、email 邮件、letter 来信、other 其它")
    var channel: Channel
    @Param("Who reports it", zh: "反映人", maxLength: 100) var reporter: String
    @Param("The resident's unit, e.g. 3-2-1201", zh: "房号，如 3-2-1201", maxLength: 64, format: .unit) var unit: String
    @Param(
        "How to reach the reporter (confidential)", zh: "联系方式（保密）", maxLength: 64, private: true) var contact: String?
    @Param(
        "after_sales, repair, complaint, service, praise, suggestion or other (configurable)",
        zh: "分类：after_sales 售后、repair 报修、complaint 投诉、service 服务、praise 表扬、suggestion 建议、other 其它", maxLength: 32,
        text: .verbatim)
    var category: String
    @Param(
        "Complaints: security, cleaning, landscaping, maintenance, mail, renovation, staff_attitude or other",
        zh:
            "投诉涉及方面：security 安保、cleaning 保洁、landscaping 绿化、maintenance 维修、mail 邮件报刊、renovation 装修、staff_attitude 服务态度、other 其它",
        maxLength: 32, text: .verbatim)
    var area: String?
    @Param("What the resident reports", zh: "反映的内容", maxLength: 2000, text: .note) var description: String
    @Param("normal (default), urgent or emergency", zh: "紧急程度：normal 一般（默认）、urgent 紧急、emergency 突发") var urgency:
        Urgency?
    @Param("Services: the price list entry", zh: "有偿服务项目（按价目表）", maxLength: 32, text: .verbatim) var service: String?
    @Param(
        "Services: the cash tendered (at least the price)", zh: "有偿服务：收到的现金（不少于价格）", minimum: 1,
        maximum: Payment.maxTendered, format: .money)
    var tendered: Int64?
}

/// The params of `cases.update`.
struct UpdateParams: MethodParams {
    @Param("The case", zh: "接待记录编号，如 CS20261205-0001", maxLength: 32, text: .code, positional: true) var `case`: String
    @Param("A note to add", zh: "补充记录", maxLength: 1000, text: .note) var note: String?
    @Param("A new category", zh: "新的分类", maxLength: 32, text: .verbatim) var category: String?
    @Param("A new area (complaints)", zh: "新的投诉涉及方面", maxLength: 32, text: .verbatim) var area: String?
    @Param("A new urgency", zh: "新的紧急程度") var urgency: Urgency?
}

/// The params of `cases.close`.
struct CloseParams: MethodParams {
    @Param("The case", zh: "接待记录编号", maxLength: 32, text: .code, positional: true) var `case`: String
    @Param("What was done, what the resident was told", zh: "处理结果", maxLength: 2000, text: .note) var outcome: String
    @Param("Complaints: whether it was judged valid", zh: "投诉是否有效（投诉必填）") var valid: Bool?
}

/// The params naming one case.
struct CaseParams: MethodParams {
    @Param("The case", zh: "接待记录编号，如 CS20261205-0001", maxLength: 32, text: .code, positional: true) var `case`: String
}
