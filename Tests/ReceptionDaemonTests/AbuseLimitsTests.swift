import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// What one local client can make the daemon hold, and how long it can make others wait:
/// unread replies, batch amplification, trickled lines, too many connections (issue 10).
@Suite("Memory and fairness under abuse")
struct AbuseLimitsTests {
    @Test(
        "A client that pipelines daemon.methods (24 KB replies) and never reads costs the daemon at most reply_buffer_bytes of replies, not hundreds of MiB, and another desk is still answered"
    )
    func nonReadingPipeliner() throws {
        let daemon = try TestDaemon(config: "[daemon]\nreply_buffer_bytes = 65536\ndrain_timeout_seconds = 60\n")
        try daemon.start()
        let desk = try daemon.connect()
        _ = try desk.call("daemon.methods")  // the list is built once: count it in the baseline
        let baseline = try #require(ProcessProbe.read(pid: daemon.pid)?.rssMiB)
        let abuser = try AbusiveClient(path: daemon.socketPath)
        // 1 MB of requests would be 19,000 replies of 24 KB: 450 MB if all were answered at once.
        let taken = abuser.flood(AbusiveClient.requestLines("daemon.methods", count: 2_000), for: .seconds(3))
        let status = try desk.call("daemon.status")
        let grown = try #require(ProcessProbe.read(pid: daemon.pid)?.rssMiB) - baseline
        #expect(grown < 48, "the daemon grew by \(grown) MiB for one client that does not read")
        #expect(taken < 4_000_000, "the daemon kept reading: \(taken) bytes taken from a client that reads nothing")
        // What it holds for the abuser is its budget (plus the reply being framed).
        let held = try #require(status["memory"]?["replyBytes"]?.intValue)
        #expect(held <= 65_536 + 30_000, "\(held) bytes of replies held")
        // Once the abuser reads, every reply it was promised arrives whole.
        let (bytes, _) = abuser.drain(timeout: .seconds(2))
        let replies = AbusiveClient.lines(bytes)
        #expect(!replies.isEmpty)
        for reply in replies.prefix(3) { #expect(try JSONValue.parse(reply)["result"]?["methods"] != nil) }
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A client whose replies stay unread for drain_timeout_seconds is closed, and the log says why"
    )
    func drainTimeout() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nreply_buffer_bytes = 4096\ndrain_timeout_seconds = 1\n")
        try daemon.start()
        let abuser = try AbusiveClient(path: daemon.socketPath)
        abuser.flood(AbusiveClient.requestLines("daemon.methods", count: 200), for: .seconds(1))
        // Nothing read for well over a second: the daemon gives up on this client. (Reading is
        // progress, so the client reads only afterwards, to see the end of the connection.)
        Thread.sleep(forTimeInterval: 3)
        let (_, closed) = abuser.drain(timeout: .seconds(8))
        #expect(closed, "the connection of a client that never reads is still open")
        #expect(try pollUntil(timeout: .seconds(5)) { daemon.log.contains("bytes of replies unread for 1 s") })
        let desk = try daemon.connect()
        #expect(try desk.call("daemon.ping")["pong"]?.boolValue == true)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A batch of 50 large reads answers with the results that fit in max_reply_bytes and a limit error (id kept) for each of the rest; a write in the batch still gets its real reply"
    )
    func batchAmplification() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_reply_bytes = 65536\n" + AbusiveClient.longNotesConfig)
        try daemon.start()
        let desk = try daemon.counter()
        let text = String(repeating: "长", count: 2_000)  // 6 KB of UTF-8 per note
        for _ in 1...5 { _ = try desk.call("example.note.add", ["text": .string(text)]) }
        var elements = (1...50).map { requestLine(id: .int(Int64($0)), "example.note.list") }
        elements.append(requestLine(id: .int(51), "example.note.add", ["text": "after the lists"]))
        let reply = try desk.exchangeLine("[" + elements.joined(separator: ",") + "]", timeout: .seconds(30))
        let answers = try #require(reply.arrayValue)
        #expect(answers.count == 51)
        let served = answers.filter { $0["result"] != nil && $0["id"]?.intValue != 51 }
        let refused = answers.filter { $0.errorKind == "limit" }
        #expect(served.count >= 1 && served.count <= 3, "\(served.count) lists of 30 KB in a 64 KB reply")
        #expect(served.count + refused.count == 50)
        for answer in refused {
            #expect(answer["error"]?["data"]?["limit"]?.intValue == 65536)
            #expect(answer["id"]?.intValue != nil)
        }
        #expect(answers.last?["id"]?.intValue == 51)
        #expect(answers.last?["result"]?["text"]?.stringValue == "after the lists")
        #expect(reply.serialized().utf8.count < 65536 + 50 * 400)
        // The write was committed: it is in the notebook.
        let list = try desk.call("example.note.list")
        #expect(list["notes"]?.arrayValue?.first?["text"]?.stringValue == "after the lists")
        #expect(try daemon.stop() == 0)
    }

    @Test("A single read result larger than max_reply_bytes is answered with a limit error naming the limit")
    func oversizeReply() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_reply_bytes = 8192\n" + AbusiveClient.longNotesConfig)
        try daemon.start()
        let desk = try daemon.counter()
        for _ in 1...3 { _ = try desk.call("example.note.add", ["text": .string(String(repeating: "x", count: 4000))]) }
        let error = try #require(try desk.callError("example.note.list"))
        #expect(error.kind == .limit)
        #expect(error.message.contains("max_reply_bytes (8192)"))
        #expect(try desk.call("daemon.ping")["pong"]?.boolValue == true)
        #expect(try daemon.stop() == 0)
    }

    @Test("daemon.reload applies a new max_reply_bytes to the very next request")
    func reloadedReplyLimit() throws {
        let daemon = try TestDaemon(config: AbusiveClient.longNotesConfig)
        try daemon.start()
        let desk = try daemon.counter()
        for _ in 1...3 { _ = try desk.call("example.note.add", ["text": .string(String(repeating: "x", count: 4000))]) }
        #expect(try desk.callError("example.note.list") == nil)
        try daemon.rewriteConfig("[daemon]\nmax_reply_bytes = 8192\n" + AbusiveClient.longNotesConfig)
        _ = try desk.call("daemon.reload")
        let error = try #require(try desk.callError("example.note.list"))
        #expect(error.kind == .limit)
        #expect(error.message.contains("max_reply_bytes (8192)"))
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A subscriber that pipelines 400 requests with 24 KB replies and then reads them all is not dropped, and gets the event committed meanwhile"
    )
    func readingSubscriberIsKept() throws {
        let daemon = try TestDaemon(config: "[daemon]\nsubscriber_buffer_bytes = 65536\n")
        try daemon.start()
        let subscriber = try daemon.connect()
        _ = try subscriber.call("events.subscribe", ["topics": ["example"]])
        try subscriber.send(bytes: AbusiveClient.requestLines("daemon.methods", count: 400))
        Thread.sleep(forTimeInterval: 0.3)  // its replies pile up, unread
        let desk = try daemon.counter()
        _ = try desk.call("example.note.add", ["text": "while the subscriber was busy"])
        var replies = 0
        var events = 0
        var dropped = false
        while replies < 400 || events < 1 {
            let line = try subscriber.readJSONLine(timeout: .seconds(20))
            if line["result"] != nil { replies += 1 }
            if line["method"]?.stringValue == "event" { events += 1 }
            if line["method"]?.stringValue == "events.dropped" {
                dropped = true
                break
            }
        }
        #expect(!dropped, "a subscriber that reads was dropped")
        #expect(replies == 400 && events == 1)
        #expect(try subscriber.call("daemon.ping")["pong"]?.boolValue == true)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A subscriber that stops reading is still dropped once its unsent events pass subscriber_buffer_bytes"
    )
    func stuckSubscriberIsDropped() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nsubscriber_buffer_bytes = 4096\n" + AbusiveClient.longNotesConfig)
        try daemon.start()
        let subscriber = try AbusiveClient(path: daemon.socketPath)
        #expect(subscriber.write(Array((requestLine(id: .int(1), "events.subscribe") + "\n").utf8)))
        Thread.sleep(forTimeInterval: 0.3)
        let desk = try daemon.counter()
        let text = String(repeating: "n", count: 50_000)
        // The kernel buffers a few hundred KB; the daemon's own backlog is 4 KB.
        for _ in 1...40 { _ = try desk.call("example.note.add", ["text": .string(text)]) }
        let (bytes, closed) = subscriber.drain(timeout: .seconds(10))
        #expect(closed)
        #expect(AbusiveClient.lines(bytes).last?.contains("events.dropped") == true)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A request line trickled one byte at a time must still be complete within line_timeout_seconds: the connection gets daemon.closing and EOF"
    )
    func slowLorisLine() throws {
        let daemon = try TestDaemon(config: "[daemon]\nline_timeout_seconds = 2\nidle_timeout_seconds = 300\n")
        try daemon.start()
        let trickler = try AbusiveClient(path: daemon.socketPath)
        let started = ContinuousClock.now
        var closedAfter: Duration?
        for byte in Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.ping\",\"params\":{\"pad\":\"".utf8)
            + Array(repeating: UInt8(ascii: "a"), count: 200)
        {
            if !trickler.write([byte], timeout: .seconds(1)) {
                closedAfter = ContinuousClock.now - started
                break
            }
            let (bytes, closed) = trickler.drain(timeout: .milliseconds(100))
            if closed || !bytes.isEmpty {
                let lines = AbusiveClient.lines(bytes)
                #expect(lines.first?.contains("line timeout") == true, "\(lines)")
                closedAfter = ContinuousClock.now - started
                break
            }
        }
        let after = try #require(closedAfter, "a trickling client was never cut off")
        #expect(after >= .milliseconds(1800) && after < .seconds(6), "closed after \(after)")
        #expect(daemon.log.contains("a request line was not completed within 2 s"))
        #expect(try daemon.stop() == 0)
    }

    @Test("A byte trickle is not a request: it does not reset the idle timer")
    func trickleIsIdle() throws {
        let daemon = try TestDaemon(config: "[daemon]\nline_timeout_seconds = 600\nidle_timeout_seconds = 2\n")
        try daemon.start()
        let trickler = try AbusiveClient(path: daemon.socketPath)
        let started = ContinuousClock.now
        var notice: String?
        for _ in 0..<60 {
            guard trickler.write([UInt8(ascii: " ")], timeout: .seconds(1)) else { break }
            let (bytes, closed) = trickler.drain(timeout: .milliseconds(100))
            if let line = AbusiveClient.lines(bytes).first { notice = line }
            if closed || notice != nil { break }
        }
        let elapsed = ContinuousClock.now - started
        #expect(notice?.contains("idle timeout") == true, "no idle notice within \(elapsed)")
        #expect(elapsed < .seconds(5))
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "With max_connections_per_uid = 3 a fourth connection of the same (non-admin) user is refused with a limit error naming the uid, while root still connects",
        .otherUserCanConnect)
    func perUserLimit() throws {
        let daemon = try TestDaemon(config: "[daemon]\nmax_connections_per_uid = 3\n")
        try daemon.start()
        #expect(OtherUser.openUp(daemon))
        // Three watchers as uid 65534 hold three connections.
        var watchers: [Process] = []
        // SIGKILL: children of the test runner inherit its blocked SIGTERM.
        defer { for watcher in watchers where watcher.isRunning { kill(watcher.processIdentifier, SIGKILL) } }
        for _ in 1...3 {
            let watcher = Process()
            watcher.executableURL = URL(fileURLWithPath: OtherUser.setpriv)
            watcher.arguments = [
                "--reuid=\(OtherUser.uid)", "--regid=\(OtherUser.uid)", "--clear-groups", OtherUser.receptionctl,
                "--socket", daemon.socketPath, "watch",
            ]
            watcher.standardOutput = FileHandle.nullDevice
            watcher.standardError = FileHandle.nullDevice
            try watcher.run()
            watchers.append(watcher)
        }
        let root = try daemon.connect()
        #expect(
            try pollUntil(timeout: .seconds(10)) {
                try root.call("daemon.status")["connections"]?["busiestUsers"]?.arrayValue?.first?["connections"]?
                    .intValue == 3
            })
        let refused = try OtherUser.receptionctl(daemon, ["call", "daemon.ping"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("too many connections from uid 65534"), "\(refused.stderr)")
        // Root (an admin) is exempt: ten more connections are fine.
        let more = try (1...10).map { _ in try daemon.connect() }
        for connection in more { #expect(try connection.call("daemon.ping")["pong"]?.boolValue == true) }
        // One watcher leaves: the user may connect again.
        kill(watchers[0].processIdentifier, SIGKILL)
        watchers[0].waitUntilExit()
        #expect(
            try pollUntil(timeout: .seconds(10)) {
                try OtherUser.receptionctl(daemon, ["call", "daemon.ping"]).status == 0
            })
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "Past reply_memory_bytes the heaviest connections stop being read: eight non-reading clients hold at most the daemon budget, and a desk is answered at once"
    )
    func daemonWideBudget() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nreply_buffer_bytes = 1048576\nreply_memory_bytes = 1048576\ndrain_timeout_seconds = 60\n"
        )
        try daemon.start()
        let desk = try daemon.connect()
        let abusers = try (1...8).map { _ in try AbusiveClient(path: daemon.socketPath) }
        let flood = AbusiveClient.requestLines("daemon.methods", count: 200)
        for abuser in abusers { abuser.flood(flood, for: .milliseconds(400)) }
        let started = ContinuousClock.now
        let status = try desk.call("daemon.status")
        #expect(ContinuousClock.now - started < .seconds(1))
        let memory = try #require(status["memory"])
        let held = try #require(memory["replyBytes"]?.intValue)
        // The budget, plus at most one 24 KB reply per connection framed after the check.
        #expect(held <= 1_048_576 + 9 * 30_000, "\(held) bytes held")
        #expect((memory["pausedConnections"]?.intValue ?? 0) >= 1)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A subscriber (exempt from the idle timeout) that pipelines requests and stops reading is still closed by the drain timeout"
    )
    func stuckSubscriberIsDrained() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nidle_timeout_seconds = 1\nreply_buffer_bytes = 4096\ndrain_timeout_seconds = 2\n")
        try daemon.start()
        let subscriber = try AbusiveClient(path: daemon.socketPath)
        #expect(subscriber.write(Array((requestLine(id: .int(1), "events.subscribe") + "\n").utf8)))
        // Past the idle timeout: a subscriber has no idle deadline, and the timer must not be lost.
        Thread.sleep(forTimeInterval: 1.5)
        subscriber.flood(AbusiveClient.requestLines("daemon.methods", count: 200), for: .seconds(1))
        Thread.sleep(forTimeInterval: 4)
        let (_, closed) = subscriber.drain(timeout: .seconds(8))
        #expect(closed, "a subscriber that stopped reading was never closed")
        #expect(daemon.log.contains("bytes of replies unread for 2 s"))
        #expect(try daemon.stop() == 0)
    }

    @Test("After an oversize line is discarded, the line timeout no longer applies: a quiet client stays connected")
    func discardedLineEndsItsDeadline() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nmax_line_bytes = 2048\nline_timeout_seconds = 2\nidle_timeout_seconds = 300\n")
        try daemon.start()
        let client = try daemon.connect()
        // In two pieces: the first is already over the limit (the line is discarded from there),
        // the second brings its end.
        try client.send(bytes: Array(repeating: UInt8(ascii: "x"), count: 3000))
        usleep(200_000)
        try client.send(bytes: Array(repeating: UInt8(ascii: "x"), count: 2000) + [0x0A])
        let refused = try client.readJSONLine()
        #expect(refused.errorKind == "limit")
        #expect(try client.staysSilent(for: .seconds(3)), "closed by a line timeout after the line had ended")
        #expect(try client.call("daemon.ping")["pong"]?.boolValue == true)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "Read results piling up behind a client that reads nothing count against reply_memory_bytes: past it they are answered with limit, not held"
    )
    func inFlightReadsAreBounded() throws {
        let daemon = try TestDaemon(
            config: "[daemon]\nreply_memory_bytes = 1048576\nreply_buffer_bytes = 1048576\ndrain_timeout_seconds = 60\n"
                + AbusiveClient.longNotesConfig)
        try daemon.start()
        let writer = try daemon.counter()
        let text = String(repeating: "票", count: 5_000)  // 15 KB of UTF-8
        for _ in 1...20 { _ = try writer.call("example.note.add", ["text": .string(text)]) }
        let abuser = try AbusiveClient(path: daemon.socketPath)
        // 60 lists of 300 KB each, all admitted at once: 18 MB if every result were kept.
        #expect(abuser.write(AbusiveClient.requestLines("example.note.list", count: 60)))
        Thread.sleep(forTimeInterval: 2)
        let held = try #require(try writer.call("daemon.status")["memory"]?["replyBytes"]?.intValue)
        #expect(held <= 1_048_576 + 4 * 320_000, "\(held) bytes of replies held")
        let (bytes, _) = abuser.drain(timeout: .seconds(5))
        let replies = AbusiveClient.lines(bytes).compactMap { try? JSONValue.parse($0) }
        #expect(replies.count == 60)
        #expect(replies.contains { $0.errorKind == "limit" })
        #expect(replies.contains { $0["result"]?["notes"] != nil })
        #expect(try daemon.stop() == 0)
    }
}
