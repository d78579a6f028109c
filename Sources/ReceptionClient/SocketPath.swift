import Foundation

/// Where the daemon's socket is, when nobody says otherwise.
public enum SocketPath {
    /// The environment variable that names the socket.
    public static let environmentVariable = "RECEPTIOND_SOCKET"
    /// The socket of the system service (systemd `RuntimeDirectory=receptiond`).
    public static let systemPath = "/run/receptiond/receptiond.sock"
    /// The socket of a daemon run by hand, whose state directory is `./.receptiond`.
    public static let localPath = "./.receptiond/receptiond.sock"

    /// The socket to use: `explicit` when given and not empty, else `$RECEPTIOND_SOCKET` when set
    /// and not empty, else ``systemPath`` when it exists, else ``localPath``.
    public static func resolve(explicit: String?) -> String {
        resolve(
            explicit: explicit,
            environment: ProcessInfo.processInfo.environment,
            fileExists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// ``resolve(explicit:)`` with the environment and file system passed in (for tests).
    public static func resolve(
        explicit: String?, environment: [String: String], fileExists: (String) -> Bool
    ) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        if fileExists(systemPath) { return systemPath }
        return localPath
    }
}
