import NIOCore

/// The params of the requests to the departments added after parcels and access: each one valid
/// by the plugin's rules, so that a run reports no errors (a new request number, visit or case
/// each time; nothing here can clash with another request).
extension WorkloadData {
    /// The clerks who hand the desk over to each other (the seeders' operators).
    static let clerks = ParcelsSeeder.operators

    /// What the clerks write in the handover book.
    private static let handoverNotes = [
        "3 号楼电梯维修中，住户走消防通道", "B-7 货架有一件冷链快递，已电话通知", "今晚 22:00 起小区停水两小时", "无特别事项",
    ]

    /// What visitors come for.
    private static let purposes = ["探亲", "访友", "送货", "维修", "家政", "看房"]

    /// What residents report, by category, and how often (per hundred).
    private static let caseKinds: [(category: String, weight: Int, descriptions: [String])] = [
        ("repair", 35, ["卫生间漏水", "厨房水龙头坏了", "入户门锁打不开", "客厅灯不亮", "地漏堵塞"]),
        ("complaint", 20, ["楼道垃圾两天没人清", "夜里装修噪音", "保安态度差", "快递被放错柜"]),
        ("service", 8, ["预约上门服务"]),
        ("after_sales", 10, ["外墙渗水", "窗框开裂", "地板起拱"]),
        ("suggestion", 7, ["建议增加电动车充电桩", "建议延长游泳池开放时间"]),
        ("praise", 5, ["表扬维修师傅及时上门", "感谢保安帮忙搬运"]),
        ("other", 15, ["咨询物业费缴纳方式", "询问停车位租赁", "咨询装修申报流程"]),
    ]

    /// The plugin's default complaint areas.
    private static let areas = [
        "security", "cleaning", "landscaping", "maintenance", "mail", "renovation", "staff_attitude", "other",
    ]

    /// The plugin's default price list (fen), and what residents hand over for each.
    private static let services: [(name: String, price: Int, tendered: [Int])] = [
        ("carpet_cleaning", 15_000, [15_000, 20_000]), ("housekeeping", 8_000, [8_000, 10_000]),
        ("window_cleaning", 6_000, [6_000, 10_000]),
    ]

    /// `utilities.request`: 60% electricity on the remote, 35% gas on the gas card, 5% water on
    /// a meter card; ¥50 to ¥500 in steps of ¥25, a tenth of them asking for a quantity.
    func writeUtilityRequest(random: inout SeededRandom, into buffer: inout ByteBuffer) {
        let draw = random.index(100)
        let (utility, medium): (StaticString, StaticString) =
            draw < 60 ? ("electricity", "remote") : draw < 95 ? ("gas", "gas_card") : ("water", "meter_card")
        buffer.writeStaticString(",\"method\":\"utilities.request\",\"params\":{\"unit\":")
        buffer.writeBytes(units[random.index(units.count)])
        buffer.writeStaticString(",\"payer\":")
        buffer.writeBytes(names[random.index(names.count)])
        buffer.writeStaticString(",\"utility\":\"")
        buffer.writeStaticString(utility)
        buffer.writeStaticString("\",\"cash\":")
        buffer.writeString(String((2 + random.index(19)) * 2_500))
        buffer.writeStaticString(",\"medium\":\"")
        buffer.writeStaticString(medium)
        buffer.writeStaticString("\",\"mediumRef\":\"")
        buffer.writeString(String(10_000_000 + random.index(90_000_000)))
        if random.chance(10) {
            buffer.writeStaticString("\",\"quantity\":\"")
            buffer.writeString(String(50 + random.index(450)))
        }
        buffer.writeStaticString("\"}}\n")
    }

