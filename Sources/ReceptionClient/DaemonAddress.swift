/// Where receptionctl finds the daemon: a local socket, or a daemon on another machine reached
/// through `ssh user@server receptionctl dial-stdio` (the way `docker -H ssh://…` works).
///
/// Written as `--host` / `RECEPTIOND_HOST` / the config file's `host`: `ssh://user@server`,
/// `ssh://user@server:2222`, `ssh://server`, or `unix:///run/receptiond/receptiond.sock`.
public enum DaemonAddress: Sendable, Hashable, CustomStringConvertible {
    /// The daemon's Unix socket on this machine.
    case socket(String)
    /// A daemon on `host`, reached over SSH as `user` (ssh's default when `nil`) on `port`.
    case ssh(user: String?, host: String, port: Int?)

    /// The environment variable that names a host.
    public static let environmentVariable = "RECEPTIOND_HOST"
    /// The environment variable that replaces the `ssh` command (words split on spaces), e.g.
    /// `ssh -i ~/.ssh/desk_key` or, in tests, one with a temporary key and known-hosts file.
    public static let sshCommandVariable = "RECEPTIONCTL_SSH"

    /// A host that cannot be used, with the rule it breaks.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was written.
        public let host: String
        /// Why it is refused.
        public let reason: String
        public var description: String { "host \"\(host)\": \(reason)" }
    }

    /// Reads a host: `ssh://[user@]server[:port]` or `unix:///absolute/path`.
    public static func parse(host text: String) throws(Invalid) -> DaemonAddress {
        func invalid(_ reason: String) -> Invalid { Invalid(host: text, reason: reason) }
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/") else {
                throw invalid("a unix:// host names an absolute path: unix:///run/receptiond/receptiond.sock")
            }
            return .socket(path)
        }
        guard text.hasPrefix("ssh://") else {
            throw invalid("expected ssh://user@server[:port] or unix:///path/to/socket")
        }
        var rest = Substring(text.dropFirst("ssh://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else {
            throw invalid("an ssh:// host has no path; the server's receptionctl finds its own socket")
        }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            guard let name = user, !name.isEmpty, !name.hasPrefix("-") else { throw invalid("the user name is empty") }
        }
        var port: Int?
        if let colon = rest.lastIndex(of: ":"), !rest.hasPrefix("[") || rest[..<colon].hasSuffix("]") {
            let digits = rest[rest.index(after: colon)...]
            guard let number = Int(digits), (1...65_535).contains(number) else {
                throw invalid("the port must be a number from 1 to 65535, got \"\(digits)\"")
            }
            port = number
            rest = rest[..<colon]
        }
        if rest.hasPrefix("[") && rest.hasSuffix("]") { rest = rest.dropFirst().dropLast() }
        guard !rest.isEmpty else { throw invalid("the server name is empty") }
        guard !rest.hasPrefix("-"), !rest.contains(where: { $0 == " " || $0 == "@" }) else {
            throw invalid("\"\(rest)\" is not a server name")
        }
        return .ssh(user: user, host: String(rest), port: port)
    }

    /// The command that carries the protocol to a remote daemon: `ssh` (or `sshCommand`'s words)
    /// with options for an unattended session, then `-- server receptionctl dial-stdio`.
    ///
    /// `BatchMode=yes`: no password or host-key prompt can hang the clerk's command; keys only.
    /// `ConnectTimeout`: an unreachable server fails within `--timeout`. `LogLevel=ERROR`: ssh's
    /// notices do not mix with receptionctl's output. `-T`: no terminal, a clean byte stream.
    /// Options given in `sshCommand` come first, and ssh keeps the first value of each option,
    /// so they win.
    public func sshArguments(sshCommand: String?, connectTimeoutSeconds: Int) -> [String]? {
        guard case .ssh(let user, let host, let port) = self else { return nil }
        let custom = (sshCommand ?? "").split(separator: " ").map(String.init)
        var arguments = custom.isEmpty ? ["ssh"] : custom
        arguments += [
            "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(max(1, connectTimeoutSeconds))",
            "-o", "LogLevel=ERROR",
        ]
        if let user { arguments += ["-l", user] }
        if let port { arguments += ["-p", String(port)] }
        arguments += ["--", host, "receptionctl", "dial-stdio"]
        return arguments
    }

    /// The socket path, or `ssh://user@server:port`.
    public var description: String {
        switch self {
        case .socket(let path): return path
        case .ssh(let user, let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "ssh://" + (user.map { $0 + "@" } ?? "") + shownHost + (port.map { ":\($0)" } ?? "")
        }
    }
}
