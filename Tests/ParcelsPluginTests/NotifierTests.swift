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
        #expect(item["notifierError"]?.stringValue?.contains("3") == true, "\(item)")
        #expect(daemon.log.contains("notifier failed"))
        let collected = try client.pickup([code])
        #expect(collected["items"]?.arrayValue?.first?["status"] == "collected")
        try daemon.stop()
    }
}
