import Foundation
import ParcelsPlugin
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// What the clerk sees from the real `receptionctl` against the real daemon: a parcel as a
/// short block, lists fitted to the terminal, times short in the daemon's zone, colour only on a
/// terminal, and `watch` as one readable line per event.
@Suite("parcels for people: records, lists, times, colour and watch lines", .timeLimit(.minutes(2)))
struct ReceptionctlPresentationTests {
    /// The daemon's and the workstation's zone.
    static let zone = "Asia/Shanghai"

    static func start() throws -> TestDaemon {
        let daemon = try TestDaemon(plugins: ParcelsDesk.plugins, environment: ["TZ": zone])
        try daemon.start()
        return daemon
    }

    /// Runs receptionctl as desk-1 / li.na with `environment` over a clean English one.
    static func ctl(_ daemon: TestDaemon, _ arguments: [String], environment: [String: String] = [:]) throws
        -> CommandResult
    {
        var env = ChildProcess.cleanEnvironment(overrides: ["TZ": zone, "LANG": "C.UTF-8"])
        for key in ["COLUMNS", "NO_COLOR", "LC_ALL", "LC_MESSAGES"] { env.removeValue(forKey: key) }
        for (key, value) in environment { env[key] = value }
        return try CommandResult.run(
            ReceptionctlParcelsTests.receptionctl,
            ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na"] + arguments,
            environment: env)
    }

    /// `HH:MM` of an ISO time in the zone, with `today ` when it is today there.
    static func short(_ iso: String) throws -> String {
        let date = try #require(Timestamp.parse(iso))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zone))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let clock = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        if calendar.isDate(date, inSameDayAs: Date()) { return "today " + clock }
        return String(format: "%02d-%02d ", parts.month ?? 0, parts.day ?? 0) + clock
    }

    @Test(
        "parcels get prints a title line (code, kind, status) and only the members that have a value, times short and local"
    )
    func singleParcel() throws {
        let daemon = try Self.start()
        let item = try daemon.connect().receive("express", recipient: "陈静", unit: "3-2-1201")
        let code = try #require(item["code"]?.stringValue)
        let shown = try Self.ctl(daemon, ["parcels", "get", code])
        #expect(shown.status == 0, "\(shown)")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(code)  express · held", "\(shown.stdout)")
        #expect(lines.count < 12, "a short block, not 30 key: lines:\n\(shown.stdout)")
        #expect(!shown.stdout.contains("{\"") && !shown.stdout.contains("null"), "\(shown.stdout)")
        for absent in ["Collected", "Returned", "Damage note", "Notified", "Shelf", "Proxy", "Id type", "Handed out"] {
            #expect(!shown.stdout.contains(absent), "\(absent) is empty:\n\(shown.stdout)")
        }
        for line in lines.dropFirst() {
            #expect(line.contains(#/^  \S.*  +\S/#), "every member has a value: '\(line)'\n\(shown.stdout)")
        }
        let received = try Self.short(try #require(item["receivedAt"]?.stringValue))
        #expect(shown.stdout.contains("Received at  \(received)"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("T0") && !shown.stdout.contains("+08:00"), "no wire times: \(shown.stdout)")

        // --json stays exactly the wire.
        let json = try Self.ctl(daemon, ["--json", "parcels", "get", code])
        #expect(try JSONValue.parse(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == item)
        try daemon.stop()
    }

    @Test("a list at COLUMNS=80 and 200 with Chinese recipients fits every line and keeps the plugin's column order")
    func listFitsTheWidth() throws {
        let daemon = try Self.start()
        let client = try daemon.connect()
        for (index, name) in ["欧阳娜娜娜娜娜娜娜娜", "司马相如相如相如", "Zoë Ångström-Lindqvist the Third"].enumerated() {
            try client.receive(
                "parcel", recipient: name, unit: "3栋2单元1201",
                with: ["shelf": .string("货架 A-\(index)"), "carrier": "顺丰速运", "note": "请小心轻放，易碎物品"])
        }
        let methods = MethodInfo.list(from: try client.call("daemon.methods", [:]))
        let pending = try #require(methods.first { $0.name == "parcels.pending" })
        let titles = pending.display.columns.map {
            Labels.title(of: $0, schema: pending.display.schema?["properties"]?[$0], language: "en")
        }
        #expect(titles.count >= 5, "\(pending.display)")
        for width in [80, 200] {
            let list = try Self.ctl(
                daemon, ["parcels", "pending", "--unit", "3-2-1201"], environment: ["COLUMNS": String(width)])
            #expect(list.status == 0, "\(list)")
            let lines = list.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 5, "header, rule, three items:\n\(list.stdout)")
            for line in lines { #expect(DisplayWidth.of(line) <= width, "wider than \(width): \(line)") }
            let header = try #require(lines.first)
            if width == 200 {
                let positions = titles.compactMap { header.range(of: $0)?.lowerBound }
                #expect(positions.count == titles.count, "every column of the plugin: \(header)")
                #expect(positions == positions.sorted(), "in the plugin's order: \(header)")
                #expect(list.stdout.contains("欧阳娜娜娜娜娜娜娜娜") && !list.stdout.contains("…"), "\(list.stdout)")
                #expect(!list.stdout.contains("请小心"), "a member the plugin did not choose is no column")
            } else {
                #expect(list.stdout.contains("…"), "cut, not wrapped:\n\(list.stdout)")
            }
        }
        try daemon.stop()
    }

    @Test("colour only on a terminal: escape codes under a pty, none with NO_COLOR or when piped")
    func colourOnlyOnATerminal() throws {
        let daemon = try Self.start()
        try daemon.connect().receive("letter", recipient: "陈静", unit: "3-2-1201")
        let piped = try Self.ctl(daemon, ["parcels", "pending", "--unit", "3-2-1201"])
        #expect(piped.status == 0 && !piped.stdout.contains("\u{1B}"), "\(piped)")

        // `script` gives receptionctl a pseudo-terminal as its standard output.
        let command =
            [
                ReceptionctlParcelsTests.receptionctl, "--socket", daemon.socketPath, "parcels", "pending", "--unit",
                "3-2-1201",
            ].joined(separator: " ")
        let onTTY = try Self.ctl(daemon, [], environment: ["TERM": "xterm"], via: command)
        #expect(onTTY.stdout.contains("\u{1B}[33m"), "held is yellow on a terminal: \(onTTY)")
        let noColor = try Self.ctl(daemon, [], environment: ["TERM": "xterm", "NO_COLOR": "1"], via: command)
        #expect(noColor.stdout.contains("陈静") && !noColor.stdout.contains("\u{1B}["), "\(noColor)")

        // Without COLUMNS, the terminal's own width (TIOCGWINSZ) is the limit.
        try daemon.connect().receive("parcel", recipient: "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜", unit: "3栋2单元1201室")
        var narrow = ChildProcess.cleanEnvironment(overrides: ["TZ": Self.zone, "LANG": "C.UTF-8", "NO_COLOR": "1"])
        narrow.removeValue(forKey: "COLUMNS")
        let sized = try CommandResult.run(
            "/usr/bin/script", ["-qec", "stty cols 60; " + command, "/dev/null"], environment: narrow)
        let lines = sized.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.count >= 4 && sized.stdout.contains("…"), "\(sized)")
        for line in lines { #expect(DisplayWidth.of(line) <= 60, "wider than the 60-column terminal: \(line)") }
        try daemon.stop()
    }

    /// Runs `command` under `script`, on a pseudo-terminal.
    static func ctl(_ daemon: TestDaemon, _ unused: [String], environment: [String: String], via command: String) throws
        -> CommandResult
    {
        var env = ChildProcess.cleanEnvironment(overrides: ["TZ": zone, "LANG": "C.UTF-8", "COLUMNS": "120"])
        for key in ["NO_COLOR", "LC_ALL", "LC_MESSAGES"] { env.removeValue(forKey: key) }
        for (key, value) in environment { env[key] = value }
        return try CommandResult.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: env)
    }

