import ArgumentParser
import Foundation
import GRDB
import GRDBSQLite
import ReceptionProtocol

/// `reception-bench floor`: what this machine's disk and SQLite cost for one durable receive,
/// without the daemon: the floor under the `receive` rows of the performance table.
struct FloorCommand: ParsableCommand {
    /// The subcommand's help.
    static let configuration = CommandConfiguration(
        commandName: "floor",
        abstract: "Measures the storage floor under durable writes: one fsync, and bare SQLite inserts.",
        discussion: """
            Copies the state directory's database (SQLite's online backup: safe beside a running daemon, whose \
            WAL cannot start over while the copy is made; the copy keeps the file's page layout) to a scratch file \
            in the same directory (there must be room for two copies), then measures, in this process alone: \
            (1) one 4 KiB page overwritten and fdatasync'ed; (2) parcels.receive's INSERT into parcels_items with \
            every index the parcels plugin made, random pickup codes and tracking numbers, GROUP rows per \
            transaction, WAL, synchronous=FULL: no socket, no JSON, no savepoint, no audit row, and no checkpoint \
            (the scratch WAL just grows). The scratch files are removed afterwards, also on Ctrl-C. The daemon \
            does all of (2) and more for each receive, so its durable receive cannot be faster than this.
            """)

    @Option(name: .customLong("state-dir"), help: "A seeded state directory (see `seed`).")
    var stateDir: String

    @Option(help: "Rows per transaction: the daemon's group size (50 connections reached about 25).")
    var group = 25

    @Option(help: "Rows to insert in all.")
    var rows = 5_000

    @Option(help: "Times to fsync one page.")
    var fsyncs = 500

    @Option(
        name: .customLong("drop-index"),
        help: "An index of parcels_items to drop from the copy first (repeatable): what fewer indexes would give.")
    var dropIndexes: [String] = []

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    /// Checks the numbers.
    func validate() throws {
        guard (1...1_000).contains(group) else { throw ValidationError("--group must be 1 to 1000") }
        guard (1...1_000_000).contains(rows) else { throw ValidationError("--rows must be 1 to 1,000,000") }
        guard (1...100_000).contains(fsyncs) else { throw ValidationError("--fsyncs must be 1 to 100,000") }
    }

    /// Copies the database, measures, removes the copy, prints the report.
    func run() throws {
        let source = StateDatabase.path(stateDirectory: stateDir)
        guard FileManager.default.fileExists(atPath: source) else { throw BenchError("no database at \(source)") }
        let scratch = stateDir + "/floor-\(getpid()).sqlite"
        try ScratchFiles.checkRoom(for: source, in: stateDir)
        ScratchFiles.removeOnInterrupt(scratch)
        defer { ScratchFiles.remove(scratch) }
        let copyStarted = Date()
        try StorageCopy.make(from: source, to: scratch)
        let copySeconds = Date().timeIntervalSince(copyStarted)
        // The copy's pages on disk first: its writeback would otherwise land in the first fsyncs.
        sync()
        let fsync = try FsyncFloor.measure(path: scratch + ".fsync", times: fsyncs)
        let insert = try InsertFloor.measure(database: scratch, rows: rows, group: group, dropping: dropIndexes)
        let report = FloorReport(
            fsync: fsync, insert: insert, copySeconds: copySeconds, database: source, dropped: dropIndexes)
        print(json ? report.json : report.table)
    }
}

/// The scratch copy's files: removed when the run ends, and on SIGINT or SIGTERM.
enum ScratchFiles {
    /// Everything SQLite and the fsync probe may make beside the copy.
    static let suffixes = ["", "-wal", "-shm", "-journal", ".fsync"]
    /// The files' paths as C strings, for the signal handler (set once, before it is installed).
    nonisolated(unsafe) private static var paths: [UnsafeMutablePointer<CChar>] = []

    /// Removes the scratch files of `scratch`.
    static func remove(_ scratch: String) {
        for suffix in suffixes { unlink(scratch + suffix) }
    }

