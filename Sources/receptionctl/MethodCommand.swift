import ArgumentParser
import ReceptionClient
import ReceptionProtocol

/// The catch-all: `receptionctl <plugin> <verb...> [--options]` calls the method named by the
/// words joined with dots, its params built from the options using the method's schema.
struct MethodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Run a desk task by its words (the default): receptionctl <plugin> <verb...> [--options].",
        discussion: """
            The words name the method: `receptionctl example note add --text hi` calls example.note.add with {"text":"hi"}. Add --help after the words to see the task's options.

            Options: --name value or --name=value; switches: --urgent, --urgent=false or --no-urgent; lists: repeat the option (--codes A --codes B); objects: JSON text.
            """)

    @OptionGroup var options: Options

    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            "The task's words and then its options, e.g. example note add --text hi.", valueName: "words"))
    var words: [String] = []

    func run() throws {
        let (typedWords, rest) = ParamsBuilder.splitWords(self.words)
        var words = typedWords
        guard !words.isEmpty else {
            if rest.contains("--help") || rest.contains("-h") {
                Console.out(ReceptionCtl.helpMessage(for: MethodCommand.self))
                return
            }
            if !ReceptionCtl.asksForJSON(rest) { Console.err(ReceptionCtl.helpMessage()) }
            throw usageFailure(
                rest.isEmpty
                    ? "name a command or a task, e.g. `receptionctl status`"
                    : "unexpected '\(rest[0])' before any task words")
        }

        // --socket and --host (always ours) may come after the words; the rest is decided once the schema is known.
        var options = self.options
        // A failure before the options are sorted out (no daemon) is printed as --json asks.
        if ReceptionCtl.asksForJSON(rest) { options.json = true }
        let early = Self.extract(["socket", "host"], from: rest, method: nil)
        if let socket = early.values["socket"] { options.socket = socket }
        if let host = early.values["host"] { options.host = host }

        let session = try DaemonSession.open(options, identify: false)
        defer { session.connection.close() }
        let methods = MethodInfo.list(from: try session.call("daemon.methods").result)
        // `parcels pickup K7M3 P2Q4 --by ...`: words past the method's name are its positional values.
        let split = ParamsBuilder.splitPositionals(words, methods: methods)
        words = split.words
        let method = try Self.find(words: words, rest: rest, in: methods)
        guard let method else { return }  // help for a group of methods was printed

        let globals = Self.extract(
            Options.valueOptionNames + Options.flagNames, from: split.positionals + early.remaining, method: method)
        if let json = globals.values["json"] { options.json = json != "false" }
        if let name = globals.values["workstation"] { options.workstation = name }
        if let name = globals.values["operator"] { options.operatorName = name }
        var callTimeout: Duration?
        if let text = globals.values["timeout"] {
            guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
                throw usageFailure("--timeout must be a number of seconds between 0 and 86400")
            }
            callTimeout = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }

        // Money is typed and shown in the daemon's currency; ask for it only when the task has money.
        let currency = method.involvesMoney ? Currency.published(in: try session.call("daemon.hello").result) : .cny

        if ParamsBuilder.wantsHelp(globals.remaining, for: method) {
            Console.out(MethodHelp.render(method, currency: currency))
            return
        }
        let built: BuiltParams
        do {
            built = try ParamsBuilder.parse(
                options: globals.remaining, for: method, alsoAccepted: Options.valueOptionNames + Options.flagNames,
                currency: currency)
        } catch {
            let helpHint = "(`receptionctl \(method.words.joined(separator: " ")) --help` explains them)"
            let details: String
            if error.message.hasPrefix("unknown option") {
                details =
                    method.params.isEmpty
                    ? "\(method.name) takes no options"
                    : "\(method.name) takes these options:\n\(MethodHelp.optionsText(method, currency: currency))"
            } else {
                details = "usage: \(MethodHelp.usageLine(method, currency: currency))\n\(helpHint)"
            }
            var data: [String: JSONValue] = ["method": .string(method.name)]
            if let option = error.option { data["option"] = .string(option) }
            if !error.suggestions.isEmpty { data["suggestions"] = .array(error.suggestions.map { .string($0) }) }
            var failure = usageFailure(error.message, details: details, data: data)
            failure.jsonMode = options.json
            throw failure
        }

        let resolved = DaemonSession(connection: session.connection, socketPath: session.socketPath, options: options)
        // A change is signed with the operator's name; without one the daemon can only say "uid N".
        if method.access == "write", options.resolvedOperator == nil, !options.json {
            Console.err(
                "warning: no operator named: this change is signed with your uid, not your name (set RECEPTION_OPERATOR or pass --operator NAME)"
            )
        }
        try resolved.identify()
        let wording = OptionWording(method: method, spellings: built.spellings)
        resolved.printResult(
            try resolved.call(method.name, built.params, timeout: callTimeout, wording: wording),
            money: method.moneyMembers, currency: currency)
    }

    /// The method the words name; `nil` after printing help for a group (`receptionctl example --help`).
    /// Throws a usage exit for an unknown name or extra words.
    static func find(words: [String], rest: [String], in methods: [MethodInfo]) throws -> MethodInfo? {
        let name = words.joined(separator: ".")
        if let exact = methods.first(where: { $0.name == name }) { return exact }

        // Extra words after a real method name.
        for count in stride(from: words.count - 1, through: 1, by: -1) {
            let prefix = words[..<count].joined(separator: ".")
            if let method = methods.first(where: { $0.name == prefix }) {
                throw usageFailure(
                    "unexpected word '\(words[count])' after \(words[..<count].joined(separator: " "))",
                    details: "usage: \(MethodHelp.usageLine(method))")
            }
        }

        // A group of methods: `receptionctl example` or `receptionctl example note --help`.
        let group = methods.filter { $0.name.hasPrefix(name + ".") }
        if !group.isEmpty {
            let listing = MethodsCommand.table(group)
            if rest.contains("--help") || rest.contains("-h") {
                Console.out(
                    "Tasks under '\(words.joined(separator: " "))':\n\n\(listing)\n\n"
                        + "Run `receptionctl \(words.joined(separator: " ")) <verb> --help` for a task's options.")
                return nil
            }
            throw usageFailure(
                "'\(words.joined(separator: " "))' needs more words; it could be one of:", details: listing)
        }

        let suggestions = NameSuggester.suggestions(for: name, among: methods.map(\.name))
        var details = "`receptionctl methods` lists every task."
        if !suggestions.isEmpty {
            let spelled = suggestions.map { $0.replacingOccurrences(of: ".", with: " ") }
            details = "did you mean: " + spelled.joined(separator: ", ") + "?\n" + details
        }
        throw usageFailure(
            "the daemon has no task '\(words.joined(separator: " "))' (method \(name))", details: details)
    }

    /// Takes the options named in `names` out of `tokens`, leaving those that belong to the
    /// method's schema (a method's own `--operator` stays a param).
    static func extract(
        _ names: [String], from tokens: [String], method: MethodInfo?
    ) -> (values: [String: String], remaining: [String]) {
        var values: [String: String] = [:]
        var remaining: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            guard token.hasPrefix("--") else {
                remaining.append(token)
                continue
            }
            let body = String(token.dropFirst(2))
            let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? body
            let inline = body.contains("=") ? String(body.drop(while: { $0 != "=" }).dropFirst()) : nil
            if let spec = method?.param(named: name) {
                remaining.append(token)
                if spec.kind != .boolean, inline == nil, index < tokens.count {
                    remaining.append(tokens[index])
                    index += 1
                }
                continue
            }
            guard names.contains(name) else {
                remaining.append(token)
                continue
            }
            if Options.flagNames.contains(name) {
                values[name] = inline ?? "true"
            } else if let inline {
                values[name] = inline
            } else if index < tokens.count {
                values[name] = tokens[index]
                index += 1
            } else {
                remaining.append(token)  // let the builder report the missing value
            }
        }
        return (values, remaining)
    }
}
