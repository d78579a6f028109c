import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A daemon started with an empty argv (`execve` with argc 0, or under an `LD_PRELOAD` shim)
/// finds its own directory through `/proc/self/exe`, not `argv[0]`.
///
/// Linux 5.18 and later pad an empty argv to `[""]`, so `execve` alone no longer gives a process
/// argc 0; the `fixture-emptyargv` shim makes the Swift runtime see argc 0, as the issue's
/// `LD_PRELOAD` case did.
@Suite("Start-up with an empty argv", .timeLimit(.minutes(3)))
struct EmptyArgvTests {
    @Test(
        "receptiond spawned with argv = [NULL] under a shim that empties its argv starts, answers daemon.ping on its socket and stops on SIGTERM with status 0"
    )
    func startsWithEmptyArgv() throws {
        let base =
            FileManager.default.temporaryDirectory.path + "/ra-" + String(UUID().uuidString.prefix(8)).lowercased()
        let runtime = base + "/run"
        let state = base + "/state"
        let configuration = base + "/etc"
        for directory in [runtime, state, configuration] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: base) }
        // With no flags, systemd's directory variables say where things go; an empty config file
        // there keeps the machine's /etc/receptiond out of the test.
        try "".write(toFile: configuration + "/receptiond.conf", atomically: true, encoding: .utf8)
        let logPath = base + "/daemon.log"
        let environment = ChildProcess.cleanEnvironment(overrides: [
            "RUNTIME_DIRECTORY": runtime, "STATE_DIRECTORY": state, "CONFIGURATION_DIRECTORY": configuration,
            "LD_PRELOAD": TestDaemon.productsDirectory + "/libfixture-emptyargv.so",
        ])
        let pid = try spawnWithEmptyArgv(TestDaemon.productsDirectory + "/receptiond", environment, logPath: logPath)
        var exited = false
        defer {
            if !exited {
                kill(pid, SIGKILL)
                _ = waitStatus(pid)
            }
        }
        func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        let socket = runtime + "/receptiond.sock"
        var client: RPCConnection?
        let listening = pollUntil(timeout: .seconds(30)) {
            if let status = exitStatus(pid) {
                exited = true
                Issue.record("receptiond exited (\(status)) before listening:\n\(log())")
                return true
            }
            client = try? RPCConnection(socketPath: socket, timeout: .seconds(5))
            return client != nil
        }
        #expect(listening, "no socket at \(socket):\n\(log())")
        let connection = try #require(client, "receptiond did not listen:\n\(log())")
        #expect(try connection.call("daemon.ping")["pong"] == true)
        connection.close()

        kill(pid, SIGTERM)
        let status = waitStatus(pid)
        exited = true
        #expect(status == 0, "exit status after SIGTERM:\n\(log())")
    }

    /// Starts `path` with `argv = [NULL]` (argc 0), the given environment, stdin from
    /// `/dev/null` and stdout and stderr to `logPath`.
    private func spawnWithEmptyArgv(_ path: String, _ environment: [String: String], logPath: String) throws
        -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let variables = environment.map { strdup("\($0.key)=\($0.value)") }
        defer { for variable in variables { free(variable) } }
        let argv: [UnsafeMutablePointer<CChar>?] = [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables + [nil]
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw TestDaemonError("posix_spawn \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// The exit status of `pid` if it has exited (reaping it), else `nil`.
    private func exitStatus(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return decode(status)
    }

    /// Waits up to 30 s for `pid` to exit; its exit status, or -1 when it was killed by a signal
    /// or did not exit.
    private func waitStatus(_ pid: pid_t) -> Int32 {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let status = exitStatus(pid) { return status }
            usleep(10_000)
        }
        return -1
    }

    /// The exit code from a `waitpid` status, or `-(signal)` when a signal ended the process.
    private func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : -signal
    }
}
