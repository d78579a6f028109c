import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// receptionctl's own failures: under `--json` one JSON object on stderr (`message`,
/// `data.kind`, no `code`), and a refused socket explained by who owns it.
@Suite("receptionctl's own errors: JSON for scripts, socket permissions for people")
struct ReceptionctlErrorOutputTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    static func ctl(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(receptionctl, arguments, environment: ChildProcess.cleanEnvironment(overrides: [:]))
    }

    /// The one JSON line on stderr.
    static func errorObject(_ result: CommandResult) throws -> JSONValue {
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line on stderr: \(result.stderr.debugDescription)")
        return try JSONValue.parse(String(try #require(lines.first)))
    }

    @Test("--json without a daemon prints {message, data:{kind:cannot_connect, socket, reason}} and exits 3")
    func cannotConnectAsJSON() throws {
        let path = FileManager.default.temporaryDirectory.path + "/no-daemon-\(getpid()).sock"
        for arguments in [
            ["--json", "--socket", path, "status"], ["--socket", path, "example", "note", "list", "--json"],
        ] {
            let result = try Self.ctl(arguments)
            #expect(result.status == 3, "\(result)")
            #expect(result.stdout.isEmpty)
            let error = try Self.errorObject(result)
            #expect(error["code"] == nil)
            #expect(error["data"]?["kind"] == "cannot_connect")
            #expect(error["data"]?["socket"] == .string(path))
            #expect(error["data"]?["reason"]?.stringValue?.hasPrefix("no such socket") == true, "\(error)")
            #expect(error["message"]?.stringValue?.contains(path) == true)
        }
        // Without --json, the same failure is sentences with a hint.
        let human = try Self.ctl(["--socket", path, "status"])
        #expect(human.status == 3)
        #expect(human.stderr.contains("hint: start the daemon"), "\(human.stderr)")
    }

    @Test("--json with a wrong command line prints {message, data:{kind:usage}} and exits 2")
    func usageAsJSON() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let unknownFlag = try Self.ctl(["--json", "--socket", daemon.socketPath, "status", "--verbose"])
        #expect(unknownFlag.status == 2, "\(unknownFlag)")
        let flagError = try Self.errorObject(unknownFlag)
        #expect(flagError["data"]?["kind"] == "usage")
        #expect(flagError["message"]?.stringValue?.contains("--verbose") == true, "\(flagError)")

        let unknownTask = try Self.ctl(["--json", "--socket", daemon.socketPath, "example", "note", "ad"])
        #expect(unknownTask.status == 2, "\(unknownTask)")
        let taskError = try Self.errorObject(unknownTask)
        #expect(taskError["data"]?["kind"] == "usage")
        #expect(taskError["message"]?.stringValue?.contains("example note ad") == true, "\(taskError)")

        let badParams = try Self.ctl(["--json", "--socket", daemon.socketPath, "call", "example.note.add", "{bad"])
        #expect(badParams.status == 2, "\(badParams)")
        let paramsError = try Self.errorObject(badParams)
        #expect(paramsError["data"]?["kind"] == "usage")
        #expect(paramsError["message"]?.stringValue?.contains("not valid JSON") == true, "\(paramsError)")

        // A daemon refusal under --json is its error object, code and all.
        let refused = try Self.ctl(["--json", "--socket", daemon.socketPath, "example", "note", "add", "--text", ""])
        #expect(refused.status == 1, "\(refused)")
        let refusal = try Self.errorObject(refused)
        #expect(refusal["code"]?.intValue != nil, "\(refusal)")
        #expect(refusal["data"]?["field"] == "text")
        #expect(try daemon.stop() == 0)
    }

    /// Groups a socket_group test may use: not `nogroup`, the primary group of uid 65534.
    static let socketGroups = ["staff", "users", "adm"]

    @Test(
        "A clerk outside socket_group is told who owns the socket, its mode, and the group to join",
        .otherUserCanConnect, .groupExists(ReceptionctlErrorOutputTests.socketGroups))
    func permissionDeniedNamesTheGroup() throws {
        let (group, _) = try #require(SystemGroup.first(of: Self.socketGroups))
        let daemon = try TestDaemon(
            config: """
                [daemon]
                socket_group = "\(group)"
                """)
        try daemon.start()
        #expect(chmod(daemon.directory, 0o755) == 0)
        let owner = try #require(getpwuid(getuid())).pointee.pw_name.map { String(cString: $0) } ?? "root"

        let human = try OtherUser.receptionctl(daemon, ["status"])
        #expect(human.status == 3, "\(human)")
        #expect(human.stderr.contains("permission denied"), "\(human.stderr)")
        #expect(human.stderr.contains("belongs to \(owner):\(group) with mode 0660"), "\(human.stderr)")
        #expect(human.stderr.contains("sudo usermod -aG \(group) "), "\(human.stderr)")
        #expect(!human.stderr.contains("start the daemon"), "the daemon is running: \(human.stderr)")

        let script = try OtherUser.receptionctl(daemon, ["--json", "status"])
        #expect(script.status == 3, "\(script)")
        let error = try Self.errorObject(script)
        #expect(error["data"]?["kind"] == "cannot_connect")
        #expect(error["data"]?["blockedPath"] == .string(daemon.socketPath))
        #expect(error["data"]?["groupToJoin"] == .string(group))
        #expect(error["data"]?["mode"] == "0660")

        // A directory on the way that lets nobody through is the one named.
        #expect(chmod(daemon.directory, 0o700) == 0)
        let blocked = try OtherUser.receptionctl(daemon, ["status"])
        #expect(blocked.status == 3, "\(blocked)")
        #expect(blocked.stderr.contains("the directory \(daemon.directory)"), "\(blocked.stderr)")
        #expect(chmod(daemon.directory, 0o755) == 0)

        // In the group, the same user gets through.
        let gid = Int(try #require(SystemGroup.first(of: [group])).gid)
        let member = try OtherUser.receptionctl(daemon, groups: [gid], ["--json", "call", "daemon.ping"])
        #expect(member.status == 0, "\(member)")
        #expect(try daemon.stop() == 0)
    }
}
