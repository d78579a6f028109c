import Foundation
import GRDB
import ReceptionProtocol

import enum ReceptionPluginSDK.DeskText

/// Fills `parcels_items` with a year of a busy desk: `parcels` items received over the last
/// 365 days in daytime hours, the newest ones (and some stragglers of the weeks before) still
/// held, the rest collected (a few returned). Names are Chinese, units both `3栋2单元1201` and
/// `4-2-1201`, carriers as the desk writes them with tracking numbers of their own shapes, and
/// the codes of held items unique, as the plugin's partial UNIQUE index requires.
struct ParcelsSeeder: PluginSeeder {
    /// The parcels plugin.
    let plugin = "parcels"

    /// Rows between progress lines.
    static let batchSize = 50_000

    /// The desk staff who sign items in and out.
    static let operators = ["li.na", "wang.fang", "zhang.wei", "chen.jing", "night-desk"]

    /// A carrier, how its tracking numbers start, and how many digits follow.
    struct Carrier: Sendable {
        /// As the desk writes it.
        let name: String
        /// The tracking number's prefix.
        let prefix: String
        /// Digits after the prefix.
        let digits: Int
        /// Its suffix (`CN` for the post).
        let suffix: String
        /// Relative share of express and parcel deliveries.
        let weight: Int
    }

    /// Couriers of express items and parcels.
    static let couriers = [
        Carrier(name: "顺丰", prefix: "SF", digits: 13, suffix: "", weight: 22),
        Carrier(name: "京东", prefix: "JDVA", digits: 11, suffix: "", weight: 18),
        Carrier(name: "中通", prefix: "7", digits: 13, suffix: "", weight: 16),
        Carrier(name: "圆通", prefix: "YT", digits: 13, suffix: "", weight: 13),
        Carrier(name: "韵达", prefix: "43", digits: 11, suffix: "", weight: 11),
        Carrier(name: "申通", prefix: "77", digits: 11, suffix: "", weight: 8),
        Carrier(name: "极兔", prefix: "JT", digits: 13, suffix: "", weight: 7),
        Carrier(name: "EMS", prefix: "E", digits: 9, suffix: "CN", weight: 5),
    ]

    /// The post, for letters, periodicals and registered mail.
    static let post = Carrier(name: "中国邮政", prefix: "XA", digits: 9, suffix: "CN", weight: 0)

    /// Kinds with their shares (percent).
    static let kinds: [(kind: String, weight: Int)] = [
        ("express", 62), ("parcel", 18), ("letter", 9), ("registered", 6), ("periodical", 5),
    ]

    /// Whether `parcels_items` exists.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("parcels_items")
    }

    /// Writes `plan.parcels` items.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM parcels_items") ?? 0 }
        guard existing == 0 else {
            throw BenchError("parcels_items already holds \(existing) items: seed an empty state directory")
        }
        var generator = ParcelsGenerator(plan: plan, property: property)
        let columns = ParcelsGenerator.columns
        let sql =
            "INSERT INTO parcels_items (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var written = 0
        var heldWritten = 0
        // One transaction: an interrupted seed leaves the tables as they were. The indexes stay
        // in place while the rows go in, in the order they were received, as a year at the desk
        // would have grown them: pages about two-thirds full. (Dropping and making them again is
        // faster, but leaves them packed full, and then every later insert splits a page.)
        try writer.inTransaction { db in
            let statement = try db.makeStatement(sql: sql)
            while written < plan.parcels {
                let count = min(Self.batchSize, plan.parcels - written)
                for _ in 0..<count {
                    let row = generator.next()
                    if row.held { heldWritten += 1 }
                    try statement.execute(arguments: StatementArguments(row.values))
                }
                written += count
                if written % 200_000 == 0 || written == plan.parcels {
                    progress("parcels: \(Report.grouped(written)) of \(Report.grouped(plan.parcels)) rows")
                }
            }
            return .commit
        }
        return
            "\(Report.grouped(written)) parcels (\(Report.grouped(heldWritten)) held) for \(Report.grouped(plan.units)) units"
    }
}

/// Makes the rows of ``ParcelsSeeder`` one at a time, in the order they were received.
struct ParcelsGenerator {
    /// The columns of each row, in order.
    static let columns = [
        "code", "kind", "recipient", "unit", "unit_key", "carrier", "tracking", "condition", "damage_note", "shelf",
        "note",
        "status", "received_at", "received_ms", "received_by", "notified_at", "notified_ms", "notified_by",
        "notify_channel", "notify_count", "reminded_at", "reminder_count", "collected_at", "collected_ms",
        "collected_by", "proxy", "id_type", "id_last4", "handed_out_by", "returned_at", "returned_ms",
        "return_reason", "returned_by",
    ]

    /// One row and whether it is still held.
    struct Row {
        /// The column values, in ``ParcelsGenerator/columns`` order.
        let values: [(any DatabaseValueConvertible)?]
        /// Whether the item is held (or notified).
        let held: Bool
    }

