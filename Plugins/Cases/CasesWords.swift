import ReceptionPluginSDK

/// The cases department's words in English and in the Chinese of a mainland property's front
/// desk: its title, its summary, and the title of every member its params and replies carry,
/// with the labels of their values.
///
/// One entry per member name, whichever method or record has it. `status` labels a case's states
/// (待处理, 已派工, 已结案, 已重开), a work order's (已派出, 已签收, 已完成, 已返工) and a callback's
/// (待回访). The default categories, areas, departments and services are labelled; a desk that
/// configures its own names keeps them as written. The report's `byCategory`, `byArea` and
/// `satisfaction` are keyed by those names, so each default name is a member here too.
extension CasesPlugin {
    /// 业主接待记录.
    public static let title: Words? = Words("Front-desk cases", "业主接待与投诉报修")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? =
        "业主接待记录：来访来电登记分类（售后、报修、投诉、服务、表扬、建议、其它），派工跟进时限，有偿服务当场收费，结案回访，月度统计投诉有效率和处理及时率。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = {
        var words: [String: Words] = [
            // The case.
            "case": Words("Case no.", "接待编号"),
            "cases": Words("Cases", "接待记录"),
            "channel": Words("Channel", "来源", choices: Channel.self),
            "reporter": Words("Reported by", "反映人"),
            "unit": Words("Unit", "房号"),
            "contact": Words("Contact", "联系方式"),
            "category": Words("Category", "分类", labels: categoryLabels),
            "area": Words("Area", "投诉涉及方面", labels: areaLabels),
            "description": Words("Report", "反映内容"),
            "urgency": Words("Urgency", "紧急程度", choices: Urgency.self),
            "status": Words("Status", "状态", labels: statusLabels),
            "valid": Words("Valid complaint", "投诉有效"),
            "outcome": Words("Outcome", "处理结果"),
            "openedAt": Words("Opened at", "登记时间"),
            "openedBy": Words("Taken by", "接待人"),
            "closedAt": Words("Closed at", "结案时间"),
            "closedBy": Words("Closed by", "结案经办人"),
            "workOrders": Words("Work orders", "派工单"),
            "notes": Words("Notes", "补充记录"),
            "note": Words("Note", "补充记录"),
            "text": Words("Text", "内容"),
            "history": Words("Reclassified", "分类变更记录"),
            "member": Words("Changed", "变更项"),
            "at": Words("At", "时间"),
            "by": Words("By", "经办人"),
            "from": Words("From", "从"),
            "to": Words("To", "到"),
            // Services and payment.
            "service": Words("Service", "服务项目", labels: serviceLabels),
            "payment": Words("Payment", "收费"),
            "receipt": Words("Receipt no.", "收据号"),
            "amount": Words("Amount", "金额"),
            "tendered": Words("Cash tendered", "实收现金"),
            "change": Words("Change", "找零"),
            // Work orders.
            "order": Words("Work order", "派工单号"),
            "orders": Words("Orders", "工单"),
            "department": Words("Department", "接单部门", labels: departmentLabels),
            "due": Words("Due", "完成时限"),
            "sentAt": Words("Sent at", "派工时间"),
            "sentBy": Words("Sent by", "派工人"),
            "ackBy": Words("Signed for by", "签收人"),
            "ackAt": Words("Signed for at", "签收时间"),
            "doneAt": Words("Done at", "完成时间"),
            "doneBy": Words("Done by", "完成人"),
            "work": Words("Work done", "完成工作"),
            "delays": Words("Delays", "延期记录"),
            "reason": Words("Reason", "原因"),
            "newDue": Words("New due time", "新的完成时间"),
            "residentTold": Words("Resident told", "已向业主致歉说明"),
            "reopenReason": Words("Sent out again because", "返工原因"),
            "late": Words("Late", "超时"),
            "overdue": Words("Overdue only", "只看超时"),
            "all": Words("Done ones too", "含已完成"),
            "announced": Words("Overdue announced", "超时通知数"),
            // Callbacks.
            "callback": Words("Callback", "回访"),
            "callbacks": Words("Callbacks", "回访"),
            "callbackPending": Words("Callback to make", "待回访"),
            "open": Words("Not closed", "未结案"),
            "createdAt": Words("Due since", "生成时间"),
            "attempts": Words("Calls made", "回访次数"),
            "reached": Words("Reached", "联系上"),
            "satisfaction": Words("Satisfaction", "满意程度", choices: Satisfaction.self),
            "comments": Words("Comments", "业主意见"),
            "calledAt": Words("Called at", "回访时间"),
            "calledBy": Words("Called by", "回访人"),
            // Lists.
            "cursor": Words("Page cursor", "翻页标记"),
            "nextCursor": Words("Next page", "下一页"),
            "limit": Words("At most", "最多条数"),
            // cases.report.
            "month": Words("Month", "月份"),
            "period": Words("Period", "统计期"),
            "byCategory": Words("By category", "按分类"),
            "byArea": Words("Complaints by area", "投诉按方面"),
            "complaints": Words("Complaints closed", "结案投诉数"),
            "validComplaints": Words("Valid complaints", "有效投诉数"),
            "validityRate": Words("Complaint validity rate", "投诉有效率"),
            "ordersDue": Words("Work orders due", "到期派工单数"),
            "ordersOnTime": Words("Done on time", "按时完成数"),
            "timelinessRate": Words("Timeliness rate", "处理及时率"),
            "tasks": Words("Callbacks due", "应回访数"),
            "coverageRate": Words("Callback coverage", "回访率"),
            "satisfiedRate": Words("Satisfied or better", "满意率"),
            "services": Words("Special services", "有偿服务"),
            "byService": Words("By service", "按服务项目"),
            "revenue": Words("Revenue", "收入"),
            "lines": Words("Figures", "统计明细"),
            "section": Words("Section", "统计项", labels: sectionLabels),
            "item": Words("Item", "明细", labels: itemLabels),
            "count": Words("Count", "数量"),
            "of": Words("Out of", "总数"),
            "rate": Words("Rate", "比率"),
        ]
        // The report's objects are keyed by the default names: each is a member too.
        for labels in [categoryLabels, areaLabels, satisfactionLabels] {
            for (name, label) in labels where words[name] == nil { words[name] = Words(label.en, label.zh) }
        }
        return words
    }()

    /// The default categories (售后 报修 投诉 服务 表扬 建议 其它).
    static let categoryLabels: [String: (en: String, zh: String)] = [
        "after_sales": ("after-sales defect", "售后"), "repair": ("repair", "报修"), "complaint": ("complaint", "投诉"),
        "service": ("special service", "服务"), "praise": ("praise", "表扬"), "suggestion": ("suggestion", "建议"),
        "other": ("other", "其它"),
    ]

    /// The default complaint areas.
    static let areaLabels: [String: (en: String, zh: String)] = [
        "security": ("security", "安保"), "cleaning": ("cleaning", "保洁"), "landscaping": ("landscaping", "绿化"),
        "maintenance": ("maintenance", "维修"), "mail": ("mail and newspapers", "邮件报刊"),
        "renovation": ("renovation", "装修"), "staff_attitude": ("staff attitude", "服务态度"), "other": ("other", "其它"),
    ]

    /// The default departments.
    static let departmentLabels: [String: (en: String, zh: String)] = [
        "engineering": ("engineering", "工程部"), "security": ("security", "保安部"), "cleaning": ("cleaning", "保洁部"),
        "landscaping": ("landscaping", "绿化部"), "after_sales": ("after-sales team", "开发商售后"),
    ]

    /// The default price list.
    static var serviceLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [:]
        for service in CasesConfig.defaultServices { labels[service.name] = (service.english, service.chinese) }
        return labels
    }

    /// What the residents say on a callback.
    static var satisfactionLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [:]
        for level in Satisfaction.allCases { labels[level.rawValue] = (level.englishLabel, level.label) }
        return labels
    }

    /// A case's, a work order's and a callback's states.
    static var statusLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [:]
        // An order's `reopened` (已返工) reads as the case's (已重开): one member, one label per value.
        for status in OrderStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        for status in CaseStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        labels["pending"] = ("to call back", CallbackStatus.pending.label)
        return labels
    }

    /// The sections of the report's lines.
    static let sectionLabels: [String: (en: String, zh: String)] = [
        "category": ("by category", "按分类"), "area": ("complaints by area", "投诉按方面"),
        "complaints": ("complaint validity", "投诉有效率"), "orders": ("timeliness", "处理及时率"),
        "callbacks": ("callback coverage", "回访率"), "satisfaction": ("satisfaction", "满意度"),
        "services": ("special services", "有偿服务"),
    ]

    /// The items of the report's lines: the names above and the figures' own.
    static var itemLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [
            "valid": ("valid", "有效"), "on_time": ("done on time", "按时完成"), "reached": ("reached", "联系上"),
            "satisfied_or_better": ("satisfied or better", "满意及以上"), "total": ("total", "合计"),
        ]
        for source in [categoryLabels, areaLabels, serviceLabels, satisfactionLabels] {
            for (name, label) in source where labels[name] == nil { labels[name] = label }
        }
        return labels
    }
}
