import ArgumentParser
import Foundation
import ReceptionProtocol

/// `receptionctl`: the command line for the front-desk daemon.
@main
struct ReceptionCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receptionctl",
        abstract: "Talk to the front-desk daemon (receptiond): check it, list what it can do, and run desk tasks.",
        discussion: """
            Desk tasks are methods of the daemon's department plugins. Name one by its words, with its options after them:

              receptionctl example note add --text "Courier at 3pm"
              receptionctl example note add --help     (that task's options)
              receptionctl methods                     (every task)

            Options for every command: --socket PATH, --host ssh://user@server, --json, --workstation NAME, --operator NAME, --timeout SECONDS (see `receptionctl status --help`).

            Exit status: 0 done; 1 the daemon refused or failed the request; 2 the command line was wrong; 3 the daemon could not be reached. With --json, an error is one line of JSON on standard error: the daemon's error object ({"code","message","data":{"kind","field",…}}), or receptionctl's own ({"message","data":{"kind",…}}).

            Who is at the desk: `receptionctl desk login NAME` writes your name to ~/.config/receptionctl/config.toml (keys: socket, host, workstation, operator, language); flags and environment variables win over it. `receptionctl desk` shows who is signed in.

            Shell completion: `receptionctl --generate-completion-script bash` (or zsh, fish) prints a script to source or install.
            """,
        version: ReceptionVersion.current,
        subcommands: [
            CallCommand.self, StatusCommand.self, MethodsCommand.self, WatchCommand.self, DeskCommand.self,
            DialStdioCommand.self, MethodCommand.self,
        ],
        defaultSubcommand: MethodCommand.self)

    /// Parses and runs, mapping ArgumentParser's usage errors (EX_USAGE, 64) to exit status 2.
    static func main() {
        let commandNames = Set(configuration.subcommands.map { $0._commandName } + ["help"])
        // `desk` words other than login/logout/whoami belong to a plugin named desk.
        let arguments = ArgumentOrder.hoistingGlobalOptions(
            DeskCommand.route(Array(CommandLine.arguments.dropFirst())), commandNames: commandNames)
        let jsonMode = asksForJSON(arguments)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as CommandFailure {
            failure.print(fallbackJSONMode: jsonMode)
            Foundation.exit(failure.status.rawValue)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .validationFailure {
                let failure = usageFailure(message(for: error))
                if jsonMode {
                    failure.print(fallbackJSONMode: true)
                } else {
                    Console.err(fullMessage(for: error))
                }
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    /// Whether the command line asks for `--json` output, for failures that happen before a
    /// command has read its options: `--json` (or `--json=true`) before any `--`, and no later
    /// `--json=false`.
    static func asksForJSON(_ arguments: [String]) -> Bool {
        var json = false
        for token in arguments {
            if token == "--" { break }
            if token == "--json" || token == "--json=true" { json = true }
            if token == "--json=false" { json = false }
        }
        return json
    }
}
