import ArgumentParser
import ReceptionClient

/// `receptionctl methods [PREFIX]`: what the daemon can do.
struct MethodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "List the tasks (methods) the daemon offers, with who may run them.")

    @OptionGroup var options: Options

    @Argument(help: ArgumentHelp("Show only methods whose name starts with this, e.g. parcels.", valueName: "prefix"))
    var prefix: String?

    func run() throws {
        let session = try DaemonSession.open(options)
        defer { session.connection.close() }
        let reply = try session.call("daemon.methods")
        MethodCatalog.record(reply, options: options)
        if options.json {
            Console.out(reply.rawResult)
            return
        }
        var methods = MethodInfo.list(from: reply.result)
        if let prefix, !prefix.isEmpty {
            // `parcels receive-batch`, `parcels.receiveBatch` and `parcels.` all name methods by their words.
            let typed = prefix.split(whereSeparator: { $0 == " " || $0 == "." }).map(String.init)
            let dotted = CommandWords.resolve(typed, in: methods).joined(separator: ".")
            methods = methods.filter { $0.name == dotted || $0.name.hasPrefix(dotted + ".") }
            if methods.isEmpty {
                let suggestions = NameSuggester.suggestions(
                    for: dotted, among: MethodInfo.list(from: reply.result).map(\.name))
                throw usageFailure(
                    "no methods start with '\(prefix)'",
                    details: suggestions.isEmpty ? nil : "did you mean: \(suggestions.joined(separator: ", "))?")
            }
        }
        Console.out(Self.table(methods))
    }

    /// The methods as a table: name, access, role, description.
    static func table(_ methods: [MethodInfo]) -> String {
        let rows = methods.map { method in
            [method.name, method.access, method.role, (method.available ? "" : "[unavailable] ") + method.description]
        }
        return TableRenderer.render(headers: ["name", "access", "role", "description"], rows: rows)
    }
}
