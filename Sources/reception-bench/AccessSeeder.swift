import Foundation
import GRDB

import enum ReceptionPluginSDK.DeskText

/// Fills the access plugin's register: `badges` passes issued over the last three years
/// (resident, tenant and contractor passes with the plugin's numbering `R000001`, `T000001`,
/// `C000001`, its default fees and deposits, and the per-prefix counters moved past them, so the
/// desk's next issue gets a fresh number), most still active, some expired, returned, lost or
/// revoked; and `keys` keys on the cabinet's hooks. Receipts of past years are not made up.
struct AccessSeeder: PluginSeeder {
    /// The access plugin.
    let plugin = "access"

    /// Whether `access_badges` exists.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("access_badges") && db.tableExists("access_keys")
    }

    /// A kind of pass as the plugin's defaults define it.
    private struct Kind {
        let name: String
        let prefix: String
        let fee: Int64
        let deposit: Int64
        let months: Int
        let share: Int
    }

    private static let kinds = [
        Kind(name: "resident", prefix: "R", fee: 0, deposit: 0, months: 60, share: 70),
        Kind(name: "tenant", prefix: "T", fee: 500, deposit: 1000, months: 12, share: 25),
        Kind(name: "contractor", prefix: "C", fee: 500, deposit: 1000, months: 3, share: 5),
    ]

    /// Writes the badges and keys.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT (SELECT count(*) FROM access_badges) + (SELECT count(*) FROM access_keys)")
                ?? 0
        }
        guard existing == 0 else {
            throw BenchError(
                "the access tables already hold \(existing) badges and keys: seed an empty state directory")
        }
        var random = SeededRandom(seed: plan.seed ^ 0x4143_4345_5353)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let today = IsoTime.format(now).prefix(10)
        var counters: [String: Int] = [:]
        var active = 0
        try writer.inTransaction { db in
            let badge = try db.makeStatement(
                sql: """
                    INSERT INTO access_badges (number, kind, holder, id_type, id_number, id_last4, unit, unit_key, issued_at,
                        issued_ms, issued_by, valid_until, status, fee, deposit, deposit_status, fees_paid, lease_ref,
                        lease_end, sponsor, authorisation_ref, holder_is_owner, returned_at, returned_by, lost_at,
                        lost_by, revoked_at, revoked_by, revoke_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for index in 0..<plan.badges {
                let kind = Self.pickKind(&random)
                let serial = (counters[kind.prefix] ?? 0) + 1
                counters[kind.prefix] = serial
                let digits = String(serial)
                let number = kind.prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
                let unitIndex = random.index(property.units.count)
                let holder =
                    kind.name == "resident"
                    ? property.residents[unitIndex][random.index(property.residents[unitIndex].count)]
                    : Property.name(&random)
                let idNumber = Self.identityNumber(index: index)
                let issued = now - Int64(random.index(3 * 365)) * 86_400_000 - Int64(random.index(86_400_000))
                let validUntil = Self.date(adding: kind.months, toMillis: issued)
                let by = ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)]
                var status = "active"
                var depositStatus = kind.deposit > 0 ? "held" : "none"
                var returnedAt: String?
                var lostAt: String?
                var revokedAt: String?
                var revokeReason: String?
                let draw = random.index(100)
                let later = IsoTime.format(min(now, issued + Int64(1 + random.index(300)) * 86_400_000))
                if draw < 6 {
                    status = "returned"
                    returnedAt = later
                    if kind.deposit > 0 { depositStatus = "refunded" }
                } else if draw < 9 {
                    status = "lost"
                    lostAt = later
                    if kind.deposit > 0 { depositStatus = "forfeited" }
                } else if draw < 10 {
                    status = "revoked"
                    revokedAt = later
                    revokeReason = ["违反管理规定", "合同终止", "moved out"][random.index(3)]
                }
                if status == "active", validUntil >= today { active += 1 }
                let tenant = kind.name == "tenant"
                let contractor = kind.name == "contractor"
                let owner = kind.name == "resident" ? random.chance(80) : nil
                let values: [(any DatabaseValueConvertible)?] = [
                    number, kind.name, holder, "id_card", idNumber, String(idNumber.suffix(4)),
                    property.units[unitIndex], DeskText.unitKey(property.units[unitIndex]), IsoTime.format(issued),
                    issued, by, validUntil, status, kind.fee,
                    kind.deposit, depositStatus, kind.fee, tenant ? "租赁合同\(2023 + random.index(4))-\(index)" : nil,
                    tenant ? validUntil : nil, contractor ? Property.name(&random) : nil,
                    owner == false || contractor ? "授权书\(index)" : nil, owner.map { $0 ? 1 : 0 },
                    returnedAt, returnedAt == nil ? nil : by, lostAt, lostAt == nil ? nil : by, revokedAt,
                    revokedAt == nil ? nil : by, revokeReason,
                ]
                try badge.execute(arguments: StatementArguments(values))
                if (index + 1) % 50_000 == 0 { progress("access: \(Report.grouped(index + 1)) badges") }
            }
            for (prefix, value) in counters {
                try db.execute(
                    sql: "INSERT INTO access_counters (name, value) VALUES (?, ?)",
                    arguments: ["badge:\(prefix)", value])
            }
            let key = try db.makeStatement(
                sql: """
                    INSERT INTO access_keys (tag, category, building, floor, unit, unit_key, room, hook, note, status,
                        registered_at, registered_ms, registered_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'in', ?, ?, ?)
                    """)
            for index in 0..<plan.keys {
                let unit = property.units[random.index(property.units.count)]
                let building = String(unit.prefix { $0.isNumber })
                let category = ["vacant_unit", "owner_deposited", "owner_deposited", "facility_spare", "other"][
                    random.index(5)]
                let facility = category == "facility_spare" || category == "other"
                let registered = now - Int64(random.index(5 * 365)) * 86_400_000
                let digits = String(index + 1)
                let values: [(any DatabaseValueConvertible)?] = [
                    "K" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits, category, building,
                    facility ? nil : String(1 + random.index(30)), facility ? nil : unit,
                    facility ? nil : DeskText.unitKey(unit),
                    facility ? ["配电房", "水泵房", "天台", "会议室", "健身房"][random.index(5)] : nil,
                    "柜\(1 + index / 500)-\(1 + index % 500)", nil, IsoTime.format(registered), registered,
                    ParcelsSeeder.operators[random.index(ParcelsSeeder.operators.count)],
                ]
                try key.execute(arguments: StatementArguments(values))
            }
            return .commit
        }
        return "\(Report.grouped(plan.badges)) badges (\(Report.grouped(active)) active and valid today), "
            + "\(Report.grouped(plan.keys)) keys"
    }

    private static func pickKind(_ random: inout SeededRandom) -> Kind {
        var draw = random.index(100)
        for kind in kinds {
            if draw < kind.share { return kind }
            draw -= kind.share
        }
        return kinds[0]
    }

    /// An 18-character identity number of the mainland shape (region, birth date, serial, check
    /// character), made up, and unique per badge: region, birth date and serial all come from `index`.
    private static func identityNumber(index: Int) -> String {
        let regions = ["110105", "310115", "440305", "330106", "510107", "420111", "320102", "370202"]
        let days = 55 * 365
        // Born between 1950 and 2005.
        let born = IsoTime.format(Int64(-7305 + (index / regions.count * 7919) % days) * 86_400_000)
        let serial = String((index / regions.count / days) % 1000)
        let body =
            regions[index % regions.count] + born.prefix(4) + born.dropFirst(5).prefix(2) + born.dropFirst(8).prefix(2)
            + String(repeating: "0", count: 3 - serial.count) + serial
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (digit, weight) in zip(body, weights) { sum += (digit.wholeNumberValue ?? 0) * weight }
        let check = Array("10X98765432")[sum % 11]
        return body + String(check)
    }

    /// `YYYY-MM-DD`, `months` after the local date of `millis` (the day before the same date).
    private static func date(adding months: Int, toMillis millis: Int64) -> String {
        let text = IsoTime.format(millis)
        let year = Int(text.prefix(4)) ?? 2026
        let month = Int(text.dropFirst(5).prefix(2)) ?? 1
        let day = min(28, Int(text.dropFirst(8).prefix(2)) ?? 1)
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        return String(newYear) + "-" + (newMonth < 10 ? "0" : "") + String(newMonth) + "-" + (day < 10 ? "0" : "")
            + String(day)
    }
}
