import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

extension FaultSuite {
    /// The database's file system failing under a running daemon: a full disk, a WAL that cannot
    /// be written, a write lock held by someone else. Each time writes answer `storage` (-32006),
    /// promptly and without a crash, reads go on, and writes work again once the fault is gone,
    /// with no restart. The full disk and the immutable WAL need root (mount, chattr, a loop
    /// device) and say so when skipped; CI runs as root.
    @Suite("Storage faults: storage errors, reads go on, recovery without a restart", FaultSuite.timeLimit)
    struct StorageFaultTests {
        /// A note of `length` characters.
        static func noteText(_ index: Int, length: Int = 400) -> String {
            let head = "note \(index) "
            return head + String(repeating: "x", count: max(0, length - head.count))
        }

        /// `example.note.add`: the note's id, or the error (a hang or a dropped connection throws).
        static func addNote(_ client: RPCConnection, _ text: String, timeout: Duration = .seconds(30)) throws
            -> Result<Int64, RPCError>
        {
            try client.attempt("example.note.add", ["text": .string(text)], timeout: timeout).map {
                $0["id"]?.intValue ?? -1
            }
        }

        /// The ids `example.note.list` shows (the newest 1000).
        static func listedIDs(_ client: RPCConnection) throws -> Set<Int64> {
            Set(
                (try client.call("example.note.list", ["limit": 1000])["notes"]?.arrayValue ?? []).compactMap {
                    $0["id"]?.intValue
                })
        }

        /// Stops the daemon, starts a fresh one on the same state and checks that `acknowledged`
        /// notes are all there and the file is sound.
        static func restartAndVerify(_ daemon: TestDaemon, state: String, acknowledged: [Int64]) throws {
            #expect(try daemon.stop() == 0, "a clean stop after the fault:\n\(daemon.log.suffix(2000))")
            let restarted = try TestDaemon(arguments: ["--state-dir", state])
            try restarted.start()
            let listed = try listedIDs(try restarted.connect())
            let missing = acknowledged.filter { !listed.contains($0) }
            #expect(missing.isEmpty, "acknowledged notes missing after a restart: \(missing.prefix(10))")
            #expect(try SQLiteFile(path: state + "/receptiond.sqlite").integrityCheck() == ["ok"])
            #expect(try restarted.stop() == 0)
        }

        @Test(
            "A full disk (a 4 MiB tmpfs): writes answer storage, reads go on, writes resume once space is freed",
            .enabled(if: ScratchMount.available, "needs root with mount and chattr (e2fsprogs) to make storage fail")
        )
        func fullDisk() throws {
            let rounds = SuiteMode.current.pick(short: 2, soak: 10)
            let mount = try ScratchMount.tmpfs(mebibytes: 4)
            defer { mount.unmount() }
            let daemon = try TestDaemon(arguments: ["--state-dir", mount.path])
            try daemon.start()
            let client = try daemon.counter()
            var acknowledged: [Int64] = []
            for index in 0..<20 { acknowledged.append(try Self.addNote(client, Self.noteText(index)).get()) }

            var storageErrors = 0
            var recoveries = 0
            for round in 1...rounds {
                let filled = try mount.fill(with: "filler")
                var refused: RPCError?
                var attempts = 0
                while refused == nil, attempts < 5_000 {
                    attempts += 1
                    switch try Self.addNote(client, Self.noteText(attempts)) {
                    case .success(let id): acknowledged.append(id)
                    case .failure(let error): refused = error
                    }
                }
                let error = try #require(
                    refused, "round \(round): \(attempts) writes succeeded on a full disk (\(filled) filler bytes)")
                #expect(
                    error.kind == .storage && error.code == -32006, "round \(round): the full disk answered \(error)")
                storageErrors += 1
                // Later writes are refused the same way, each promptly.
                for index in 0..<5 {
                    switch try Self.addNote(client, Self.noteText(index), timeout: .seconds(15)) {
                    case .success(let id): acknowledged.append(id)
                    case .failure(let again):
                        #expect(again.kind == .storage, "round \(round): \(again)")
                        storageErrors += 1
                    }
                }
                // Reads go on, and show every acknowledged note.
                let listed = try Self.listedIDs(client)
                #expect(
                    acknowledged.allSatisfy(listed.contains), "round \(round): acknowledged notes missing while full")
                #expect(try client.call("daemon.ping")["pong"] == .bool(true))
                #expect(daemon.isRunning)

