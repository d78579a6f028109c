import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `receptiond --check-config [FILE]` (as `nginx -t`): the file as the daemon would read it,
/// plugin sections included, exit 0 or 78 with the daemon's own messages; nothing is started.
@Suite("receptiond --check-config")
struct ConfigCheckTests {
    /// Runs `receptiond --check-config` on `config` with the example plugin in the plugin directory.
    func check(_ config: String, extra: [String] = []) throws -> CommandResult {
        let directory = FileManager.default.temporaryDirectory.path + "/rd-cc-" + String(UUID().uuidString.prefix(6))
        try FileManager.default.createDirectory(atPath: directory + "/plugins", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/plugins/libreceptiond-example.so",
            withDestinationPath: TestDaemon.productsDirectory + "/libreceptiond-example.so")
        try config.write(toFile: directory + "/receptiond.conf", atomically: true, encoding: .utf8)
        let result = try CommandResult.run(
            TestDaemon.productsDirectory + "/receptiond",
            ["--check-config", directory + "/receptiond.conf", "--plugin-dir", directory + "/plugins"] + extra)
        #expect(!FileManager.default.fileExists(atPath: directory + "/state"), "a check starts nothing")
        return result
    }

    @Test("a good file: exit 0, the file named and the plugins that took their sections")
    func goodFile() throws {
        let result = try check("[daemon]\nlog_level = \"info\"\n[plugins.example]\ngreeting = \"ni hao\"\n")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("receptiond.conf: OK") && result.stdout.contains("example"), "\(result)")
    }

    @Test("a bad [daemon] value: exit 78 with the key and the rule, as the daemon would say at start")
    func badDaemonValue() throws {
        let result = try check("[daemon]\nmax_connections = 0\n")
        #expect(result.status == 78, "\(result)")
        #expect(result.stderr.contains("max_connections"), "\(result)")
    }

    @Test("a bad plugin section (an unknown key) fails the check, naming the section and the key")
    func badPluginSection() throws {
        let result = try check("[plugins.example]\ngreeting = \"hi\"\nbogus = 1\n")
        #expect(result.status == 78, "the daemon would start with the example department down: \(result)")
        #expect(result.stderr.contains("[plugins.example]") && result.stderr.contains("bogus"), "\(result)")
    }

    @Test(
        "a TOML syntax error: exit 78 naming the file and line; a section for a plugin that is not there is a warning")
    func syntaxAndMissingPlugin() throws {
        let broken = try check("[plugins.example\ngreeting = \"x\"\n")
        #expect(broken.status == 78 && broken.stderr.contains("receptiond.conf:1: syntax error"), "\(broken)")
        let stray = try check("[plugins.nosuch]\nkey = 1\n")
        #expect(stray.status == 0 && stray.stderr.contains("warning") && stray.stderr.contains("nosuch"), "\(stray)")
    }

    @Test("a file argument without --check-config is refused: the daemon takes its file with --config")
    func fileOnlyWithCheck() throws {
        let result = try CommandResult.run(
            TestDaemon.productsDirectory + "/receptiond", ["/etc/receptiond/receptiond.conf"])
        #expect(result.status != 0 && result.stderr.contains("--check-config"), "\(result)")
    }
}
