import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Storage faults as clients and the operator see them: a failure repeated thousands of times
/// is logged once per cause per minute with a count, shows in `daemon.status` and `STATUS=`, and
/// its end is logged once; a WAL that cannot be checkpointed stops writes at `max_wal_bytes`
/// instead of filling the disk. Faults are made with `chattr +i` (as root) on the real files.
@Suite("Storage faults: bounded logs, the WAL limit", .serialized, .timeLimit(.minutes(3)))
struct StorageFloodTests {
    /// `chattr +i` / `-i` need root and an ext2/3/4-like file system.
    static let canMakeImmutable = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr")

    /// Sets or clears the immutable flag on `path`.
    static func immutable(_ path: String, _ on: Bool) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [on ? "+i" : "-i", path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestDaemonError("chattr \(on ? "+i" : "-i") \(path) exited \(process.terminationStatus)")
        }
    }

    /// Log lines of `log` after its first `offset` bytes.
    /// The log's lines after `offset`, without the access log's lines of committed writes
    /// (logged at info, one per write that succeeded: not about the fault).
    static func lines(of log: String, after offset: Int) -> [Substring] {
        log.utf8.count <= offset
            ? []
            : String(decoding: log.utf8.dropFirst(offset), as: UTF8.self).split(separator: "\n").filter {
                !$0.contains(" committed")
            }
    }

    @Test(
        "A read-only WAL: thousands of refused writes give a handful of log lines, their count in daemon.status and STATUS=, and one recovery line once the WAL is writable again",
        .enabled(if: canMakeImmutable, "needs root and chattr to make the WAL immutable"))
    func readOnlyWALIsLoggedOncePerCause() throws {
        let notify = try NotifyListener()
        let daemon = try TestDaemon(environment: notify.environment(), arguments: ["--log-level", "info"])
        try daemon.launch()
        try notify.waitFor("READY=1")
        let desk = try daemon.counter()
        try desk.call("example.note.add", ["text": "before the fault"])
        // The background stamp of that note is a write too: let it commit first.
        #expect(
            pollUntil {
                (try? desk.call("example.note.list"))?["notes"]?.arrayValue?.first?["stampedAt"] ?? .null != .null
            })
        let wal = daemon.stateDirectory + "/receptiond.sqlite-wal"
        #expect(FileManager.default.fileExists(atPath: wal))

        let logBefore = daemon.log.utf8.count
        try Self.immutable(wal, true)
        defer { if FileManager.default.fileExists(atPath: wal) { try? Self.immutable(wal, false) } }
        // Four desks writing as fast as they are answered, for three seconds.
        let refusals = runOnThreads(4) { index -> Int in
            let client = try daemon.counter(desk: "desk-\(index)")
            let end = ContinuousClock.now + .seconds(3)
            var refused = 0
            while ContinuousClock.now < end {
                if let error = try client.callError("example.note.add", ["text": "during the fault"]) {
                    guard error.kind == .storage else { throw TestDaemonError("expected storage, got \(error)") }
                    refused += 1
                }
            }
            return refused
        }
        let refused = try refusals.map { try $0.get() }.reduce(0, +)
        #expect(refused > 200, "only \(refused) writes were tried during the fault")
        let faultLines = Self.lines(of: daemon.log, after: logBefore)
        #expect(
            faultLines.count <= 6,
            "\(refused) refused writes gave \(faultLines.count) log lines:\n\(faultLines.prefix(10).joined(separator: "\n"))"
        )
        #expect(
            faultLines.contains { $0.contains("write transaction of") && $0.contains("failed") },
            "the first failure is logged at once")

        let status = try desk.call("daemon.status")["storage"]
        #expect(status?["writesRefused"] == true, "\(status?.serialized() ?? "")")
        let writes = status?["failures"]?.arrayValue?.first { $0["source"] == "writes" && $0["current"] == true }
        let count = try #require(writes?["count"]?.intValue, "\(status?.serialized() ?? "")")
        #expect(count >= Int64(refused), "daemon.status counts \(count), the desks were refused \(refused) times")
        #expect(Timestamp.parse(writes?["firstAt"]?.stringValue ?? "") != nil, "\(writes?.serialized() ?? "")")
        #expect(Timestamp.parse(writes?["lastAt"]?.stringValue ?? "") != nil)
        notify.collect(for: .milliseconds(1500))
        let failing = notify.messages.last { $0.hasPrefix("STATUS=") && $0.contains("storage failing:") }
        #expect(failing?.contains("writes refused") == true, "\(notify.messages.suffix(3))")

        // The fault is cleared: writes succeed again by themselves, and that is said once.
        try Self.immutable(wal, false)
        #expect(pollUntil { (try? desk.callError("example.note.add", ["text": "after the fault"])) == .some(nil) })
        #expect(try desk.call("daemon.status")["storage"]?["writesRefused"] == false)
        let recovered = Self.lines(of: daemon.log, after: logBefore).filter {
            $0.contains("storage writes succeed again after")
        }
        #expect(recovered.count == 1, "\(recovered)")
        let after = try desk.call("daemon.status")["storage"]?["failures"]?.arrayValue ?? []
        #expect(after.contains { $0["source"] == "writes" && $0["current"] == false && $0["recoveredAt"] != .null })
        notify.collect(for: .milliseconds(1500))
        #expect(notify.messages.last { $0.hasPrefix("STATUS=") }?.contains("storage failing") == false)
        try daemon.stop()
    }

    @Test(
        "Past max_wal_bytes with checkpoints failing, writes get storage naming the WAL size, the limit and the checkpoint's error; reads go on; writes resume once a checkpoint succeeds",
        .enabled(if: canMakeImmutable, "needs root and chattr to make the database file immutable"))
    func walLimitStopsWritesUntilACheckpointSucceeds() throws {
        let limit = 1 << 20
        let daemon = try TestDaemon(
            config: """
                [daemon]
                max_wal_bytes = \(limit)

                [plugins.example]
                max_note_length = 100000
                """, arguments: ["--log-level", "info"])
        try daemon.start()
        let desk = try daemon.counter()
        let text = JSONValue.string(String(repeating: "x", count: 50_000))
        try desk.call("example.note.add", ["text": text])
        let database = daemon.stateDirectory + "/receptiond.sqlite"
        let wal = database + "-wal"
        let logBefore = daemon.log.utf8.count
        try Self.immutable(database, true)
        defer { try? Self.immutable(database, false) }

        // Checkpoints now fail: the WAL grows with each note until the limit stops it.
        var accepted = 0
        var refusal: RPCError?
        while refusal == nil, accepted < 400 {
            if let error = try desk.callError("example.note.add", ["text": text]) {
                refusal = error
            } else {
                accepted += 1
            }
        }
        let error = try #require(refusal, "400 notes of 50 KB were accepted past a 1 MiB WAL limit")
        #expect(error.kind == .storage, "\(error)")
        #expect(error.message.contains("max_wal_bytes"), "\(error.message)")
        #expect(error.message.contains("1.0 MiB"), "\(error.message)")
        #expect(error.message.lowercased().contains("checkpoint failed"), "\(error.message)")
        #expect(error.details["maxWalBytes"]?.intValue == Int64(limit))
        #expect((error.details["walBytes"]?.intValue ?? 0) >= Int64(limit))
        #expect(accepted >= 5, "the limit should not stop writes long before 1 MiB (\(accepted) accepted)")
        // The WAL stopped at the limit, give or take the last group of writes.
        var info = stat()
        #expect(stat(wal, &info) == 0)
        #expect(Int(info.st_size) < limit + 512 * 1024, "WAL is \(info.st_size) bytes")
        // More writes are refused for two seconds, while the checkpoint keeps failing; the WAL
        // does not grow, and the log has a line per cause, not per failure.
        let end = ContinuousClock.now + .seconds(2)
        var refusedMore = 0
        while ContinuousClock.now < end {
            #expect(try desk.callError("example.note.add", ["text": "y"])?.kind == .storage)
            refusedMore += 1
        }
        let faultLines = Self.lines(of: daemon.log, after: logBefore)
        #expect(faultLines.count <= 4, "\(refusedMore) refusals gave:\n\(faultLines.joined(separator: "\n"))")
        #expect(faultLines.filter { $0.contains("WAL checkpoint failed") }.count == 1, "\(faultLines)")
        var later = stat()
        #expect(stat(wal, &later) == 0 && later.st_size == info.st_size, "the WAL grew while writes were refused")

        // Reads are served.
        let notes = try desk.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue ?? []
        #expect(notes.count == accepted + 1)
        let storage = try desk.call("daemon.status")["storage"]
        #expect(storage?["writesRefused"] == true)
        #expect(storage?["maxWalBytes"]?.intValue == Int64(limit))
        #expect((storage?["walBytes"]?.intValue ?? 0) >= Int64(limit), "\(storage?.serialized() ?? "")")
        #expect(
            storage?["failures"]?.arrayValue?.contains { $0["source"] == "checkpoint" && $0["current"] == true }
                == true,
            "\(storage?.serialized() ?? "")")

        let ctl = try CommandResult.run(
            TestDaemon.productsDirectory + "/receptionctl", ["--socket", daemon.socketPath, "status"])
        #expect(ctl.stdout.contains("WRITES REFUSED: WAL limit reached"), "\(ctl)")

        // The database file is writable again: the daemon's own retry checkpoints the WAL, with
        // no write to prompt it, and the next write is accepted.
        try Self.immutable(database, false)
        #expect(pollUntil { (try? desk.call("daemon.status"))?["storage"]?["writesRefused"] == false })
        #expect(try desk.callError("example.note.add", ["text": "after"]) == nil)
        let healthy = try desk.call("daemon.status")["storage"]
        #expect(healthy?["writesRefused"] == false, "\(healthy?.serialized() ?? "")")
        #expect(
            (healthy?["walBytes"]?.intValue ?? .max) < Int64(limit),
            "the WAL started over: \(healthy?.serialized() ?? "")")
        #expect(daemon.log.contains("WAL checkpoints succeed again after"))
        try daemon.stop()
    }

    @Test("max_wal_bytes below 1 MiB is refused at start, naming the key and its range")
    func walLimitIsBounded() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_wal_bytes = 4096\n")
        try daemon.launch()
        #expect(try daemon.waitForExit() == 78)
        #expect(
            daemon.log.contains("daemon.max_wal_bytes: must be between 1048576 and 1099511627776, got 4096"),
            "\(daemon.log)")
    }
}
