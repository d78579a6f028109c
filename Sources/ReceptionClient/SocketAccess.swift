import ReceptionProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a user may not open the daemon's socket, read from the file system, so that "permission
/// denied" can say who owns what and which group to join rather than "start the daemon".
///
/// Connecting to a Unix socket needs search (`x`) permission on every directory on the way and
/// write permission on the socket file. The daemon makes its socket `0660` owned by its
/// `socket_group`; a clerk's account joins that group.
public enum SocketAccess {
    /// Who is asking: a user id, the groups the process carries, and the user's name.
    public struct Credentials: Sendable, Hashable {
        /// The user id.
        public var uid: uid_t
        /// The primary and supplementary group ids this process carries.
        public var groups: [gid_t]
        /// The user's login name, when the user database has one.
        public var userName: String?

        /// Creates credentials.
        public init(uid: uid_t, groups: [gid_t], userName: String? = nil) {
            self.uid = uid
            self.groups = groups
            self.userName = userName
        }

        /// This process's real user and its groups.
        public static var current: Credentials {
            let uid = getuid()
            var groups = [getgid()]
            let count = getgroups(0, nil)
            if count > 0 {
                var list = [gid_t](repeating: 0, count: Int(count))
                let got = getgroups(count, &list)
                if got > 0 { groups += list.prefix(Int(got)) }
            }
            return Credentials(uid: uid, groups: groups, userName: SocketAccess.userName(uid))
        }
    }

    /// The first path on the way to `socketPath` (a directory, or the socket itself) that does not
    /// let `credentials` through, or `nil` when every step allows it (or cannot be read).
    public static func problem(reaching socketPath: String, as credentials: Credentials) -> SocketAccessProblem? {
        guard credentials.uid != 0 else { return nil }
        // Every directory on the way, from the root (or the working directory) down.
        var prefix = socketPath.hasPrefix("/") ? "/" : "."
        var steps = [prefix]
        let components = socketPath.split(separator: "/").map(String.init).filter { $0 != "." }
        for component in components.dropLast() {
            prefix = prefix == "/" ? "/" + component : prefix + "/" + component
            steps.append(prefix)
        }
        for step in steps {
            guard let info = status(step) else { return nil }
            if !allows(info, searchOrWrite: 0o1, credentials) {
                return SocketAccessProblem(path: step, isSocket: false, info: info, credentials: credentials)
            }
        }
        guard let info = status(socketPath) else { return nil }
        if !allows(info, searchOrWrite: 0o2, credentials) {
            return SocketAccessProblem(path: socketPath, isSocket: true, info: info, credentials: credentials)
        }
        return nil
    }

    /// Whether the permission bits of `info` grant `need` (`0o1` search, `0o2` write) to `credentials`.
    static func allows(_ info: stat, searchOrWrite need: mode_t, _ credentials: Credentials) -> Bool {
        let mode = info.st_mode
        if info.st_uid == credentials.uid { return (mode >> 6) & need == need }
        if credentials.groups.contains(info.st_gid) { return (mode >> 3) & need == need }
        return mode & need == need
    }

    static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// The login name of `uid`, if the user database has one.
    static func userName(_ uid: uid_t) -> String? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The name of group `gid`, if the group database has one.
    static func groupName(_ gid: gid_t) -> String? {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return nil }
        return String(cString: name)
    }

    /// Whether the group database lists `user` as a member of `gid` (or as its primary group).
    static func databaseLists(_ user: String, inGroup gid: gid_t) -> Bool {
        if let entry = getpwnam(user), entry.pointee.pw_gid == gid { return true }
        guard let group = getgrgid(gid), var member = group.pointee.gr_mem else { return false }
        while let name = member.pointee {
            if String(cString: name) == user { return true }
            member += 1
        }
        return false
    }
}

