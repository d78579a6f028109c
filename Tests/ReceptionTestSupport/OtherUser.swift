import Foundation

/// Runs the real `receptionctl` as another, unprivileged user (uid/gid 65534) through
/// util-linux `setpriv`, so tests see the daemon's operator view with real peer credentials.
public enum OtherUser {
    /// util-linux `setpriv`.
    public static let setpriv = "/usr/bin/setpriv"
    /// The uid and gid used (`nobody` on Debian).
    public static let uid = "65534"
    /// The built `receptionctl`.
    public static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Why receptionctl cannot run as uid 65534 here, or `nil` when it can.
    public static let skipReason: String? = {
        guard getuid() == 0 else {
            return "needs root to run receptionctl as another user (running as uid \(getuid()))"
        }
        guard FileManager.default.isExecutableFile(atPath: setpriv) else { return "needs \(setpriv) (util-linux)" }
        // The other user must be able to reach the sockets under the temporary directory.
        var directory = FileManager.default.temporaryDirectory.path
        while directory != "/" && !directory.isEmpty {
            var info = stat()
            guard stat(directory, &info) == 0, info.st_mode & 0o001 != 0 else {
                return "uid \(uid) cannot traverse \(directory) (set TMPDIR to a world-traversable directory)"
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        // The other user must be able to reach and run the built receptionctl.
        guard
            let probe = try? CommandResult.run(
                setpriv, ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", receptionctl, "--version"]),
            probe.status == 0
        else {
            return "uid \(uid) cannot run \(receptionctl) (a parent directory is not traversable?)"
        }
        return nil
    }()

    /// Whether tests needing another user can run; prints why not (naming `suite`) when they cannot.
    public static func canRun(_ suite: String) -> Bool {
        if let skipReason { print("\(suite) skipped: \(skipReason)") }
        return skipReason == nil
    }

    /// Opens the daemon's socket to everyone, as a socket_group would to its members.
    /// Returns whether both chmods worked.
    public static func openUp(_ daemon: TestDaemon) -> Bool {
        chmod(daemon.directory, 0o777) == 0 && chmod(daemon.socketPath, 0o666) == 0
    }

    /// Runs receptionctl on the daemon's socket as uid 65534 with primary group `gid` and the
    /// given supplementary groups (none by default).
    public static func receptionctl(
        _ daemon: TestDaemon, gid: String = uid, groups: [Int] = [], _ arguments: [String]
    ) throws -> CommandResult {
        let groupFlag = groups.isEmpty ? "--clear-groups" : "--groups=" + groups.map(String.init).joined(separator: ",")
        return try CommandResult.run(
            setpriv,
            ["--reuid=\(uid)", "--regid=\(gid)", groupFlag, receptionctl, "--socket", daemon.socketPath] + arguments)
    }
}
