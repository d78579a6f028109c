import Foundation
import ReceptionClient
import Testing

/// "Permission denied" on the socket explained from the file system: real files and modes,
/// checked for another user's credentials (no second account needed).
@Suite("SocketAccess: who owns the socket, and which group to join")
struct SocketAccessTests {
    /// A directory with a file standing in for the socket, owned by this process's user.
    static func makeSocketFile(directoryMode: mode_t, fileMode: mode_t) throws -> (directory: String, file: String) {
        let directory = FileManager.default.temporaryDirectory.path + "/sa-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/s.sock"
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        #expect(chmod(file, fileMode) == 0)
        #expect(chmod(directory, directoryMode) == 0)
        return (directory, file)
    }

    /// Someone else: not this process's uid, and none of its groups.
    static let stranger = SocketAccess.Credentials(uid: getuid() == 65534 ? 65533 : 65534, groups: [65533])

    @Test("A socket the user's groups may not write names its owner:group, mode, and the group to join")
    func socketRefusesOutsider() throws {
        let (directory, file) = try Self.makeSocketFile(directoryMode: 0o755, fileMode: 0o660)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let problem = try #require(SocketAccess.problem(reaching: file, as: Self.stranger))
        let owner = try #require(getpwuid(getuid())).pointee.pw_name.map { String(cString: $0) } ?? "\(getuid())"
        let group = try #require(getgrgid(getgid())).pointee.gr_name.map { String(cString: $0) } ?? "\(getgid())"
        #expect(problem.path == file)
        #expect(problem.isSocket)
        #expect(problem.owner == owner && problem.group == group && problem.mode == "0660")
        #expect(problem.groupToJoin == group)
        let text = problem.explanation.joined(separator: "\n")
        #expect(text.contains("\(owner):\(group) with mode 0660"), "\(text)")
        #expect(text.contains("sudo usermod -aG \(group) uid \(Self.stranger.uid)"), "\(text)")
        #expect(problem.jsonData["groupToJoin"] == .string(group))

        // A member of the group gets through.
        let member = SocketAccess.Credentials(uid: Self.stranger.uid, groups: [getgid()])
        #expect(SocketAccess.problem(reaching: file, as: member) == nil)
    }

    @Test("A user already in the group whose login predates it is told to log in again, not to join")
    func joinedButNotLoggedInAgain() throws {
        let (directory, file) = try Self.makeSocketFile(directoryMode: 0o755, fileMode: 0o660)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // This user's database entry puts it in the file's group (its primary group); the
        // credentials stand for a login that does not carry that group yet.
        let entry = try #require(getpwuid(getuid()))
        try #require(entry.pointee.pw_gid == getgid(), "the test user's primary group is its process group")
        let name = try #require(entry.pointee.pw_name.map { String(cString: $0) })
        let staleLogin = SocketAccess.Credentials(uid: Self.stranger.uid, groups: [65533], userName: name)
        let problem = try #require(SocketAccess.problem(reaching: file, as: staleLogin))
        #expect(problem.joinedButNotLoggedIn)
        let text = problem.explanation.joined(separator: "\n")
        #expect(text.contains("log out and in again (or run `newgrp \(problem.group)`)"), "\(text)")
        #expect(!text.contains("usermod"), "\(text)")
    }

    @Test("A directory on the way that lets nobody through is named instead of the socket")
    func directoryRefusesOutsider() throws {
        let (directory, file) = try Self.makeSocketFile(directoryMode: 0o700, fileMode: 0o666)
        defer {
            _ = chmod(directory, 0o755)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let problem = try #require(SocketAccess.problem(reaching: file, as: Self.stranger))
        #expect(problem.path == directory)
        #expect(!problem.isSocket)
        #expect(problem.mode == "0700")
        #expect(problem.groupToJoin == nil, "group bits 0 let no group through")
        #expect(problem.explanation.joined().contains("socket_group"), "\(problem.explanation)")
    }

    @Test("Root, and a socket open to everyone, have no problem")
    func noProblem() throws {
        let (directory, file) = try Self.makeSocketFile(directoryMode: 0o755, fileMode: 0o666)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(SocketAccess.problem(reaching: file, as: Self.stranger) == nil)
        #expect(SocketAccess.problem(reaching: file, as: .init(uid: 0, groups: [0])) == nil)
    }
}
