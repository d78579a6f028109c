import Foundation
import NIOCore

/// The kernel's `struct ucred` (pid, uid, gid), which Glibc's Swift overlay does not export.
struct PeerCredentialsValue: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Who is on the other end of a connection, from `SO_PEERCRED`, and the role that earns them.
public struct PeerIdentity: Sendable, Equatable {
    /// The peer process's user id.
    public var uid: Int
    /// Its group id.
    public var gid: Int
    /// Its process id (at connect time).
    public var pid: Int

    /// Reads `SO_PEERCRED` from a connected Unix socket channel.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerIdentity> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let future: EventLoopFuture<PeerCredentialsValue> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { PeerIdentity(uid: Int($0.uid), gid: Int($0.gid), pid: Int($0.pid)) }
    }
}

/// Decides `admin` or `operator` for a peer.
public struct RoleResolver: Sendable {
    /// The admin group's name, or `nil` for root only.
    public let adminGroup: String?

    /// Creates a resolver.
    public init(adminGroup: String?) {
        self.adminGroup = adminGroup
    }

    /// `admin` for root, for the daemon's own user (the unit's `ExecReload` runs
    /// `receptionctl call daemon.reload` as it; that user owns the database anyway), and for
    /// members of the admin group (primary or supplementary, as the kernel reports them for the
    /// peer process); `operator` for everyone else.
    public func role(for peer: PeerIdentity) -> String {
        // The daemon's own user, unless it is a shared account (nobody) other services run as.
        if peer.uid == 0 || (peer.uid == Int(getuid()) && getuid() != 65534) { return "admin" }
        guard let adminGroup, let adminGID = Self.gid(of: adminGroup) else { return "operator" }
        if peer.gid == adminGID { return "admin" }
        if Self.supplementaryGroups(pid: peer.pid).contains(adminGID) { return "admin" }
        return "operator"
    }

    static func gid(of group: String) -> Int? {
        if let number = Int(group) { return number }
        var entry = GroupEntry()
        var result: UnsafeMutablePointer<GroupEntry>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(group, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return Int(entry.gr_gid)
    }

    /// The peer's supplementary groups from `/proc/<pid>/status` (`Groups:` line).
    static func supplementaryGroups(pid: Int) -> [Int] {
        guard pid > 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return []
        }
        for line in status.split(separator: "\n") where line.hasPrefix("Groups:") {
            return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap {
                Int($0)
            }
        }
        return []
    }
}

typealias GroupEntry = group
