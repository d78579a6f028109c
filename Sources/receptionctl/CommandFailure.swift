import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol

/// A failure `receptionctl` reports on standard error before exiting with ``status``: as lines
/// for people, or with `--json` as one line holding one JSON object for scripts.
///
/// Under `--json`, a daemon's refusal is printed as the JSON-RPC `error` member it sent
/// (`{"code","message","data":{"kind","field",…}}`); receptionctl's own failures (a wrong
/// command line, no daemon) have the same shape without `code`, their `data.kind` being one of
/// `usage`, `cannot_connect`, `timeout`, `closed`, `io`, `protocol`, `events_dropped`. README's receptionctl
/// section documents both.
struct CommandFailure: Error {
    /// The exit status.
    var status: ExitCode
    /// The lines printed for people; the first says what went wrong.
    var lines: [String]
    /// The object printed under `--json`.
    var json: JSONValue
    /// Whether `--json` was given, when the command knows; otherwise ``ReceptionCtl/main()``
    /// decides from the command line.
    var jsonMode: Bool?

    /// Prints the failure the way `jsonMode` (or `fallbackJSONMode` when unknown) asks for.
    func print(fallbackJSONMode: Bool) {
        if jsonMode ?? fallbackJSONMode {
            Console.err(json.serialized())
        } else {
            // The line saying what went wrong is red on a terminal (Palette decides).
            let palette = Palette.decide(environment: ProcessInfo.processInfo.environment, fd: 2)
            for (index, line) in lines.enumerated() { Console.err(index == 0 ? palette.error(line) : line) }
        }
    }

    /// One of receptionctl's own failures: `{"message": message, "data": {"kind": kind, …data}}`.
    static func client(
        _ kind: String, _ message: String, lines: [String]? = nil, data: [String: JSONValue] = [:],
        status: ExitCode, jsonMode: Bool? = nil
    ) -> CommandFailure {
        var members = data
        members["kind"] = .string(kind)
        return CommandFailure(
            status: status, lines: lines ?? [errorPrefix() + message],
            json: .object(["message": .string(message), "data": .object(members)]), jsonMode: jsonMode)
    }
}

/// A usage failure (exit status 2): `message` after `error: `, then `details` for people.
func usageFailure(_ message: String, details: String? = nil, data: [String: JSONValue] = [:]) -> CommandFailure {
    var lines = [errorPrefix() + message]
    if let details, !details.isEmpty { lines.append(details) }
    return .client("usage", message, lines: lines, data: data, status: ExitStatus.usage)
}

/// A usage failure worded in both languages: people read it in theirs, `--json` carries the English.
func usageFailure(_ message: Phrase, details: String? = nil, data: [String: JSONValue] = [:]) -> CommandFailure {
    var lines = [errorPrefix() + message()]
    if let details, !details.isEmpty { lines.append(details) }
    return .client("usage", message.en, lines: lines, data: data, status: ExitStatus.usage)
}

/// `error: ` before a failure's message, in the language receptionctl speaks.
let errorPrefix = Phrase("error: ", "错误：")
