import ArgumentParser
import ReceptionClient

/// `receptionctl --help` and `receptionctl help WORDS...`.
///
/// ArgumentParser's help knows only the built-in commands; the departments and their tasks come
/// from the daemon (or the cached method list). So the root help is ArgumentParser's text followed
/// by the departments, and `help parcels` / `help parcels pickup` are read as `parcels --help` /
/// `parcels pickup --help`, which the catch-all command answers.
enum RootHelp {
    /// What a command line asks of the help.
    enum Request: Equatable {
        /// The root help, with these global options (`--socket S`).
        case root(globalOptions: [String])
        /// Run this command line instead (`help parcels` → `parcels --help`).
        case rewritten([String])
    }

    /// The help `arguments` ask for, or `nil` to let ArgumentParser handle them (no help asked,
    /// or help about a built-in command: `help status`).
    static func request(in arguments: [String]) -> Request? {
        let (globals, rest) = ArgumentOrder.splittingLeadingGlobalOptions(arguments)
        if rest == ["--help"] || rest == ["-h"] || rest == ["help"] {
            return .root(globalOptions: globals)
        }
        guard rest.first == "help", rest.count > 1, !ReceptionCtl.builtInCommandNames.contains(rest[1]) else {
            return nil
        }
        return .rewritten(globals + rest.dropFirst() + ["--help"])
    }

    /// Prints ArgumentParser's help, then the departments and their tasks; when the daemon is not
    /// reachable, from the cached method list (saying so first), or a line saying neither is there.
    static func printRoot(globalOptions: [String]) {
        let width = HelpWidth.columns
        var text = ReceptionCtl.helpMessage(columns: width)
        while text.hasSuffix("\n") { text.removeLast() }
        let options = (try? Options.parse(globalOptions)) ?? (try? Options.parse([]))
        let catalog = options.flatMap { try? MethodCatalog.load($0, timeout: min($0.timeout ?? 5, 5)) }
        guard let catalog else {
            Console.out(
                text + "\n\nDEPARTMENTS: the daemon is not reachable and no method list is cached; "
                    + "start the daemon (or point --socket at it) to see its departments and tasks.")
            return
        }
        catalog.notice.map(Console.out)
        Console.out(text + "\n\n" + TaskListing.departmentsText(catalog.methods, width: width))
    }
}
