import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The plugin shutdown hook: when the daemon stops, the parcels notifier finishes the runs already
/// queued, and their outcomes are committed before the writer stops.
@Suite("Parcels notifier at shutdown")
struct NotifierShutdownTests {
    @Test("SIGTERM while a notifier run is queued: the run finishes and its outcome commits before the daemon exits")
    func queuedRunFinishesAtStop() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/pns-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/notify.sh"
        // Slow enough that the stop begins while it runs; it fails, so its outcome shows on the item.
        try "#!/bin/sh\ncat >/dev/null\nsleep 1\nexit 4\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)

        let daemon = try ParcelsDesk.start(config: "[plugins.parcels]\nnotifier = \"\(path)\"\n")
        let client = try daemon.counter()
        let code = try #require(try client.receive()["code"]?.stringValue)
        try client.call("parcels.notify", ["code": .string(code), "channel": "sms"])
        client.close()
        #expect(try daemon.stop() == 0)
        let log = daemon.log
        #expect(log.contains("notifier: finishing 1 queued runs"), "\(log)")
        #expect(log.contains("exited with status 4"), "\(log)")
        // The outcome went through background work and committed while the writer still ran.
        let recorded = try #require(log.range(of: "parcels.notifier.record committed"), "\(log)")
        let stopped = try #require(log.range(of: "stopped cleanly"))
        #expect(recorded.lowerBound < stopped.lowerBound)
    }
}
