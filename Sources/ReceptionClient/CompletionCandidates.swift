/// What a shell may offer for the word being typed, from the command line so far and the
/// daemon's method list: the answer of `receptionctl __complete`, which the bash, zsh and fish
/// scripts call.
///
/// - first word: the built-in commands and the departments;
/// - after a department (or a noun): the next task words, in kebab case (`receive-batch`);
/// - after a whole task: its options (`--kind`, `--recipient`, and aliases such as `--by`), then
///   the global options;
/// - after an option with choices (`--kind`): its choices (`letter`, `parcel`, …);
/// - after `help`: departments and task words; after `completion`: the shells.
///
/// Candidates start with what was typed so far; none means "let the shell complete file names".
public struct CompletionCandidates: Sendable {
    /// The built-in commands (`status`, `methods`, …), offered as the first word.
    public var commands: [String]
    /// Global options that take a value (`socket`, `timeout`, …), without `--`.
    public var valueOptions: [String]
    /// Global switches (`json`), without `--`.
    public var flags: [String]
    /// The shells `completion` writes a script for.
    public var shells: [String]

    /// Candidates for a command line with these built-in commands and global options.
    public init(
        commands: [String], valueOptions: [String], flags: [String], shells: [String] = ["bash", "zsh", "fish"]
    ) {
        self.commands = commands
        self.valueOptions = valueOptions
        self.flags = flags
        self.shells = shells
    }

    /// The candidates for `current` (the word under the cursor, maybe empty) after `words` (the
    /// words before it, without the program's name).
    public func candidates(words typed: [String], current: String, methods: [MethodInfo]) -> [String] {
        let words = Self.joiningEquals(typed)
        var bare: [String] = []  // words that are not options or their values
        var method: MethodInfo?
        var awaitingValue: String?  // the option (without --) whose value `current` is
        var index = 0
        while index < words.count {
            let token = words[index]
            index += 1
            awaitingValue = nil
            if token == "--" { break }
            if token.hasPrefix("--") {
                let name = String(token.dropFirst(2))
                guard !name.contains("=") else { continue }
                if let spec = method?.param(named: name) {
                    if spec.kind != .boolean { awaitingValue = name }
                } else if valueOptions.contains(name) {
                    awaitingValue = name
                }
                if awaitingValue != nil {
                    if index < words.count {
                        index += 1
                        awaitingValue = nil
                    }
                }
                continue
            }
            if token.hasPrefix("-") { continue }
            bare.append(token)
            if method == nil, commands.contains(bare[0]) == false {
                let resolved = CommandWords.resolve(bare, in: methods)
                method = methods.first { $0.name == resolved.joined(separator: ".") } ?? method
            }
        }

        if let option = awaitingValue {
            return Self.starting(with: current, in: method?.param(named: option)?.choices ?? [])
        }
        if current.hasPrefix("-") {
            return Self.starting(with: current, in: optionNames(of: method))
        }
        guard let first = bare.first else {
            return Self.starting(with: current, in: commands + TaskListing.departments(methods).map(\.name))
        }
        switch first {
        case "completion":
            return bare.count == 1 ? Self.starting(with: current, in: shells) : []
        case "help", "methods":
            return Self.starting(with: current, in: taskWords(after: Array(bare.dropFirst()), in: methods))
        case _ where commands.contains(first):
            return []
        default:
            break
        }
        if let method {
            // A whole task: its bare-word value (choices, if the schema lists them), else its options.
            if let positional = method.positionalParam, !positional.choices.isEmpty {
                return Self.starting(with: current, in: positional.choices)
            }
            return current.isEmpty ? optionNames(of: method) : []
        }
        return Self.starting(with: current, in: taskWords(after: bare, in: methods))
    }

    /// The words that may follow `typed` on the way to a task: departments first, then nouns and verbs.
    func taskWords(after typed: [String], in methods: [MethodInfo]) -> [String] {
        guard !typed.isEmpty else { return TaskListing.departments(methods).map(\.name) }
        let resolved = CommandWords.resolve(typed, in: methods)
        guard resolved.count == typed.count else { return [] }
        var words: [String] = []
        for method in methods {
            let segments = method.name.split(separator: ".").map(String.init)
            guard segments.count > resolved.count, Array(segments[..<resolved.count]) == resolved else { continue }
            words.append(CommandWords.kebab(segments[resolved.count]))
        }
        return Self.unique(words)
    }

    /// `--name` for each of the task's params (and their aliases), then `--help` and the global options.
    func optionNames(of method: MethodInfo?) -> [String] {
        var names: [String] = []
        for spec in method?.params ?? [] {
            names.append(spec.optionName)
            names += spec.aliases.map { "--" + $0 }
        }
        names.append("--help")
        names += (valueOptions + flags).map { "--" + $0 }
        return Self.unique(names)
    }

    /// Bash splits `--kind=letter` at `=` into `--kind`, `=`, `letter`: joins them back, and
    /// drops a last `=` so that the word being completed is read as that option's value.
    static func joiningEquals(_ words: [String]) -> [String] {
        var joined: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word == "=", let option = joined.last, option.hasPrefix("--") else {
                joined.append(word)
                continue
            }
            if index < words.count {
                joined[joined.count - 1] = option + "=" + words[index]
                index += 1
            }
        }
        return joined
    }

    /// The candidates that start with `prefix`, each once, in order.
    static func starting(with prefix: String, in candidates: [String]) -> [String] {
        unique(candidates.filter { $0.hasPrefix(prefix) })
    }

    /// `items` without repeats, first occurrences kept in order.
    static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
