import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The socket file as the daemon prepares it: permissions, stale files, a live rival, and
/// systemd socket activation.
@Suite("Socket preparation and activation")
struct SocketTests {
    static let socketActivate = "/usr/bin/systemd-socket-activate"

    static func fileMode(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    @Test("The socket file is created with mode 0660 (srw-rw----)")
    func socketMode() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let mode = try #require(Self.fileMode(daemon.socketPath))
        #expect(mode & S_IFMT == S_IFSOCK)
        #expect(mode & 0o7777 == 0o660, "mode is \(String(mode & 0o7777, radix: 8))")
        #expect(try daemon.stop() == 0)
    }

    /// Groups a socket_group test may use.
    static let socketGroups = ["staff", "users", "adm", "nogroup"]

    @Test("socket_group gives the socket to that group, still 0660", .groupExists(SocketTests.socketGroups))
    func socketGroupOwnsTheSocket() throws {
        let (name, gid) = try #require(SystemGroup.first(of: Self.socketGroups))
        let daemon = try TestDaemon(
            config: """
                [daemon]
                socket_group = "\(name)"
                """)
        try daemon.start()
        var info = stat()
        #expect(lstat(daemon.socketPath, &info) == 0)
        #expect(info.st_gid == gid, "socket group is \(info.st_gid), expected \(gid) (\(name))")
        #expect(info.st_mode & 0o7777 == 0o660)
        #expect(try daemon.stop() == 0)
    }

    @Test("A socket_group that does not exist stops start-up, naming the group")
    func unknownSocketGroup() throws {
        let daemon = try TestDaemon(
            config: """
                [daemon]
                socket_group = "no-such-group-rd"
                """)
        try daemon.launch()
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains("no-such-group-rd"), "\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the refused daemon left its socket file")
    }

    @Test("The socket's directory is created when missing")
    func socketDirectoryIsCreated() throws {
        let setup = try TestDaemon()
        let path = setup.directory + "/run/sub/r.sock"
        let daemon = try TestDaemon(arguments: ["--socket", path])
        try daemon.launch()
        let connected = ChildProcess.eventually {
            guard let client = try? RPCConnection(socketPath: path, timeout: .seconds(2)) else { return false }
            return (try? client.call("daemon.ping"))?["pong"] == true
        }
        #expect(connected, "\(daemon.log)")
        #expect(FileManager.default.fileExists(atPath: setup.directory + "/run/sub"))
        #expect(try daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("A stale socket file nobody listens on is replaced and the daemon starts")
    func staleSocketIsReplaced() throws {
        let daemon = try TestDaemon()
        try RawUnixSocket.leaveStaleSocket(at: daemon.socketPath)
        let stale = try #require(Self.fileMode(daemon.socketPath), "the stale socket file was not created")
        #expect(stale & S_IFMT == S_IFSOCK)
        // Nothing listens on it.
        #expect(throws: (any Error).self) { _ = try RPCConnection(socketPath: daemon.socketPath, timeout: .seconds(2)) }

        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.call("daemon.ping")["pong"] == true)
        #expect(try #require(Self.fileMode(daemon.socketPath)) & 0o7777 == 0o660)
        #expect(try daemon.stop() == 0)
    }

    @Test("A regular file where the socket should be is not replaced: the daemon refuses to start")
    func regularFileIsNotReplaced() throws {
        let daemon = try TestDaemon()
        try "precious".write(toFile: daemon.socketPath, atomically: false, encoding: .utf8)
        try daemon.launch()
        #expect(try daemon.waitForExit() != 0)
        #expect(daemon.log.contains("not a socket"), "\(daemon.log)")
        #expect((try? String(contentsOfFile: daemon.socketPath, encoding: .utf8)) == "precious")
    }

    @Test("A second daemon on a live daemon's socket exits non-zero saying so; the first keeps answering")
    func secondDaemonRefuses() throws {
        let first = try TestDaemon()
        try first.start()
        let client = try first.connect()
        #expect(try client.call("daemon.ping")["pong"] == true)

        let second = try TestDaemon(arguments: ["--socket", first.socketPath])
        try second.launch()
        let status = try second.waitForExit()
        #expect(status != 0)
        #expect(second.log.contains("another daemon is already listening"), "\(second.log)")

        // The first daemon, its socket file, and the open connection are untouched.
        #expect(first.isRunning)
        #expect(FileManager.default.fileExists(atPath: first.socketPath))
        #expect(try client.call("daemon.ping")["pong"] == true)
        let fresh = try first.connect()
        #expect(try fresh.call("daemon.status")["pid"] == .int(Int64(first.pid)))
        #expect(try first.stop() == 0)
    }

    @Test(
        "Socket activation: the daemon serves the socket systemd passes it",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: SocketTests.socketActivate),
            "needs /usr/bin/systemd-socket-activate (the systemd package)"))
    func socketActivation() throws {
        // TestDaemon only for its directories and plugin links; the process is started by
        // systemd-socket-activate, which listens, sets LISTEN_FDS/LISTEN_PID and execs the daemon.
        let setup = try TestDaemon()
        let activator = ChildProcess(
            executable: Self.socketActivate,
            arguments: [
                "-l", setup.socketPath,
                TestDaemon.productsDirectory + "/receptiond",
                "--socket", setup.socketPath, "--state-dir", setup.stateDirectory, "--plugin-dir",
                setup.pluginDirectory,
                "--log-level", "debug",
            ],
            logPath: setup.directory + "/activated.log")
        try activator.launch()
        try activator.waitUntil("the listening socket") { FileManager.default.fileExists(atPath: setup.socketPath) }

        // The first connection starts the daemon (systemd-socket-activate waits for it); the
        // kernel queues it on the listening socket meanwhile.
        let client = try RPCConnection(socketPath: setup.socketPath, timeout: .seconds(30))
        #expect(try client.call("daemon.ping")["pong"] == true)
        #expect(activator.log.contains("serving the socket passed by systemd"), "\(activator.log)")
        #expect(!activator.log.contains("listening on \(setup.socketPath)"), "\(activator.log)")
        let status = try client.call("daemon.status")
        let example = status["plugins"]?.arrayValue?.first { $0["name"] == "example" }
        #expect(example?["state"] == "loaded", "\(status)")
        #expect(try client.call("example.echo")["greeting"] == "hello")

        // A second connection goes to the same daemon.
        let other = try RPCConnection(socketPath: setup.socketPath, timeout: .seconds(30))
        #expect(try other.call("daemon.status")["pid"] == status["pid"])

        activator.signal(SIGTERM)
        #expect(try activator.waitForExit() == 0, "\(activator.log)")
        #expect(activator.log.contains("stopped cleanly"), "\(activator.log)")
    }
}
