import Foundation
import ReceptionClient
import ReceptionDaemon
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The daemon's time zone when `[daemon] time_zone` is not set: the system's, as `TZ` or
/// `/etc/localtime` name it (issue 12).
@Suite("daemon: the time zone defaults to the system's", .timeLimit(.minutes(3)))
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

    @Test("A POSIX TZ that names no IANA zone is refused as a name: the daemon warns, asking for time_zone, and publishes the zone it uses")
    func posixTZWarned() throws {
        let daemon = try TestDaemon(environment: ["TZ": "CST-8"])
        try daemon.start()
        defer { _ = try? daemon.stop() }
        let client = try daemon.connect()
        let published = try #require(try client.call("daemon.hello")["timeZone"]?.stringValue)
        #expect(TimeZone(identifier: published) != nil, "a zone clients can use: \(published)")
        #expect(daemon.log.contains("has no IANA name"), "\(daemon.log)")
        #expect(daemon.log.contains("[daemon] time_zone"), "\(daemon.log)")
        // The wire's offsets are those of the zone it publishes: one zone for everything.
        let time = try client.call("daemon.ping")["time"]?.stringValue ?? ""
        let offset = try #require(TimeZone(identifier: published)).secondsFromGMT(for: Date())
        let sign = offset < 0 ? "-" : "+"
        let expected = String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
        #expect(time.hasSuffix(expected), "\(time) in \(published)")
    }

    @Test("The system zone is named by TZ, a linked /etc/localtime or /etc/timezone; a copied file names none")
    func systemIdentifierSources() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/rd-tz-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let linked = directory + "/localtime-link"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: "/usr/share/zoneinfo/Asia/Tokyo")
        let copied = directory + "/localtime-copy"
        try Data("TZif2 not a link".utf8).write(to: URL(fileURLWithPath: copied))
        let timezoneFile = directory + "/timezone"
        try Data("Europe/Berlin\n".utf8).write(to: URL(fileURLWithPath: timezoneFile))
        let none = directory + "/none"

        #expect(DaemonTimeZone.systemIdentifier(environment: ["TZ": ":Asia/Shanghai"], localtime: linked) == "Asia/Shanghai")
        #expect(DaemonTimeZone.systemIdentifier(environment: ["TZ": "CST-8"], localtime: linked) == nil)
        #expect(DaemonTimeZone.systemIdentifier(environment: [:], localtime: linked, timezoneFile: none) == "Asia/Tokyo")
        #expect(
            DaemonTimeZone.systemIdentifier(environment: [:], localtime: copied, timezoneFile: timezoneFile)
                == "Europe/Berlin")
        #expect(
            DaemonTimeZone.systemIdentifier(environment: [:], localtime: copied, timezoneFile: none) == nil,
            "a copied /etc/localtime names no zone: the daemon keeps the C library's reading rather than UTC")
    }
}
