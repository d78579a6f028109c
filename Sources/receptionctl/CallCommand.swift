import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol

/// `receptionctl call METHOD [JSON-PARAMS]`: any method, params as JSON.
struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call any daemon method by its full name, with its params as JSON.",
        discussion: """
            Examples:
              receptionctl call daemon.ping
              receptionctl call example.note.add '{"text":"Courier at 3pm"}'
              echo '{"text":"hi"}' | receptionctl call example.note.add
            """)

    @OptionGroup var options: Options

    @Argument(
        help: ArgumentHelp(
            "The method's full name, e.g. daemon.status (`receptionctl methods` lists them).", valueName: "method"))
    var method: String

    @Argument(
        help: ArgumentHelp(
            "The params as a JSON object; '-' or leaving it out reads them from standard input (when it is not a terminal).",
            valueName: "json-params"))
    var params: String?

    func run() throws {
        let value = try readParams()
        let session = try DaemonSession.open(options)
        defer { session.connection.close() }
        session.printResult(try session.call(method, value))
    }

    /// The params from the argument or standard input; `{}` when there are none.
    private func readParams() throws -> JSONValue {
        var text = params
        var source = "the params argument"
        if text == nil || text == "-" {
            if text == "-" || !Console.stdinIsTerminal {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                text = String(decoding: data, as: UTF8.self)
                source = "standard input"
            } else {
                text = nil
            }
        }
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [:] }
        do {
            let parsed = try JSONValue.parse(text)
            switch parsed {
            case .object, .array: return parsed
            default:
                throw usageFailure(
                    "\(source) must be a JSON object such as '{\"text\":\"hi\"}', not \(parsed.typeName)")
            }
        } catch let error as JSONParseError {
            throw usageFailure("\(source) is not valid JSON: \(error.reason)")
        }
    }
}
