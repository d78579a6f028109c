import ArgumentParser
import Foundation
import GRDB

/// `reception-bench seed`: fills a state directory with realistic data.
struct SeedCommand: AsyncParsableCommand {
    /// The subcommand's help.
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fills a state directory with realistic data for the plugins that load.",
        discussion: """
            First starts receptiond (found next to this tool) on the directory with a temporary socket and stops \
            it again, so every plugin's migrations create its tables exactly as the daemon will use them; then \
            writes the rows straight into the SQLite file in large transactions. Only the plugins that loaded are \
            seeded (parcels: items; access: badges and keys; utilities: a year of prepurchase requests in weekly \
            batches; meetings: twelve rooms and a year of bookings with their tasks and fees; visitors: six months of \
            visits and those on site now; cases: a report month of cases with work orders, callbacks and paid \
            services; desk: shift handovers, three a day; all at UTC+8). Stop any \
            daemon serving the directory first.
            """)

    @Option(name: .customLong("state-dir"), help: "The state directory to fill (created if missing).")
    var stateDir: String

    @Option(help: "Units of the property.")
    var units = 20_000

    @Option(help: "Parcels over the last year.")
    var parcels = 1_000_000

    @Option(help: "Of those, still held at the desk.")
    var held = 30_000

    @Option(help: "Access passes (access plugin).")
    var badges = 100_000

    @Option(help: "Keys on the key register (access plugin).")
    var keys = 5_000

    @Option(
        name: .customLong("utility-requests"),
        help: "Utility prepurchase requests over the last year, in weekly batches (utilities plugin).")
    var utilityRequests = 20_000

    @Option(help: "Meeting-room bookings, from a year ago to four weeks ahead, in 12 rooms (meetings plugin).")
    var meetings = 20_000

    @Option(help: "Visits over the last six months, those on site now included (visitors plugin).")
    var visits = 30_000

    @Option(name: .customLong("on-site"), help: "Of those, on site or staying the night now (visitors plugin).")
    var onSite = 60

    @Option(
        help:
            "Cases opened in the last report period that has ended, with their work orders and callbacks (cases plugin)."
    )
    var cases = 10_000

    @Option(help: "Shift handovers, three a day back from now (desk plugin).")
    var handovers = 270

    @Option(help: "Random seed: the same numbers and seed write the same rows.")
    var seed: UInt64 = 42

    @Option(help: "The receptiond binary (default: next to this tool).")
    var daemon: String?

    @Option(name: .customLong("plugin-dir"), help: "The plugin directory (default: next to this tool).")
    var pluginDir: String?

    /// Checks the numbers.
    func validate() throws {
        guard units >= 1 else { throw ValidationError("--units must be at least 1") }
        guard parcels >= 0, held >= 0 else { throw ValidationError("--parcels and --held must not be negative") }
        guard held <= parcels else { throw ValidationError("--held cannot exceed --parcels") }
        guard badges >= 0, keys >= 0 else { throw ValidationError("--badges and --keys must not be negative") }
        guard (0...10_000_000).contains(utilityRequests) else {
            throw ValidationError("--utility-requests must be between 0 and 10,000,000")
        }
        guard (0...1_000_000).contains(meetings) else {
            throw ValidationError("--meetings must be between 0 and 1,000,000 (12 rooms, 13 hours a day)")
        }
        guard (0...5_000_000).contains(visits), (0...min(visits, 1000)).contains(onSite) else {
            throw ValidationError("--visits must be 0 to 5,000,000 and --on-site 0 to --visits (at most 1000)")
        }
        guard (0...1_000_000).contains(cases) else { throw ValidationError("--cases must be 0 to 1,000,000") }
        guard (0...100_000).contains(handovers) else { throw ValidationError("--handovers must be 0 to 100,000") }
    }

    /// Creates the schema, then runs every installed plugin's seeder.
    func run() async throws {
        let started = Date()
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let process = try DaemonProcess(executable: daemon, pluginDirectory: pluginDir)
        let status = try await process.prepareSchema(stateDirectory: stateDir)
        let loaded = (status["plugins"]?.arrayValue ?? []).compactMap { plugin -> String? in
            plugin["state"]?.stringValue == "loaded" ? plugin["name"]?.stringValue : nil
        }
        log("schema ready in \(seconds(since: started)) s; plugins loaded: \(loaded.joined(separator: ", "))")

        let summary = try seedDatabase(loadedPlugins: loaded)
        for line in summary { print(line) }
        print("seeded \(stateDir) in \(seconds(since: started)) s")
    }

    /// Runs the seeder of every loaded plugin whose tables exist; returns their summary lines.
    private func seedDatabase(loadedPlugins loaded: [String]) throws -> [String] {
        // The daemon's own lock (receptiond.lock): no daemon may run on the directory while rows
        // are written behind its back, and none starts until the seeding is done.
        let lockPath = (stateDir as NSString).appendingPathComponent("receptiond.lock")
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            if lock >= 0 { close(lock) }
            throw BenchError("a receptiond is running on \(stateDir) (\(lockPath) is locked): stop it before seeding")
        }
        defer { close(lock) }
        let plan = SeedPlan(
            units: units, parcels: parcels, held: held, badges: badges, keys: keys,
            utilityRequests: utilityRequests, meetings: meetings, visits: visits, onSite: onSite, cases: cases,
            handovers: handovers, seed: seed)
        let property = Property(units: units, seed: seed)
        let database = try DatabaseQueue(
            path: StateDatabase.path(stateDirectory: stateDir), configuration: Self.bulkConfiguration)
        try database.writeWithoutTransaction { db in
            // A bulk load in one large transaction: a rollback journal is much faster here than WAL.
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
        }
        var summary: [String] = []
        for plugin in loaded where !Seeders.all.contains(where: { $0.plugin == plugin }) && plugin != "example" {
            log("\(plugin): loaded, but this tool has no seeder for it yet: its tables stay empty")
        }
        for seeder in Seeders.all {
            guard loaded.contains(seeder.plugin), try database.read({ try seeder.isInstalled($0) }) else {
                log("\(seeder.plugin): plugin not loaded, skipped")
                continue
            }
            let seederStarted = Date()
            let line = try seeder.seed(into: database, plan: plan, property: property) { message in
                FileHandle.standardError.write(Data("  \(message)\n".utf8))
            }
            summary.append("\(seeder.plugin): \(line) in \(seconds(since: seederStarted)) s")
        }
        try database.writeWithoutTransaction { db in
            // Back to the daemon's journal mode (WAL is a property of the file).
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        try database.close()
        return summary
    }

    /// Bulk loading: no fsync (a failed seed is simply run again), a large cache.
    static var bulkConfiguration: Configuration {
        var configuration = Configuration()
        configuration.label = "reception-bench seed"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -262144")
        }
        return configuration
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    private func seconds(since start: Date) -> String {
        String(format: "%.1f", Date().timeIntervalSince(start))
    }
}
