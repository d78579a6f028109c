import ReceptionPluginSDK

/// The desk log's words in English and in the Chinese of a mainland property's front desk.
extension DeskPlugin {
    /// 前台日志.
    public static let title: Words? = Words("Desk log", "前台日志")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? = "前台日志：交接班记录（附未结事项快照）、失物招领登记、重大（突发）事件记录。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = [
        // Handovers.
        "handover": Words("Handover no.", "交接编号"),
        "handovers": Words("Handovers", "交接班记录"),
        "outgoing": Words("Handed over by", "交班人"),
        "incoming": Words("Taken over by", "接班人"),
        "notes": Words("Notes", "交接事项"),
        "snapshot": Words("Open at handover", "未结事项快照"),
        "handedAt": Words("Handed over at", "交班时间"),
        "recordedBy": Words("Recorded by", "登记人"),
        "status": Words(
            "Status", "状态",
            labels: [
                "open": ("awaiting takeover", "待接班确认"), "acknowledged": ("taken over", "已接班"),
                "held": ("held", "待认领"), "claimed": ("claimed", "已认领"),
            ]),
        "ackedAt": Words("Taken over at", "接班时间"),
        "ackedBy": Words("Taken over by", "接班确认人"),
        "by": Words("Incoming clerk", "接班人"),
        "from": Words("From", "开始日期"),
        "to": Words("To", "截止日期"),
        "limit": Words("At most", "最多条数"),
        "cursor": Words("Page", "翻页标记"),
        "nextCursor": Words("Next page", "下一页"),
        // The snapshot.
        "takenAt": Words("Taken at", "快照时间"),
        "departments": Words("Departments", "已汇总部门"),
        "leftOut": Words("Left out", "未汇总部门"),
        "department": Words("Department", "部门"),
        "reason": Words("Why", "原因"),
        "cases": Words("Cases", "个案"),
        "open": Words("Open", "未结"),
        "openMore": Words("More open", "还有更多未结"),
        "overdueOrders": Words("Overdue work orders", "超时工单"),
        "orders": Words("Work orders", "工单"),
        "parcels": Words("Parcels", "邮件包裹"),
        "held": Words("Held", "在柜待领"),
        "heldMore": Words("More held", "还有更多在柜"),
        "overdue": Words("Overdue", "超期"),
        "overdueMore": Words("More overdue", "还有更多超期"),
        "overdueDays": Words("Overdue after days", "超期天数"),
        "access": Words("Access and keys", "门禁与钥匙"),
        "keysOut": Words("Keys out", "借出钥匙"),
        "keysOverdue": Words("Keys overdue", "逾期未还钥匙"),
        "keys": Words("Keys", "钥匙"),
        "cash": Words("Cash", "现金"),
        "cashSince": Words("Cash since", "现金起算日"),
        "accessSince": Words("Access cash since", "门禁现金起算日"),
        "utilities": Words("Utility prepurchase", "水电气代购"),
        "atDesk": Words("Cash of requests at the desk", "在柜预收款"),
        "owed": Words("Owed to residents", "应退住户款"),
        "cards": Words("Cards held", "代管卡数"),
        "total": Words("Total cash", "现金合计"),
        // Lost and found.
        "found": Words("Found no.", "失物编号"),
        "item": Words("Item", "物品"),
        "items": Words("Items", "物品"),
        "description": Words("Description", "特征描述"),
        "foundWhere": Words("Found at", "拾到地点"),
        "foundAt": Words("Found on", "拾到时间"),
        "foundBy": Words("Found by", "拾到人"),
        "storedWhere": Words("Kept at", "存放位置"),
        "recordedAt": Words("Recorded at", "登记时间"),
        "claimant": Words("Claimed by", "认领人"),
        "idType": Words("Document", "证件类型", choices: ClaimDocument.self),
        "idLast4": Words("Document (last 4)", "证件号后四位"),
        "handedBy": Words("Handed over by", "经手人"),
        "claimedAt": Words("Claimed at", "认领时间"),
        "unclaimedDays": Words("Days unclaimed", "待领天数"),
        "flagged": Words("Unclaimed too long", "超期未领"),
        // Incidents.
        "incident": Words("Incident no.", "事件编号"),
        "incidents": Words("Incidents", "重大事件"),
        "kind": Words("Kind", "类别", choices: IncidentKind.self),
        "what": Words("What happened", "事件经过"),
        "where": Words("Where", "地点"),
        "when": Words("When", "发生时间"),
        "informed": Words("Informed", "已通知"),
        "who": Words("Who", "通知对象"),
        "at": Words("At", "通知时间"),
        "actions": Words("Actions", "处理措施"),
        "followUp": Words("Follow-up", "后续跟进"),
    ]
}
