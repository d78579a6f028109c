import Foundation
import ReceptionClient
import ReceptionProtocol

/// A real `receptiond` process on a temporary socket and state directory, for integration tests.
///
/// ```swift
/// let daemon = try TestDaemon()          // example plugin, embedded defaults
/// try daemon.start()
/// let client = try daemon.connect()
/// let status = try client.call("daemon.status")
/// #expect(try daemon.stop() == 0)        // SIGTERM, exit status
/// ```
public final class TestDaemon: @unchecked Sendable {
    /// Where SwiftPM put the binaries and plugin libraries of this build.
    public static var productsDirectory: String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (exe as NSString).deletingLastPathComponent
        // `swift test` runs `<products>/receptiondPackageTests.xctest`; some runners nest one level deeper.
        if !FileManager.default.fileExists(atPath: directory + "/receptiond") {
            directory = (directory as NSString).deletingLastPathComponent
        }
        return directory
    }

    /// The temporary directory holding everything of this daemon.
    public let directory: String
    /// The socket the daemon listens on.
    public let socketPath: String
    /// The state directory (database).
    public let stateDirectory: String
    /// The plugin directory (symlinks to the built plugins).
    public let pluginDirectory: String
    /// The config file, when the test gave one.
    public let configPath: String?
    /// The daemon's stderr (its log when not under journald).
    public let logPath: String
    private let process = Process()
    private var extraArguments: [String]
    private var environment: [String: String]
    /// `--log-level` (debug unless a test needs the shipped level).
    private let logLevel: String

    /// Prepares a daemon. `plugins` maps plugin file names (`libreceptiond-<name>.so`) to built
    /// products (`libreceptiond-example.so`, `libfixture-badabi.so`) or to raw file contents.
    public init(
        config: String? = nil, plugins: [String: PluginFile] = ["example": .product("libreceptiond-example.so")],
        environment: [String: String] = [:], arguments: [String] = [], logLevel: String = "debug"
    ) throws {
        self.logLevel = logLevel
        let base = FileManager.default.temporaryDirectory.path
        // Short paths: a Unix socket path must stay under 108 bytes.
        directory = base + "/rd-" + String(UUID().uuidString.prefix(8)).lowercased()
        stateDirectory = directory + "/state"
        pluginDirectory = directory + "/plugins"
        socketPath = directory + "/s.sock"
        logPath = directory + "/daemon.log"
        try FileManager.default.createDirectory(atPath: pluginDirectory, withIntermediateDirectories: true)
        for (name, file) in plugins {
            let target = pluginDirectory + "/libreceptiond-\(name).so"
            switch file {
            case .product(let product):
                try FileManager.default.createSymbolicLink(
                    atPath: target, withDestinationPath: Self.productsDirectory + "/" + product)
            case .contents(let bytes):
                _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
            }
        }
        if let config {
            let path = directory + "/receptiond.conf"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            configPath = path
        } else {
            configPath = nil
        }
        self.extraArguments = arguments
        self.environment = environment
    }

    /// A plugin file placed in the daemon's plugin directory.
    public enum PluginFile: Sendable {
        /// A symlink to a library this build produced.
        case product(String)
        /// A file with these bytes (to test garbage that is not a library).
        case contents([UInt8])
    }

    /// The daemon's process id once started.
    public var pid: Int32 { process.processIdentifier }

    /// Starts the daemon and waits until its socket accepts connections.
    public func start(timeout: Duration = .seconds(30)) throws {
        try launch()
        try waitForSocket(timeout: timeout)
    }

    /// Starts the process without waiting for the socket (to test start-up failures).
    public func launch() throws {
        process.executableURL = URL(fileURLWithPath: Self.productsDirectory + "/receptiond")
        var arguments = [
            "--socket", socketPath, "--state-dir", stateDirectory, "--plugin-dir", pluginDirectory, "--log-level",
            logLevel,
        ]
        if let configPath { arguments += ["--config", configPath] }
        process.arguments = arguments + extraArguments
        var env = ProcessInfo.processInfo.environment
        // A test daemon never inherits the runner's systemd context.
        for key in [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "JOURNAL_STREAM",
            "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY",
        ] {
            env.removeValue(forKey: key)
        }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Polls until the socket accepts a connection.
    public func waitForSocket(timeout: Duration = .seconds(30)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw TestDaemonError("receptiond exited with \(process.terminationStatus) before listening:\n\(log)")
            }
            if let connection = try? RPCConnection(socketPath: socketPath, timeout: .seconds(5)) {
                connection.close()
                return
            }
            usleep(20_000)
        }
        throw TestDaemonError("receptiond did not listen on \(socketPath) within \(timeout):\n\(log)")
    }

    /// A new client connection.
    public func connect(timeout: Duration = .seconds(30)) throws -> RPCConnection {
        try RPCConnection(socketPath: socketPath, timeout: timeout)
    }

    /// A connection that said who is at the counter (`daemon.hello` with a workstation and an
    /// operator), as a desk's client does first.
    public func counter(desk: String = "desk-1", operator name: String = "li.na") throws -> RPCConnection {
        let client = try connect()
        try client.call("daemon.hello", ["workstation": .string(desk), "operator": .string(name)])
        return client
    }

    /// Sends a signal to the daemon.
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Whether the process is still running.
    public var isRunning: Bool { process.isRunning }

    /// Waits for the process to exit; returns its exit status.
    public func waitForExit(timeout: Duration = .seconds(30)) throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                throw TestDaemonError("receptiond still running after \(timeout):\n\(log)")
            }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    public func stop(timeout: Duration = .seconds(30)) throws -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        signal(SIGTERM)
        return try waitForExit(timeout: timeout)
    }

    /// What the daemon wrote to stderr so far.
    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Writes a new config file (for reload tests).
    public func rewriteConfig(_ text: String) throws {
        guard let configPath else { throw TestDaemonError("this daemon was started without a config file") }
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A test harness failure, with the daemon's log attached.
public struct TestDaemonError: Error, CustomStringConvertible {
    /// What happened.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