/// A path on the way to the socket that refuses this user, with what it takes to get through.
public struct SocketAccessProblem: Sendable, Hashable {
    /// The path that refuses: the socket, or a directory on the way to it.
    public var path: String
    /// Whether ``path`` is the socket itself (else a directory).
    public var isSocket: Bool
    /// The owner's name (or uid).
    public var owner: String
    /// The group's name (or gid).
    public var group: String
    /// The permission bits in octal, `0660`.
    public var mode: String
    /// The group whose members the group bits let through, when they do.
    public var groupToJoin: String?
    /// Whether the user is already in ``groupToJoin`` in the group database but this login does
    /// not carry the group yet (it began before the user was added).
    public var joinedButNotLoggedIn: Bool
    /// Who is asking, by name (or uid).
    public var user: String

    init(path: String, isSocket: Bool, info: stat, credentials: SocketAccess.Credentials) {
        self.path = path
        self.isSocket = isSocket
        owner = SocketAccess.userName(info.st_uid) ?? String(info.st_uid)
        group = SocketAccess.groupName(info.st_gid) ?? String(info.st_gid)
        let bits = info.st_mode & 0o7777
        let octal = String(bits, radix: 8)
        mode = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
        let need: mode_t = isSocket ? 0o2 : 0o1
        groupToJoin = (bits >> 3) & need == need ? group : nil
        user = credentials.userName ?? "uid \(credentials.uid)"
        joinedButNotLoggedIn =
            groupToJoin != nil
            && credentials.userName.map { SocketAccess.databaseLists($0, inGroup: info.st_gid) }
                == true
    }

    /// The lines printed after "cannot connect to …: permission denied": who owns the path, and
    /// what to do.
    public var explanation: [String] {
        let what = Phrase(
            isSocket
                ? "the socket \(path) belongs to \(owner):\(group) with mode \(mode)"
                : "the directory \(path), on the way to the socket, belongs to \(owner):\(group) with mode \(mode)",
            isSocket
                ? "套接字 \(path) 属于 \(owner):\(group)，权限 \(mode)"
                : "通往套接字的目录 \(path) 属于 \(owner):\(group)，权限 \(mode)")()
        var lines = [
            what
                + Phrase(
                    ", and \(user) is not allowed \(isSocket ? "to use it" : "through it").",
                    "，\(user) 没有权限\(isSocket ? "使用" : "通过")。")()
        ]
        if let groupToJoin, joinedButNotLoggedIn {
            lines.append(
                Phrase(
                    "hint: \(user) is in group \(groupToJoin), but this login began before that: log out and in again "
                        + "(or run `newgrp \(groupToJoin)`).",
                    "提示：\(user) 已在 \(groupToJoin) 组，但本次登录早于加组：请注销后重新登录（或运行 `newgrp \(groupToJoin)`）。")())
        } else if let groupToJoin {
            lines.append(
                Phrase(
                    "hint: members of group \(groupToJoin) may use the daemon; ask an administrator to run "
                        + "`sudo usermod -aG \(groupToJoin) \(user)`, then log out and in again.",
                    "提示：\(groupToJoin) 组的成员可以使用；请管理员运行 `sudo usermod -aG \(groupToJoin) \(user)`，"
                        + "然后注销并重新登录。")())
        } else {
            lines.append(
                Phrase(
                    "hint: not even group \(group) may \(isSocket ? "use it" : "pass"); an administrator sets socket_group "
                        + "in the daemon's config (restart needed) and adds clerks to that group.",
                    "提示：连 \(group) 组也没有权限；请管理员在守护进程配置中设置 socket_group（需重启），并把前台人员加入该组。")())
        }
        return lines
    }

    /// The facts for `--json`: `blockedPath`, `owner`, `group`, `mode`, and `groupToJoin` when one helps.
    public var jsonData: [String: JSONValue] {
        var data: [String: JSONValue] = [
            "blockedPath": .string(path), "owner": .string(owner), "group": .string(group), "mode": .string(mode),
        ]
        if let groupToJoin { data["groupToJoin"] = .string(groupToJoin) }
        return data
    }
}
