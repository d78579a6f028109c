import GRDB

/// What `seed` was asked for: sizes shared by every plugin's seeder. A department plugin added
/// later adds its sizes here and a ``PluginSeeder`` of its own to ``Seeders/all``.
struct SeedPlan: Sendable {
    /// Units of the property.
    let units: Int
    /// Parcels stored, over the last year.
    let parcels: Int
    /// Of those, still held at the desk.
    let held: Int
    /// Access passes issued.
    let badges: Int
    /// Keys on the key register.
    let keys: Int
    /// Utility prepurchase requests, over the last year.
    let utilityRequests: Int
    /// Meeting-room bookings, from a year ago to four weeks ahead.
    let meetings: Int
    /// Visits over the last six months, those on site now included.
    let visits: Int
    /// Of those, on site (or staying the night) now.
    let onSite: Int
    /// Cases opened in the last report period that has ended (the `cases-report` month).
    let cases: Int
    /// Shift handovers, three a day back from now.
    let handovers: Int
    /// The random seed: the same plan and seed write the same rows.
    let seed: UInt64
}

/// Fills one plugin's tables, straight into the SQLite file, after the daemon has created them.
/// One per plugin; `seed` runs those whose plugin loaded.
protocol PluginSeeder: Sendable {
    /// The plugin whose tables this fills (as in `daemon.status`).
    var plugin: String { get }

    /// Whether the plugin's tables exist in `db` (its migrations ran).
    func isInstalled(_ db: Database) throws -> Bool

    /// Writes the rows; returns a line for the summary (`1,000,000 parcels, 30,000 held`).
    /// `progress` is called now and then with a sentence.
    func seed(
        into writer: DatabaseQueue, plan: SeedPlan, property: Property, progress: @escaping @Sendable (String) -> Void
    ) throws -> String
}

/// Every seeder, in the order they run.
enum Seeders {
    /// The seeders of the plugins this tool knows.
    static let all: [any PluginSeeder] = [
        ParcelsSeeder(), AccessSeeder(), UtilitiesSeeder(), MeetingsSeeder(), VisitorsSeeder(), CasesSeeder(),
        DeskSeeder(),
    ]
}
