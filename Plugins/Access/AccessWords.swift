import ReceptionPluginSDK

/// The access desk's words in English and in the Chinese of a mainland property's front desk:
/// its title, its summary, and the title of every member its params and replies carry (badges,
/// keys and their loans, receipts, ledger entries, reconciliation reports).
///
/// One entry per member name: `status` labels both a badge's states and a key's, `deposit` is
/// 押金 on a badge, a loan and a receipt alike. Kinds of pass come from the config; the three
/// built-in ones are labelled, a configured one shows its name. Document types are free text
/// here, so `idType` has no labels.
extension AccessPlugin {
    /// 门禁与钥匙.
    public static let title: Words? = Words("Passes and keys", "门禁卡与钥匙")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? = "门禁卡与钥匙：办卡、续期、退卡、挂失，收退押金记账，钥匙借还与盘点。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = [
        // A pass.
        "number": Words("Number", "编号"),
        "kind": Words("Kind", "类别", labels: builtInKinds),
        "holder": Words("Holder", "持卡人"),
        "idType": Words("ID type", "证件类型"),
        "idNumber": Words("ID number", "证件号码"),
        "idLast4": Words("ID last 4", "证件号后四位"),
        "unit": Words("Unit", "房号"),
        "photoRef": Words("Photo ref.", "照片编号"),
        "issuedAt": Words("Issued at", "办卡时间"),
        "issuedBy": Words("Issued by", "办卡经办人"),
        "validUntil": Words("Valid until", "有效期至"),
        "status": Words("Status", "状态", labels: statusLabels),
        "fee": Words("Fee", "工本费"),
        "deposit": Words("Deposit", "押金"),
        "depositStatus": Words("Deposit status", "押金状态", choices: DepositStatus.self),
        "feesPaid": Words("Fees paid", "已交费用合计"),
        "leaseRef": Words("Lease ref.", "租赁合同编号"),
        "leaseEnd": Words("Lease ends", "租约到期日"),
        "sponsor": Words("Sponsor", "担保业主"),
        "authorisationRef": Words("Authorisation ref.", "业主授权书编号"),
        "holderIsOwner": Words("Holder is the owner", "持卡人是业主"),
        "renewalCount": Words("Renewals", "续期次数"),
        "renewedAt": Words("Renewed at", "续期时间"),
        "renewedBy": Words("Renewed by", "续期经办人"),
        "returnedAt": Words("Returned at", "归还时间"),
        "returnedBy": Words("Returned by", "退卡经办人"),
        "lostAt": Words("Reported lost at", "挂失时间"),
        "lostBy": Words("Loss recorded by", "挂失经办人"),
        "revokedAt": Words("Revoked at", "注销时间"),
        "revokedBy": Words("Revoked by", "注销经办人"),
        "revokeReason": Words("Revoked because", "注销原因"),
        "expiringWithinDays": Words("Expiring within (days)", "几天内到期"),
        "valid": Words("Valid", "是否有效"),
        "reason": Words("Reason", "原因", labels: verifyReasons),
        // A key and its loan.
        "tag": Words("Key tag", "钥匙编号"),
        "category": Words("Category", "钥匙类别", choices: KeyCategory.self),
        "building": Words("Building", "楼栋"),
        "floor": Words("Floor", "楼层"),
        "room": Words("Room", "房间"),
        "hook": Words("Hook", "挂钩位"),
        "note": Words("Note", "备注"),
        "registeredAt": Words("Registered at", "登记时间"),
        "retiredAt": Words("Retired at", "停用时间"),
        "retireReason": Words("Retired because", "停用原因"),
        "borrower": Words("Borrower", "借用人"),
        "borrowerType": Words("Borrower type", "借用人类别", choices: BorrowerType.self),
        "since": Words("Out since", "借出时间"),
        "dueBack": Words("Due back", "应还时间"),
        "overdue": Words("Overdue", "逾期未还"),
        "lentBy": Words("Lent by", "借出经办人"),
        "receivedBy": Words("Taken back by", "收回经办人"),
        "loan": Words("Loan", "借用记录"),
        // Receipts and the ledger.
        "badge": Words("Pass", "门禁卡"),
        "key": Words("Key", "钥匙"),
        "receipt": Words("Receipt", "收据"),
        "time": Words("Time", "时间"),
        "date": Words("Date", "日期"),
        "operation": Words("For", "业务", choices: ReceiptOperation.self),
        "refund": Words("Deposit refunded", "退还押金"),
        "forfeited": Words("Deposit kept", "没收押金"),
        "total": Words("Total", "合计"),
        "by": Words("Staff", "经办人"),
        "id": Words("Record no.", "记录编号"),
        "type": Words("Type", "款项", choices: LedgerEntryType.self),
        "amount": Words("Amount", "金额"),
        "entries": Words("Entries", "流水"),
        "totals": Words("Totals", "汇总"),
        "receipts": Words("Receipts", "收据张数"),
        "fees": Words("Fees", "收费合计"),
        "deposits": Words("Deposits taken", "收押金合计"),
        "refunds": Words("Deposits refunded", "退押金合计"),
        "cash": Words("Cash", "现金合计"),
        "depositsNet": Words("Deposits held (net)", "押金净额"),
        // access.kinds.
        "kinds": Words("Kinds of pass", "卡类别"),
        "name": Words("Kind", "类别", labels: builtInKinds),
        "renewalFee": Words("Renewal fee", "续期费"),
        "maxValidity": Words("Longest validity", "最长有效期"),
        "months": Words("Months", "月数"),
        "days": Words("Days", "天数"),
        "numberPrefix": Words("Number prefix", "编号前缀"),
        "builtIn": Words("Built in", "系统内置"),
        "refundDepositOnLoss": Words("Deposit refunded on loss", "挂失退押金"),
        "keyDepositMinimum": Words("Smallest key deposit", "借钥匙最低押金"),
        // Reconciliation.
        "counted": Words("Counted", "清点"),
        "registered": Words("On the register", "在册数"),
        "matched": Words("Matched", "相符数"),
        "missing": Words("Missing", "缺失"),
        "unregistered": Words("Not on the register", "未登记"),
        "outOnLoan": Words("Out on loan", "借出中"),
        "outButCounted": Words("Lent but on a hook", "借出却在柜"),
        "duplicates": Words("Counted twice", "重复清点"),
        "balanced": Words("Balanced", "账实相符"),
        "reconciliations": Words("Reconciliations", "盘点记录"),
        // Lists and params.
        "badges": Words("Passes", "门禁卡"),
        "keys": Words("Keys", "钥匙"),
        "more": Words("More to list", "还有更多"),
        "nextCursor": Words("Next page", "下一页"),
        "cursor": Words("Page cursor", "翻页标记"),
        "limit": Words("At most", "最多条数"),
        "from": Words("From", "开始日期"),
        "to": Words("To", "截止日期"),
    ]

    /// The kinds every property has (``BadgeKind/builtIn``); configured kinds show their names.
    static let builtInKinds: [String: (en: String, zh: String)] = [
        "resident": ("Resident", "住户"), "tenant": ("Tenant", "租户"), "contractor": ("Contractor", "装修施工"),
    ]

    /// A kind of pass as a Chinese message names it: `租户`, or a configured kind's own name.
    static func kindInChinese(_ name: String) -> String { builtInKinds[name]?.zh ?? name }

    /// A kind as a Chinese list of choices shows it, with the name to type: `租户（tenant）`.
    static func kindChoiceInChinese(_ name: String) -> String {
        builtInKinds[name].map { "\($0.zh)（\(name)）" } ?? name
    }

    /// A pass's states (``ShownBadgeStatus``) and a key's (``KeyListStatus``): one `status` member
    /// name, two records, no value in common.
    static var statusLabels: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = [:]
        for status in ShownBadgeStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        for status in KeyListStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        return labels
    }

    /// What `access.badges.verify` answers in `reason`: a pass's state, or `unknown`.
    static var verifyReasons: [String: (en: String, zh: String)] {
        var labels: [String: (en: String, zh: String)] = ["unknown": ("unknown", "查无此卡")]
        for status in ShownBadgeStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        return labels
    }
}

/// Where a pass's deposit is (``Badge/depositStatus``): the values the plugin stores.
enum DepositStatus: String, ParamChoice {
    case held, refunded, forfeited
    case noDeposit = "none"

    var label: String {
        switch self {
        case .held: "在押"
        case .refunded: "已退还"
        case .forfeited: "已没收"
        case .noDeposit: "无押金"
        }
    }
}

/// What a receipt was written for (``Receipt/operation``): the values the plugin stores.
enum ReceiptOperation: String, ParamChoice {
    case issue, renew
    case `return`
    case lost, checkout, checkin

    var label: String {
        switch self {
        case .issue: "办卡"
        case .renew: "续期"
        case .return: "退卡"
        case .lost: "挂失"
        case .checkout: "借钥匙"
        case .checkin: "还钥匙"
        }
    }
}

extension Money {
    /// Minor units as a clerk reads them, for Chinese messages: `5000` is `¥50.00`.
    static func yuan(_ fen: Int64) -> String { MoneyText.yuan(fen) }
}