    @Test(
        "watch prints one readable line per event, who did it included; --json watch prints the wire with workstation and operator"
    )
    func watchLines() throws {
        let daemon = try Self.start()
        let client = try daemon.connect()
        let methods = try client.call("daemon.methods", [:])
        let events = methods["events"]?.arrayValue ?? []
        for topic in ParcelsPlugin.Topic.allCases {
            let entry = events.first { $0["topic"]?.stringValue == topic.rawValue }
            #expect(entry?["plugin"] == "parcels", "\(topic.rawValue) has a line")
            #expect(entry?["line"]?["en"]?.stringValue?.isEmpty == false, "\(topic.rawValue) in English")
            #expect(entry?["line"]?["zh"]?.stringValue?.isEmpty == false, "\(topic.rawValue) in Chinese")
        }

        let arguments = ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", "li.na", "watch"]
        let readable = ChildProcess(
            executable: ReceptionctlParcelsTests.receptionctl, arguments: arguments + ["parcels"],
            environment: ["TZ": Self.zone, "LANG": "C.UTF-8", "LC_ALL": ""], logPath: daemon.directory + "/w.log")
        let chinese = ChildProcess(
            executable: ReceptionctlParcelsTests.receptionctl, arguments: arguments + ["parcels"],
            environment: ["TZ": Self.zone, "LANG": "zh_CN.UTF-8", "LC_ALL": ""], logPath: daemon.directory + "/wz.log")
        let wire = ChildProcess(
            executable: ReceptionctlParcelsTests.receptionctl, arguments: ["--json"] + arguments + ["parcels"],
            logPath: daemon.directory + "/wj.log")
        for watcher in [readable, chinese, wire] { try watcher.launch() }
        try readable.waitUntil("three subscriptions") {
            ((try? client.call("daemon.status", [:]))?["events"]?["subscribers"]?.intValue ?? 0) >= 3
        }
        let received = try Self.ctl(
            daemon, ["--json", "parcels", "receive", "--kind", "letter", "--recipient", "陈静", "--unit", "3-2-1201"])
        let code = try #require(try JSONValue.parse(received.stdout)["code"]?.stringValue, "\(received)")

        try readable.waitUntil("the received line") { readable.log.contains("received") }
        #expect(
            readable.log.contains(#/\d\d:\d\d:\d\d  [A-Z0-9]{4} letter for 陈静 received at desk-1 by li\.na/#),
            "\(readable.log)")
        #expect(readable.log.contains("\(code) letter for 陈静 received at desk-1 by li.na"), "\(readable.log)")
        try chinese.waitUntil("the Chinese line") { chinese.log.contains("已签收") }
        #expect(chinese.log.contains("\(code) 陈静的信件已签收，desk-1，经办 li.na"), "\(chinese.log)")
        try wire.waitUntil("the JSON line") { wire.log.contains(code) }
        let line = try #require(wire.log.split(separator: "\n").first { $0.contains(code) })
        let event = try JSONValue.parse(String(line))
        #expect(event["topic"] == "parcels.received" && event["data"]?["code"] == .string(code), "\(line)")
        #expect(event["workstation"] == "desk-1" && event["operator"] == "li.na", "who made the change: \(line)")
        try daemon.stop()
    }
}
