/// The residential property every seeder and every workload shares: its units (`3栋2单元1201`
/// in some buildings, `3-2-1201` in others, as desks really type them) and the people living in
/// each. Derived from the seed alone, so `run` can rebuild the same units without the database.
struct Property: Sendable {
    /// Every unit, in building order.
    let units: [String]
    /// The residents of each unit (same index as `units`), one to four names.
    let residents: [[String]]

    /// Common surnames (two compound ones among them).
    static let surnames: [String] =
        Array(
            "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤"
        ).map(String.init) + ["欧阳", "司马"]

    /// Given names, one or two characters.
    static let givenNames = [
        "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
        "平", "刚", "桂英", "华", "建华", "文", "玉兰", "红", "婷", "欣怡", "子轩", "浩然", "雨涵", "梓涵", "一诺", "宇", "晨", "阳",
        "佳", "琳", "颖", "鑫", "斌", "波", "辉", "鹏", "丹", "萍", "玲", "倩", "雪", "慧", "晶", "燕", "海燕", "志强", "建国",
        "建军", "国强", "秀珍", "淑珍", "桂兰", "凤英", "思远", "嘉怡", "俊杰", "诗涵", "博文", "晓东", "文静", "天佑",
    ]

    /// A random resident name.
    static func name(_ random: inout SeededRandom) -> String {
        surnames[random.index(surnames.count)] + givenNames[random.index(givenNames.count)]
    }

    /// `count` units with their residents, the same for the same `seed`.
    ///
    /// Buildings have 2–4 entrances (单元), 6–33 floors and 2–4 homes per floor; odd buildings
    /// are written `3栋2单元1201`, even ones `4-2-1201`.
    init(units count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed ^ 0x5052_4F50_4552_5459)
        var units: [String] = []
        var residents: [[String]] = []
        units.reserveCapacity(count)
        residents.reserveCapacity(count)
        var building = 0
        while units.count < count {
            building += 1
            let entrances = 2 + random.index(3)
            let floors = 6 + random.index(28)
            let homes = 2 + random.index(3)
            let chinese = building % 2 == 1
            entranceLoop: for entrance in 1...entrances {
                for floor in 1...floors {
                    for home in 1...homes {
                        guard units.count < count else { break entranceLoop }
                        let room = floor * 100 + home
                        units.append(chinese ? "\(building)栋\(entrance)单元\(room)" : "\(building)-\(entrance)-\(room)")
                        let surname = Self.surnames[random.index(Self.surnames.count)]
                        var people = [surname + Self.givenNames[random.index(Self.givenNames.count)]]
                        for _ in 0..<random.index(4) {
                            // Mostly one family per home: the others share the first surname.
                            people.append(
                                random.chance(70)
                                    ? surname + Self.givenNames[random.index(Self.givenNames.count)]
                                    : Self.name(&random))
                        }
                        residents.append(people)
                    }
                }
            }
        }
        self.units = units
        self.residents = residents
    }
}
