import Foundation
import ReceptionPluginSDK

/// `[plugins.desk]`:
///
/// ```toml
/// [plugins.desk]
/// unclaimed_days = 30     # a found item unclaimed this many days is flagged (1-365)
/// ```
struct DeskConfig: Sendable {
    /// After how many days an unclaimed item is flagged.
    let unclaimedDays: Int64
    /// Days and times in the property's zone (the daemon's `[daemon] time_zone`).
    let local: LocalTime

    /// Reads the section; a bad value or an unknown key is a validation error naming it.
    init(_ config: PluginConfig) throws(RPCError) {
        unclaimedDays = try config.int("unclaimed_days", default: 30, in: 1...365)
        local = LocalTime(zone: config.timeZone)
    }
}

/// Limits on what the books take.
enum DeskLimits {
    /// Longest free text (notes, descriptions, actions).
    static let text = 4000
    /// Most people informed of one incident.
    static let informed = 20
    /// Most rows a list returns.
    static let maxList: Int64 = 500
}

/// The books' numbers: `HO20261206-0001` (handover), `LF…` (found item), `IN…` (incident), one
/// counter per prefix and local day.
enum DeskNumbers {
    /// The next number with `prefix` on `day`.
    static func next(_ prefix: String, on day: CivilDate, in db: SQLiteConnection) throws -> String {
        let value = try NamedCounter.next("\(prefix)\(day.compact)", table: "desk_counters", in: db)
        return "\(prefix)\(day.compact)-\(String(format: "%04d", value))"
    }
}
