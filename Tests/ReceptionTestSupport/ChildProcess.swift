import Foundation

/// Another real process a test starts: `receptiond` with hand-picked flags (no `--log-level`,
/// a reused state directory), `systemd-socket-activate`, or a long-running `receptionctl watch`.
/// Its stdout and stderr go to a log file; it is killed when the value goes away.
public final class ChildProcess: @unchecked Sendable {
    /// The file holding the process's stdout and stderr.
    public let logPath: String
    private let process = Process()

    /// Prepares a process. `environment` is laid over a copy of the test runner's environment
    /// from which the systemd context (`NOTIFY_SOCKET`, `LISTEN_FDS`, ...) has been removed.
    public init(executable: String, arguments: [String], environment: [String: String] = [:], logPath: String) {
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = Self.cleanEnvironment(overrides: environment)
    }

    /// The runner's environment without systemd's or receptionctl's variables, and with
    /// receptionctl's config file pointed at a directory that does not exist, with `overrides` applied.
    public static func cleanEnvironment(overrides: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "JOURNAL_STREAM", "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY", "RECEPTIOND_SOCKET",
            "RECEPTION_WORKSTATION", "RECEPTION_OPERATOR", "RECEPTIOND_HOST", "RECEPTIONCTL_SSH", "LC_ALL",
            "LC_MESSAGES", "LANGUAGE",
            "NO_COLOR", "COLUMNS",
        ] {
            env.removeValue(forKey: key)
        }
        // receptionctl's user files (config.toml, the methods cache) live in a directory of the
        // test run, never in the home of whoever runs the tests; the language is English unless
        // a test says otherwise.
        env["XDG_CONFIG_HOME"] = userDirectory + "/config"
        env["XDG_CACHE_HOME"] = userDirectory + "/cache"
        env["LANG"] = "C.UTF-8"
        for (key, value) in overrides { env[key] = value }
        return env
    }

    /// A directory of this test process for the per-user files of the programs it runs.
    static let userDirectory: String = {
        let path = NSTemporaryDirectory() + "receptiond-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Starts the process (stdin is `/dev/null`).
    public func launch() throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether the process is still running.
    public var isRunning: Bool { process.isRunning }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// What the process wrote so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit; returns its exit status.
    public func waitForExit(timeout: Duration = .seconds(30)) throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                throw TestDaemonError(
                    "\(process.executableURL?.path ?? "process") still running after \(timeout):\n\(log)")
            }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// Polls until `condition` holds, failing if the process exits first or the timeout passes.
    public func waitUntil(
        _ what: String, timeout: Duration = .seconds(30), _ condition: () -> Bool
    ) throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { throw TestDaemonError("no \(what) within \(timeout):\n\(log)") }
            if !process.isRunning {
                throw TestDaemonError("exited with \(process.terminationStatus) before \(what):\n\(log)")
            }
            usleep(20_000)
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// The outcome of running a command to completion.
public struct CommandResult: Sendable, CustomStringConvertible {
    /// The exit status (or the signal number when `terminatedBySignal`).
    public let status: Int32
    /// Whether the process was killed by a signal.
    public let terminatedBySignal: Bool
    /// Standard output, as UTF-8.
    public let stdout: String
    /// Standard error, as UTF-8.
    public let stderr: String

    public var description: String {
        "exit \(status)\(terminatedBySignal ? " (signal)" : "")\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }

    /// Runs `executable` with `arguments` to completion. Standard input is `/dev/null` unless
    /// `stdin` gives bytes to pipe in. `environment` replaces the runner's environment when given,
    /// else ``ChildProcess/cleanEnvironment(overrides:)`` is used.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: Data? = nil,
        timeout: Duration = .seconds(30)
    ) throws -> CommandResult {
        let directory = FileManager.default.temporaryDirectory.path + "/rc-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out"
        let errPath = directory + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment ?? ChildProcess.cleanEnvironment()
        process.standardOutput = out
        process.standardError = err
        var inputPipe: Pipe?
        if stdin != nil {
            let pipe = Pipe()
            process.standardInput = pipe
            inputPipe = pipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        if let inputPipe, let stdin {
            inputPipe.fileHandleForWriting.write(stdin)
            try? inputPipe.fileHandleForWriting.close()
        }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let partial = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
                throw TestDaemonError(
                    "\(executable) \(arguments) did not finish within \(timeout); stdout so far:\n\(partial)")
            }
            usleep(5_000)
        }
        return CommandResult(
            status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Raw `AF_UNIX` stream sockets, below the level of ``ReceptionClient/RPCConnection``: to leave a
/// stale socket file behind, and to read a connection's bytes exactly as the daemon sent them.
public enum RawUnixSocket {
    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        return address
    }

    /// Binds (and listens on) a socket at `path`, then closes it without unlinking the file: what a
    /// crashed daemon leaves behind. Nothing listens on the file afterwards.
    public static func leaveStaleSocket(at path: String) throws {
        // Close-on-exec: a daemon another test spawns meanwhile would otherwise inherit the
        // listening socket and keep it accepting after we close it here.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestDaemonError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = address(path)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw TestDaemonError("bind \(path) failed: errno \(errno)") }
        guard listen(fd, 1) == 0 else { throw TestDaemonError("listen \(path) failed: errno \(errno)") }
    }

    /// A connected blocking socket.
    public static func connect(to path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestDaemonError("socket() failed: errno \(errno)") }
        var address = address(path)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestDaemonError("connect \(path) failed: errno \(code)")
        }
        return fd
    }

    /// Writes all of `bytes`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw TestDaemonError("send failed: errno \(errno)")
            }
            offset += written
        }
    }

    /// Reads until at least one byte arrives (`[]` at end of stream, `nil` when nothing came within `timeout`).
    public static func readSome(_ fd: Int32, timeout: Duration) throws -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let millis = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&poller, 1, max(1, millis))
        if ready == 0 { return nil }
        if ready < 0 {
            if errno == EINTR { return try readSome(fd, timeout: timeout) }
            throw TestDaemonError("poll failed: errno \(errno)")
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &buffer, buffer.count, 0)
        if count < 0 {
            if errno == ECONNRESET { return [] }
            throw TestDaemonError("recv failed: errno \(errno)")
        }
        return Array(buffer.prefix(count))
    }

    /// Reads everything until the peer closes the connection.
    public static func readToEnd(_ fd: Int32, timeout: Duration = .seconds(30)) throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var all: [UInt8] = []
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw TestDaemonError("the connection stayed open for \(timeout); read \(all.count) bytes")
            }
            guard let chunk = try readSome(fd, timeout: min(remaining, .milliseconds(200))) else { continue }
            if chunk.isEmpty { return all }
            all += chunk
        }
    }
}

extension ChildProcess {
    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    @discardableResult
    public static func eventually(timeout: Duration = .seconds(20), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }
}
