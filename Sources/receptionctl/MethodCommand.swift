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

        // Help works with the daemon down: from the method list cached at the last contact.
        let mayWantHelp = rest.contains("--help") || rest.contains("-h")
        var opened: DaemonSession?
        let methods: [MethodInfo]
        var notice: String?
        var unreachable: CommandFailure?
        do {
            let session = try DaemonSession.open(options, identify: false)
            opened = session
            methods = try MethodCatalog.fetch(session)
        } catch let failure as CommandFailure {
            guard mayWantHelp, let cached = MethodCatalog.cached(options) else { throw failure }
            (methods, notice, unreachable) = (cached.methods, cached.notice, failure)
        }
        defer { opened?.connection.close() }
        // `receive-batch` and `receiveBatch` both name parcels.receiveBatch.
        words = CommandWords.resolve(words, in: methods)
        // `parcels pickup K7M3 P2Q4 --by ...`: words past the method's name are its positional values.
        let split = ParamsBuilder.splitPositionals(words, methods: methods)
        words = split.words
        let method = try Self.find(words: words, rest: rest, in: methods, notice: notice)
        guard let method else { return }  // help for a group of methods was printed

        let globals = Self.extract(
            Options.valueOptionNames + Options.flagNames, from: split.positionals + early.remaining, method: method)
        if let json = globals.values["json"] { options.json = json != "false" }
        if let csv = globals.values["csv"] { options.csv = csv != "false" }
        if options.json, options.csv {
            var failure = usageFailure(Phrase("give --json or --csv, not both", "--json 和 --csv 只能选一个"))
            failure.jsonMode = true
            throw failure
        }
        if let name = globals.values["workstation"] { options.workstation = name }
        if let name = globals.values["operator"] { options.operatorName = name }
        var callTimeout: Duration?
        if let text = globals.values["timeout"] {
            guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
                throw usageFailure("--timeout must be a number of seconds between 0 and 86400")
            }
            callTimeout = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }

        guard let session = opened else {
            // From the cache: only help can be given.
            if ParamsBuilder.wantsHelp(globals.remaining, for: method) {
                notice.map(Console.out)
                Console.out(MethodHelp.render(method, width: HelpWidth.columns))
                return
            }
            throw unreachable ?? usageFailure("the daemon is not reachable")
        }
        // Money is typed and shown in the daemon's currency, dates typed in its time zone; ask for
        // them only when the task has money or dates.
        // Money is shown in that currency and times in that zone too, so people's output asks always.
        let hello: JSONValue? =
            method.involvesMoney || method.takesDates || !options.json ? try session.call("daemon.hello").result : nil
        let currency = hello.map { Currency.published(in: $0) } ?? .cny
        let dates = hello.map { DateInput.published(in: $0) } ?? .local

        if ParamsBuilder.wantsHelp(globals.remaining, for: method) {
            Console.out(MethodHelp.render(method, currency: currency, width: HelpWidth.columns))
            return
        }
        let built: BuiltParams
        var fileRows: OptionWording.FileRows?
        do throws(UsageError) {
            // A batch task's rows may come from a CSV file (`--file items.csv`) or stdin.
            let batch = try BatchFile.take(from: globals.remaining, for: method, currency: currency, dates: dates)
            fileRows = batch.rows
            built = try ParamsBuilder.parse(
                options: batch.options, for: method,
                alsoAccepted: Options.valueOptionNames + Options.flagNames
                    + (CSVItems.listParam(of: method) == nil ? [] : ["file"]),
                currency: currency, dates: dates, given: batch.given)
        } catch {
            let helpHint = Phrase(
                "(`receptionctl \(method.words.joined(separator: " ")) --help` explains them)",
                "（`receptionctl \(method.words.joined(separator: " ")) --help` 有说明）")()
            let details: String
            if error.isUnknownOption {
                details =
                    method.params.isEmpty
                    ? Phrase("\(method.name) takes no options", "\(method.name) 没有选项")()
                    : Phrase("\(method.name) takes these options:", "\(method.name) 的选项：")() + "\n"
                        + MethodHelp.optionsText(method, currency: currency)
            } else {
                details =
                    Phrase("usage: ", "用法：")() + MethodHelp.usageLine(method, currency: currency) + "\n" + helpHint
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
                Phrase(
                    "warning: no operator named: this change is signed with your uid, not your name (run `receptionctl desk login NAME`, set RECEPTION_OPERATOR or pass --operator NAME)",
                    "注意：没有登记经办人，这次改动只记你的 uid，不记姓名（请运行 `receptionctl desk login 姓名`，或设置 RECEPTION_OPERATOR，或加 --operator 姓名）"
                )()
            )
        }
        try resolved.identify()
        var wording = OptionWording(method: method, spellings: built.spellings)
        wording.fileRows = fileRows
        let reply = try resolved.call(method.name, built.params, timeout: callTimeout, wording: wording)
        try resolved.printResult(reply, method: method, hello: hello)
        // `pending --recipient 李` found nothing exactly: offer the names at the desk (stderr; the reply stays exact).
        if method.name == "parcels.pending", !options.json,
            methods.contains(where: { $0.name == RecipientCandidates.method }),
            let query = RecipientCandidates.lookup(afterPending: built.params, reply: reply.result),
            let candidates = try? resolved.call(RecipientCandidates.method, query).result,
            let recipient = built.params["recipient"]?.stringValue,
            let hint = RecipientCandidates.hint(for: recipient, candidates: candidates)
        {
            Console.err(hint)
        }
    }

    /// The method the words name; `nil` after printing help for a group (`receptionctl example --help`),
    /// preceded by `notice` when the list came from the cache. Throws a usage exit for an unknown
    /// name or extra words. `words` are the method's segments (see ``CommandWords/resolve(_:in:)``);
    /// messages show them as typed words, in kebab case.
    static func find(words: [String], rest: [String], in methods: [MethodInfo], notice: String? = nil) throws
        -> MethodInfo?
    {
        let name = words.joined(separator: ".")
        let typed = words.map(CommandWords.kebab)
        if let exact = methods.first(where: { $0.name == name }) { return exact }

        // Extra words after a real method name.
        for count in stride(from: words.count - 1, through: 1, by: -1) {
            let prefix = words[..<count].joined(separator: ".")
            if let method = methods.first(where: { $0.name == prefix }) {
                throw usageFailure(
                    "unexpected word '\(words[count])' after \(typed[..<count].joined(separator: " "))",
                    details: Phrase("usage: ", "用法：")() + MethodHelp.usageLine(method))
            }
        }

        // A group of methods: `receptionctl parcels` or `receptionctl access keys --help`.
        let group = methods.filter { $0.name.hasPrefix(name + ".") }
        if !group.isEmpty {
            let listing = TaskListing.groupText(typed, methods: group)
            if rest.contains("--help") || rest.contains("-h") {
                notice.map(Console.out)
                Console.out(listing)
                return nil
            }
            throw usageFailure(
                Phrase(
                    "'\(typed.joined(separator: " "))' needs a task; it could be one of:",
                    "“\(typed.joined(separator: " "))”后面还要写任务，可以是："),
                details: listing)
        }

        let suggestions = NameSuggester.suggestions(
            for: typed.joined(separator: "."), among: methods.map { $0.words.joined(separator: ".") })
        var details = Phrase(
            "`receptionctl --help` lists the departments and their tasks.", "`receptionctl --help` 列出各部门及其任务。")()
        if !suggestions.isEmpty {
            let spelled = suggestions.map { $0.split(separator: ".").joined(separator: " ") }
            details =
                Phrase("did you mean: ", "是不是想写：")() + spelled.joined(separator: ", ") + Phrase("?", "？")() + "\n"
                + details
        }
        throw usageFailure(
            Phrase(
                "the daemon has no task '\(typed.joined(separator: " "))' (method \(name))",
                "守护进程没有“\(typed.joined(separator: " "))”这项任务（方法 \(name)）"),
            details: details)
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
