import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Who is at the desk (issue 12): the clerk's `config.toml`, `receptionctl desk login/logout/whoami`,
/// and the order flags, environment and file are read in, through the real binary with a
/// temporary `XDG_CONFIG_HOME`.
@Suite("receptionctl: the clerk's config file and desk login", .timeLimit(.minutes(3)))
struct ReceptionctlDeskTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// A temporary `XDG_CONFIG_HOME` (not yet created) and the config file under it.
    struct ConfigHome {
        let base = FileManager.default.temporaryDirectory.path + "/rc-xdg-" + String(UUID().uuidString.prefix(8))
        var file: String { base + "/receptionctl/config.toml" }

        /// Writes `text` as the config file.
        func write(_ text: String) throws {
            try FileManager.default.createDirectory(
                atPath: base + "/receptionctl", withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }

        /// The config file's text.
        func read() throws -> String { try String(contentsOfFile: file, encoding: .utf8) }

        /// Runs receptionctl with this config home and `environment` (no locale unless given).
        func ctl(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
            var env = ChildProcess.cleanEnvironment(overrides: ["XDG_CONFIG_HOME": base])
            for key in ["LC_ALL", "LC_MESSAGES", "LANG"] { env.removeValue(forKey: key) }
            for (key, value) in environment { env[key] = value }
            return try CommandResult.run(ReceptionctlDeskTests.receptionctl, arguments, environment: env)
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test(
        "desk login writes operator and workstation into a 0600 file in a 0700 directory; desk logout removes only the operator"
    )
    func loginAndLogout() throws {
        let home = ConfigHome()
        defer { home.remove() }
        let login = try home.ctl(["desk", "login", "li.na", "--workstation", "desk-1"])
        #expect(login.status == 0, "\(login)")
        #expect(login.stdout.contains("li.na is at the desk (desk-1)"), "\(login)")
        #expect(try home.read() == "operator = \"li.na\"\nworkstation = \"desk-1\"\n")
        #expect(try Self.mode(home.file) == 0o600)
        #expect(try Self.mode(home.base + "/receptionctl") == 0o700)

        let whoami = try JSONValue.parse(try home.ctl(["desk", "--json"]).stdout)
        #expect(whoami["operator"]?["value"] == "li.na")
        #expect(whoami["operator"]?["source"] == "file")
        #expect(whoami["operator"]?["from"] == .string(home.file))
        #expect(whoami["workstation"]?["value"] == "desk-1")

        let logout = try home.ctl(["desk", "logout"])
        #expect(logout.status == 0, "\(logout)")
        #expect(logout.stdout.contains("li.na has left the desk"), "\(logout)")
        #expect(try home.read() == "workstation = \"desk-1\"\n")
        let after = try JSONValue.parse(try home.ctl(["desk", "whoami", "--json"]).stdout)
        #expect(after["operator"]?["value"] == .null)
        #expect(after["operator"]?["source"] == "default")

        // Options typed before `desk` work too.
        let again = try home.ctl(["--json", "--workstation", "desk-7", "desk", "login", "wang.wu"])
        #expect(again.status == 0, "\(again)")
        #expect(try JSONValue.parse(again.stdout)["workstation"] == "desk-7", "\(again)")
        #expect(try home.read() == "workstation = \"desk-7\"\noperator = \"wang.wu\"\n")
    }

    @Test("desk login replaces the operator's line in place and keeps comments and the other keys")
    func loginKeepsTheRestOfTheFile() throws {
        let home = ConfigHome()
        defer { home.remove() }
        try home.write(
            """
            # front desk, east entrance
            language = "zh"   # 中文
            operator = "wang.wu"

            workstation = "desk-2"
            """)
        let login = try home.ctl(["desk", "login", "陈静"])
        #expect(login.status == 0, "\(login)")
        #expect(
            try home.read()
                == "# front desk, east entrance\nlanguage = \"zh\"   # 中文\noperator = \"陈静\"\n\nworkstation = \"desk-2\"\n"
        )
        let human = try home.ctl(["desk"])
        #expect(human.stdout.contains("operator:"), "\(human)")
        #expect(human.stdout.contains("陈静  (file \(home.file))"), "\(human)")
        #expect(human.stdout.contains("zh  (file "), "language from the file when no locale is set: \(human)")
    }

    @Test("a flag beats the environment, which beats the file; the daemon's hello carries the winner")
    func precedence() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let home = ConfigHome()
        defer { home.remove() }
        try home.write(
            "socket = \"\(daemon.socketPath)\"\noperator = \"file.op\"\nworkstation = \"file-desk\"\nlanguage = \"zh\"\n"
        )

        // The file alone: its socket is used and its names reach the daemon.
        let fromFile = try home.ctl(["--json", "call", "daemon.hello", "{}"])
        #expect(fromFile.status == 0, "\(fromFile)")
        let hello = try JSONValue.parse(fromFile.stdout)
        #expect(hello["operator"] == "file.op", "\(fromFile)")
        #expect(hello["workstation"] == "file-desk", "\(fromFile)")

        // The environment beats the file.
        let environment = [
            "RECEPTION_OPERATOR": "env.op", "RECEPTION_WORKSTATION": "env-desk", "LANG": "en_US.UTF-8",
        ]
        let fromEnvironment = try JSONValue.parse(
            try home.ctl(["--json", "call", "daemon.hello", "{}"], environment: environment).stdout)
        #expect(fromEnvironment["operator"] == "env.op")
        #expect(fromEnvironment["workstation"] == "env-desk")

        // A flag beats both.
        let fromFlag = try JSONValue.parse(
            try home.ctl(["--json", "--operator", "flag.op", "call", "daemon.hello", "{}"], environment: environment)
                .stdout)
        #expect(fromFlag["operator"] == "flag.op")
        #expect(fromFlag["workstation"] == "env-desk")

        let whoami = try JSONValue.parse(
            try home.ctl(["--json", "--operator", "flag.op", "desk"], environment: environment).stdout)
        #expect(whoami["operator"]?["source"] == "flag")
        #expect(whoami["workstation"]?["source"] == "environment")
        #expect(whoami["workstation"]?["from"] == "RECEPTION_WORKSTATION")
        #expect(whoami["language"]?["value"] == "zh", "the file's language beats a system-wide LANG")
        #expect(whoami["language"]?["source"] == "file")
        #expect(whoami["daemon"]?["source"] == "file")

        // C names no language, so the file's is used; LC_ALL beats the file and LANG.
        let plainLocale = try JSONValue.parse(
            try home.ctl(["desk", "--json"], environment: ["LANG": "C.UTF-8"]).stdout)
        #expect(plainLocale["language"]?["value"] == "zh")
        #expect(plainLocale["language"]?["source"] == "file")
        let lcAll = try JSONValue.parse(
            try home.ctl(["desk", "--json"], environment: ["LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"]).stdout)
        #expect(lcAll["language"]?["value"] == "zh")
        #expect(lcAll["language"]?["from"] == "LC_ALL=zh_CN.UTF-8")
        let englishOverride = try JSONValue.parse(
            try home.ctl(["desk", "--json"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"]).stdout)
        #expect(englishOverride["language"]?["value"] == "en", "LC_ALL is the explicit override")

        // RECEPTIOND_SOCKET beats the file's socket.
        let elsewhere = try home.ctl(
            ["call", "daemon.ping"], environment: ["RECEPTIOND_SOCKET": daemon.directory + "/missing.sock"])
        #expect(elsewhere.status == 3, "\(elsewhere)")
        #expect(elsewhere.stderr.contains("missing.sock"), "\(elsewhere)")

        // With the operator in the file, a change is signed with it: no warning.
        let add = try home.ctl(["example", "note", "add", "--text", "courier at 3pm"])
        #expect(add.status == 0, "\(add)")
        #expect(!add.stderr.contains("warning"), "\(add)")
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "an unknown key, a wrong type or a bad host in the file stops every command with file, line and key; desk login leaves such a file alone"
    )
    func strictFile() throws {
        let home = ConfigHome()
        defer { home.remove() }
        try home.write("# mine\nworkstation = \"desk-1\"\noprator = \"li.na\"\n")
        let unknown = try home.ctl(["status"])
        #expect(unknown.status == 2, "\(unknown)")
        #expect(unknown.stderr.contains("\(home.file):3: oprator: unknown key"), "\(unknown)")

        try home.write("operator = 5\n")
        let wrongType = try home.ctl(["desk"])
        #expect(wrongType.status == 2, "\(wrongType)")
        #expect(wrongType.stderr.contains("\(home.file):1: operator: must be a string"), "\(wrongType)")

        try home.write("\n\nhost = \"ftp://server\"\n")
        let badHost = try home.ctl(["call", "daemon.ping"])
        #expect(badHost.status == 2, "\(badHost)")
        #expect(badHost.stderr.contains("\(home.file):3: host: expected ssh://"), "\(badHost)")

        let refused = try home.ctl(["desk", "login", "li.na"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("host"), "\(refused)")
        #expect(try home.read() == "\n\nhost = \"ftp://server\"\n", "the broken file is not touched")

        try home.write("language = \"klingon!\"\n")
        let badLanguage = try home.ctl(["desk"])
        #expect(badLanguage.status == 2, "\(badLanguage)")
        #expect(badLanguage.stderr.contains("language: must be zh or en"), "\(badLanguage)")
    }

    @Test("words after desk other than login, logout and whoami go to a department plugin named desk")
    func deskWordsReachAPlugin() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let home = ConfigHome()
        defer { home.remove() }
        // No desk plugin is loaded, so the catch-all answers that the daemon has no such task:
        // proof that the words went to the daemon's method list, not to receptionctl's desk command.
        let plugin = try home.ctl(["--socket", daemon.socketPath, "desk", "handover", "list"])
        #expect(plugin.status == 2, "\(plugin)")
        #expect(
            plugin.stderr.contains("the daemon has no task 'desk handover list' (method desk.handover.list)"),
            "\(plugin)")
        let json = try home.ctl(["--json", "--socket", daemon.socketPath, "desk", "handover", "list"])
        #expect(json.stderr.contains("desk.handover.list"), "\(json)")
        // Ours: no daemon needed.
        let whoami = try home.ctl(["desk", "whoami"])
        #expect(whoami.status == 0, "\(whoami)")
        #expect(whoami.stdout.contains("operator:"), "\(whoami)")
        #expect(try daemon.stop() == 0)
    }
}
