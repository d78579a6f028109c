import Foundation
import ReceptionTestSupport
import Testing

/// `bench/postgres-peer.sh`, the PostgreSQL peer for durable writes (issue 18), is a measurement
/// that no test runs. These check what a reader relies on before running it: that it parses,
/// documents its options, and refuses a run it cannot do before it installs or starts anything.
@Suite("The PostgreSQL peer script")
struct PostgresPeerScriptTests {
    /// The script, from the repository's root.
    static let script = RepositoryHygieneTests.root + "/bench/postgres-peer.sh"

    @Test("bash -n parses it, and it is executable")
    func parses() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.script), "\(Self.script) is not executable")
        let result = try CommandResult.run("/bin/bash", ["-n", Self.script])
        #expect(result.status == 0, "\(result)")
    }

    @Test("--help names every option and exits 0; the README gives the command")
    func help() throws {
        let result = try CommandResult.run("/bin/bash", [Self.script, "--help"])
        #expect(result.status == 0, "\(result)")
        for option in ["--state-dir", "--duration", "--connections", "--shared-buffers", "--work-dir"] {
            #expect(result.stdout.contains(option), "--help does not mention \(option)")
        }
        let readme = try String(contentsOfFile: RepositoryHygieneTests.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("bench/postgres-peer.sh --state-dir"), "the README does not give the command")
    }

    @Test(
        "a run without --state-dir, with a missing directory, a bad duration or a bad connection count is refused with exit 1",
        arguments: [
            ([String](), "--state-dir DIR is required"),
            (["--state-dir", "/nonexistent/receptiond-state"], "no such directory"),
            (["--state-dir", "/tmp", "--duration", "ten"], "--duration takes whole seconds"),
            (["--state-dir", "/tmp", "--connections", "50 x"], "--connections takes whole numbers"),
            (["--state-dir"], "--state-dir needs a value"),
        ])
    func refusals(arguments: [String], message: String) throws {
        let result = try CommandResult.run("/bin/bash", [Self.script] + arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
    }
}
