import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The daemon's time zone when `[daemon] time_zone` is not set: the system's, as `TZ` or
/// `/etc/localtime` name it (issue 12).
@Suite("daemon: the time zone defaults to the system's", .timeLimit(.minutes(1)))
struct TimeZoneTests {
    @Test(
        "TZ as a name, as :name or as a zoneinfo path is published as the IANA name in daemon.hello and daemon.status",
        arguments: [
            ("America/New_York", "America/New_York"), (":Asia/Shanghai", "Asia/Shanghai"),
            ("/usr/share/zoneinfo/Europe/Berlin", "Europe/Berlin"),
        ])
    func fromTZ(typed: String, published: String) throws {
        let daemon = try TestDaemon(environment: ["TZ": typed])
        try daemon.start()
        defer { _ = try? daemon.stop() }
        let client = try daemon.connect()
        #expect(try client.call("daemon.hello")["timeZone"] == .string(published))
        #expect(try client.call("daemon.status")["timeZone"] == .string(published))
    }

    @Test("The config's time_zone wins over TZ, and the daemon's clock answers in its offset")
    func configWins() throws {
        let daemon = try TestDaemon(config: "[daemon]\ntime_zone = \"Asia/Shanghai\"\n", environment: ["TZ": "UTC"])
        try daemon.start()
        defer { _ = try? daemon.stop() }
        let client = try daemon.connect()
        #expect(try client.call("daemon.hello")["timeZone"] == "Asia/Shanghai")
        let time = try client.call("daemon.ping")["time"]?.stringValue ?? ""
        #expect(time.hasSuffix("+08:00"), "wire times carry the daemon's offset: \(time)")
    }
}
