import ReceptionPluginSDK

/// The meeting rooms' words in English and in the Chinese of a mainland property's front desk:
/// its title, its summary, and the title of every member its params and replies carry.
///
/// One entry per member name, whichever method or record has it. `status` labels a booking's
/// states (已预订, 进行中, 已结束, 已取消), a room's (启用, 停用) and a task's (待办, 已完成).
extension MeetingsPlugin {
    /// 会议室.
    public static let title: Words? = Words("Meeting rooms", "会议室预订与会务")

    /// ``summary`` in Chinese.
    public static let chineseSummary: String? = "会议室预订：登记预订、按时做好会前准备、会后结算费用并跟进发票和到账。"

    /// Every member of the department's params and replies, by name.
    public static let glossary: [String: Words] = [
        // The room.
        "room": Words("Room", "会议室"),
        "name": Words("Name", "名称"),
        "floor": Words("Floor", "楼层"),
        "capacity": Words("Seats", "容纳人数"),
        "equipment": Words("Equipment", "设备", labels: equipmentLabels),
        "hourlyFee": Words("Fee per hour", "每小时收费"),
        "hours": Words("Opening hours", "开放时间"),
        "mon": Words("Monday", "周一"),
        "tue": Words("Tuesday", "周二"),
        "wed": Words("Wednesday", "周三"),
        "thu": Words("Thursday", "周四"),
        "fri": Words("Friday", "周五"),
        "sat": Words("Saturday", "周六"),
        "sun": Words("Sunday", "周日"),
        "status": Words("Status", "状态", labels: statusLabels),
        "definedAt": Words("Defined at", "登记时间"),
        "definedBy": Words("Defined by", "登记人"),
        "retiredAt": Words("Retired at", "停用时间"),
        "retiredBy": Words("Retired by", "停用经办人"),
        "rooms": Words("Rooms", "会议室"),
        // The booking.
        "booking": Words("Booking no.", "预订编号"),
        "bookings": Words("Bookings", "预订"),
        "title": Words("Meeting", "会议名称"),
        "organiser": Words("Organiser", "预订单位"),
        "contact": Words("Contact", "联系人"),
        "phone": Words("Phone", "联系电话"),
        "start": Words("Start", "开始时间"),
        "end": Words("End", "结束时间"),
        "attendees": Words("Attendees", "参会人数"),
        "class": Words("Class", "会议类别", choices: MeetingClass.self),
        "av": Words("AV needed", "需要音视频"),
        "notes": Words("Notes", "备注"),
        "series": Words("Series", "重复预订系列"),
        "bookedAt": Words("Booked at", "预订时间"),
        "bookedBy": Words("Booked by", "预订经办人"),
        "startedAt": Words("Started at", "实际开始"),
        "endedAt": Words("Ended at", "实际结束"),
        "cancelledAt": Words("Cancelled at", "取消时间"),
        "cancelledBy": Words("Cancelled by", "取消经办人"),
        "cancelReason": Words("Cancel reason", "取消原因"),
        "reason": Words("Reason", "原因"),
        "repeat": Words("Repeat", "重复预订"),
        "every": Words("Every", "重复周期", choices: RepeatEvery.self),
        "count": Words("Meetings", "场次"),
        "until": Words("Until", "截止日期"),
        "from": Words("From", "开始时间"),
        "to": Words("To", "结束时间"),
        "date": Words("Date", "日期"),
        // Fees.
        "fee": Words("Fee", "结算"),
        "feeTotal": Words("Fee", "结算金额"),
        "lines": Words("Fee lines", "费用明细"),
        "item": Words("Item", "项目"),
        "quantity": Words("Quantity", "数量"),
        "unitPrice": Words("Unit price", "单价"),
        "amount": Words("Amount", "金额"),
        "total": Words("Total", "合计"),
        "extras": Words("Extras", "其他费用"),
        "signedBy": Words("Signed by", "签字人"),
        "settledAt": Words("Settled at", "结算时间"),
        "invoice": Words("Invoice no.", "发票号码"),
        "paidAt": Words("Paid at", "到账时间"),
        "closedFrom": Words("Room closed from", "会议室封闭起始"),
        "ageDays": Words("Days outstanding", "已过天数"),
        // Tasks.
        "task": Words("Task", "任务编号"),
        "tasks": Words("Tasks", "准备任务"),
        "kind": Words("Task", "任务", labels: kindLabels),
        "team": Words("Team", "班组", labels: teamLabels),
        "due": Words("Due", "应完成时间"),
        "overdue": Words("Overdue", "超时"),
        "doneAt": Words("Done at", "完成时间"),
        "doneBy": Words("Done by", "完成人"),
        "note": Words("Note", "备注"),
        "closing": Words("Bookings to move (room closed)", "需调整的预订（会议室已封闭）"),
        "announced": Words("Overdue announced", "超时通知数"),
        "opened": Words("Opening tasks made", "开门任务数"),
    ]

    /// Every status a booking, a room or a task has.
    static let statusLabels: [String: (en: String, zh: String)] = {
        var labels: [String: (en: String, zh: String)] = [
            "active": ("active", "启用"), "retired": ("retired", "停用"), "open": ("to do", "待办"), "done": ("done", "已完成"),
        ]
        for status in BookingStatus.allCases { labels[status.rawValue] = (status.englishLabel, status.label) }
        return labels
    }()

    /// The equipment the desk names most.
    static let equipmentLabels: [String: (en: String, zh: String)] = [
        "projector": ("projector", "投影仪"), "audio": ("sound", "音响"), "video_conference": ("video conference", "视频会议"),
        "whiteboard": ("whiteboard", "白板"),
    ]

    /// The kinds of task.
    static let kindLabels: [String: (en: String, zh: String)] = [
        "tea": ("tea ready", "备茶水"), "room_check": ("room check", "检查灯光空调设备"),
        "av_sheet": ("AV sheet to technicians", "设备单送音视频组"), "av_check": ("AV check", "音视频设备调试"),
        "materials": ("materials signed and bought", "材料清单签字及采购"),
        "setup": ("banner, flowers, name cards, room closed", "横幅、鲜花、席卡布置，会场封闭"),
        "staff_on_site": ("staff at the room", "服务人员到场"), "reset": ("room reset", "会后恢复会场"),
        "tea_refill": ("tea refill", "会中续茶水"),
        "open_rooms": ("open the rooms", "开门、开灯、烧水"),
    ]

    /// The default teams.
    static let teamLabels: [String: (en: String, zh: String)] = [
        "front_desk": ("front desk", "前台"), "av": ("AV", "音视频组"), "facilities": ("facilities", "工程部"),
    ]
}
