import CThreadCredentials
import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

extension FaultSuite {
    /// What one local user or one buggy script can make the daemon hold, and how long a
    /// well-behaved desk waits meanwhile (issue 10). Every case pings from a desk throughout
    /// (``PingProbe``), samples the daemon's memory (``ProcessProbe``), and checks that the
    /// memory goes back to within 20% of the idle baseline once the abusers have left.
    @Suite("Abuse: bounded memory and fair service", FaultSuite.timeLimit)
    struct AbuseCases {
        static let mode = SuiteMode.current
        /// How long each abuse lasts.
        static let duration: Duration = mode.pick(short: .seconds(5), soak: .seconds(60))

        /// The daemon's resident size once it has served a first request of each kind used.
        static func baseline(_ daemon: TestDaemon) throws -> Double {
            let desk = try daemon.connect()
            _ = try desk.call("daemon.methods")
            _ = try desk.call("daemon.status")
            desk.close()
            Thread.sleep(forTimeInterval: 1)
            return try #require(ProcessProbe.read(pid: daemon.pid)?.rssMiB)
        }

        /// Runs `abuse` with a pinging desk and a memory probe, then `leave`, and waits for the
        /// memory to come back. Returns the figures so far.
        static func measure(
            _ name: String, _ daemon: TestDaemon, abuse: () throws -> Void, leave: () -> Void
        ) throws -> (figures: Figures, pings: PingProbe.Latencies, memory: ProcessProbe.Memory, base: Double) {
            let base = try baseline(daemon)
            let memory = ProcessProbe(pid: daemon.pid)
            memory.start()
            let probe = PingProbe(socketPath: daemon.socketPath)
            probe.start()
            try abuse()
            let pings = probe.stop()
            let peak = memory.stop()
            leave()
            // The abusers have left once the daemon has let go of their connections (in a debug
            // build, closing a thousand with unread requests takes a while: NIO reads each to
            // EOF). Only this check's own connection may remain.
            let released = try pollUntil(timeout: .seconds(120)) {
                let checker = try daemon.connect()
                defer { checker.close() }
                return try checker.call("daemon.status")["connections"]?["current"]?.intValue == 1
            }
            #expect(released, "\(name): the daemon still holds the abusers' connections")
            var settled = ProcessProbe.read(pid: daemon.pid)?.rssMiB ?? .infinity
            let returned = pollUntil(timeout: .seconds(20)) {
                settled = ProcessProbe.read(pid: daemon.pid)?.rssMiB ?? .infinity
                return settled <= base * 1.2
            }
            var figures = Figures(name)
            figures["baseline_rss_mib"] = base
            figures.add(memory: peak)
            figures["after_rss_mib"] = settled
            figures.add(pings: pings)
            #expect(returned, "\(name): RSS \(settled) MiB after the abusers left, baseline \(base) MiB")
            #expect(pings.failures == 0, "\(name): \(pings)")
            // The target is 20 ms on this 2-core machine; the assertion leaves CI room.
            #expect(pings.p99Ms <= 50, "\(name): a desk waited: \(pings)")
            return (figures, pings, peak, base)
        }

        /// Floods every client with `chunk` for `duration`, round-robin, reading nothing.
        static func flood(_ clients: [AbusiveClient], with chunk: [UInt8], for duration: Duration) -> Int {
            var offsets = [Int](repeating: 0, count: clients.count)
            var total = 0
            let deadline = ContinuousClock.now + duration
            while ContinuousClock.now < deadline {
                var progress = false
                for (index, client) in clients.enumerated() {
                    let written = client.offer(chunk, offset: &offsets[index])
                    if written > 0 {
                        total += written
                        progress = true
                    }
                }
                if !progress { usleep(5000) }
            }
            return total
        }

        /// Opens `count` connections, raising this process's open-file limit if needed.
        static func connect(_ count: Int, to daemon: TestDaemon) throws -> [AbusiveClient] {
            var limit = rlimit()
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
            if limit.rlim_cur < rlim_t(count + 256) {
                limit.rlim_cur = min(limit.rlim_max, rlim_t(count + 256))
                setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
            }
            return try (0..<count).map { _ in try AbusiveClient(path: daemon.socketPath) }
        }

