import ReceptionClient
import Testing

/// How `--host`, `RECEPTIOND_HOST` and the config file's `host` are read, and the ssh command
/// a remote daemon is reached with.
@Suite("DaemonAddress: ssh:// and unix:// hosts")
struct DaemonAddressTests {
    @Test("ssh://user@server[:port] names the user, the server and the port; unix:///path a socket")
    func parsesHosts() throws {
        #expect(
            try DaemonAddress.parse(host: "ssh://li.na@frontdesk") == .ssh(user: "li.na", host: "frontdesk", port: nil))
        #expect(
            try DaemonAddress.parse(host: "ssh://li.na@10.0.0.5:2222")
                == .ssh(user: "li.na", host: "10.0.0.5", port: 2222))
        #expect(try DaemonAddress.parse(host: "ssh://frontdesk/") == .ssh(user: nil, host: "frontdesk", port: nil))
        #expect(try DaemonAddress.parse(host: "ssh://root@[::1]:22") == .ssh(user: "root", host: "::1", port: 22))
        #expect(
            try DaemonAddress.parse(host: "unix:///run/receptiond/receptiond.sock")
                == .socket("/run/receptiond/receptiond.sock"))
        #expect(DaemonAddress.ssh(user: "root", host: "::1", port: 22).description == "ssh://root@[::1]:22")
    }

    @Test(
        "a host that is not ssh:// or unix:///, a port out of range, a path or an option-like name is refused with the rule"
    )
    func refusesBadHosts() {
        for (host, rule) in [
            ("tcp://frontdesk:7000", "expected ssh://user@server[:port]"),
            ("ssh://li.na@frontdesk:70000", "the port must be a number from 1 to 65535"),
            ("ssh://li.na@frontdesk/run/x.sock", "has no path"),
            ("ssh://-oProxyCommand=evil", "is not a server name"),
            ("ssh://@frontdesk", "the user name is empty"),
            ("unix://relative.sock", "absolute path"),
        ] {
            #expect(throws: DaemonAddress.Invalid.self, "\(host)") { try DaemonAddress.parse(host: host) }
            do {
                _ = try DaemonAddress.parse(host: host)
            } catch {
                #expect(error.reason.contains(rule), "\(host): \(error.reason)")
            }
        }
    }

    @Test("the ssh command runs dial-stdio without prompts; RECEPTIONCTL_SSH's words come first so its options win")
    func sshCommand() throws {
        let address = try DaemonAddress.parse(host: "ssh://li.na@frontdesk:2222")
        #expect(
            address.sshArguments(sshCommand: nil, connectTimeoutSeconds: 30) == [
                "ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "LogLevel=ERROR",
                "-l", "li.na", "-p", "2222", "--", "frontdesk", "receptionctl", "dial-stdio",
            ])
        let custom = address.sshArguments(sshCommand: "ssh -i /keys/desk", connectTimeoutSeconds: 5)
        #expect(custom?.prefix(4) == ["ssh", "-i", "/keys/desk", "-T"])
        #expect(DaemonAddress.socket("/x.sock").sshArguments(sshCommand: nil, connectTimeoutSeconds: 5) == nil)
    }
}