    private let plan: SeedPlan
    private let property: Property
    /// The canonical key of each of the property's units (``DeskText/unitKey(_:)``), as
    /// `parcels.receive` stores it.
    private let unitKeys: [String]
    private var random: SeededRandom
    private var index = 0
    private let firstDay: Int64
    private let perDay: Double
    private let recentStart: Int
    private let stragglerStart: Int
    private let stragglerStride: Int
    private let stragglers: Int
    private var heldCodes: [String]
    private var nextHeldCode = 0
    private let courierWeight: Int
    private let kindWeight: Int

    private static let dayMillis: Int64 = 86_400_000
    private static let hourMillis: Int64 = 3_600_000

    /// A generator for `plan` on `property`.
    init(plan: SeedPlan, property: Property) {
        self.plan = plan
        self.property = property
        unitKeys = property.units.map(DeskText.unitKey)
        random = SeededRandom(seed: plan.seed)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Days in China Standard Time (UTC+8): the year ends yesterday (nothing is received in the future).
        let localNow = now + 8 * Self.hourMillis
        firstDay = localNow / Self.dayMillis - 365
        perDay = Double(max(plan.parcels, 1)) / 365
        // Four in five held items are the newest arrivals; the rest wait from the two months before.
        let stragglers = min(plan.held / 5, max(0, plan.parcels - plan.held))
        let recent = plan.held - stragglers
        recentStart = plan.parcels - recent
        let window = min(recentStart, max(stragglers, Int(perDay * 60)))
        stragglerStart = recentStart - window
        stragglerStride = stragglers > 0 ? max(1, window / stragglers) : 1
        self.stragglers = stragglers
        heldCodes = Self.shuffledCodes(count: plan.held, random: &random)
        courierWeight = ParcelsSeeder.couriers.reduce(0) { $0 + $1.weight }
        kindWeight = ParcelsSeeder.kinds.reduce(0) { $0 + $1.weight }
    }

    /// Every 4-character pickup code (letter, digit, letter, digit without 0, 1, I, O) in random
    /// order, then 5-character ones when more are held than there are 4-character codes.
    static func shuffledCodes(count: Int, random: inout SeededRandom) -> [String] {
        let letters = PickupAlphabet.letters
        let digits = PickupAlphabet.digits
        var codes: [String] = []
        codes.reserveCapacity(36_864)
        for a in letters {
            for b in digits { for c in letters { for d in digits { codes.append(String([a, b, c, d])) } } }
        }
        codes.shuffle(using: &random)
        var extra = 0
        while codes.count < count {
            // Longer codes, in order: letter digit letter digit letter.
            var value = extra
            var characters: [Character] = []
            for position in 0..<5 {
                let alphabet = PickupAlphabet.alphabet(at: position)
                characters.append(alphabet[value % alphabet.count])
                value /= alphabet.count
            }
            codes.append(String(characters))
            extra += 1
        }
        return Array(codes.prefix(count))
    }

    /// A random 4-character code (collected and returned items keep theirs; they may repeat).
    private mutating func anyCode() -> String {
        PickupAlphabet.random(length: 4, using: &random)
    }

    private func isHeld(_ i: Int) -> Bool {
        if i >= recentStart { return true }
        guard i >= stragglerStart, stragglers > 0 else { return false }
        let offset = i - stragglerStart
        return offset % stragglerStride == 0 && offset / stragglerStride < stragglers
    }

    /// The next item.
    mutating func next() -> Row {
        let i = index
        index += 1
        // Received: day by day, spread over 08:00–20:00 local time, in order.
        let dayIndex = Int64(Double(i) / perDay)
        let dayStartItem = Double(dayIndex) * perDay
        let fraction = min(0.999, (Double(i) - dayStartItem) / perDay)
        let localMillis =
            (firstDay + dayIndex) * Self.dayMillis + 8 * Self.hourMillis
            + Int64(fraction * 12 * Double(Self.hourMillis))
            + Int64(random.index(60_000))
        let received = localMillis - 8 * Self.hourMillis

        let unitIndex = random.index(property.units.count)
        let unit = property.units[unitIndex]
        let people = property.residents[unitIndex]
        let recipient = people[random.index(people.count)]
        let kind = pickKind()
        let carrier = kind == "express" || kind == "parcel" ? pickCourier() : ParcelsSeeder.post
        let tracking: String? =
            kind == "letter" || kind == "periodical" ? nil : trackingNumber(carrier, index: i)
        let damaged = random.chance(0.8)
        let damageNote: String? = damaged ? ["外箱破损", "包装受潮", "corner crushed", "胶带开裂"][random.index(4)] : nil
        let shelf: String
        switch kind {
        case "letter", "registered": shelf = "信件格\(1 + random.index(20))"
        case "periodical": shelf = "报刊架"
        default: shelf = "\(["A", "B", "C", "D", "E", "F"][random.index(6)])-\(1 + random.index(12))"
        }
        let note: String? = random.chance(2) ? ["易碎", "需冷藏", "到付已付", "放门卫室"][random.index(4)] : nil
        let receivedBy = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]