        @Test("200 clients pipelining daemon.ping without reading: memory bounded, a desk still answered in ms")
        func pingPipeliners() throws {
            let daemon = try TestDaemon(config: "[daemon]\nmax_connections = 400\ndrain_timeout_seconds = 600\n")
            try daemon.start()
            var abusers: [AbusiveClient] = []
            var sent = 0
            var (figures, _, memory, base) = try Self.measure(
                "ping pipeliners", daemon,
                abuse: {
                    abusers = try Self.connect(200, to: daemon)
                    sent = Self.flood(
                        abusers, with: AbusiveClient.requestLines("daemon.ping", count: 500), for: Self.duration)
                }, leave: { for abuser in abusers { abuser.close() } })
            figures["connections"] = 200
            figures["bytes_sent"] = sent
            figures.emit()
            // 200 connections at most reply_buffer_bytes (256 KiB) each: 50 MiB, plus buffers.
            #expect(memory.peakMiB - base < 128, "\(memory)")
            #expect(try daemon.stop() == 0)
        }

        @Test(
            "12 clients pipelining daemon.methods (24 KB replies) without reading: memory bounded, a desk still answered"
        )
        func methodsPipeliners() throws {
            let daemon = try TestDaemon(config: "[daemon]\ndrain_timeout_seconds = 600\n")
            try daemon.start()
            var abusers: [AbusiveClient] = []
            var (figures, _, memory, base) = try Self.measure(
                "methods pipeliners", daemon,
                abuse: {
                    abusers = try Self.connect(12, to: daemon)
                    _ = Self.flood(
                        abusers, with: AbusiveClient.requestLines("daemon.methods", count: 500), for: Self.duration)
                }, leave: { for abuser in abusers { abuser.close() } })
            figures["connections"] = 12
            figures.emit()
            // Was 585 MiB for one such client.
            #expect(memory.peakMiB - base < 64, "\(memory)")
            #expect(try daemon.stop() == 0)
        }

        @Test("1,000 connections pipelining daemon.methods without reading stay under 512 MiB")
        func thousandConnections() throws {
            let daemon = try TestDaemon(config: "[daemon]\nmax_connections = 1100\ndrain_timeout_seconds = 600\n")
            try daemon.start()
            var abusers: [AbusiveClient] = []
            var (figures, _, memory, _) = try Self.measure(
                "1000 connections", daemon,
                abuse: {
                    abusers = try Self.connect(1000, to: daemon)
                    _ = Self.flood(
                        abusers, with: AbusiveClient.requestLines("daemon.methods", count: 100), for: Self.duration)
                }, leave: { for abuser in abusers { abuser.close() } })
            figures["connections"] = 1000
            figures.emit()
            #expect(memory.peakMiB < 512, "\(memory)")
            #expect(try daemon.stop() == 0)
        }

        @Test("A batch of 1,000 large list requests answers within max_reply_bytes, not with a line of hundreds of MB")
        func batchAmplification() throws {
            let daemon = try TestDaemon(config: AbusiveClient.longNotesConfig)
            try daemon.start()
            let writer = try daemon.counter()
            let text = String(repeating: "票", count: 5_000)  // 15 KB of UTF-8
            for _ in 1...20 { _ = try writer.call("example.note.add", ["text": .string(text)]) }
            writer.close()
            let batch =
                "[" + (1...1000).map { requestLine(id: .int(Int64($0)), "example.note.list") }.joined(separator: ",")
                + "]"
            var replyBytes = 0
            var refused = 0
            var served = 0
            var seconds = 0.0
            var (figures, _, _, _) = try Self.measure(
                "batch amplification", daemon,
                abuse: {
                    let client = try daemon.connect()
                    let started = ContinuousClock.now
                    for _ in 0..<Self.mode.pick(short: 3, soak: 30) {
                        try client.send(line: batch)
                        let line = try #require(try client.readLine(timeout: .seconds(120)))
                        replyBytes = max(replyBytes, line.utf8.count)
                        let answers = try #require(try JSONValue.parse(line).arrayValue)
                        #expect(answers.count == 1000)
                        refused = answers.filter { $0.errorKind == "limit" }.count
                        served = answers.filter { $0["result"] != nil }.count
                    }
                    seconds = Double((ContinuousClock.now - started).components.seconds)
                    client.close()
                }, leave: {})
            figures["batch_elements"] = 1000
            figures["batch_line_bytes"] = batch.utf8.count
            figures["reply_bytes"] = replyBytes
            figures["served"] = served
            figures["refused_limit"] = refused
            figures["seconds"] = seconds
            figures.emit()
            // 1,000 lists of 300 KB would be 300 MB; the limit is 4 MiB.
            #expect(replyBytes <= 4_194_304 + 1000 * 400, "a \(replyBytes)-byte reply")
            #expect(served >= 1 && refused == 1000 - served)
            #expect(try daemon.stop() == 0)
        }

