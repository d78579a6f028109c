import ReceptionPluginSDK

/// The utilities desk's words in English and in the Chinese of a mainland property's front desk:
/// its title, its summary, and the title of every member its params and replies carry.
///
/// One entry per member name, whichever method or record has it. `status` labels both a
/// request's states (在柜, 代办中, 待领取, 已领取, 已取消) and a batch's (代办中, 已交回);
/// `utility` labels the default list (电, 燃气, 水): a desk that configures its own keeps the
/// labels it wrote in its config.
extension UtilitiesPlugin {
    /// 代缴预购.
    public static let title: Words? = Words("Utility prepurchase", "代缴预购（电、燃气、水）")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? = "预购电、气、水：代收住户现金和卡，每周交代办人购买，回来后住户凭签字领卡并点清余款。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = [
        // The request.
        "number": Words("Request no.", "登记编号"),
        "unit": Words("Unit", "房号"),
        "payer": Words("Paid by", "交款人"),
        "utility": Words("Utility", "代缴项目", labels: utilityLabels),
        "quantity": Words("Quantity asked", "预购数量"),
        "cash": Words("Cash", "现金"),
        "medium": Words("Card held", "代管卡", choices: Medium.self),
        "mediumRef": Words("Card / meter no.", "卡号/表号"),
        "note": Words("Note", "备注"),
        "status": Words("Status", "状态", labels: statusLabels),
        "batch": Words("Batch", "代办批次"),
        "spent": Words("Spent", "花费"),
        "credited": Words("Credited", "充值数量"),
        "utilityReceipt": Words("Utility's receipt", "缴费收据号"),
        "failed": Words("Purchase failed", "代办失败"),
        "failureReason": Words("Why it failed", "失败原因"),
        "owed": Words("Owed to resident", "应退住户"),
        "paidOut": Words("Paid back", "已退还"),
        "requestedAt": Words("Requested at", "登记时间"),
        "requestedBy": Words("Taken by", "收款经办人"),
        "batchedAt": Words("Handed to agent at", "交代办时间"),
        "returnedAt": Words("Back from agent at", "交回时间"),
        "collectedAt": Words("Collected at", "领取时间"),
        "collectedBy": Words("Collected by", "领取人"),
        "proxy": Words("Proxy collection", "代领"),
        "handedOutBy": Words("Handed out by", "发放经办人"),
        "cancelledAt": Words("Cancelled at", "取消时间"),
        "cancelledBy": Words("Cancelled by", "取消经办人"),
        "cancelReason": Words("Cancel reason", "取消原因"),
        // The batch.
        "agent": Words("Agent", "代办人"),
        "count": Words("Requests", "笔数"),
        "cashOut": Words("Cash handed out", "交出现金"),
        "cashBack": Words("Cash handed back", "交回现金"),
        "createdAt": Words("Handed over at", "交接时间"),
        "createdBy": Words("Handed over by", "交接经办人"),
        "returnedBy": Words("Return taken by", "交回经办人"),
        "requests": Words("Requests", "预购登记"),
        // Params of the methods.
        "reason": Words("Reason", "原因"),
        "numbers": Words("Request nos.", "登记编号"),
        "results": Words("Results", "代办结果"),
        "outcome": Words("Outcome", "结果", choices: PurchaseOutcome.self),
        "from": Words("From", "开始"),
        "to": Words("To", "截止"),
        "limit": Words("At most", "最多条数"),
        "cursor": Words("Page cursor", "翻页标记"),
        "month": Words("Month", "月份"),
        // Members of the replies beside the records.
        "request": Words("Request", "预购登记"),
        "handOver": Words("Cash to count out", "应当面退还"),
        "atDesk": Words("Cash of requests at the desk", "在柜预收款"),
        "cards": Words("Cards held", "代管的卡"),
        "nextCursor": Words("Next page", "下一页"),
        "batches": Words("Batches", "代办批次"),
        // utilities.report.
        "reportDay": Words("Period ends on day", "统计截止日"),
        "utilities": Words("By utility", "分项统计"),
        "total": Words("Total", "合计"),
        "quantityUnit": Words("Unit of quantity", "计量单位"),
        "cancelled": Words("Cancelled", "取消笔数"),
        "refunded": Words("Refunded on cancel", "取消退款"),
        "bought": Words("Bought", "已购笔数"),
        "failures": Words("Failed", "失败笔数"),
        "collected": Words("Collected", "领取笔数"),
        "uncollected": Words("Not yet collected", "未领取笔数"),
        "averageDaysToCollect": Words("Average days to collection", "平均领取天数"),
    ]

    /// The default utilities in both languages (``UtilitiesConfig/defaultUtilities``).
    static var utilityLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [:]
        for utility in UtilitiesConfig.defaultUtilities { labels[utility.name] = (utility.english, utility.chinese) }
        return labels
    }

    /// A request's states and a batch's, in both languages.
    static var statusLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [:]
        for status in RequestStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        for status in BatchStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        return labels
    }
}