        let held = isHeld(i)
        var code: String
        var status = held ? "held" : "collected"
        var notifiedAt: String?
        var notifiedMs: Int64?
        var notifiedBy: String?
        var channel: String?
        var notifyCount: Int64 = 0
        var remindedAt: String?
        var reminderCount: Int64 = 0
        var collectedAt: String?
        var collectedMs: Int64?
        var collectedBy: String?
        var proxy: Int64?
        var idType: String?
        var idLast4: String?
        var handedOutBy: String?
        var returnedAt: String?
        var returnedMs: Int64?
        var returnReason: String?
        var returnedBy: String?

        if held {
            code = nextHeldCode < heldCodes.count ? heldCodes[nextHeldCode] : anyCode()
            nextHeldCode += 1
        } else {
            code = anyCode()
        }
        if random.chance(held ? 35 : 40) {
            let at = received + Int64(10 + random.index(110)) * 60_000
            if held { status = "notified" }
            notifiedAt = IsoTime.format(at)
            notifiedMs = at
            notifiedBy = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
            channel = ["sms", "sms", "phone", "notice"][random.index(4)]
            notifyCount = 1
        }
        if held, i < recentStart {
            // Stragglers: reminded once or more since.
            reminderCount = Int64(1 + random.index(3))
            remindedAt = IsoTime.format(received + Int64(3 + random.index(5)) * Self.dayMillis)
        }
        if !held {
            if random.chance(1.2) {
                status = "returned"
                let at = received + Int64(7 + random.index(8)) * Self.dayMillis
                returnedAt = IsoTime.format(at)
                returnedMs = at
                returnReason = ["超期未取，退回寄件人", "收件人拒收", "地址不详", "refused by recipient"][random.index(4)]
                returnedBy = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
            } else {
                // Mostly the same or the next day; some wait a few days.
                let hours = random.chance(80) ? 1 + random.index(30) : 30 + random.index(140)
                let at = received + Int64(hours) * Self.hourMillis + Int64(random.index(3_600_000))
                collectedAt = IsoTime.format(at)
                collectedMs = at
                let byProxy = random.chance(12)
                collectedBy = byProxy ? Property.name(&random) : recipient
                proxy = byProxy ? 1 : 0
                idType =
                    random.chance(92) ? "id_card" : ["passport", "driver_license", "residence_permit"][random.index(3)]
                let last = random.chance(10) ? "X" : String(random.index(10))
                idLast4 = String(100 + random.index(900)) + last
                handedOutBy = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
            }
        }
        let values: [(any DatabaseValueConvertible)?] = [
            code, kind, recipient, unit, unitKeys[unitIndex], carrier.name, tracking, damaged ? "damaged" : "intact",
            damageNote, shelf,
            note,
            status, IsoTime.format(received), received, receivedBy, notifiedAt, notifiedMs, notifiedBy, channel,
            notifyCount, remindedAt, reminderCount, collectedAt, collectedMs, collectedBy, proxy, idType, idLast4,
            handedOutBy, returnedAt, returnedMs, returnReason, returnedBy,
        ]
        return Row(values: values, held: held)
    }

    private mutating func pickKind() -> String {
        var draw = random.index(kindWeight)
        for entry in ParcelsSeeder.kinds {
            if draw < entry.weight { return entry.kind }
            draw -= entry.weight
        }
        return "express"
    }

    private mutating func pickCourier() -> ParcelsSeeder.Carrier {
        var draw = random.index(courierWeight)
        for courier in ParcelsSeeder.couriers {
            if draw < courier.weight { return courier }
            draw -= courier.weight
        }
        return ParcelsSeeder.couriers[0]
    }

    /// A tracking number unique to item `index`: its digits are `index` times a number prime to
    /// 10, modulo 10^digits, which never repeats below 10^digits.
    private func trackingNumber(_ carrier: ParcelsSeeder.Carrier, index: Int) -> String {
        var modulus: UInt64 = 1
        for _ in 0..<carrier.digits { modulus *= 10 }
        let value = (UInt64(index + 1) &* 7_919_309_137) % modulus
        let digits = String(value)
        return carrier.prefix + String(repeating: "0", count: carrier.digits - digits.count) + digits + carrier.suffix
    }
}

/// ISO 8601 times in China Standard Time (`2026-11-26T10:15:03.123+08:00`), written without a
/// calendar: a million rows need it fast.
enum IsoTime {
    /// `millis` since 1970 as local time at UTC+8.
    static func format(_ millis: Int64) -> String {
        let local = millis + 8 * 3_600_000
        var days = local / 86_400_000
        var ofDay = local % 86_400_000
        if ofDay < 0 {
            ofDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = CivilDays.civil(fromDays: Int(days))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        func put(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        put(Int64(year), 4)
        bytes.append(UInt8(ascii: "-"))
        put(Int64(month), 2)
        bytes.append(UInt8(ascii: "-"))
        put(Int64(day), 2)
        bytes.append(UInt8(ascii: "T"))
        put(ofDay / 3_600_000, 2)
        bytes.append(UInt8(ascii: ":"))
        put(ofDay / 60_000 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        put(ofDay / 1000 % 60, 2)
        bytes.append(UInt8(ascii: "."))
        put(ofDay % 1000, 3)
        bytes.append(contentsOf: "+08:00".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}
