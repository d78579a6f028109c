import Foundation
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The version is written once (`ReceptionVersion.current`); every program and the daemon's
/// status report that one.
@Suite("One version everywhere")
struct VersionTests {
    @Test(
        "receptiond, receptionctl and reception-bench --version print ReceptionVersion.current",
        arguments: ["receptiond", "receptionctl", "reception-bench"])
    func versionFlag(program: String) throws {
        let result = try CommandResult.run(TestDaemon.productsDirectory + "/" + program, ["--version"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ReceptionVersion.current, "\(result)")
    }

    @Test("daemon.status reports ReceptionVersion.current")
    func statusVersion() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.call("daemon.status")["version"] == .string(ReceptionVersion.current))
        #expect(try daemon.stop() == 0)
    }
}
