import ArgumentParser
import Foundation
import ReceptionClient

/// Options every command takes: which daemon, how to print, and who is at the desk.
struct Options: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Daemon socket file (default: $RECEPTIOND_SOCKET, else /run/receptiond/receptiond.sock, else ./.receptiond/receptiond.sock).",
            valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's raw JSON answer on one line (for scripts and jq) instead of tables.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Name of this desk, recorded in the audit log (default: $RECEPTION_WORKSTATION).", valueName: "name"))
    var workstation: String?

    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp(
            "Your name, recorded in the audit log with each change (default: $RECEPTION_OPERATOR).", valueName: "name"))
    var operatorName: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Seconds to wait for the daemon before giving up (default: 30).", valueName: "seconds"))
    var timeout: Double?

    mutating func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400")
        }
    }

    /// The socket to connect to.
    var socketPath: String { SocketPath.resolve(explicit: socket) }

    /// The desk name from the option or `RECEPTION_WORKSTATION`.
    var resolvedWorkstation: String? {
        Self.nonEmpty(workstation) ?? Self.nonEmpty(ProcessInfo.processInfo.environment["RECEPTION_WORKSTATION"])
    }

    /// The operator name from the option or `RECEPTION_OPERATOR`.
    var resolvedOperator: String? {
        Self.nonEmpty(operatorName) ?? Self.nonEmpty(ProcessInfo.processInfo.environment["RECEPTION_OPERATOR"])
    }

    /// The timeout as a `Duration`.
    var timeoutDuration: Duration {
        .milliseconds(Int64(((timeout ?? 30) * 1000).rounded(.up)))
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The option names that take a value, and the flags, as typed on the command line.
    static let valueOptionNames = ["socket", "workstation", "operator", "timeout"]
    static let flagNames = ["json"]
}
