import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

extension FaultSuite {
    /// Generated lines at the live socket: every method/param pair with wrong types, random
    /// batches, truncated lines, invalid UTF-8, deep nesting, huge numbers, random bytes. Every
    /// line the daemon writes back is a well-formed reply with the right id, notifications get
    /// none, and the daemon answers a ping after every chunk. The seed is printed;
    /// `RECEPTIOND_FAULT_SEED=<n>` replays a run.
    @Suite("Protocol fuzzer: every reply well-formed, the daemon never down", FaultSuite.timeLimit)
    struct ProtocolFuzzTests {
        /// All three department plugins, so every listed method is fuzzed.
        static let plugins: [String: TestDaemon.PluginFile] = [
            "example": .product("libreceptiond-example.so"), "parcels": .product("libreceptiond-parcels.so"),
            "access": .product("libreceptiond-access.so"),
        ]

        @Test("Fuzzed lines get well-formed replies with the ids sent, and the daemon stays up")
        func fuzz() throws {
            let mode = SuiteMode.current
            let seed = SeededRandom.runSeed
            print("protocol fuzzer: seed \(seed) (\(SeededRandom.seedVariable)=\(seed) replays it)")
            let daemon = try TestDaemon(plugins: Self.plugins)
            try daemon.start()
            let control = try daemon.connect()
            let shapes = FuzzGenerator.shapes(from: try control.call("daemon.methods"))
            #expect(shapes.count >= 30, "daemon.methods listed \(shapes.count) methods")
            var generator = FuzzGenerator(methods: shapes, seed: seed)

            // Every method/param pair once with a wrong type (every wrong type in a soak), then random lines.
            let pairs = generator.everyWrongType()
            let pairCount = Set(pairs.map { "\($0.method.name) \($0.param)" }).count
            var seen: Set<String> = []
            let wrong = mode.isSoak ? pairs : pairs.filter { seen.insert("\($0.method.name) \($0.param)").inserted }
            let total = wrong.count + mode.pick(short: 8_000, soak: 300_000)

            let memory = ProcessProbe(pid: daemon.pid)
            memory.start()
            let desk = PingProbe(socketPath: daemon.socketPath)
            desk.start()
            let runner = FuzzRunner(socketPath: daemon.socketPath)
            let chunkSize = 200
            var findings = FuzzRunner.Findings()
            var bytes = 0
            var crashes = 0
            var hangs = 0
            var families: [String: Int] = [:]
            let clock = ContinuousClock()
            let started = clock.now
            // Lines are made a chunk at a time: a soak's 300,000 (some of them 1 MiB) never sit in memory at once.
            for (chunk, start) in stride(from: 0, to: total, by: chunkSize).enumerated() {
                let slice = (start..<min(start + chunkSize, total)).map { index in
                    index < wrong.count ? generator.line(for: wrong[index]) : generator.next()
                }
                for input in slice {
                    bytes += input.bytes.count + 1
                    families[input.family, default: 0] += 1
                }
                let found = try runner.run(slice, seed: seed, chunk: chunk)
                findings.malformed += found.malformed
                findings.unexpected += found.unexpected
                findings.notifications += found.notifications
                findings.reports += found.reports.prefix(max(0, 20 - findings.reports.count))
                if found.hung { hangs += 1 }
                // Alive and answering after every chunk.
                guard daemon.isRunning else {
                    crashes += 1
                    Issue.record("seed \(seed): the daemon exited during chunk \(chunk):\n\(daemon.log.suffix(4000))")
                    break
                }
                let ping = try daemon.connect(timeout: .seconds(10))
                #expect(
                    try ping.call("daemon.ping")["pong"] == .bool(true), "seed \(seed): no pong after chunk \(chunk)")
                ping.close()
            }
            let elapsed = clock.now - started
            let rss = memory.stop()
            let pings = desk.stop()
            #expect(pings.failures == 0, "a well-behaved desk was not served during the fuzzing: \(pings)")
            #expect(crashes == 0)
            #expect(hangs == 0, "\(hangs) chunks went unanswered:\n\(findings.reports.joined(separator: "\n"))")
            #expect(
                findings.malformed == 0,
                "\(findings.malformed) malformed lines:\n\(findings.reports.joined(separator: "\n"))")
            #expect(
                findings.unexpected == 0,
                "\(findings.unexpected) unexpected replies:\n\(findings.reports.joined(separator: "\n"))")
            #expect(daemon.isRunning)
            if daemon.isRunning { #expect(try daemon.stop() == 0, "a clean stop after the fuzzing") }

            var figures = Figures("protocol fuzzer")
            figures["inputs"] = total
            figures["bytes_mib"] = Double(bytes) / 1_048_576
            figures["method_param_pairs"] = pairCount
            figures["wrong_type_inputs"] = wrong.count
            figures["crashes"] = crashes
            figures["hangs"] = hangs
            figures["malformed"] = findings.malformed
            figures["unexpected"] = findings.unexpected
            figures.add(memory: rss)
            figures.add(pings: pings)
            figures["seconds"] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            figures["seed"] = seed
            figures.emit()
            print("protocol fuzzer: inputs by family \(families.sorted { $0.key < $1.key })")
        }

        @Test("The fuzzer's checks catch what they look for: a bad envelope, a wrong id, a reply to a notification")
        func checksCatchBadReplies() throws {
            func lines(_ texts: String...) throws -> [JSONValue] { try texts.map { try JSONValue.parse($0) } }
            let good = #"{"jsonrpc":"2.0","id":7,"result":{"pong":true}}"#
            #expect(ReplyCheck.mismatch(try lines(good), .reply(.exactly(7))) == nil)
            #expect(ReplyCheck.mismatch(try lines(good), .reply(.exactly(8))) != nil)
            #expect(ReplyCheck.mismatch(try lines(good), .reply(.exactly(7), .anyError)) != nil)
            #expect(ReplyCheck.mismatch(try lines(good), .nothing) != nil)
            #expect(ReplyCheck.mismatch([], .reply(.null)) != nil)
            #expect(
                ReplyCheck.mismatch(try lines(#"{"jsonrpc":"2.0","id":7.0,"result":1}"#), .reply(.exactly(7))) == nil)
            #expect(
                ReplyCheck.mismatch(try lines(#"{"jsonrpc":"2.0","id":0,"result":1}"#), .reply(.exactly(.double(-0.0))))
                    != nil)
            for broken in [
                #"{"id":7,"result":1}"#, #"{"jsonrpc":"1.0","id":7,"result":1}"#, #"{"jsonrpc":"2.0","result":1}"#,
                #"{"jsonrpc":"2.0","id":7,"result":1,"error":{"code":1,"message":"m","data":{"kind":"k"}}}"#,
                #"{"jsonrpc":"2.0","id":7,"error":{"code":"x","message":"m","data":{"kind":"k"}}}"#,
                #"{"jsonrpc":"2.0","id":7,"error":{"code":-32600,"message":"m"}}"#,
                #"{"jsonrpc":"2.0","id":7,"result":1,"extra":true}"#,
            ] {
                #expect(
                    ReplyCheck.mismatch(try lines(broken), .reply(.exactly(7)))?.hasPrefix("malformed") == true,
                    "\(broken)")
            }
            let batch =
                #"[{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"m","data":{"kind":"invalid_request"}}}]"#
            #expect(ReplyCheck.mismatch(try lines(batch), .batch([.exactly(1), .null])) == nil)
            #expect(ReplyCheck.mismatch(try lines(batch), .batch([.exactly(1)])) != nil)
            #expect(ReplyCheck.mismatch(try lines(batch), .batch([.null, .exactly(1)])) != nil)
            // What protocol.md says gets a reply: a notification none, a broken one an error with id null.
            #expect(RequestRules.replyID(for: ["jsonrpc": "2.0", "method": "daemon.ping"]) == nil)
            #expect(RequestRules.replyID(for: ["jsonrpc": "2.0", "method": "daemon.ping", "params": [1]]) == nil)
            #expect(RequestRules.replyID(for: ["jsonrpc": "1.0", "method": "daemon.ping"])?.description == "null")
            #expect(RequestRules.replyID(for: ["method": "daemon.ping", "id": "a"])?.description == "\"a\" or null")
            #expect(
                RequestRules.replyID(for: ["jsonrpc": "2.0", "method": "x", "id": ["a": 1]])?.description == "null")
            #expect(
                ReplyCheck.rawID(in: #"{"error":{"code":-32600,"data":{"id":1}},"id":-0.0,"jsonrpc":"2.0"}"#) == "-0.0")
            #expect(ReplyCheck.rawID(in: #"{"jsonrpc":"2.0","id":"a,\"}","result":{"id":2}}"#) == #""a,\"}""#)
            #expect(ReplyCheck.rawID(in: #"{"jsonrpc":"2.0","id":1e-400,"result":[]}"#) == "1e-400")
        }

        @Test(
            "Ids the parser cannot hold exactly (-0.0, 1e-400) are echoed exactly or refused with -32600",
            arguments: ["-0.0", "1e-400"])
        func inexactIDs(id: String) throws {
            let daemon = try TestDaemon()
            try daemon.start()
            let client = try daemon.connect()
            try client.send(line: "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"daemon.ping\"}")
            let line = try #require(try client.readLine(timeout: .seconds(10)))
            let reply = try JSONValue.parse(line)
            #expect(ReplyCheck.problem(inReply: reply) == nil, "\(line)")
            let raw = ReplyCheck.rawID(in: line)
            let refused = raw == "null" && reply.errorCode == -32600
            // Exactly: the same text, or (for -0.0) any spelling of negative zero such as `-0`.
            let negativeZero =
                id.hasPrefix("-") && raw.flatMap(Double.init).map { $0 == 0 && $0.sign == .minus } == true
            #expect(raw == id || negativeZero || refused, "sent id \(id), the reply says \(raw ?? "?"): \(line)")
        }
    }
}
