import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Remote desks (issue 12): `receptionctl dial-stdio` joins standard input and output to the
/// daemon's socket, and `receptionctl --host ssh://user@server` speaks the protocol through
/// `ssh … receptionctl dial-stdio` to an sshd the test starts, with the README's forced command.
@Suite("receptionctl: dial-stdio and --host ssh://", .timeLimit(.minutes(3)))
struct ReceptionctlRemoteTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    static func ctl(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws
        -> CommandResult
    {
        try CommandResult.run(
            receptionctl, arguments, environment: ChildProcess.cleanEnvironment(overrides: environment), stdin: stdin)
    }

    @Test(
        "dial-stdio passes request lines to the daemon and its reply lines back unchanged, and exits 0 when input ends")
    func dialStdioRoundTrip() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let requests =
            #"{"jsonrpc":"2.0","id":1,"method":"daemon.hello","params":{"workstation":"desk-9","operator":"李娜"}}"#
            + "\n"
            + #"{"jsonrpc":"2.0","id":2,"method":"daemon.methods"}"# + "\n"
            + #"{"jsonrpc":"2.0","id":3,"method":"no.such"}"# + "\n"
        let bridged = try Self.ctl(
            ["dial-stdio"], environment: ["RECEPTIOND_SOCKET": daemon.socketPath], stdin: Data(requests.utf8))
        #expect(bridged.status == 0, "\(bridged)")
        #expect(bridged.stderr.isEmpty, "\(bridged)")
        let lines = bridged.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4 && lines.last == "", "three replies, each ending in a newline: \(bridged)")
        guard lines.count == 4 else { return }
        let hello = try JSONValue.parse(lines[0])
        #expect(hello["id"] == 1)
        #expect(hello["result"]?["operator"] == "李娜")
        #expect(hello["result"]?["uid"] == .int(Int64(getuid())))
        #expect(try JSONValue.parse(lines[2])["error"]?["code"] == -32601)

        // The same request sent straight to the socket gets the same bytes back (several KiB).
        #expect(lines[1].utf8.count > 4096, "a reply larger than a pipe's atomic write")
        let direct = try daemon.connect()
        try direct.send(line: #"{"jsonrpc":"2.0","id":2,"method":"daemon.methods"}"#)
        #expect(try direct.readLine() == lines[1])
        direct.close()
        #expect(try daemon.stop() == 0)
    }

    @Test("dial-stdio to a socket that does not exist exits 3 naming it")
    func dialStdioWithoutDaemon() throws {
        let path = FileManager.default.temporaryDirectory.path + "/rd-none-\(getpid()).sock"
        let result = try Self.ctl(["--socket", path, "dial-stdio"], stdin: Data())
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("cannot connect to \(path)"), "\(result)")
    }

    /// The clerk account `.ci/run` creates (a login shell, no password, not locked), or why the
    /// test that needs it cannot run.
    static let clerk = "receptiond-clerk"
    static var clerkUnavailableReason: String? {
        if let reason = TestSSHServer.unavailableReason { return reason }
        if let reason = OtherUser.skipReason { return reason }
        guard let entry = getpwnam(clerk) else {
            return
                "no user \(clerk) (.ci/run creates it: useradd --system --shell /bin/sh --home-dir / \(clerk); usermod -p '*' \(clerk))"
        }
        guard entry.pointee.pw_uid != 0 else { return "\(clerk) must not be root" }
        return nil
    }

    @Test(
        "a clerk's own Unix account over ssh keeps its role: the daemon sees the clerk's uid as an operator and refuses admin methods",
        .enabled(if: Self.clerkUnavailableReason == nil, "\(Self.clerkUnavailableReason ?? "")"))
    func clerkAccountKeepsItsRole() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        #expect(OtherUser.openUp(daemon), "the clerk may reach the socket, as socket_group members do")
        let server = try TestSSHServer(
            forcedCommand: "env RECEPTIOND_SOCKET=\(daemon.socketPath) \(Self.receptionctl) dial-stdio")
        defer { server.stop() }
        let ssh = ["RECEPTIONCTL_SSH": server.sshCommand]
        let host = server.url(user: Self.clerk)
        let uid = try #require(getpwnam(Self.clerk)).pointee.pw_uid

        let hello = try Self.ctl(
            ["--json", "--host", host, "--operator", "wang.fang", "call", "daemon.hello", "{}"], environment: ssh)
        try #require(hello.status == 0 && hello.stdout.hasPrefix("{"), "\(hello)\n--- sshd:\n\(server.log)")
        let identity = try JSONValue.parse(hello.stdout)
        #expect(identity["uid"] == .int(Int64(uid)), "\(hello)")
        #expect(identity["role"] == "operator", "\(hello)")

        let refused = try Self.ctl(["--json", "--host", host, "call", "example.note.purge"], environment: ssh)
        #expect(refused.status == 1, "\(refused)")
        #expect(try JSONValue.parse(refused.stderr)["data"]?["kind"] == "forbidden", "\(refused)")

        let note = try Self.ctl(
            ["--host", host, "--operator", "wang.fang", "example", "note", "add", "--text", "远程前台"], environment: ssh)
        #expect(note.status == 0, "\(note)")
        let audit = try daemon.connect().call("audit.query", ["method": "example.note.add"])
        #expect(audit["records"]?.arrayValue?.first?["uid"] == .int(Int64(uid)), "the audit names the clerk's uid")
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "--host ssh://root@127.0.0.1:PORT runs status, calls, tasks and watch through sshd's forced dial-stdio, as the SSH user's uid",
        .enabled(if: TestSSHServer.unavailableReason == nil, "\(TestSSHServer.unavailableReason ?? "")"))
    func overSSH() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let server = try TestSSHServer(
            forcedCommand: "env RECEPTIOND_SOCKET=\(daemon.socketPath) \(Self.receptionctl) dial-stdio")
        defer { server.stop() }
        let host = server.url(user: "root")
        let ssh = ["RECEPTIONCTL_SSH": server.sshCommand]

        let status = try Self.ctl(["--host", host, "status"], environment: ssh)
        #expect(status.status == 0, "\(status)\n--- sshd:\n\(server.log)")
        #expect(status.stdout.contains("receptiond 0.1.0"), "\(status)")
        #expect(status.stdout.contains(daemon.socketPath), "the server's socket: \(status)")

        // The daemon reads the SSH user's uid through SO_PEERCRED: root here, so roles hold.
        let hello = try Self.ctl(
            ["--json", "--host", host, "--operator", "li.na", "call", "daemon.hello", "{}"], environment: ssh)
        #expect(hello.status == 0, "\(hello)")
        let identity = try JSONValue.parse(hello.stdout)
        #expect(identity["uid"] == 0, "\(hello)")
        #expect(identity["operator"] == "li.na", "\(hello)")
        #expect(identity["role"] == "admin", "\(hello)")

        // RECEPTIOND_HOST, and a task by its words with a write and a read.
        var viaEnvironment = ssh
        viaEnvironment["RECEPTIOND_HOST"] = host
        let watcher = ChildProcess(
            executable: Self.receptionctl, arguments: ["--json", "watch", "example"],
            environment: viaEnvironment, logPath: daemon.directory + "/watch.log")
        try watcher.launch()
        defer { watcher.signal(SIGTERM) }
        try watcher.waitUntil("the remote watcher subscribed") {
            ((try? daemon.connect().call("daemon.status")["events"]?["subscribers"]) ?? 0) == 1
        }
        let add = try Self.ctl(
            ["--operator", "li.na", "example", "note", "add", "--text", "快递 3pm"], environment: viaEnvironment)
        #expect(add.status == 0, "\(add)")
        let list = try Self.ctl(["--json", "example", "note", "list"], environment: viaEnvironment)
        #expect(list.status == 0, "\(list)")
        #expect(try JSONValue.parse(list.stdout)["notes"]?.arrayValue?.first?["text"] == "快递 3pm", "\(list)")
        try watcher.waitUntil("the note's event over ssh") { watcher.log.contains("example.noted") }
        #expect(watcher.log.contains("快递 3pm"), "\(watcher.log)")

        // A daemon error crosses the pipe as it is: exit 1, the JSON-RPC error object under --json.
        let refused = try Self.ctl(["--json", "--host", host, "call", "no.such"], environment: ssh)
        #expect(refused.status == 1, "\(refused)")
        #expect(try JSONValue.parse(refused.stderr)["code"] == -32601, "\(refused)")
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "the forced command runs dial-stdio whatever the client asks for; a key sshd does not accept exits 3 naming the host",
        .enabled(if: TestSSHServer.unavailableReason == nil, "\(TestSSHServer.unavailableReason ?? "")"))
    func forcedCommandAndRefusedKey() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let server = try TestSSHServer(
            forcedCommand: "env RECEPTIOND_SOCKET=\(daemon.socketPath) \(Self.receptionctl) dial-stdio")
        defer { server.stop() }

        // `ssh … root@server id` still gets dial-stdio: the request goes to the daemon, not a shell.
        let ping = #"{"jsonrpc":"2.0","id":7,"method":"daemon.ping"}"# + "\n"
        let forced = try server.runSSH(["-p", String(server.port), "root@127.0.0.1", "id"], stdin: Data(ping.utf8))
        #expect(forced.status == 0, "\(forced)\n--- sshd:\n\(server.log)")
        #expect(!forced.stdout.contains("uid="), "\(forced)")
        #expect(try JSONValue.parse(forced.stdout.trimmingCharacters(in: .newlines))["id"] == 7, "\(forced)")

        // Another key: ssh fails, receptionctl says it could not reach the daemon, exit 3.
        let strangerKey = server.directory + "/stranger_key"
        _ = try CommandResult.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strangerKey])
        let stranger = server.sshCommand.replacingOccurrences(of: server.clientKey, with: strangerKey)
        let refused = try Self.ctl(
            ["--host", server.url(user: "root"), "status"], environment: ["RECEPTIONCTL_SSH": stranger])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.stderr.contains("cannot connect to \(server.url(user: "root"))"), "\(refused)")
        #expect(refused.stderr.contains("exited with status 255"), "\(refused)")
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "one ssh session answers a hundred pings in order (the round trip the README states)",
        .enabled(if: TestSSHServer.unavailableReason == nil, "\(TestSSHServer.unavailableReason ?? "")"))
    func roundTripOverOneSession() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let server = try TestSSHServer(
            forcedCommand: "env RECEPTIOND_SOCKET=\(daemon.socketPath) \(Self.receptionctl) dial-stdio")
        defer { server.stop() }
        let address = try DaemonAddress.parse(host: server.url(user: "root"))
        let arguments = try #require(address.sshArguments(sshCommand: server.sshCommand, connectTimeoutSeconds: 10))
        let clock = ContinuousClock()
        let started = clock.now
        let connection = RPCConnection(
            transport: try RPCTransport.command(arguments, endpoint: address.description), timeout: .seconds(20))
        #expect(try connection.call("daemon.ping")["pong"] == true)
        let setup = clock.now - started
        var rtts: [Duration] = []
        for _ in 0..<100 {
            let sent = clock.now
            #expect(try connection.call("daemon.ping")["pong"] == true)
            rtts.append(clock.now - sent)
        }
        connection.close()
        rtts.sort()
        print("ssh round trip: session set-up and first ping \(setup); ping median \(rtts[50]), p99 \(rtts[98])")
        #expect(rtts[50] < .seconds(1))
        #expect(try daemon.stop() == 0)
    }
}
