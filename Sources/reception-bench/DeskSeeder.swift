import Foundation
import GRDB

/// Fills the desk plugin's handover book: `--handovers` shift handovers, three a day (08:00,
/// 16:00 and midnight at UTC+8) back from the last one before now, between the seeders' clerks,
/// each acknowledged by the incoming clerk a few minutes later but the last, which is still open.
/// So the next `desk.handover` has a previous one to count the access ledger's cash from.
///
/// The snapshots are short (the departments that answered, the time, the cash as zero): the
/// seeder does not replay the other departments' history. Numbers follow the plugin's
/// (`HO20261206-0001` per local day) and its counters move past them.
struct DeskSeeder: PluginSeeder {
    /// The desk plugin.
    let plugin = "desk"

    private static let hour: Int64 = 3_600_000

    /// Whether the handover book exists.
    func isInstalled(_ db: Database) throws -> Bool {
        try db.tableExists("desk_handovers") && db.tableExists("desk_counters")
    }

    /// Writes the handovers and the counters.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String {
        let existing = try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM desk_handovers") ?? 0 }
        guard existing == 0 else {
            throw BenchError(
                "the desk's handover book already holds \(existing) handovers: seed an empty state directory")
        }
        var random = SeededRandom(seed: plan.seed ^ 0x4445_534B)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Shifts change at 00:00, 08:00 and 16:00 local: every 8 hours from a UTC midnight - 8 h.
        let shift = 8 * Self.hour
        let last = (now + 8 * Self.hour) / shift * shift - 8 * Self.hour
        let clerks = WorkloadData.clerks
        var numbers = DailyNumbers(separator: "")
        try writer.inTransaction { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO desk_handovers (handover, outgoing, incoming, notes, snapshot, handed_at, handed_ms,
                        recorded_by, status, acked_at, acked_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for index in stride(from: plan.handovers - 1, through: 0, by: -1) {
                let handed = min(now - 1000, last - Int64(index) * shift + Int64(random.index(10 * 60_000)))
                let outgoing = (plan.handovers - index) % clerks.count
                let incoming = (outgoing + 1) % clerks.count
                let taken = IsoTime.format(handed)
                let snapshot =
                    #"{"cash":{"access":0,"total":0,"utilities":0},"departments":[],"leftOut":[],"takenAt":"\#(taken)"}"#
                let open = index == 0
                let acked = handed + Int64(2 + random.index(10)) * 60_000
                let values: [(any DatabaseValueConvertible)?] = [
                    numbers.next("HO", at: handed), clerks[outgoing], clerks[incoming],
                    random.chance(30) ? "无特别事项" : nil, snapshot, taken, handed, clerks[outgoing],
                    open ? "open" : "acknowledged", open ? nil : IsoTime.format(acked), open ? nil : clerks[incoming],
                ]
                try insert.execute(arguments: StatementArguments(values))
            }
            try numbers.write(into: "desk_counters", db)
            return .commit
        }
        return "\(Report.grouped(plan.handovers)) handovers, three a day"
    }
}
