import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The real `receptionctl` binary against a real daemon: output, exit statuses, stdin, environment.
@Suite("receptionctl against a live daemon")
struct ReceptionctlTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Runs receptionctl with `--socket` pointing at `daemon` (when given) and stdin from `/dev/null`
    /// unless `stdin` is given.
    static func ctl(
        _ daemon: TestDaemon?, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil
    ) throws -> CommandResult {
        let socket = daemon.map { ["--socket", $0.socketPath] } ?? []
        return try CommandResult.run(
            receptionctl, socket + arguments, environment: ChildProcess.cleanEnvironment(overrides: environment),
            stdin: stdin)
    }

    /// Parses stdout that must be exactly one line of JSON.
    static func singleJSONLine(_ result: CommandResult) throws -> JSONValue {
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "expected one line, got: \(result.stdout.debugDescription)")
        return try JSONValue.parse(String(lines.first ?? ""))
    }

    @Test("--json call daemon.ping prints one JSON line with pong:true and exits 0")
    func jsonPing() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let result = try Self.ctl(daemon, ["--json", "call", "daemon.ping"])
        #expect(result.status == 0, "\(result)")
        let pong = try Self.singleJSONLine(result)
        #expect(pong["pong"] == true)
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(try daemon.stop() == 0)
    }

    @Test("call of an unknown method exits 1 and says the method was not found")
    func unknownMethod() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let result = try Self.ctl(daemon, ["call", "no.such"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("method not found"), "\(result)")
        #expect(result.stderr.contains("no.such"), "\(result)")
        #expect(try daemon.stop() == 0)
    }

    @Test("status prints a readable summary naming the example plugin as loaded")
    func humanStatus() throws {
        let daemon = try TestDaemon(
            plugins: ["example": .product("libreceptiond-example.so"), "badabi": .product("libfixture-badabi.so")])
        try daemon.start()
        let result = try Self.ctl(daemon, ["status"])
        #expect(result.status == 0, "\(result)")
        let exampleLine = result.stdout.split(separator: "\n").first { $0.contains("example") }
        #expect(exampleLine?.contains("loaded") == true, "\(result)")
        let badLine = result.stdout.split(separator: "\n").first { $0.contains("badabi") }
        #expect(badLine?.contains("failed") == true, "\(result)")
        #expect(result.stdout.contains("receptiond 0.1.0"), "\(result)")
        #expect(result.stdout.contains("1 failed"), "\(result)")
        // Global options before the command name work too.
        let json = try Self.ctl(daemon, ["--json", "status"])
        #expect(json.status == 0, "\(json)")
        #expect(try Self.singleJSONLine(json)["version"] == "0.1.0")
        #expect(try daemon.stop() == 0)
    }

    @Test("example note add --text 你好 stores the note; --json example note list returns it intact")
    func methodWordsWithChineseText() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let add = try Self.ctl(daemon, ["example", "note", "add", "--text", "你好"])
        #expect(add.status == 0, "\(add)")
        #expect(add.stdout.contains("你好"), "\(add)")

        let list = try Self.ctl(daemon, ["--json", "example", "note", "list"])
        #expect(list.status == 0, "\(list)")
        let notes = try Self.singleJSONLine(list)["notes"]?.arrayValue ?? []
        #expect(notes.count == 1, "\(list)")
        #expect(notes.first?["text"] == "你好", "\(list)")
        // The raw output carries the characters themselves, not \u escapes.
        #expect(list.stdout.contains("你好"), "\(list)")
        #expect(try daemon.stop() == 0)
    }

    @Test("example note add with an option the method does not take exits 2 and lists the options")
    func unknownOptionIsUsageError() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let result = try Self.ctl(daemon, ["example", "note", "add", "--bogus", "x"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("bogus"), "\(result)")
        #expect(result.stderr.contains("--text"), "\(result)")
        // Nothing was written.
        #expect(try daemon.connect().call("example.note.list")["notes"] == [])

        let missing = try Self.ctl(daemon, ["example", "note", "add"])
        #expect(missing.status == 2 || missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("text"), "\(missing)")

        let noTask = try Self.ctl(daemon, ["example", "nosuch"])
        #expect(noTask.status == 2, "\(noTask)")
        #expect(try daemon.stop() == 0)
    }

    @Test("A socket that does not exist exits 3 with 'cannot connect'")
    func cannotConnect() throws {
        let path =
            FileManager.default.temporaryDirectory.path + "/rd-missing-" + String(UUID().uuidString.prefix(8)) + ".sock"
        let result = try Self.ctl(nil, ["--socket", path, "call", "daemon.ping"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("cannot connect"), "\(result)")
        #expect(result.stderr.contains(path), "\(result)")

        let status = try Self.ctl(nil, ["--socket", path, "status"])
        #expect(status.status == 3, "\(status)")
        let words = try Self.ctl(nil, ["--socket", path, "example", "note", "list"])
        #expect(words.status == 3, "\(words)")
    }

    @Test("RECEPTIOND_SOCKET names the socket when --socket is absent")
    func socketFromEnvironment() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let result = try Self.ctl(
            nil, ["--json", "call", "daemon.ping"], environment: ["RECEPTIOND_SOCKET": daemon.socketPath])
        #expect(result.status == 0, "\(result)")
        #expect(try Self.singleJSONLine(result)["pong"] == true)
        // --socket wins over the environment.
        let overridden = try Self.ctl(
            daemon, ["--json", "call", "daemon.ping"],
            environment: ["RECEPTIOND_SOCKET": "/nonexistent/receptiond.sock"])
        #expect(overridden.status == 0, "\(overridden)")
        #expect(try daemon.stop() == 0)
    }

    @Test("call reads its params from standard input when none are given")
    func paramsFromStdin() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let result = try Self.ctl(
            daemon, ["--json", "call", "example.note.add"], stdin: Data(#"{"text":"from stdin"}"#.utf8))
        #expect(result.status == 0, "\(result)")
        #expect(try Self.singleJSONLine(result)["text"] == "from stdin")
        let notes = try daemon.connect().call("example.note.list")["notes"]?.arrayValue ?? []
        #expect(notes.compactMap { $0["text"]?.stringValue } == ["from stdin"])

        // '-' reads stdin explicitly; bad JSON there is a usage error.
        let bad = try Self.ctl(daemon, ["call", "example.note.add", "-"], stdin: Data("{not json".utf8))
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("standard input"), "\(bad)")

        // With stdin at /dev/null and no params, the call goes out with {} (and fails validation: text is required).
        let empty = try Self.ctl(daemon, ["call", "example.note.add"])
        #expect(empty.status == 1, "\(empty)")
        #expect(empty.stderr.contains("text"), "\(empty)")
        #expect(try daemon.stop() == 0)
    }

    @Test("watch prints an event line when another connection adds a note")
    func watchPrintsEvents() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let watcher = ChildProcess(
            executable: Self.receptionctl, arguments: ["--socket", daemon.socketPath, "watch", "example"],
            logPath: daemon.directory + "/watch.log")
        try watcher.launch()
        let client = try daemon.connect()
        try watcher.waitUntil("the watcher's subscription") {
            ((try? client.call("daemon.status"))?["events"]?["subscribers"]?.intValue ?? 0) >= 1
        }
        _ = try client.call("example.note.add", ["text": "seen by the watcher"])
        try watcher.waitUntil("an event line") { watcher.log.contains("seen by the watcher") }
        // The example plugin declares the line: `note {id}[ by {author}]: {text}`, after the time of day.
        let line = watcher.log.split(separator: "\n").first { $0.contains("seen by the watcher") } ?? ""
        #expect(line.contains(#/^\d\d:\d\d:\d\d  note \d+ by uid \d+: seen by the watcher$/#), "\(watcher.log)")

        // A daemon shutdown ends the watch with status 0.
        #expect(try daemon.stop() == 0)
        #expect(try watcher.waitForExit() == 0, "\(watcher.log)")
    }

    @Test("--generate-completion-script bash prints a script and exits 0")
    func completionScript() throws {
        let result = try Self.ctl(nil, ["--generate-completion-script", "bash"])
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.isEmpty)
        #expect(result.stdout.contains("receptionctl"), "\(result.stdout.prefix(500))")
    }

    @Test("methods lists the example plugin's tasks")
    func methodsList() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let result = try Self.ctl(daemon, ["methods", "example"])
        #expect(result.status == 0, "\(result)")
        for name in ["example.echo", "example.note.add", "example.note.list", "example.note.purge"] {
            #expect(result.stdout.contains(name), "\(name) missing:\n\(result.stdout)")
        }
        #expect(!result.stdout.contains("daemon.ping"))
        #expect(try daemon.stop() == 0)
    }
}
