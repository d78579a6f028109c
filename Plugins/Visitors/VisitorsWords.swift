import ReceptionPluginSDK

/// The visitors' desk words in English and in the Chinese of a mainland property's front desk:
/// its title, its summary, and the title of every member its params and replies carry.
///
/// One entry per member name, whichever method or record has it. `status` labels the states of
/// a visit, an announcement, a spare-key entry and a deposited key; `idType` labels the default
/// documents (a property that configures others has `visitors.documents` list their labels).
extension VisitorsPlugin {
    /// 访客登记.
    public static let title: Words? = Words("Visitors", "访客登记")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? =
        "访客登记：查验证件、联系住户、23:00 前送访客离开，留宿的由住户带到前台凭国家签发证件登记。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = [
        // The visit.
        "visit": Words("Visit no.", "访客登记编号"),
        "visits": Words("Visits", "访客"),
        "name": Words("Visitor", "访客姓名"),
        "idType": Words("ID type", "证件类型", labels: documentLabels),
        "idNumber": Words("ID number", "证件号码"),
        "idLast4": Words("ID last 4", "证件号后四位"),
        "idSeen": Words("ID seen", "已查验证件"),
        "idCopied": Words("ID copied", "已复印证件"),
        "hostUnit": Words("Unit visited", "被访房号"),
        "hostName": Words("Host", "被访住户"),
        "purpose": Words("Purpose", "来访事由"),
        "party": Words("Party", "来访人数"),
        "plate": Words("Plate", "车牌号"),
        "expected": Words("Announcement no.", "预约编号"),
        "status": Words("Status", "状态", labels: statusLabels),
        "doorOpenedBy": Words("Door opened by", "开门方式", labels: doorLabels),
        "arrivedAt": Words("Arrived at", "到达时间"),
        "admittedAt": Words("Admitted at", "放行时间"),
        "signedOutAt": Words("Left at", "离开时间"),
        "signedOutBy": Words("Signed out by", "离开登记人"),
        "leaveBy": Words("Leave by", "最晚离开时间"),
        "overstay": Words("Overstaying", "逾时未离开"),
        "overstayAt": Words("Overstay noted at", "逾时记录时间"),
        "registeredBy": Words("Registered by", "登记经办人"),
        "contacts": Words("Attempts to reach the host", "联系住户记录"),
        "channel": Words("Channel", "联系方式", choices: ContactChannel.self),
        "result": Words("Result", "结果", choices: ContactResult.self),
        "by": Words("By", "经办人"),
        "at": Words("At", "时间"),
        "unit": Words("Unit", "房号"),
        "more": Words("More", "还有更多"),
        "announced": Words("Announced", "已通知数"),
        // The night.
        "nights": Words("Nights", "留宿晚数"),
        "nightOf": Words("First night", "留宿起始日"),
        "nightUntil": Words("Stay ends", "留宿结束日"),
        "nightIdType": Words("Night ID type", "留宿证件类型", labels: documentLabels),
        "nightIdLast4": Words("Night ID last 4", "留宿证件号后四位"),
        "hostSigned": Words("Host signed", "住户已签字"),
        "overnightAt": Words("Night registered at", "留宿登记时间"),
        "overnightBy": Words("Night registered by", "留宿登记经办人"),
        "date": Words("Date", "日期"),
        // Announcements.
        "from": Words("From", "预计到访起"),
        "to": Words("Until / handed to", "预计到访止／转交给"),
        "homeDuringVisit": Words("Someone home", "届时家中有人"),
        "instructions": Words("Instructions", "住户交代"),
        "announcedAt": Words("Announced at", "预约登记时间"),
        "announcedBy": Words("Announced by", "预约经办人"),
        // Messages.
        "message": Words("Message", "留言"),
        "messages": Words("Messages", "留言"),
        "text": Words("Message text", "留言内容"),
        "leftAt": Words("Left at", "留言时间"),
        "leftBy": Words("Taken by", "留言经办人"),
        "delivered": Words("Handed over", "已转交"),
        "deliveredAt": Words("Handed over at", "转交时间"),
        "deliveredTo": Words("Handed to", "转交给"),
        "deliveredBy": Words("Handed over by", "转交经办人"),
        "all": Words("All", "全部"),
        // Spare-key entries.
        "entry": Words("Spare-key entry no.", "备用钥匙开门编号"),
        "consentChannel": Words("Consent asked by", "征得同意方式", choices: ContactChannel.self),
        "requestedAt": Words("Asked at", "申请时间"),
        "requestedBy": Words("Asked by", "申请经办人"),
        "letterRef": Words("Letter ref.", "确认函编号"),
        "letterVia": Words("Letter came by", "确认函方式", choices: LetterVia.self),
        "via": Words("Came by", "方式", choices: LetterVia.self),
        "letterAt": Words("Letter in at", "收到确认函时间"),
        "letterBy": Words("Letter taken by", "确认函经办人"),
        "staff": Words("Staff member", "工作人员"),
        "keyOutAt": Words("Key out at", "取钥匙时间"),
        "doorOpenedAt": Words("Door opened at", "开门时间"),
        "keyBackAt": Words("Key back at", "交回钥匙时间"),
        "escortedBy": Words("Escort recorded by", "陪同开门登记人"),
        "lockedUpAt": Words("Locked up at", "锁门时间"),
        "lockedUpBy": Words("Lock-up recorded by", "锁门登记人"),
        "lockUpStaff": Words("Locked up by", "锁门工作人员"),
        // Keys left for visitors.
        "deposit": Words("Deposited key no.", "寄存钥匙编号"),
        "tag": Words("Key tag", "钥匙编号"),
        "hook": Words("Hook", "挂钩"),
        "authorisationRef": Words("Authorisation ref.", "住户授权书编号"),
        "depositedAt": Words("Left at", "寄存时间"),
        "depositedBy": Words("Taken in by", "寄存经办人"),
        "handedOverAt": Words("Handed over at", "交出时间"),
        "handedOverBy": Words("Handed over by", "交出经办人"),
        "visitorSigned": Words("Visitor signed", "访客已签字"),
        "handoverIdType": Words("ID type checked", "交钥匙时核验证件类型", labels: documentLabels),
        "handoverIdLast4": Words("ID last 4 checked", "交钥匙时核验证件后四位"),
        "dueBack": Words("Due back", "应还时间"),
        "keyDeposit": Words("Key deposit", "钥匙押金"),
        // Documents.
        "documents": Words("Documents", "证件类型"),
        "en": Words("English", "英文名称"),
        "zh": Words("Chinese", "中文名称"),
        "overnight": Words("Counts for the night", "可用于留宿登记"),
    ]

    /// The default documents' labels.
    static let documentLabels: [String: (en: String, zh: String)] = Dictionary(
        uniqueKeysWithValues: VisitorsConfig.defaultDocuments.map { ($0.name, (en: $0.en, zh: $0.zh)) })

    /// Who opened the door.
    static let doorLabels: [String: (en: String, zh: String)] = [
        DoorOpener.hostOpened.rawValue: (en: "the host", zh: "住户开门"),
        DoorOpener.deskOpened.rawValue: (en: "the desk", zh: "前台开门"),
        DoorOpener.staffEscorted: (en: "staff with the spare key", zh: "工作人员持备用钥匙开门"),
    ]

    /// The states of visits, announcements, spare-key entries and deposited keys.
    static let statusLabels: [String: (en: String, zh: String)] = {
        var labels: [String: (en: String, zh: String)] = [:]
        for status in VisitStatus.allCases { labels[status.rawValue] = (en: status.englishLabel, zh: status.label) }
        labels["open"] = (en: "expected", zh: "待到访")
        labels["arrived"] = (en: "arrived", zh: "已到访")
        labels["held"] = (en: "held at the desk", zh: "前台保管中")
        labels["handed_over"] = (en: "handed over", zh: "已交给访客")
        for status in SpareKeyStatus.allCases { labels[status.rawValue] = (en: status.englishLabel, zh: status.label) }
        return labels
    }()
}
