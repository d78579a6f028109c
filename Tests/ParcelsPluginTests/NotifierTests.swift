import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `[plugins.parcels] notifier`: a command run after each committed notification with the item
/// as JSON on stdin. Its failure is recorded on the item and never blocks or loses it.
@Suite("parcels over the socket: the notifier command", .timeLimit(.minutes(2)))
struct NotifierTests {
    /// Writes an executable shell script and returns its path.
    private func script(_ body: String) throws -> (path: String, directory: String) {
        let directory = FileManager.default.temporaryDirectory.path + "/pn-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/notify.sh"
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return (path, directory)
    }

    /// Polls `parcels.get` until `condition` holds for the item.
    private func waitForItem(_ client: RPCConnection, _ code: String, _ condition: (JSONValue) -> Bool) throws
        -> JSONValue
    {
        for _ in 0..<300 {
            let item = try client.call("parcels.get", ["code": .string(code)])
            if condition(item) { return item }
            usleep(20_000)
        }
        throw TestDaemonError("item \(code) never reached the expected state")
    }

    @Test("parcels.notify runs the notifier after the commit with the item JSON on stdin")
    func notifierGetsTheItem() throws {
        let (path, directory) = try script("cat > \"$(dirname \"$0\")/received.json\"\n")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try ParcelsDesk.start(config: "[plugins.parcels]\nnotifier = \"\(path)\"\n")
        let client = try daemon.counter()
        let code = try #require(try client.receive()["code"]?.stringValue)
        let notified = try client.call("parcels.notify", ["code": .string(code), "channel": "sms"])
        #expect(notified["status"] == "notified")

        var received: JSONValue?
        for _ in 0..<300 {
            if let text = try? String(contentsOfFile: directory + "/received.json", encoding: .utf8),
                let json = try? JSONValue.parse(text)
            {
                received = json
                break
            }
            usleep(20_000)
        }
        let item = try #require(received, "the notifier never ran")
        #expect(item["code"]?.stringValue == code)
        #expect(item["recipient"] == "李娜")
        #expect(item["status"] == "notified")
        #expect(item["notificationId"]?.intValue != nil)
        // The outcome is recorded by background work, audited as the daemon itself.
        let audit = try client.call("audit.query", ["method": "parcels.notifier.record"])
        let records = audit["records"]?.arrayValue ?? []
        #expect(records.isEmpty || records.first?["role"] == "system")
        try daemon.stop()
    }

    @Test("a failing notifier is recorded as the item's notifierError; the item stays notified and can be collected")
    func failingNotifierIsRecorded() throws {
        let (path, directory) = try script("cat >/dev/null\necho 'gateway down' >&2\nexit 3\n")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try ParcelsDesk.start(config: "[plugins.parcels]\nnotifier = \"\(path)\"\n")
        let client = try daemon.counter()
        let code = try #require(try client.receive()["code"]?.stringValue)
        try client.call("parcels.notify", ["code": .string(code), "channel": "sms"])
        let item = try waitForItem(client, code) { $0["notifierError"]?.stringValue != nil }
        #expect(item["status"] == "notified")
        #expect(item["notifierError"]?.stringValue?.contains("exited with status 3") == true, "\(item)")
        #expect(
            item["notifierError"]?.stringValue?.contains("gateway down") == true,
            "what the command said on stderr is kept, not thrown away: \(item)")
        #expect(daemon.log.contains("notifier failed") && daemon.log.contains("gateway down"))
        let collected = try client.pickup([code])
        #expect(collected["items"]?.arrayValue?.first?["status"] == "collected")
        try daemon.stop()
    }

    @Test(
        "under RestrictAddressFamilies=AF_UNIX (emulated with LD_PRELOAD), every run succeeds, is reaped, and gets no descriptor of the daemon's"
    )
    func runsUnderTheHardening() throws {
        let (path, directory) = try script(
            "cat >/dev/null\nfor fd in /proc/$$/fd/*; do readlink \"$fd\"; done > \"$(dirname \"$0\")/fds.$$\"\necho 'sent' >&2\n"
        )
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let preload = TestDaemon.productsDirectory + "/libfixture-noinet.so"
        let daemon = try TestDaemon(
            config: "[plugins.parcels]\nnotifier = \"\(path)\"\n", plugins: ParcelsDesk.plugins,
            environment: ["LD_PRELOAD": preload])
        try daemon.start()
        let client = try daemon.counter()
        var codes: [String] = []
        for _ in 0..<3 {
            let code = try #require(try client.receive()["code"]?.stringValue)
            try client.call("parcels.notify", ["code": .string(code), "channel": "sms"])
            codes.append(code)
        }
        let records = try waitForRecords(client, count: codes.count)
        #expect(records.allSatisfy { $0["outcome"] == "ok" && $0["params"]?["ok"] == true }, "\(records)")
        for code in codes {
            #expect(try client.call("parcels.get", ["code": .string(code)])["notifierError"] == .null)
        }
        // What every run had open: its stdin and stderr files, /dev/null, and the shell's own
        // script; none of the daemon's database files, sockets, epoll or event descriptors.
        let runs = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("fds.") }
        #expect(runs.count == codes.count)
        for name in runs {
            let fds = try String(contentsOfFile: directory + "/" + name, encoding: .utf8).split(separator: "\n")
            #expect(fds.contains("/dev/null") && fds.count >= 3, "\(fds)")
            let leaked = fds.filter {
                $0.contains("sqlite") || $0.hasPrefix("socket:") || $0.hasPrefix("anon_inode:") || $0.hasPrefix("pipe:")
            }
            #expect(leaked.isEmpty, "nothing of the daemon's reaches the command: \(fds)")
        }
        let children = try CommandResult.run("/bin/ps", ["--ppid", "\(daemon.pid)", "-o", "stat="])
        #expect(!children.stdout.contains("Z"), "every run was reaped: \(children.stdout)")
        try daemon.stop()
    }

    /// Polls the audit for `count` recorded notifier outcomes.
    private func waitForRecords(_ client: RPCConnection, count: Int) throws -> [JSONValue] {
        for _ in 0..<500 {
            let records =
                try client.call("audit.query", ["method": "parcels.notifier.record"])["records"]?.arrayValue ?? []
            if records.count >= count { return records }
            usleep(20_000)
        }
        throw TestDaemonError("fewer than \(count) notifier outcomes were recorded")
    }
}