    /// Removes the scratch files if the run is interrupted (only `unlink` and `_exit` in the handler).
    static func removeOnInterrupt(_ scratch: String) {
        paths = suffixes.compactMap { strdup(scratch + $0) }
        let handler: @convention(c) (Int32) -> Void = { signal in
            for path in ScratchFiles.paths { unlink(path) }
            _exit(128 + signal)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    /// Refuses to start unless the file system holds two more copies of `source` (the copy and
    /// its WAL), so a measurement never fills the daemon's disk.
    static func checkRoom(for source: String, in directory: String) throws {
        let size = ((try? FileManager.default.attributesOfItem(atPath: source))?[.size] as? NSNumber)?.int64Value ?? 0
        var stats = statvfs()
        guard statvfs(directory, &stats) == 0 else {
            throw BenchError("cannot read the free space of \(directory): \(String(cString: strerror(errno)))")
        }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        guard free >= 2 * size else {
            throw BenchError(
                "\(directory) has \(free / 1_048_576) MiB free; the copy and its WAL need about "
                    + "\(2 * size / 1_048_576) MiB")
        }
    }
}

/// Latencies in microseconds, sorted, with their percentiles.
struct Percentiles {
    private let sorted: [Double]

    /// Sorts `values`.
    init(_ values: [Double]) { sorted = values.sorted() }

    /// The `fraction` percentile (nearest rank); 0 when empty.
    func at(_ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// One 4 KiB page overwritten in place and made durable with `fdatasync`, `times` times.
enum FsyncFloor {
    /// Microseconds per page write + `fdatasync`.
    static func measure(path: String, times: Int) throws -> Percentiles {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BenchError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var page = [UInt8](repeating: 0x5A, count: 4096)
        // The page exists on disk before the measured overwrites.
        guard pwrite(descriptor, &page, page.count, 0) == page.count, fsync(descriptor) == 0 else {
            throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(times)
        for round in 0..<times {
            page[0] = UInt8(truncatingIfNeeded: round)
            let started = monotonicNanoseconds()
            guard pwrite(descriptor, &page, page.count, 0) == page.count, fdatasync(descriptor) == 0 else {
                throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            latencies.append(Double(monotonicNanoseconds() - started) / 1_000)
        }
        return Percentiles(latencies)
    }
}

/// The scratch copy of the state database.
enum StorageCopy {
    /// Copies `source` to `destination` with SQLite's online backup, page for page.
    static func make(from source: String, to destination: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let from = try DatabaseQueue(path: source, configuration: configuration)
        let to = try DatabaseQueue(path: destination)
        try from.backup(to: to)
        try from.close()
        try to.close()
    }
}

/// What bare SQLite does with parcels.receive's INSERT.
struct InsertFloor {
    /// Rows inserted.
    let rows: Int
    /// Rows per transaction.
    let group: Int
    /// Wall time of the whole run, in seconds.
    let seconds: Double
    /// User + system CPU time of this process over the run, in seconds.
    let cpuSeconds: Double
    /// WAL frames (pages) the commits wrote.
    let walFrames: Int
    /// Microseconds from `BEGIN` to the return of `COMMIT`, per transaction.
    let commits: Percentiles

    /// The WAL's frame count after the latest commit (nothing checkpoints, so it only grows).
    final class FrameCounter {
        /// Frames in the WAL, as SQLite passed them to the hook.
        var frames: Int32 = 0
    }

    /// Inserts `rows` items into the copy at `database`, `group` per transaction.
    static func measure(database: String, rows: Int, group: Int, dropping: [String]) throws -> InsertFloor {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // As the daemon's writer: durable commits, the file read through a mapping, an 8 MB
            // cache. No checkpoint: the daemon runs them on a thread of its own (the WAL hook
            // installed below also turns SQLite's automatic one off).
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -8000")
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        let queue = try DatabaseQueue(path: database, configuration: configuration)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction { db -> InsertFloor in
            guard try db.tableExists("parcels_items") else {
                throw BenchError("the database has no parcels_items table: seed it with the parcels plugin first")
            }
            for name in dropping {
                let table = try String.fetchOne(
                    db, sql: "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name])
                guard table == "parcels_items" else {
                    throw BenchError("--drop-index \(name): parcels_items has no index of that name")
                }
                try db.execute(sql: "DROP INDEX \"\(name)\"")
            }
            // Real recipients of real units, spread over the whole register.
            let people = try Row.fetchAll(
                db, sql: "SELECT unit, recipient FROM parcels_items WHERE id % 50 = 7 LIMIT 20000"
            ).map { (unit: $0["unit"] as String, recipient: $0["recipient"] as String) }
            guard !people.isEmpty else { throw BenchError("parcels_items is empty: seed it first") }
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO parcels_items (code, kind, recipient, unit, carrier, tracking, condition, shelf,
                        status, received_at, received_ms, received_by)
                    VALUES (?, 'parcel', ?, ?, '顺丰', ?, 'intact', 'F-1', 'held', ?, ?, 'floor')
                    """)
            let counter = FrameCounter()
            let context = Unmanaged.passUnretained(counter).toOpaque()
            if let handle = db.sqliteConnection {
                sqlite3_wal_hook(
                    handle,
                    { context, _, _, frames in
                        guard let context else { return SQLITE_OK }
                        Unmanaged<FrameCounter>.fromOpaque(context).takeUnretainedValue().frames = frames
                        return SQLITE_OK
                    }, context)
            }
            defer { if let handle = db.sqliteConnection { sqlite3_wal_hook(handle, nil, nil) } }
            var random = SystemRandomNumberGenerator()
            var latencies: [Double] = []
            // The WAL starts empty, so the hook's count is what the commits wrote.
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            let cpuBefore = processCPUSeconds()
            let started = monotonicNanoseconds()
            var written = 0
            while written < rows {
                let count = min(group, rows - written)
                let groupStarted = monotonicNanoseconds()
                try db.execute(sql: "BEGIN IMMEDIATE")
                var inserted = 0
                while inserted < count {
                    let person = people[Int.random(in: 0..<people.count, using: &random)]
                    let now = Date()
                    do {
                        try insert.execute(arguments: [
                            PickupAlphabet.random(length: 8, using: &random), person.recipient, person.unit,
                            "SF" + String(UInt64.random(in: 100_000_000_000...999_999_999_999, using: &random)),
                            Timestamp.format(now), Int64(now.timeIntervalSince1970 * 1000),
                        ])
                        inserted += 1
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                        continue  // a code or tracking number already held: draw again, as the plugin does
                    }
                }
                try db.execute(sql: "COMMIT")
                latencies.append(Double(monotonicNanoseconds() - groupStarted) / 1_000)
                written += count
            }
            let seconds = Double(monotonicNanoseconds() - started) / 1_000_000_000
            return withExtendedLifetime(counter) {
                InsertFloor(
                    rows: written, group: group, seconds: seconds, cpuSeconds: processCPUSeconds() - cpuBefore,
                    walFrames: Int(counter.frames), commits: Percentiles(latencies))
            }
        }
    }

    /// User + system CPU seconds of this process so far.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1_000_000
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1_000_000
        return user + system
    }
}

/// The floor's report: a table for people, `--json` for scripts.
struct FloorReport {
    /// One page + `fdatasync`, in microseconds.
    let fsync: Percentiles
    /// The inserts.
    let insert: InsertFloor
    /// How long the copy took.
    let copySeconds: Double
    /// The database copied.
    let database: String
    /// The indexes dropped from the copy before the inserts.
    let dropped: [String]

    private var rowsPerSecond: Double { Double(insert.rows) / max(insert.seconds, 1e-9) }
    private var wallPerRow: Double { insert.seconds * 1_000_000 / Double(max(insert.rows, 1)) }
    private var cpuPerRow: Double { insert.cpuSeconds * 1_000_000 / Double(max(insert.rows, 1)) }
    private var framesPerRow: Double { Double(insert.walFrames) / Double(max(insert.rows, 1)) }

    /// The human-readable table.
    var table: String {
        func number(_ value: Double, _ digits: Int = 0) -> String { Report.number(value, digits: digits) }
        let commit = insert.commits
        return [
            "database      copy of \(database) made in \(number(copySeconds, 1)) s",
            "fsync         one 4 KiB page + fdatasync: p50 \(number(fsync.at(0.5))) µs, "
                + "p99 \(number(fsync.at(0.99))) µs",
            "insert        parcels.receive's INSERT, \(insert.group) per transaction, synchronous=FULL, "
                + (dropped.isEmpty ? "every index" : "without \(dropped.joined(separator: ", "))"),
            "rows          \(number(Double(insert.rows))) in \(number(insert.seconds, 2)) s: "
                + "\(number(rowsPerSecond)) rows/s",
            "per row       \(number(wallPerRow)) µs wall, \(number(cpuPerRow)) µs CPU, "
                + "\(number(framesPerRow, 1)) WAL pages",
            "commit        p50 \(number(commit.at(0.5))) µs, p99 \(number(commit.at(0.99))) µs "
                + "(BEGIN to COMMIT, \(insert.group) rows)",
        ].joined(separator: "\n")
    }

    /// The same as one JSON object.
    var json: String {
        let object: [String: Any] = [
            "fsyncMicroseconds": ["p50": fsync.at(0.5), "p99": fsync.at(0.99)],
            "group": insert.group,
            "rows": insert.rows,
            "seconds": insert.seconds,
            "rowsPerSecond": rowsPerSecond,
            "wallMicrosecondsPerRow": wallPerRow,
            "cpuMicrosecondsPerRow": cpuPerRow,
            "walPagesPerRow": framesPerRow,
            "commitMicroseconds": ["p50": insert.commits.at(0.5), "p99": insert.commits.at(0.99)],
            "copySeconds": copySeconds,
            "droppedIndexes": dropped,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
