import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real OpenSSH server for one test, on 127.0.0.1 and a free port, with a fresh host key and a
/// fresh client key, that lets root in with that key only and runs only the forced command
/// given in `authorized_keys` (the README's remote-desk setup, in a temporary directory).
///
/// ```swift
/// let server = try TestSSHServer(forcedCommand: "env RECEPTIOND_SOCKET=\(daemon.socketPath) \(ctl) dial-stdio")
/// defer { server.stop() }
/// // RECEPTIONCTL_SSH=server.sshCommand  receptionctl --host server.url(user: "root") status
/// ```
public final class TestSSHServer: @unchecked Sendable {
    /// The sshd binary the test needs.
    public static let sshdPath = "/usr/sbin/sshd"

    /// Why an SSH test cannot run here, or `nil` when it can: sshd, ssh and ssh-keygen
    /// installed (CI installs openssh-server and openssh-client), and root to run sshd.
    public static var unavailableReason: String? {
        for tool in [sshdPath, "/usr/bin/ssh", "/usr/bin/ssh-keygen"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is not installed (apt-get install openssh-server openssh-client)"
        }
        if getuid() != 0 { return "sshd must run as root to log a user in" }
        return nil
    }

    /// The directory holding keys, config, log.
    public let directory: String
    /// The port sshd listens on (127.0.0.1).
    public let port: Int
    /// The private key that `authorized_keys` accepts.
    public let clientKey: String
    private let process: ChildProcess

    /// Generates keys, writes `sshd_config` and `authorized_keys` (`restrict,command="…"` plus
    /// `extraOptions`), starts `sshd -D` and waits until it accepts connections.
    public init(forcedCommand: String) throws {
        directory = FileManager.default.temporaryDirectory.path + "/rd-ssh-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for key in ["host_key", "client_key"] {
            let made = try CommandResult.run(
                "/usr/bin/ssh-keygen",
                ["-q", "-t", "ed25519", "-N", "", "-C", "receptiond-test", "-f", directory + "/" + key])
            guard made.status == 0 else { throw TestDaemonError("ssh-keygen failed: \(made)") }
        }
        clientKey = directory + "/client_key"
        let publicKey = try String(contentsOfFile: clientKey + ".pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let escaped = forcedCommand.replacingOccurrences(of: "\"", with: "\\\"")
        try "restrict,command=\"\(escaped)\" \(publicKey)\n".write(
            toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
        // sshd refuses to start without its privilege separation directory.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        port = try Self.freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            PermitRootLogin forced-commands-only
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            LogLevel VERBOSE
            """
        try config.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
        // sshd (like ssh) closes every inherited descriptor at start, including the one Foundation's
        // Process watches to learn that a child exited; a shell that waits for it keeps that one.
        process = ChildProcess(
            executable: "/bin/sh",
            arguments: ["-c", #""$@"; exit $?"#, "sh", Self.sshdPath, "-D", "-e", "-f", directory + "/sshd_config"],
            logPath: directory + "/sshd.log")
        try process.launch()
        let port = self.port
        try process.waitUntil("sshd listening on 127.0.0.1:\(port)", timeout: .seconds(20)) {
            Self.accepts(port: port)
        }
    }

    /// The `ssh` command (for `RECEPTIONCTL_SSH`) that uses the test's key and trusts the test's
    /// host key without a known-hosts file.
    public var sshCommand: String {
        "ssh -F /dev/null -i \(clientKey) -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
    }

    /// `ssh://user@127.0.0.1:port`.
    public func url(user: String) -> String { "ssh://\(user)@127.0.0.1:\(port)" }

    /// What sshd logged so far.
    public var log: String { process.log }

    /// Runs `ssh` with `arguments` (after the test's key options) to completion, through a shell
    /// that waits for it (see `init`).
    public func runSSH(_ arguments: [String], stdin: Data? = nil) throws -> CommandResult {
        let words = sshCommand.split(separator: " ").map(String.init)
        return try CommandResult.run("/bin/sh", ["-c", #""$@"; exit $?"#, "sh"] + words + arguments, stdin: stdin)
    }

    /// Stops sshd and removes the directory.
    public func stop() {
        if let text = try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(pid, SIGTERM)
        }
        _ = try? process.waitForExit(timeout: .seconds(10))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestDaemonError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestDaemonError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
