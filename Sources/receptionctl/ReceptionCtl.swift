import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol

/// `receptionctl`: the command line for the front-desk daemon.
@main
struct ReceptionCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receptionctl",
        abstract: "Talk to the front-desk daemon (receptiond): check it, list what it can do, and run desk tasks.",
        discussion: """
            Desk tasks are methods of the daemon's departments. Name one by its words (kebab-case: receive-batch, report-lost; receiveBatch works too), with its options after them:

              receptionctl parcels receive --kind letter --recipient 李娜 --unit 3-2-1201
              receptionctl parcels --help              (that department's tasks; also: receptionctl help parcels)
              receptionctl parcels pickup --help       (that task's options and reply; also: receptionctl help parcels pickup)
              receptionctl methods                     (every method, by its wire name)

            Help works with the daemon stopped, from the method list cached at the last contact ($XDG_CACHE_HOME/receptionctl/methods.json), and says so.

            Options for every command: --socket PATH, --host ssh://user@server, --json, --workstation NAME, --operator NAME, --timeout SECONDS (see `receptionctl status --help`).

            Exit status: 0 done; 1 the daemon refused or failed the request; 2 the command line was wrong; 3 the daemon could not be reached. With --json, an error is one line of JSON on standard error: the daemon's error object ({"code","message","data":{"kind","field",…}}), or receptionctl's own ({"message","data":{"kind",…}}).

            Who is at the desk: `receptionctl desk login NAME` writes your name to ~/.config/receptionctl/config.toml (keys: socket, host, workstation, operator, language); flags and environment variables win over it. `receptionctl desk` shows who is signed in.

            Shell completion (departments, tasks, options, choices): `receptionctl completion bash` (or zsh, fish) prints a script to source or install; `receptionctl completion --help` says where.
            """,
        version: ReceptionVersion.current,
        subcommands: [
            CallCommand.self, StatusCommand.self, MethodsCommand.self, WatchCommand.self, DeskCommand.self,
            DialStdioCommand.self, CompletionCommand.self, CompleteCommand.self, MethodCommand.self,
        ],
        defaultSubcommand: MethodCommand.self)

    /// The built-in commands a person types (`status`, `methods`, …, `help`), for completion and
    /// to tell `help status` (ArgumentParser's) from `help parcels` (a department's).
    static var builtInCommandNames: [String] {
        configuration.subcommands.filter {
            $0.configuration.shouldDisplay && ObjectIdentifier($0) != ObjectIdentifier(MethodCommand.self)
        }
        .map { $0._commandName } + ["help"]
    }

    /// Parses and runs, mapping ArgumentParser's usage errors (EX_USAGE, 64) to exit status 2.
    static func main() {
        // Chinese for a zh_* locale, English otherwise (what scripts read does not change).
        Language.current = Language.resolve(
            environment: ProcessInfo.processInfo.environment, configured: UserConfig.currentValues["language"])
        let commandNames = Set(configuration.subcommands.map { $0._commandName } + ["help"])
        // `desk` words other than login/logout/whoami belong to a plugin named desk.
        var typed = DeskCommand.route(Array(CommandLine.arguments.dropFirst()))
        switch RootHelp.request(in: typed) {
        case .root(let globals)?:
            RootHelp.printRoot(globalOptions: globals)
            return
        case .rewritten(let arguments)?:
            typed = arguments
        case nil:
            break
        }
        let arguments = ArgumentOrder.hoistingGlobalOptions(typed, commandNames: commandNames)
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