    /// `visitors.register`: an identity card mostly (a passport or a driving licence now and
    /// then), for a host by unit and name, a party of one to three.
    func writeVisitorsRegister(random: inout SeededRandom, into buffer: inout ByteBuffer) {
        let draw = random.index(100)
        buffer.writeStaticString(",\"method\":\"visitors.register\",\"params\":{\"name\":")
        buffer.writeBytes(names[random.index(names.count)])
        if draw < 85 {
            buffer.writeStaticString(",\"idType\":\"id_card\",\"idNumber\":\"")
            buffer.writeString(String(110_101_198_000_000_000 + random.index(30_000_000_000)))
        } else if draw < 90 {
            buffer.writeStaticString(",\"idType\":\"passport\",\"idNumber\":\"E")
            buffer.writeString(String(10_000_000 + random.index(90_000_000)))
        } else {
            buffer.writeStaticString(",\"idType\":\"driving_licence\",\"idNumber\":\"")
            buffer.writeString(String(320_000_000_000 + random.index(90_000_000_000)))
        }
        buffer.writeStaticString("\",\"hostUnit\":")
        buffer.writeBytes(units[random.index(units.count)])
        buffer.writeStaticString(",\"hostName\":")
        buffer.writeBytes(names[random.index(names.count)])
        buffer.writeStaticString(",\"purpose\":\"")
        buffer.writeString(Self.purposes[random.index(Self.purposes.count)])
        buffer.writeStaticString("\",\"party\":")
        buffer.writeString(String(1 + random.index(3)))
        buffer.writeStaticString("}}\n")
    }

    /// `cases.open`: categories in the proportions of ``caseKinds``, complaints with their area,
    /// services paid at the counter (the price or a round note above it); 14% urgent, 1% emergency.
    func writeCasesOpen(random: inout SeededRandom, into buffer: inout ByteBuffer) {
        var draw = random.index(100)
        var kind = Self.caseKinds[0]
        for candidate in Self.caseKinds {
            if draw < candidate.weight {
                kind = candidate
                break
            }
            draw -= candidate.weight
        }
        buffer.writeStaticString(",\"method\":\"cases.open\",\"params\":{\"channel\":\"")
        buffer.writeStaticString(random.chance(55) ? "visit" : "phone")
        buffer.writeStaticString("\",\"reporter\":")
        buffer.writeBytes(names[random.index(names.count)])
        buffer.writeStaticString(",\"unit\":")
        buffer.writeBytes(units[random.index(units.count)])
        buffer.writeStaticString(",\"contact\":\"13")
        buffer.writeString(String(100_000_000 + random.index(900_000_000)))
        buffer.writeStaticString("\",\"category\":\"")
        buffer.writeString(kind.category)
        buffer.writeStaticString("\",\"description\":\"")
        buffer.writeString(kind.descriptions[random.index(kind.descriptions.count)])
        buffer.writeStaticString("\"")
        if kind.category == "complaint" {
            buffer.writeStaticString(",\"area\":\"")
            buffer.writeString(Self.areas[random.index(Self.areas.count)])
            buffer.writeStaticString("\"")
        }
        if kind.category == "service" {
            let service = Self.services[random.index(Self.services.count)]
            buffer.writeStaticString(",\"service\":\"")
            buffer.writeString(service.name)
            buffer.writeStaticString("\",\"tendered\":")
            buffer.writeString(String(service.tendered[random.index(service.tendered.count)]))
        }
        let urgency = random.index(100)
        if urgency < 14 {
            buffer.writeStaticString(",\"urgency\":\"urgent\"")
        } else if urgency < 15 {
            buffer.writeStaticString(",\"urgency\":\"emergency\"")
        }
        buffer.writeStaticString("}}\n")
    }

    /// `desk.handover` from one clerk to another (never to the same one: the plugin refuses that).
    func writeHandover(random: inout SeededRandom, into buffer: inout ByteBuffer) {
        let outgoing = random.index(Self.clerks.count)
        let incoming = (outgoing + 1 + random.index(Self.clerks.count - 1)) % Self.clerks.count
        buffer.writeStaticString(",\"method\":\"desk.handover\",\"params\":{\"outgoing\":\"")
        buffer.writeString(Self.clerks[outgoing])
        buffer.writeStaticString("\",\"incoming\":\"")
        buffer.writeString(Self.clerks[incoming])
        buffer.writeStaticString("\",\"notes\":\"")
        buffer.writeString(Self.handoverNotes[random.index(Self.handoverNotes.count)])
        buffer.writeStaticString("\"}}\n")
    }
}
