import ArgumentParser
import ReceptionClient

/// `receptionctl completion bash|zsh|fish`: prints the shell's completion script.
///
/// ArgumentParser's own `--generate-completion-script` knows only the built-in commands: the
/// tasks are not subcommands (they come from the daemon at run time, behind the catch-all
/// `invoke`), so its scripts offer `call status methods watch invoke help` after
/// `receptionctl parcels`. These scripts instead ask `receptionctl __complete` for every word.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish (departments, tasks, options, choices).",
        discussion: """
            Install it once per machine (or per user):

              receptionctl completion bash > /usr/share/bash-completion/completions/receptionctl
              receptionctl completion zsh  > /usr/local/share/zsh/site-functions/_receptionctl
              receptionctl completion fish > /usr/share/fish/vendor_completions.d/receptionctl.fish

            or for this shell only: source <(receptionctl completion bash). The words offered come from the daemon's method list, or the copy cached at the last contact when the daemon is down.
            """)

    /// The shells there is a script for.
    enum Shell: String, ExpressibleByArgument, CaseIterable {
        case bash, zsh, fish
    }

    /// Accepted so that `receptionctl --socket S completion bash` parses; the script itself
    /// names no socket (completion follows the one on the command line being completed).
    @OptionGroup var options: Options

    @Argument(help: ArgumentHelp("The shell: bash, zsh or fish.", valueName: "shell"))
    var shell: Shell

    func run() throws {
        switch shell {
        case .bash: Console.out(CompletionScripts.bash)
        case .zsh: Console.out(CompletionScripts.zsh)
        case .fish: Console.out(CompletionScripts.fish)
        }
    }
}

/// `receptionctl __complete [--] WORD... CURRENT` (hidden): the candidates for CURRENT, one per
/// line, after the words before it (without the program's name). The completion scripts call it.
///
/// It must answer at once at every Tab: it uses a cache younger than a minute without asking,
/// else asks the daemon with a half-second limit, else uses the cache however old. It prints
/// nothing (and exits 0) when there is nothing to offer or nothing to ask.
struct CompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__complete", abstract: "Completion candidates (used by the completion scripts).",
        shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough, help: "The words typed so far; the last is the one being completed.")
    var words: [String] = []

    /// How fresh the cache must be to answer without asking the daemon, in seconds.
    static let cacheFreshness = 60.0
    /// How long the daemon may take to connect and answer, in seconds.
    static let daemonTimeout = 0.5

    func run() throws {
        // `receptionctl --socket S __complete -- WORDS…`: global options before `--` (moved
        // behind the command's name by ArgumentOrder), the typed words after it.
        let separator = self.words.firstIndex(of: "--")
        let leading = separator.map { Array(self.words[..<$0]) } ?? []
        var words = separator.map { Array(self.words[($0 + 1)...]) } ?? self.words
        let current = words.popLast() ?? ""
        var options = try Options.parse([])
        options.socket = Self.socketOption(in: words) ?? Self.socketOption(in: leading)
        let methods =
            (try? MethodCatalog.load(options, timeout: Self.daemonTimeout, freshFor: Self.cacheFreshness))?.methods
            ?? []
        let completer = CompletionCandidates(
            commands: ReceptionCtl.builtInCommandNames, valueOptions: Options.valueOptionNames,
            flags: Options.flagNames)
        for candidate in completer.candidates(words: words, current: current, methods: methods) {
            Console.out(candidate)
        }
    }

    /// The `--socket` typed on the command line being completed, if any.
    static func socketOption(in words: [String]) -> String? {
        var found: String?
        for (index, word) in words.enumerated() {
            if word == "--socket", index + 1 < words.count { found = words[index + 1] }
            if word.hasPrefix("--socket=") { found = String(word.dropFirst("--socket=".count)) }
        }
        return found
    }
}
