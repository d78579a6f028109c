import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// sd_notify as systemd sees it: the daemon talks to a real datagram socket the test owns.
@Suite("sd_notify and signals")
struct SystemdNotifyTests {
    @Test("READY=1 comes only once the socket answers, STATUS= reads well, SIGTERM sends STOPPING=1 and exits 0")
    func readyStatusStopping() throws {
        let notify = try NotifyListener()
        let daemon = try TestDaemon(environment: notify.environment())
        try daemon.launch()
        try notify.waitFor("READY=1")
        // READY means serving: the socket must answer at once, no polling.
        let client = try daemon.connect()
        let pong = try client.call("daemon.ping")
        #expect(pong["pong"] == true)
        notify.collect(for: .milliseconds(1500))
        let statuses = notify.messages.filter { $0.hasPrefix("STATUS=") }
        #expect(statuses.contains { $0.contains("1 plugin") && $0.contains("serving") }, "\(notify.messages)")
        daemon.signal(SIGTERM)
        try notify.waitFor("STOPPING=1")
        #expect(try daemon.waitForExit() == 0)
        #expect(daemon.log.contains("stopped cleanly"))
    }

    @Test("WATCHDOG=1 arrives at about half of WATCHDOG_USEC")
    func watchdogCadence() throws {
        let notify = try NotifyListener()
        let daemon = try TestDaemon(environment: notify.environment(watchdog: .milliseconds(400)))
        try daemon.launch()
        try notify.waitFor("READY=1")
        notify.collect(for: .seconds(2))
        let pings = notify.times(of: "WATCHDOG=1")
        // 2 s at one ping per 200 ms: about 10; allow for a loaded CI machine.
        #expect(pings.count >= 6, "only \(pings.count) pings: \(notify.messages)")
        #expect(pings.count <= 14, "\(pings.count) pings: too many")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 < .milliseconds(400) }, "a gap reached the watchdog timeout: \(gaps)")
        try daemon.stop()
    }
}
