import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Under systemd the daemon runs unprivileged (RLIMIT_NICE 0, no CAP_SYS_NICE): libdispatch's
/// request to lower a user-initiated worker thread's nice value is refused, and libdispatch writes
/// "Failed to set thread priority for worker thread … errno=13" for each refusal (to syslog, the
/// journal; `LIBDISPATCH_LOG=stderr` sends it to stderr here). The writer's queue, GRDB's queues
/// and the async main task asked for it on every write and sweep; now only libdispatch's own
/// thread for its sources does, once per start.
@Suite("No libdispatch priority noise from an unprivileged daemon")
struct ThreadPriorityNoiseTests {
    @Test(
        "as nobody, a daemon that writes logs libdispatch's priority refusal at most once (its own thread), not per write",
        .enabled(if: getuid() == 0, "needs root to run the daemon as nobody (setpriv); CI runs as root"))
    func unprivilegedWritesAreQuiet() throws {
        let directory = "/tmp/rd-nice-" + String(UUID().uuidString.prefix(6))
        try FileManager.default.createDirectory(atPath: directory + "/plugins", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o777)
        try FileManager.default.copyItem(
            atPath: TestDaemon.productsDirectory + "/libreceptiond-example.so",
            toPath: directory + "/plugins/libreceptiond-example.so")
        let socket = directory + "/s.sock"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", TestDaemon.productsDirectory + "/receptiond",
            "--socket", socket, "--state-dir", directory + "/state", "--plugin-dir", directory + "/plugins",
        ]
        process.environment = ChildProcess.cleanEnvironment(overrides: ["LIBDISPATCH_LOG": "stderr"])
        let log = directory + "/daemon.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var client: RPCConnection?
        for _ in 0..<300 where client == nil {
            client = try? RPCConnection(socketPath: socket, timeout: .seconds(10))
            if client == nil { usleep(50_000) }
        }
        let started = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let connection = try #require(client, "the daemon never listened: \(started)")
        for n in 1...20 {
            try connection.call("example.note.add", ["text": .string("note \(n)")])
            if n % 5 == 0 { usleep(300_000) }  // idle worker threads exit; new ones are made
        }
        connection.close()
        process.terminate()
        process.waitUntilExit()
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let refusals = text.split(separator: "\n").filter { $0.contains("Failed to set thread priority") }
        #expect(text.contains("ready"), "\(text)")
        #expect(refusals.count <= 1, "\(refusals.count) refusals:\n\(text)")
    }
}
