import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

extension FaultSuite {
    /// The durability promise of protocol.md ("a reply that says success is sent only after the
    /// change is durably committed"), tested by killing the daemon under load from several desks:
    /// whatever moment the signal lands, every acknowledged write is there after a restart and
    /// the file is sound.
    @Suite("Crash rounds: kill -9 and SIGTERM under multi-connection writes", FaultSuite.timeLimit)
    struct CrashRoundsTests {
        /// The parcels plugin, whose receives and pickups are the load.
        static let plugins: [String: TestDaemon.PluginFile] = ["parcels": .product("libreceptiond-parcels.so")]
        /// Connections receiving at once (one more picks up).
        static let receivers = 6

        /// A daemon with the parcels plugin on `state`, started.
        static func daemon(on state: ScratchDirectory) throws -> TestDaemon {
            let daemon = try TestDaemon(plugins: plugins, arguments: ["--state-dir", state.path])
            try daemon.start()
            return daemon
        }

        /// The writes acknowledged so far, over all rounds.
        struct Acknowledged {
            var received: [WriteLoad.Received] = []
            var collected: [String] = []
        }

        /// Checks, through a fresh daemon on the same state, that every acknowledged receive is
        /// listed (and every acknowledged pickup is `collected`), and that the file passes
        /// `PRAGMA integrity_check`. Returns how many acknowledged writes are missing.
        static func verify(_ acknowledged: Acknowledged, on daemon: TestDaemon, round: Int, state: ScratchDirectory)
            throws -> Int
        {
            let client = try daemon.connect(timeout: .seconds(60))
            defer { client.close() }
            let statuses = try client.parcelStatusByTracking()
            let missing = acknowledged.received.filter { statuses[$0.tracking] == nil }
            let uncollected = acknowledged.collected.filter { statuses[$0] != "collected" }
            #expect(
                missing.isEmpty,
                "round \(round): \(missing.count) acknowledged receives lost, e.g. \(missing.prefix(5))")
            #expect(
                uncollected.isEmpty,
                "round \(round): \(uncollected.count) acknowledged pickups not collected, e.g. \(uncollected.prefix(5).map { ($0, statuses[$0] ?? "missing") })"
            )
            let integrity = try SQLiteFile(path: state.path + "/receptiond.sqlite").integrityCheck()
            #expect(integrity == ["ok"], "round \(round): integrity_check says \(integrity)")
            return missing.count + uncollected.count
        }

        @Test("kill -9 at a random moment under 7 writing desks loses no acknowledged receive or pickup")
        func killNineRounds() throws {
            let mode = SuiteMode.current
            let rounds = mode.pick(short: 3, soak: 30)
            let seed = SeededRandom.runSeed
            print("kill-9 rounds: seed \(seed) (\(SeededRandom.seedVariable)=\(seed) replays the kill moments)")
            var random = SeededRandom(seed: seed)
            let state = try ScratchDirectory(prefix: "k9")
            var daemon = try Self.daemon(on: state)
            var acknowledged = Acknowledged()
            var lost = 0
            for round in 1...rounds {
                let load = WriteLoad(socketPath: daemon.socketPath, label: "k\(round)", receivers: Self.receivers)
                try load.start()
                // Kill somewhere in the first seconds of writing: early (a fresh WAL) and late alike.
                let millis = mode.pick(
                    short: Int.random(in: 200...1_200, using: &random),
                    soak: Int.random(in: 200...4_000, using: &random))
                usleep(useconds_t(millis * 1000))
                daemon.signal(SIGKILL)
                let status = try daemon.waitForExit()
                let outcome = try load.finish()
                #expect(status == SIGKILL, "round \(round): the daemon was killed by signal 9, status \(status)")
                #expect(outcome.errors.isEmpty, "round \(round): valid writes were refused: \(outcome.errors)")
                #expect(
                    !outcome.received.isEmpty,
                    "round \(round): nothing was acknowledged in \(millis) ms:\n\(daemon.log)")
                acknowledged.received += outcome.received
                acknowledged.collected += outcome.collected
                daemon = try Self.daemon(on: state)
                lost += try Self.verify(acknowledged, on: daemon, round: round, state: state)
            }
            #expect(try daemon.stop() == 0)
            var figures = Figures("kill-9 rounds")
            figures["rounds"] = rounds
            figures["connections"] = Self.receivers + 1
            figures["acknowledged_receives"] = acknowledged.received.count
            figures["acknowledged_pickups"] = acknowledged.collected.count
            figures["lost_writes"] = lost
            figures["integrity"] = "ok_\(rounds)/\(rounds)"
            figures["seed"] = seed
            figures.emit()
        }

        @Test("SIGTERM under 7 writing desks exits 0 and loses no acknowledged write")
        func sigtermRounds() throws {
            let mode = SuiteMode.current
            let rounds = mode.pick(short: 2, soak: 10)
            let seed = SeededRandom.runSeed
            print("SIGTERM rounds: seed \(seed) (\(SeededRandom.seedVariable)=\(seed) replays the signal moments)")
            var random = SeededRandom(seed: seed)
            let state = try ScratchDirectory(prefix: "st")
            var daemon = try Self.daemon(on: state)
            var acknowledged = Acknowledged()
            var lost = 0
            var refusedWhileStopping = 0
            var longestStop: Duration = .zero
            for round in 1...rounds {
                let load = WriteLoad(socketPath: daemon.socketPath, label: "t\(round)", receivers: Self.receivers)
                try load.start()
                let millis = Int.random(in: 200...mode.pick(short: 1_000, soak: 3_000), using: &random)
                usleep(useconds_t(millis * 1000))
                let clock = ContinuousClock()
                let signalled = clock.now
                daemon.signal(SIGTERM)
                let status = try daemon.waitForExit()
                longestStop = max(longestStop, clock.now - signalled)
                let outcome = try load.finish()
                #expect(status == 0, "round \(round): exit status \(status) after SIGTERM:\n\(daemon.log.suffix(3000))")
                // Requests that arrive once the stop began are refused as `unavailable`; nothing else.
                #expect(
                    outcome.errors.keys.allSatisfy { $0 == "unavailable" },
                    "round \(round): refused with \(outcome.errors)")
                refusedWhileStopping += outcome.errors["unavailable"] ?? 0
                #expect(!outcome.received.isEmpty, "round \(round): nothing was acknowledged in \(millis) ms")
                acknowledged.received += outcome.received
                acknowledged.collected += outcome.collected
                daemon = try Self.daemon(on: state)
                lost += try Self.verify(acknowledged, on: daemon, round: round, state: state)
            }
            #expect(try daemon.stop() == 0)
            var figures = Figures("SIGTERM rounds")
            figures["rounds"] = rounds
            figures["connections"] = Self.receivers + 1
            figures["acknowledged_receives"] = acknowledged.received.count
            figures["acknowledged_pickups"] = acknowledged.collected.count
            figures["lost_writes"] = lost
            figures["refused_unavailable"] = refusedWhileStopping
            figures["longest_stop_ms"] =
                Int(longestStop.components.seconds * 1000 + longestStop.components.attoseconds / 1_000_000_000_000_000)
            figures.emit()
        }
    }
}
