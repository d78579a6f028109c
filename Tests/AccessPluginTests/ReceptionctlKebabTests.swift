import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Nouns and verbs are kebab-case on the command line (issue 12): `access badges report-lost`
/// runs `access.badges.reportLost`, and help and completion show the kebab-case words.
@Suite("access: kebab-case task words with the real receptionctl", .timeLimit(.minutes(2)))
struct ReceptionctlKebabTests {
    @Test("access badges report-lost NUMBER reports the pass lost; help and completion offer report-lost")
    func reportLost() throws {
        let daemon = try AccessDesk.start()
        let client = try daemon.connect()
        let first = try client.issue("resident").number
        let second = try client.issue("resident", holder: "周杰", idNumber: "110101199101015555").number

        let kebab = try AccessDesk.ctl(daemon, ["--json", "access", "badges", "report-lost", first])
        #expect(kebab.status == 0, "\(kebab)")
        #expect(try client.call("access.badges.get", ["number": .string(first)])["status"] == "lost")
        let camel = try AccessDesk.ctl(daemon, ["--json", "access", "badges", "reportLost", second])
        #expect(camel.status == 0, "\(camel)")
        #expect(try client.call("access.badges.get", ["number": .string(second)])["status"] == "lost")

        let cacheHome = daemon.directory + "/cache"
        let environment = ChildProcess.cleanEnvironment(overrides: ["XDG_CACHE_HOME": cacheHome])
        let nouns = try CommandResult.run(
            AccessDesk.receptionctl, ["--socket", daemon.socketPath, "help", "access", "badges"],
            environment: environment)
        #expect(nouns.status == 0, "\(nouns)")
        #expect(nouns.stdout.contains("\n  report-lost "), "\(nouns.stdout)")
        #expect(nouns.stdout.contains("receptionctl access badges <task>"), "\(nouns.stdout)")
        let verbs = try CommandResult.run(
            AccessDesk.receptionctl, ["--socket", daemon.socketPath, "__complete", "--", "access", "badges", "rep"],
            environment: environment)
        #expect(verbs.stdout == "report-lost\n", "\(verbs)")
        try daemon.stop()
    }
}