                try FileManager.default.removeItem(atPath: mount.path + "/filler")
                var resumed: Int64?
                let recovered = try pollUntil(timeout: .seconds(15)) {
                    if case .success(let id) = try Self.addNote(client, "after the disk was freed") { resumed = id }
                    return resumed != nil
                }
                #expect(
                    recovered,
                    "round \(round): writes did not resume after space was freed:\n\(daemon.log.suffix(2000))")
                if let resumed {
                    acknowledged.append(resumed)
                    recoveries += 1
                }
            }
            try Self.restartAndVerify(daemon, state: mount.path, acknowledged: acknowledged)

            var figures = Figures("storage full disk")
            figures["tmpfs_mib"] = 4
            figures["faults"] = rounds
            figures["storage_errors"] = storageErrors
            figures["recovered"] = recoveries
            figures["restarts_needed"] = 0
            figures.emit()
        }

        @Test(
            "An immutable WAL (chattr +i, ext4): writes answer storage, reads go on, writes resume after chattr -i",
            .enabled(if: ScratchMount.loopAvailable, "needs mkfs.ext4 and /dev/loop-control for an ext4 loop image")
        )
        func immutableWAL() throws {
            let rounds = SuiteMode.current.pick(short: 2, soak: 10)
            let mount = try ScratchMount.ext4(mebibytes: 32)
            defer { mount.unmount() }
            let wal = mount.path + "/receptiond.sqlite-wal"
            let daemon = try TestDaemon(arguments: ["--state-dir", mount.path])
            try daemon.start()
            let client = try daemon.counter()
            var acknowledged: [Int64] = []
            for index in 0..<20 { acknowledged.append(try Self.addNote(client, Self.noteText(index)).get()) }
            #expect(FileManager.default.fileExists(atPath: wal))

            var storageErrors = 0
            var recoveries = 0
            for round in 1...rounds {
                try ScratchMount.run("chattr", ["+i", wal])
                var immutable = true
                defer { if immutable { _ = try? ScratchMount.run("chattr", ["-i", wal]) } }
                for index in 0..<3 {
                    switch try Self.addNote(client, Self.noteText(index), timeout: .seconds(15)) {
                    case .success(let id):
                        Issue.record("round \(round): a write succeeded into an immutable WAL (note \(id))")
                        acknowledged.append(id)
                    case .failure(let error):
                        #expect(
                            error.kind == .storage && error.code == -32006,
                            "round \(round): an immutable WAL answered \(error)")
                        storageErrors += 1
                    }
                }
                let listed = try Self.listedIDs(client)
                #expect(acknowledged.allSatisfy(listed.contains), "round \(round): reads lost acknowledged notes")
                #expect(daemon.isRunning)

                try ScratchMount.run("chattr", ["-i", wal])
                immutable = false
                var resumed: Int64?
                let recovered = try pollUntil(timeout: .seconds(15)) {
                    if case .success(let id) = try Self.addNote(client, "after chattr -i") { resumed = id }
                    return resumed != nil
                }
                #expect(recovered, "round \(round): writes did not resume after chattr -i:\n\(daemon.log.suffix(2000))")
                if let resumed {
                    acknowledged.append(resumed)
                    recoveries += 1
                }
            }
            try Self.restartAndVerify(daemon, state: mount.path, acknowledged: acknowledged)

            var figures = Figures("storage immutable WAL")
            figures["faults"] = rounds
            figures["storage_errors"] = storageErrors
            figures["recovered"] = recoveries
            figures["restarts_needed"] = 0
            figures.emit()
        }

        @Test(
            "A write lock held past the busy timeout: storage naming the lock, reads go on, writes resume after release"
        )
        func heldWriteLock() throws {
            let daemon = try TestDaemon()
            try daemon.start()
            let client = try daemon.counter()
            var acknowledged = [try Self.addNote(client, "before the lock").get()]
            let holder = try SQLiteFile(path: daemon.stateDirectory + "/receptiond.sqlite", writable: true)
            try holder.execute("BEGIN IMMEDIATE")
            var held = true
            defer { if held { try? holder.execute("ROLLBACK") } }

            let desk = PingProbe(socketPath: daemon.socketPath)
            desk.start()
            let clock = ContinuousClock()
            let started = clock.now
            let writes = runOnThreads(2) { index -> Result<Int64, RPCError> in
                if index == 0 { return try Self.addNote(client, "while the lock is held", timeout: .seconds(60)) }
                // A second desk reads and pings while the writer waits for the lock.
                let reader = try daemon.connect(timeout: .seconds(5))
                usleep(500_000)
                let readStarted = ContinuousClock.now
                _ = try Self.listedIDs(reader)
                _ = try reader.call("daemon.ping")
                let took = ContinuousClock.now - readStarted
                return took < .seconds(2) ? .success(0) : .failure(RPCError(.internal, "reads took \(took)"))
            }
            let waited = clock.now - started
            let pings = desk.stop()
            #expect(pings.failures == 0, "a desk's pings failed while the writer waited for the lock: \(pings)")
            let write = try writes[0].get()
            guard case .failure(let error) = write else {
                Issue.record("a write succeeded while another connection held the write lock: \(write)")
                return
            }
            #expect(error.kind == .storage && error.code == -32006, "a held lock answered \(error)")
            let message = error.message.lowercased()
            #expect(
                message.contains("lock") || message.contains("busy"),
                "the message does not name the lock: \(error.message)")
            #expect(throws: Never.self, "reads and pings went on while the lock was held") { try writes[1].get().get() }

            try holder.execute("ROLLBACK")
            held = false
            var resumed: Int64?
            let recovered = try pollUntil(timeout: .seconds(15)) {
                if case .success(let id) = try Self.addNote(client, "after the lock was released") { resumed = id }
                return resumed != nil
            }
            #expect(recovered, "writes did not resume after the lock was released")
            if let resumed { acknowledged.append(resumed) }
            let listed = try Self.listedIDs(client)
            #expect(acknowledged.allSatisfy(listed.contains), "acknowledged notes missing after the lock")
            #expect(try daemon.stop() == 0)

            var figures = Figures("storage held lock")
            figures["faults"] = 1
            figures["storage_errors"] = 1
            figures["refused_after_ms"] = Int(
                waited.components.seconds * 1000 + waited.components.attoseconds / 1_000_000_000_000_000)
            figures["recovered"] = recovered ? 1 : 0
            figures["restarts_needed"] = 0
            figures.add(pings: pings)
            figures.emit()
        }
    }
}