        @Test("Text of 90,000 mixed combining marks is refused by its shape before any normalisation, in milliseconds")
        func combiningMarks() throws {
            let daemon = try TestDaemon(config: AbusiveClient.longNotesConfig)
            try daemon.start()
            // Alternating U+0301 and U+0316: the mix that makes canonical ordering quadratic
            // (100,000 marks took 5.7 s on the writer thread, holding up every desk's writes).
            var text = "a"
            for index in 0..<90_000 { text.unicodeScalars.append(index % 2 == 0 ? "\u{0301}" : "\u{0316}") }
            var slowest = Duration.zero
            var refusals = 0
            let count = Self.mode.pick(short: 20, soak: 500)
            var (figures, _, _, _) = try Self.measure(
                "combining marks", daemon,
                abuse: {
                    let client = try daemon.counter()
                    for _ in 0..<count {
                        let started = ContinuousClock.now
                        let error = try client.callError("example.note.add", ["text": .string(text)])
                        slowest = max(slowest, ContinuousClock.now - started)
                        if error?.kind == .validation, error?.field == "text" { refusals += 1 }
                    }
                    client.close()
                }, leave: {})
            figures["requests"] = count
            figures["refused"] = refusals
            figures["slowest_ms"] =
                Double(slowest.components.attoseconds) / 1e15 + Double(slowest.components.seconds) * 1000
            figures.emit()
            #expect(refusals == count)
            #expect(slowest < .seconds(1), "a refusal took \(slowest)")
            #expect(try daemon.stop() == 0)
        }

        @Test("A subscriber that pipelines requests and reads everything is never dropped")
        func readingSubscriber() throws {
            let daemon = try TestDaemon(config: "[daemon]\nsubscriber_buffer_bytes = 65536\n")
            try daemon.start()
            var replies = 0
            var events = 0
            var dropped = 0
            let rounds = Self.mode.pick(short: 3, soak: 50)
            var (figures, _, _, _) = try Self.measure(
                "reading subscriber", daemon,
                abuse: {
                    let subscriber = try daemon.connect()
                    _ = try subscriber.call("events.subscribe", ["topics": ["example"]])
                    let writer = try daemon.counter()
                    for _ in 0..<rounds {
                        try subscriber.send(bytes: AbusiveClient.requestLines("daemon.methods", count: 400))
                        for note in 1...20 { _ = try writer.call("example.note.add", ["text": .string("n\(note)")]) }
                        var roundReplies = 0
                        var roundEvents = 0
                        while roundReplies < 400 || roundEvents < 20 {
                            let line = try subscriber.readJSONLine(timeout: .seconds(30))
                            if line["result"] != nil { roundReplies += 1 }
                            if line["method"]?.stringValue == "event" { roundEvents += 1 }
                            if line["method"]?.stringValue == "events.dropped" {
                                dropped += 1
                                break
                            }
                        }
                        replies += roundReplies
                        events += roundEvents
                        if dropped > 0 { break }
                    }
                }, leave: {})
            figures["replies"] = replies
            figures["events"] = events
            figures["dropped"] = dropped
            figures.emit()
            #expect(dropped == 0)
            #expect(replies == 400 * rounds && events == 20 * rounds)
            #expect(try daemon.stop() == 0)
        }

