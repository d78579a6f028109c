import ReceptionPluginSDK

/// The parcels desk's words in English and in the Chinese of a mainland property's front desk:
/// its title, its summary, and the title of every member its params and replies carry.
///
/// One entry per member name, whichever method or record has it: `code` is 取件码 in
/// `parcels.pickup`'s params and in every item alike. A member whose values are a fixed set
/// (`status`, `kind`, `condition`, `channel`) labels them from its enum; `idType` labels the
/// documents of the default list (a desk that configures its own keeps the values it typed).
extension ParcelsPlugin {
    /// 邮件包裹.
    public static let title: Words? = Words("Mail and parcels", "邮件包裹")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? = "邮件包裹：签收登记、通知收件人、凭取件码和证件签字领取。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = [
        // The item.
        "id": Words("Record no.", "记录编号"),
        "code": Words("Pickup code", "取件码"),
        "codes": Words("Pickup codes", "取件码"),
        "kind": Words("Kind", "类型", choices: ParcelKind.self),
        "recipient": Words("Recipient", "收件人"),
        "recipients": Words("Recipients", "收件人"),
        "query": Words("Name or part of it", "姓名或其中的字"),
        "unit": Words("Unit", "房号"),
        "carrier": Words("Carrier", "快递公司"),
        "tracking": Words("Tracking no.", "运单号"),
        "condition": Words("Condition", "包装状况", choices: ParcelCondition.self),
        "damageNote": Words("Damage", "破损说明"),
        "shelf": Words("Shelf", "货架"),
        "note": Words("Note", "备注"),
        "status": Words("Status", "状态", choices: ListStatus.self),
        "receivedAt": Words("Received at", "签收时间"),
        "receivedBy": Words("Received by", "签收人"),
        "notifiedAt": Words("Notified at", "通知时间"),
        "notifiedBy": Words("Notified by", "通知人"),
        "notifyChannel": Words("Notified by way of", "通知方式", choices: NotifyChannel.self),
        "notifyCount": Words("Times notified", "通知次数"),
        "remindedAt": Words("Reminded at", "催领时间"),
        "reminderCount": Words("Reminders", "催领次数"),
        "collectedAt": Words("Collected at", "领取时间"),
        "collectedBy": Words("Collected by", "领取人"),
        "proxy": Words("Proxy pickup", "代领"),
        "idType": Words("ID type", "证件类型", labels: idTypeLabels),
        "idLast4": Words("ID last 4", "证件号后四位"),
        "handedOutBy": Words("Handed out by", "发放经办人"),
        "returnedAt": Words("Returned at", "退回时间"),
        "returnReason": Words("Return reason", "退回原因"),
        "returnedBy": Words("Returned by", "退回经办人"),
        "notifierError": Words("Notice failed", "通知发送失败原因"),
        // Params of the methods.
        "channel": Words("Told by way of", "通知方式", choices: NotifyChannel.self),
        "by": Words("Staff", "经办人"),
        "reason": Words("Reason", "原因"),
        "from": Words("From", "开始"),
        "to": Words("To", "截止"),
        "days": Words("Days", "天数"),
        "limit": Words("At most", "最多条数"),
        "cursor": Words("Page cursor", "翻页标记"),
        "notificationId": Words("Notification no.", "通知编号"),
        "ok": Words("Succeeded", "是否成功"),
        "error": Words("Error", "错误信息"),
        // Members of the replies beside the item.
        "items": Words("Items", "邮件包裹"),
        "more": Words("More to list", "还有更多"),
        "nextCursor": Words("Next page", "下一页"),
        "daysWaiting": Words("Days waiting", "滞留天数"),
        "atDesk": Words("At the desk", "在柜件数"),
        "changes": Words("Changes", "修改内容"),
        "old": Words("Before", "原值"),
        "new": Words("After", "新值"),
        "recorded": Words("Recorded", "已记录"),
        // parcels.stats.
        "kinds": Words("By kind", "分类统计"),
        "received": Words("Received", "签收件数"),
        "collected": Words("Collected", "领取件数"),
        "returned": Words("Returned", "退回件数"),
        "stillHeld": Words("Still at the desk", "仍在柜件数"),
        "overdue": Words("Overdue", "超期件数"),
        "overdueDays": Words("Overdue after (days)", "超期天数标准"),
        "pickupCount": Words("Pickups", "领取次数"),
        "pickupMedianSeconds": Words("Median wait (s)", "领取等待中位数（秒）"),
        "pickupP90Seconds": Words("90% collected within (s)", "九成领取用时（秒）"),
    ]

    /// The documents of the default list (``ParcelsConfig/defaultIDTypes``) in both languages:
    /// the Chinese is the list's own label, so the two never disagree.
    static var idTypeLabels: [String: (en: String, zh: String)] {
        let english: [String: String] = [
            "id_card": "Resident ID card", "passport": "Passport", "residence_permit": "Residence permit",
            "driving_licence": "Driving licence", "hk_macao_permit": "Hong Kong/Macao travel permit",
            "taiwan_permit": "Taiwan travel permit",
            "foreign_permanent_resident_card": "Foreign permanent resident card",
            "other": "Other document",
        ]
        var labels: [String: (en: String, zh: String)] = [:]
        for (value, chinese) in ParcelsConfig.defaultIDTypes {
            labels[value] = (english[value] ?? value.replacingOccurrences(of: "_", with: " "), chinese)
        }
        return labels
    }
}
