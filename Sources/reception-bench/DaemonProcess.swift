import Foundation
import NIOPosix
import ReceptionProtocol

/// A `receptiond` from the same build as this tool, started on a state directory with a
/// temporary socket, so its plugins create their tables exactly as they will be served; then
/// stopped with SIGTERM.
struct DaemonProcess {
    /// The daemon binary.
    let executable: String
    /// Where its plugins are.
    let pluginDirectory: String

    /// The directory of this tool's own binary (where SwiftPM also put receptiond and the plugins).
    static var buildDirectory: String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().path
    }

    /// The daemon next to this tool, unless given.
    init(executable: String?, pluginDirectory: String?) throws {
        let directory = Self.buildDirectory
        self.executable = executable ?? directory + "/receptiond"
        self.pluginDirectory = pluginDirectory ?? directory
        guard FileManager.default.isExecutableFile(atPath: self.executable) else {
            throw BenchError(
                "no receptiond at \(self.executable): build it (swift build) or give --daemon PATH")
        }
    }

    /// Starts the daemon on `stateDirectory`, waits until it serves, returns `daemon.status`,
    /// and stops it (SIGTERM). Its migrations have then run for every plugin that loaded.
    func prepareSchema(stateDirectory: String) async throws -> JSONValue {
        let scratch =
            FileManager.default.temporaryDirectory.path + "/rbench-" + String(UUID().uuidString.prefix(8)).lowercased()
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let socket = scratch + "/s.sock"
        let config = scratch + "/receptiond.conf"
        // An empty config: never pick up /etc/receptiond/receptiond.conf from this machine.
        try "".write(toFile: config, atomically: true, encoding: .utf8)
        let logPath = scratch + "/daemon.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--socket", socket, "--state-dir", stateDirectory, "--plugin-dir", pluginDirectory, "--config", config,
            "--log-level", "warning",
        ]
        var environment = ProcessInfo.processInfo.environment
        for key in [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "JOURNAL_STREAM", "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY",
        ] {
            environment.removeValue(forKey: key)
        }
        process.environment = environment
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        func daemonLog() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var status: JSONValue = .null
        do {
            let deadline = Date().addingTimeInterval(60)
            var client: SetupClient?
            while client == nil {
                guard process.isRunning else {
                    throw BenchError(
                        "receptiond exited with \(process.terminationStatus) while starting:\n\(daemonLog())")
                }
                guard Date() < deadline else {
                    throw BenchError("receptiond did not listen within 60 s:\n\(daemonLog())")
                }
                if FileManager.default.fileExists(atPath: socket) {
                    client = try? await SetupClient.connect(socket: socket, group: group)
                }
                if client == nil { try await Task.sleep(nanoseconds: 20_000_000) }
            }
            if let client {
                status = try await client.call("daemon.status")
                await client.close()
            }
        } catch {
            try? await group.shutdownGracefully()
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        try? await group.shutdownGracefully()
        kill(process.processIdentifier, SIGTERM)
        let stopDeadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < stopDeadline { try await Task.sleep(nanoseconds: 10_000_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw BenchError("receptiond did not stop within 30 s of SIGTERM:\n\(daemonLog())")
        }
        guard process.terminationStatus == 0 else {
            throw BenchError("receptiond exited with \(process.terminationStatus):\n\(daemonLog())")
        }
        return status
    }
}