        @Test(
            "Slow-loris: 300 trickling connections of one user get 64 slots, are cut off by the line timeout, and another user is served throughout",
            .enabled(if: getuid() == 0, "connecting as other users (per-thread setresuid) needs root"))
        func slowLoris() throws {
            let daemon = try TestDaemon(config: "[daemon]\nline_timeout_seconds = 5\n")
            try daemon.start()
            #expect(OtherUser.openUp(daemon))
            var tricklers: [AbusiveClient] = []
            var refused = 0
            var otherServed = 0
            var otherFailed = 0
            var closedByTimeout = 0
            var (figures, _, _, _) = try Self.measure(
                "slow-loris", daemon,
                abuse: {
                    let watcher = try daemon.connect()
                    let refusedBefore = try watcher.call("daemon.status")["connections"]?["refused"]?.intValue ?? 0
                    let opened: [AbusiveClient] = try Self.asUser(65534) {
                        try Self.connect(300, to: daemon)
                    }
                    // Refused connections get one limit line and EOF: wait until the daemon has
                    // refused all it will (on a loaded machine that takes a moment).
                    _ = try pollUntil(timeout: .seconds(20)) {
                        let now = try watcher.call("daemon.status")["connections"]?["refused"]?.intValue ?? 0
                        return now - refusedBefore >= 236
                    }
                    watcher.close()
                    Thread.sleep(forTimeInterval: 0.3)
                    for client in opened {
                        let (bytes, closed) = client.drain(timeout: .milliseconds(1))
                        if closed, String(decoding: bytes, as: UTF8.self).contains("too many connections") {
                            refused += 1
                        } else {
                            tricklers.append(client)
                        }
                    }
                    // One byte each per second: before the fix this held every slot for ever.
                    let deadline = ContinuousClock.now + .seconds(8)
                    while ContinuousClock.now < deadline {
                        for client in tricklers { _ = client.write([UInt8(ascii: "{")], timeout: .milliseconds(1)) }
                        // Another (non-admin) user connects and is served.
                        do {
                            let other = try Self.asUser(65533) { try daemon.connect() }
                            if try other.call("daemon.ping")["pong"]?.boolValue == true { otherServed += 1 }
                            other.close()
                        } catch {
                            otherFailed += 1
                        }
                        Thread.sleep(forTimeInterval: 1)
                    }
                    for client in tricklers {
                        let (bytes, closed) = client.drain(timeout: .milliseconds(1))
                        if closed, String(decoding: bytes, as: UTF8.self).contains("line timeout") {
                            closedByTimeout += 1
                        }
                    }
                }, leave: { for client in tricklers { client.close() } })
            figures["attempted"] = 300
            figures["accepted"] = tricklers.count
            figures["refused"] = refused
            figures["closed_by_line_timeout"] = closedByTimeout
            figures["other_user_served"] = otherServed
            figures["other_user_failed"] = otherFailed
            figures.emit()
            #expect(tricklers.count == 64 && refused == 236)
            #expect(closedByTimeout == tricklers.count)
            #expect(otherFailed == 0 && otherServed >= 5)
            #expect(try daemon.stop() == 0)
        }

        /// Runs `body` on a thread of its own whose effective uid and gid are `uid` (root only).
        static func asUser<T: Sendable>(_ uid: Int, _ body: @escaping @Sendable () throws -> T) throws -> T {
            let result = NSLockedResult<T>()
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                defer { done.signal() }
                guard reception_thread_set_effective(uid, uid) == 0 else {
                    result.set(.failure(TestDaemonError("cannot become uid \(uid): errno \(errno)")))
                    return
                }
                result.set(Result { try body() })
                _ = reception_thread_restore_root()
            }
            thread.start()
            done.wait()
            return try result.get()
        }
    }
}

/// A result handed from one thread to another.
final class NSLockedResult<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value: Result<T, any Error> = .failure(TestDaemonError("no result"))
    func set(_ new: Result<T, any Error>) { lock.withLock { value = new } }
    func get() throws -> T { try lock.withLock { value }.get() }
}
