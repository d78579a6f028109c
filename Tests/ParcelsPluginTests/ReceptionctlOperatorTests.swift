import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Who is at the desk (issue 12): a change made without naming the operator is signed with the
/// uid, and receptionctl says so on stderr.
@Suite("receptionctl: who is at the desk", .timeLimit(.minutes(2)))
struct ReceptionctlOperatorTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    @Test("a write without an operator warns on stderr and still succeeds; with one, or under --json, no warning")
    func warnsWithoutOperator() throws {
        let daemon = try ParcelsDesk.start()
        let receive = ["parcels", "receive", "--kind", "letter", "--recipient", "李娜", "--unit", "3-2-1201"]
        let environment = ChildProcess.cleanEnvironment(overrides: [:]).filter { $0.key != "RECEPTION_OPERATOR" }

        let anonymous = try CommandResult.run(
            Self.receptionctl, ["--socket", daemon.socketPath] + receive, environment: environment)
        #expect(anonymous.status == 0, "\(anonymous)")
        #expect(anonymous.stderr.contains("warning: no operator named"), "\(anonymous)")
        #expect(anonymous.stderr.contains("RECEPTION_OPERATOR"))

        let named = try CommandResult.run(
            Self.receptionctl, ["--socket", daemon.socketPath, "--operator", "li.na"] + receive,
            environment: environment)
        #expect(named.status == 0, "\(named)")
        #expect(!named.stderr.contains("warning"), "\(named)")

        let script = try CommandResult.run(
            Self.receptionctl, ["--socket", daemon.socketPath, "--json"] + receive, environment: environment)
        #expect(script.status == 0, "\(script)")
        #expect(script.stderr.isEmpty, "--json keeps stderr for errors: \(script)")

        let read = try CommandResult.run(
            Self.receptionctl, ["--socket", daemon.socketPath, "parcels", "pending", "--unit", "3-2-1201"],
            environment: environment)
        #expect(!read.stderr.contains("warning"), "a read signs nothing: \(read)")
        try daemon.stop()
    }
}
