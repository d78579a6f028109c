import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Roles from real peer credentials: `receptionctl` run as another user through `setpriv`.
@Suite("Roles from peer credentials")
struct RoleTests {
    static let nobody = OtherUser.uid

    /// Opens the daemon's socket to everyone, as a socket_group would to its members.
    static func openUp(_ daemon: TestDaemon) throws {
        #expect(OtherUser.openUp(daemon))
    }

    /// Runs receptionctl as uid/gid 65534 with the given supplementary groups (none by default).
    static func ctlAsNobody(_ daemon: TestDaemon, groups: [Int] = [], _ arguments: [String]) throws -> CommandResult {
        try OtherUser.receptionctl(daemon, groups: groups, arguments)
    }

    @Test(
        "An operator (uid 65534) may list notes but not purge them or query the audit log",
        .otherUserCanConnect)
    func operatorIsRefusedAdminMethods() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        try Self.openUp(daemon)
        let root = try daemon.connect()
        _ = try root.call("example.note.add", ["text": "keep me"])

        let hello = try Self.ctlAsNobody(daemon, ["--json", "call", "daemon.hello", "{}"])
        #expect(hello.status == 0, "\(hello)")
        let identity = try JSONValue.parse(hello.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(identity["role"] == "operator", "\(identity)")
        #expect(identity["uid"] == 65534)

        let purge = try Self.ctlAsNobody(daemon, ["call", "example.note.purge"])
        #expect(purge.status == 1, "\(purge)")
        #expect(purge.stderr.contains("forbidden"), "\(purge)")
        #expect(purge.stderr.contains("admin"), "\(purge)")

        let list = try Self.ctlAsNobody(daemon, ["--json", "call", "example.note.list"])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("keep me"), "\(list)")

        let audit = try Self.ctlAsNobody(daemon, ["call", "audit.query"])
        #expect(audit.status == 1, "\(audit)")
        #expect(audit.stderr.contains("forbidden"), "\(audit)")

        let reload = try Self.ctlAsNobody(daemon, ["call", "daemon.reload"])
        #expect(reload.status == 1, "\(reload)")
        #expect(reload.stderr.contains("forbidden"), "\(reload)")

        // The note survived the refused purge.
        let notes = try root.call("example.note.list")["notes"]?.arrayValue ?? []
        #expect(notes.contains { $0["text"] == "keep me" })

        // The refused write is counted for admins: who tried, and how it ended.
        var refused: JSONValue?
        ChildProcess.eventually {
            let tallies =
                (try? root.call("audit.refusals", ["method": "example.note.purge"]))?["refusals"]?.arrayValue ?? []
            refused = tallies.first { $0["kind"] == "forbidden" }?["recent"]?.arrayValue?.first
            return refused != nil
        }
        let record = try #require(refused, "no refusal sample of the refused purge")
        #expect(record["uid"] == 65534)
        #expect(record["gid"] == 65534)
        #expect(record["role"] == "operator")
        #expect(record["error"]?["kind"] == "forbidden", "\(record)")
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "A member of admin_group (given as a gid) is an admin and may purge",
        .otherUserCanConnect)
    func adminGroupMemberMayPurge() throws {
        let daemon = try TestDaemon(
            config: """
                [daemon]
                admin_group = "4242"
                """)
        try daemon.start()
        try Self.openUp(daemon)
        let root = try daemon.connect()
        _ = try root.call("example.note.add", ["text": "to be purged"])

        let hello = try Self.ctlAsNobody(daemon, groups: [4242], ["--json", "call", "daemon.hello", "{}"])
        #expect(hello.status == 0, "\(hello)")
        let identity = try JSONValue.parse(hello.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(identity["role"] == "admin", "\(identity)")
        #expect(identity["uid"] == 65534)

        let purge = try Self.ctlAsNobody(daemon, groups: [4242], ["--json", "call", "example.note.purge"])
        #expect(purge.status == 0, "\(purge)")
        let result = try JSONValue.parse(purge.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result["purged"] == 1, "\(result)")
        #expect(try root.call("example.note.list")["notes"] == [])

        let audit = try Self.ctlAsNobody(daemon, groups: [4242], ["--json", "call", "audit.query", #"{"uid":65534}"#])
        #expect(audit.status == 0, "\(audit)")
        let records =
            try JSONValue.parse(audit.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["records"]?
            .arrayValue ?? []
        let purgeRecord = records.first { $0["method"] == "example.note.purge" }
        #expect(purgeRecord?["outcome"] == "ok", "\(records)")
        #expect(purgeRecord?["role"] == "admin", "\(records)")

        // Without the group the same user is an operator again.
        let outsider = try Self.ctlAsNobody(daemon, ["call", "example.note.purge"])
        #expect(outsider.status == 1, "\(outsider)")
        #expect(outsider.stderr.contains("forbidden"), "\(outsider)")
        #expect(try daemon.stop() == 0)
    }

    @Test("admin_group as the peer's primary group also makes an admin", .otherUserCanConnect)
    func adminGroupAsPrimaryGroup() throws {
        let daemon = try TestDaemon(
            config: """
                [daemon]
                admin_group = "4242"
                """)
        try daemon.start()
        try Self.openUp(daemon)
        let hello = try OtherUser.receptionctl(daemon, gid: "4242", ["--json", "call", "daemon.hello", "{}"])
        #expect(hello.status == 0, "\(hello)")
        let identity = try JSONValue.parse(hello.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(identity["role"] == "admin", "\(identity)")
        #expect(identity["gid"] == 4242)
        #expect(try daemon.stop() == 0)
    }

    /// Groups an admin_group test may use: not `nogroup`, the primary group of uid 65534.
    static let adminGroups = ["staff", "users", "adm"]

    @Test(
        "admin_group given as a group name works like its gid", .otherUserCanConnect,
        .groupExists(RoleTests.adminGroups))
    func adminGroupByName() throws {
        let (name, groupID) = try #require(SystemGroup.first(of: Self.adminGroups))
        let gid = Int(groupID)
        let daemon = try TestDaemon(
            config: """
                [daemon]
                admin_group = "\(name)"
                """)
        try daemon.start()
        try Self.openUp(daemon)
        let member = try Self.ctlAsNobody(daemon, groups: [gid], ["--json", "call", "daemon.hello", "{}"])
        #expect(member.status == 0, "\(member)")
        #expect(try JSONValue.parse(member.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["role"] == "admin")
        let outsider = try Self.ctlAsNobody(daemon, ["--json", "call", "daemon.hello", "{}"])
        #expect(
            try JSONValue.parse(outsider.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["role"] == "operator")
        // The refusal names the group, so the operator knows whom to ask.
        let refused = try Self.ctlAsNobody(daemon, ["call", "example.note.purge"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(name), "\(refused)")
        #expect(try daemon.stop() == 0)
    }
}
