import ArgumentParser
import Foundation
import GRDB
import NIOCore
import NIOPosix
import ReceptionProtocol

/// `reception-bench run`: drives one workload against a running daemon and reports what it
/// measured.
struct RunCommand: AsyncParsableCommand {
    /// The subcommand's help.
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drives a workload against a running daemon over its socket and reports throughput and latency.",
        discussion: """
            Workloads: ping (daemon.ping), verify (access.badges.verify on existing and missing numbers), \
            pending (parcels.pending on units that have parcels), receive (durable parcels.receive with unique \
            tracking numbers), pickup (parcels.pickup of one held item each: every pickup succeeds), counter \
            (a busy desk across every department the daemon serves, per 10,000: 3490 verify, 1900 pending, \
            900 receive, 750 pickup, 550 ping, 600 visitors.register, 500 visitors.onSite, 400 meetings.agenda, \
            150 meetings.book, 300 cases.open, 250 utilities.request, 200 utilities.cashOnHand, 9 cases.report, \
            1 desk.handover), cash-on-hand (utilities.cashOnHand, the shift-handover check over every request at \
            the desk or owed), book (meetings.book of a free room hour each, five weeks ahead and later: they do \
            not clash), agenda (meetings.agenda of a day of the seeded year), utility-request (durable \
            utilities.request), visitors-register (durable visitors.register), on-site (visitors.onSite, the \
            whole list), cases-open (durable cases.open of every category), cases-report (cases.report of the \
            seeded month: the last report period, 29th to 28th, that has ended), handover (durable \
            desk.handover, its snapshot read from every department), list-unit and list-recipient \
            (parcels.list of one unit or one recipient over every status, half of them a later page), stats \
            (parcels.stats over one month of the seeded year). The seed and the workloads write times at \
            UTC+8: run the daemon with TZ=Asia/Shanghai. With --state-dir, book skips the slots earlier runs \
            took.

            Each connection first says daemon.hello; measuring starts when every connection is open, after \
            the warm-up (default 1s with --duration, none with --requests). Latency is from a request's write \
            to its reply; throughput counts measured replies.

            Units, names and held items come from the database with --state-dir (read-only, beside the \
            running daemon), else from parcels.list over the socket, else from the same generator the seed \
            uses. Without --state-dir, pickup first receives the items it will hand out (--prepare).
            """)

    @Option(help: "The daemon's socket.")
    var socket: String

    @Option(help: "\(WorkloadKind.names)")
    var workload: WorkloadKind

    @Option(help: "Connections, 1 to 1000 (the daemon's default max_connections is 256).")
    var connections = 50

    @Option(help: "Requests outstanding per connection, 1 to 256.")
    var pipeline = 1

    @Option(help: "Measure for this long (10s, 500ms, 2m).")
    var duration: BenchDuration?

    @Option(help: "Measure exactly this many requests.")
    var requests: Int?

    @Option(help: "Run unmeasured first for this long (default: 1s with --duration, 0 with --requests).")
    var warmup: BenchDuration?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(
        name: .customLong("state-dir"),
        help: "The daemon's state directory: read units and held items from its database.")
    var stateDir: String?

    @Option(help: "Client threads, each driving its share of the connections with its own epoll.")
    var threads = 1

    @Option(help: "Keep the connections open and idle this long after the run (to read the daemon's memory).")
    var hold: BenchDuration?

    @Option(
        help: "pickup/counter without --state-dir: items to receive before the run (default: --requests, or 20000).")
    var prepare: Int?

    @Option(help: "When no badge numbers can be read: ask for R000001 up to this (and for missing ones).")
    var badges = 100_000

    @Option(help: "Units to generate when the daemon stores none (as seed --units).")
    var units = 20_000

    @Option(help: "Seed of the random choices.")
    var seed: UInt64 = 42

    @Option(help: "Give up on replies missing this long after the run should have ended.")
    var timeout = BenchDuration(nanoseconds: 300_000_000_000)

    /// Checks the options.
    func validate() throws {
        guard (1...1000).contains(connections) else { throw ValidationError("--connections must be 1 to 1000") }
        guard (1...256).contains(pipeline) else {
            throw ValidationError("--pipeline must be 1 to 256 (the daemon's max_in_flight_per_connection)")
        }
        guard (duration == nil) != (requests == nil) else {
            throw ValidationError("give exactly one of --duration and --requests")
        }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1") }
        if let duration, duration.nanoseconds <= 0 { throw ValidationError("--duration must be positive") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 to 64") }
    }

    /// Prepares the workload, runs it, prints the report.
    func run() async throws {
        try FileLimit.raise(to: connections + 64)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let report = try await measure(group: group)
            try await group.shutdownGracefully()
            print(json ? try report.json() : report.table)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func measure(group: MultiThreadedEventLoopGroup) async throws -> Report {
        let setup: SetupClient
        do {
            setup = try await SetupClient.connect(socket: socket, group: group)
        } catch {
            throw BenchError("cannot connect to \(socket): \(error) (is receptiond running there?)")
        }
        _ = try await setup.call("daemon.hello", ["workstation": "bench-setup", "operator": "bench"])
        let served = try await servedMethods(setup)
        var notes: [String] = []
        var mix = workload.mix
        if workload == .counter {
            // A busy desk of this daemon: the departments it does not serve are left out of the mix.
            let missing = mix.filter { !served.contains($0.operation.method) }
            mix.removeAll { !served.contains($0.operation.method) }
            if !missing.isEmpty {
                notes.append(
                    "counter: left out (plugin not loaded): "
                        + missing.map { "\($0.operation.method) (\($0.weight) in 10,000)" }.joined(separator: ", "))
            }
        }
        let operations = Set(mix.map(\.operation))
        for operation in operations.sorted(by: { $0.rawValue < $1.rawValue })
        where !served.contains(operation.method) {
            notes.append(
                "\(operation.method) is unavailable on this daemon (its plugin is not loaded): "
                    + "its requests are counted as errors")
        }
        let runTag = String(UInt64(Date().timeIntervalSince1970 * 10) % 1_000_000_000, radix: 36).uppercased()
        let parcels = served.contains("parcels.list")
        let needsUnits = operations.contains { $0.needsPlace }
        var place: (units: [String], names: [String]) = ([], [])
        if needsUnits {
            place = try await unitsAndNames(setup: setup, parcels: parcels)
        }
        var codes: [String] = []
        if operations.contains(.pickup), parcels {
            codes = try await heldCodes(setup: setup, place: place, runTag: runTag)
        }
        var badgeNumbers: [String] = []
        if operations.contains(.verify) {
            badgeNumbers = try await storedBadges(setup: setup, served: served)
        }
        var slots: [String] = []
        if operations.contains(.book), served.contains("meetings.rooms.list") {
            let rooms = try await setup.call("meetings.rooms.list")["rooms"]?.arrayValue ?? []
            var random = SeededRandom(seed: seed &+ 11)
            var taken: Set<String> = []
            if let stateDir {
                // Slots an earlier run booked: a second run on the same directory skips them.
                let queue = try StateDatabase.openReadOnly(stateDirectory: stateDir)
                let from = Int64(Date().timeIntervalSince1970 * 1000)
                taken = try await queue.read { db in
                    guard try db.tableExists("meetings_bookings") else { return [] }
                    let rows = try Row.fetchAll(
                        db,
                        sql:
                            "SELECT room, start_ms FROM meetings_bookings WHERE status <> 'cancelled' AND start_ms > ?",
                        arguments: [from])
                    return Set(rows.map { MeetingsSlots.key(room: $0["room"], startMs: $0["start_ms"]) })
                }
            }
            slots = MeetingsSlots.bookings(rooms: rooms, limit: requests ?? 200_000, taken: taken, random: &random)
            if slots.isEmpty { notes.append("no active meeting room is open: seed the state directory first") }
        }
        let days = operations.contains(.agenda) ? MeetingsSlots.days() : []
        await setup.close()

        let budget = requests.map(RequestBudget.init)
        let data = WorkloadData(
            kind: workload, units: place.units, names: place.names, badges: badges, badgeNumbers: badgeNumbers,
            codes: codes, slots: slots, days: days, month: CasesSeeder.reportMonth(), budget: budget, runTag: runTag,
            mix: mix)
        let warm = warmup ?? BenchDuration(nanoseconds: duration == nil ? 0 : 1_000_000_000)
        let settings = LoadSettings(
            socket: socket, connections: connections, pipeline: pipeline, warmup: UInt64(warm.nanoseconds),
            duration: duration.map { UInt64($0.nanoseconds) }, timeout: UInt64(timeout.nanoseconds), hold: hold,
            seed: seed)
        let outcome = try await LoadClient.run(settings: settings, data: data, threads: threads)
        return Report(
            workload: workload, settings: settings, clientThreads: min(threads, connections), requested: requests,
            outcome: outcome,
            notes: notes)
    }

    /// The methods the daemon lists as available.
    private func servedMethods(_ setup: SetupClient) async throws -> Set<String> {
        let result = try await setup.call("daemon.methods")
        var names: Set<String> = []
        for method in result["methods"]?.arrayValue ?? [] where method["available"]?.boolValue ?? true {
            if let name = method["name"]?.stringValue { names.insert(name) }
        }
        return names
    }

    /// Numbers of stored badges: from the database, else sampled with `access.badges.list`.
    private func storedBadges(setup: SetupClient, served: Set<String>) async throws -> [String] {
        if let stateDir {
            let queue = try StateDatabase.openReadOnly(stateDirectory: stateDir)
            return try await queue.read { db in
                guard try db.tableExists("access_badges") else { return [] }
                return try String.fetchAll(db, sql: "SELECT number FROM access_badges")
            }
        }
        guard served.contains("access.badges.list") else { return [] }
        var numbers: [String] = []
        var cursor: JSONValue = .null
        for _ in 0..<20 {
            var members: [String: JSONValue] = ["limit": 500]
            if case .string = cursor { members["cursor"] = cursor }
            let page = try await setup.call("access.badges.list", .object(members))
            numbers += (page["badges"]?.arrayValue ?? []).compactMap { $0["number"]?.stringValue }
            cursor = page["nextCursor"] ?? .null
            if cursor == .null { break }
        }
        return numbers
    }

    /// Units that have parcels and names to address items to: from the database, else sampled
    /// over the socket, else generated as the seed generates them.
    private func unitsAndNames(setup: SetupClient, parcels: Bool) async throws -> (units: [String], names: [String]) {
        var units: [String] = []
        var names: [String] = []
        if let stateDir {
            let queue = try StateDatabase.openReadOnly(stateDirectory: stateDir)
            (units, names) = try await queue.read { db in
                guard try db.tableExists("parcels_items") else { return ([], []) }
                let units = try String.fetchAll(db, sql: "SELECT DISTINCT unit FROM parcels_items")
                let names = try String.fetchAll(db, sql: "SELECT DISTINCT recipient FROM parcels_items LIMIT 20000")
                return (units, names)
            }
        } else if parcels {
            var seenUnits: Set<String> = []
            var seenNames: Set<String> = []
            var cursor: JSONValue = .null
            for _ in 0..<20 {
                var params: JSONValue = ["limit": 500]
                if case .string = cursor, case .object(var members) = params {
                    members["cursor"] = cursor
                    params = .object(members)
                }
                let page = try await setup.call("parcels.list", params)
                for item in page["items"]?.arrayValue ?? [] {
                    if let unit = item["unit"]?.stringValue { seenUnits.insert(unit) }
                    if let name = item["recipient"]?.stringValue { seenNames.insert(name) }
                }
                cursor = page["nextCursor"] ?? .null
                if cursor == .null { break }
            }
            units = seenUnits.sorted()
            names = seenNames.sorted()
        }
        if units.isEmpty || names.isEmpty {
            let property = Property(units: units.isEmpty ? self.units : 1000, seed: seed)
            if units.isEmpty { units = property.units }
            if names.isEmpty { names = property.residents.flatMap { $0 } }
        }
        return (units, names)
    }

    /// Codes of held items for the pickups: from the database, else received now.
    private func heldCodes(setup: SetupClient, place: (units: [String], names: [String]), runTag: String) async throws
        -> [String]
    {
        var random = SeededRandom(seed: seed &+ 7)
        if let stateDir {
            let queue = try StateDatabase.openReadOnly(stateDirectory: stateDir)
            var codes = try await queue.read { db in
                try String.fetchAll(db, sql: "SELECT code FROM parcels_items WHERE status IN ('held','notified')")
            }
            codes.shuffle(using: &random)
            return codes
        }
        let wanted = prepare ?? (workload == .counter ? 1000 : requests ?? 20_000)
        guard wanted > 0 else { return [] }
        let batch = 200
        let started = Date()
        let codes = try await withThrowingTaskGroup(of: [String].self) { group in
            var made = 0
            var batchNumber = 0
            var codes: [String] = []
            var running = 0
            while made < wanted || running > 0 {
                if made < wanted, running < 8 {
                    let count = min(batch, wanted - made)
                    var items: [JSONValue] = []
                    for offset in 0..<count {
                        items.append([
                            "kind": "parcel", "carrier": "SF",
                            "tracking": .string("SF\(runTag)P\(made + offset)"),
                            "unit": .string(place.units[random.index(place.units.count)]),
                            "recipient": .string(place.names[random.index(place.names.count)]),
                        ])
                    }
                    made += count
                    batchNumber += 1
                    running += 1
                    let params: JSONValue = ["items": .array(items)]
                    group.addTask {
                        let result = try await setup.call("parcels.receiveBatch", params)
                        return (result["items"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
                    }
                } else if let received = try await group.next() {
                    codes += received
                    running -= 1
                }
            }
            return codes
        }
        if !json {
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(
                Data("received \(codes.count) items to pick up in \(String(format: "%.1f", seconds)) s\n".utf8))
        }
        return codes.shuffled(using: &random)
    }
}

/// The per-process limit on open files, raised for many connections.
enum FileLimit {
    /// Raises the soft limit to at least `count` (up to the hard limit).
    static func raise(to count: Int) throws {
        var limit = rlimit()
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = rlim_t(count)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        guard setrlimit(resource, &limit) == 0, limit.rlim_cur >= wanted else {
            throw BenchError(
                "cannot raise the open file limit to \(count) (hard limit \(limit.rlim_max)): try ulimit -n")
        }
    }
}

/// The daemon's database file in a state directory.
enum StateDatabase {
    /// `<state-dir>/receptiond.sqlite`.
    static func path(stateDirectory: String) -> String {
        stateDirectory + "/receptiond.sqlite"
    }

    /// Opens the database read-only (beside a running daemon: WAL readers do not block it).
    static func openReadOnly(stateDirectory: String) throws -> DatabaseQueue {
        let file = path(stateDirectory: stateDirectory)
        guard FileManager.default.fileExists(atPath: file) else {
            throw BenchError("no database at \(file)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: file, configuration: configuration)
    }
}
