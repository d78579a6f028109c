import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Dates and times typed as a clerk types them, read in the daemon's time zone (not the
/// machine's); receive-batch from a CSV file; a surname that lists its candidates. All through
/// the real daemon, its socket and the real `receptionctl`.
@Suite("parcels over the socket: dates, CSV intake and surname lookup as a clerk types them", .timeLimit(.minutes(3)))
struct ReceptionctlInputTests {
    static func ctl(_ daemon: TestDaemon, _ arguments: [String], stdin: Data? = nil) throws -> CommandResult {
        try CommandResult.run(
            ReceptionctlParcelsTests.receptionctl,
            ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments,
            stdin: stdin)
    }

    /// `parcels.stats` echoes its range as the daemon read it, so it shows what a typed date became.
    static func statsFrom(_ daemon: TestDaemon, _ typed: String, to: String = "2099-12-31") throws -> JSONValue {
        let result = try ctl(daemon, ["--json", "parcels", "stats", "--from", typed, "--to", to])
        #expect(result.status == 0, "\(typed): \(result)")
        return try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Today and tomorrow in `zone`, as `YYYY-MM-DD`.
    static func days(in zone: String) throws -> (today: String, tomorrow: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zone))
        let now = Date()
        let next = try #require(calendar.date(byAdding: .day, value: 1, to: now))
        func text(_ date: Date) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        }
        return (text(now), text(next))
    }

    @Test(
        "With [daemon] time_zone set (not the machine's zone), every typed form reaches the daemon as that zone's time",
        arguments: ["America/New_York", "Asia/Shanghai"])
    func everyFormInTheDaemonsZone(zone: String) throws {
        let daemon = try ParcelsDesk.start(config: "[daemon]\ntime_zone = \"\(zone)\"\n")
        defer { _ = try? daemon.stop() }
        let client = try daemon.connect()
        #expect(try client.call("daemon.hello")["timeZone"] == .string(zone))
        #expect(try client.call("daemon.status")["timeZone"] == .string(zone))
        let offset = zone == "Asia/Shanghai" ? "+08:00" : "-05:00"  // December: no daylight saving
        let (today, tomorrow) = try Self.days(in: zone)

        #expect(try Self.statsFrom(daemon, "2026-12-06 18:00")["from"] == .string("2026-12-06T18:00:00.000\(offset)"))
        #expect(try Self.statsFrom(daemon, "2026-12-06T09:05")["from"] == .string("2026-12-06T09:05:00.000\(offset)"))
        #expect(
            try Self.statsFrom(daemon, "2026-12-06", to: "2026-12-06")["from"]
                == .string("2026-12-06T00:00:00.000\(offset)"),
            "a plain date is that day's start")
        #expect(
            try Self.statsFrom(daemon, "2026-12-06", to: "2026-12-06")["to"]
                == .string("2026-12-07T00:00:00.000\(offset)"),
            "stats' to takes the plain date itself: the whole day is included")
        #expect(
            try Self.statsFrom(daemon, "2026-12-06T18:00:00+00:00")["from"]
                == .string(zone == "Asia/Shanghai" ? "2026-12-07T02:00:00.000+08:00" : "2026-12-06T13:00:00.000-05:00"),
            "the full ISO form keeps its own offset")
        let todayTime = try Self.statsFrom(daemon, "00:01")["from"]?.stringValue ?? ""
        #expect(todayTime.hasPrefix("\(today)T00:01:00.000"), "HH:MM is today in the daemon's zone: \(todayTime)")
        let tomorrowTime = try Self.statsFrom(daemon, "tomorrow 7:30")["from"]?.stringValue ?? ""
        #expect(tomorrowTime == "\(tomorrow)T07:30:00.000\(offset)", "\(tomorrowTime)")
        let todaySpelled = try Self.statsFrom(daemon, "today 23:59")["from"]?.stringValue ?? ""
        #expect(todaySpelled.hasPrefix("\(today)T23:59:00.000"), "\(todaySpelled)")

        // A received item falls in the daemon's day, and list --from reads "today 00:00" there.
        let item = try client.receive()
        let listed = try Self.ctl(
            daemon, ["--json", "parcels", "list", "--from", "today 00:00", "--to", "tomorrow 00:00"])
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stdout.contains(item.code), "\(listed.stdout)")
    }

    @Test("A date the clerk mistyped is refused before the daemon is asked, naming the option and the forms")
    func badDates() throws {
        let daemon = try ParcelsDesk.start(config: "[daemon]\ntime_zone = \"Asia/Shanghai\"\n")
        defer { _ = try? daemon.stop() }
        for typed in ["18h", "2026/12/06", "2026-13-01", "25:00", "tomorrow 18"] {
            let result = try Self.ctl(daemon, ["parcels", "stats", "--from", typed, "--to", "2026-12-31"])
            #expect(result.status == 2, "\(typed): \(result)")
            #expect(result.stderr.contains("--from"), "\(typed): \(result.stderr)")
        }
        let forms = try Self.ctl(daemon, ["parcels", "stats", "--from", "noon", "--to", "2026-12-31"])
        #expect(
            forms.stderr.contains("--from needs a time written YYYY-MM-DD HH:MM, HH:MM (today), tomorrow HH:MM"),
            "\(forms.stderr)")
        let impossible = try Self.ctl(daemon, ["parcels", "stats", "--from", "2026-02-30", "--to", "2026-12-31"])
        #expect(impossible.stderr.contains("no such day"), "\(impossible.stderr)")
        let help = try Self.ctl(daemon, ["parcels", "stats", "--help"])
        #expect(help.stdout.contains("--from <time>"), "\(help.stdout)")
        #expect(help.stdout.contains("tomorrow HH:MM"), "\(help.stdout)")
    }

    @Test("An unknown time_zone stops the daemon at start with a config error naming daemon.time_zone")
    func unknownZone() throws {
        let daemon = try TestDaemon(config: "[daemon]\ntime_zone = \"Mars/Olympus\"\n", plugins: ParcelsDesk.plugins)
        try daemon.launch()
        #expect(try daemon.waitForExit() == 78)
        let log = (try? String(contentsOfFile: daemon.logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("daemon.time_zone"), "\(log)")
        #expect(log.contains("Mars/Olympus"), "\(log)")
    }

    static let header = "kind,recipient,unit,carrier,tracking,shelf,damage-note,condition\n"

    @Test(
        "receive-batch --file items.csv signs for every row; quoted fields, a BOM and CRLF are read as a spreadsheet writes them"
    )
    func csvHappyPath() throws {
        let daemon = try ParcelsDesk.start()
        defer { _ = try? daemon.stop() }
        let directory = daemon.directory
        let csv =
            "\u{FEFF}" + Self.header.replacingOccurrences(of: "\n", with: "\r\n")
            + "parcel,李娜,3-2-1201,SF,SF0001,A-1,,\r\n"
            + "express,\"Wang, Fang\",3栋2单元1202,EMS,E0002,,\"corner \"\"dented\"\"\",damaged\r\n"
            + "\r\n"
            + "letter,张伟,3-2-1203,,,,,\r\n"
        let path = directory + "/items.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Self.ctl(daemon, ["--json", "parcels", "receiveBatch", "--file", path])
        #expect(result.status == 0, "\(result)")
        let items =
            try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["items"]?
            .arrayValue ?? []
        #expect(items.map { $0["recipient"] } == ["李娜", "Wang, Fang", "张伟"])
        #expect(items[1]["damageNote"] == "corner \"dented\"")
        #expect(items[1]["condition"] == "damaged")
        #expect(items[2]["carrier"] == .null, "an empty cell leaves the member out")

        let help = try Self.ctl(daemon, ["parcels", "receiveBatch", "--help"])
        #expect(help.stdout.contains("Or --file FILE.csv"), "\(help.stdout)")
        #expect(help.stdout.contains("kind,recipient,unit,"), "required columns first: \(help.stdout)")

        let piped = try Self.ctl(
            daemon, ["--json", "parcels", "receiveBatch"],
            stdin: Data((Self.header + "parcel,周杰,5-1-301,SF,SF0009,,,\n").utf8))
        #expect(piped.status == 0, "rows piped to stdin: \(piped)")
        let client = try daemon.connect()
        #expect(try client.call("parcels.pending", ["recipient": "周杰"])["items"]?.arrayValue?.count == 1)
    }

    @Test("A CSV with a bad line stores nothing, and the error names the file's line and column")
    func csvBadLine() throws {
        let daemon = try ParcelsDesk.start()
        defer { _ = try? daemon.stop() }
        let client = try daemon.connect()
        let path = daemon.directory + "/bad.csv"

        // Caught by receptionctl: a kind that is not one.
        try (Self.header + "parcel,李娜,3-2-1201,SF,SF1,,,\nparsel,张伟,3-2-1203,,,,,\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let typo = try Self.ctl(daemon, ["parcels", "receiveBatch", "--file", path])
        #expect(typo.status == 2, "\(typo)")
        #expect(typo.stderr.contains("bad.csv line 3, column kind"), "\(typo.stderr)")

        // Caught by the daemon: damaged without a note on the third item (line 4). All or nothing.
        try (Self.header + "parcel,李娜,3-2-1201,SF,SF1,,,\nletter,张伟,3-2-1203,,,,,\nparcel,王芳,3-2-1204,,,,,damaged\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try Self.ctl(daemon, ["parcels", "receiveBatch", "--file", path])
        #expect(refused.status != 0, "\(refused)")
        #expect(refused.stderr.contains("line 4"), "the file's line, not the item's index: \(refused.stderr)")
        #expect(refused.stderr.contains("damage-note"), "\(refused.stderr)")
        #expect(try client.call("parcels.list", [:])["items"] == [], "nothing stored")

        // Not CSV as the header promises: a row with too many fields, an unknown column.
        try (Self.header + "parcel,李娜,3-2-1201,SF,SF1,,,,extra\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let wide = try Self.ctl(daemon, ["parcels", "receiveBatch", "--file", path])
        #expect(wide.stderr.contains("line 2: has 9 fields but the header has 8"), "\(wide.stderr)")
        try "kind,recipient,unit,trackng\nparcel,李娜,3-2-1201,X\n".write(toFile: path, atomically: true, encoding: .utf8)
        let unknown = try Self.ctl(daemon, ["parcels", "receiveBatch", "--file", path])
        #expect(unknown.stderr.contains("unknown column 'trackng'; did you mean tracking?"), "\(unknown.stderr)")
        #expect(try client.call("parcels.list", [:])["items"] == [], "still nothing stored")
    }

    @Test(
        "pending --recipient 李 finds nothing exactly and offers the names at the desk; the reply stays exact for scripts"
    )
    func surnameCandidates() throws {
        let daemon = try ParcelsDesk.start()
        defer { _ = try? daemon.stop() }
        let client = try daemon.connect()
        try client.receive("letter", recipient: "李四", unit: "3-2-1201")
        try client.receive("parcel", recipient: "李四", unit: "3-2-1201")
        try client.receive("parcel", recipient: "李娜", unit: "3-2-1202")

        let human = try Self.ctl(daemon, ["parcels", "pending", "--recipient", "李"])
        #expect(human.status == 0, "\(human)")
        #expect(
            human.stderr.contains(
                "no items for 李 exactly; did you mean: 李四 (3-2-1201, 2 items), 李娜 (3-2-1202, 1 item)?"),
            "\(human.stderr)")
        let json = try Self.ctl(daemon, ["--json", "parcels", "pending", "--recipient", "李"])
        #expect(json.status == 0)
        #expect(try JSONValue.parse(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == ["items": []])
        #expect(json.stderr.isEmpty, "no hint under --json: \(json.stderr)")
        let exact = try Self.ctl(daemon, ["parcels", "pending", "--recipient", "李四"])
        #expect(!exact.stderr.contains("did you mean"), "\(exact.stderr)")

        let listed = try Self.ctl(daemon, ["--json", "parcels", "recipients", "李", "--unit", "3栋2单元1202"])
        #expect(listed.status == 0, "\(listed)")
        let rows = try JSONValue.parse(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["recipients"]
        #expect(rows == [["recipient": "李娜", "unit": "3-2-1202", "items": 1]])
    }
}
