/// Lets global options come before a built-in command's name (`receptionctl --json status`).
///
/// ArgumentParser reads a subcommand's options only after its name. Moving the leading global
/// options behind the name of a built-in command makes both orders work. Method words
/// (`receptionctl --json example note list`) are left alone: the catch-all command reads
/// options before the words itself.
enum ArgumentOrder {
    static func hoistingGlobalOptions(_ arguments: [String], commandNames: Set<String>) -> [String] {
        let (leading, rest) = splittingLeadingGlobalOptions(arguments)
        guard !leading.isEmpty, let first = rest.first, commandNames.contains(first) else {
            return arguments
        }
        return [first] + leading + rest.dropFirst()
    }

    /// The global options (with their values) at the start of `arguments`, and what follows them:
    /// `--socket S --json parcels --help` → `["--socket","S","--json"]`, `["parcels","--help"]`.
    static func splittingLeadingGlobalOptions(_ arguments: [String]) -> (options: [String], rest: [String]) {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            let bare = token.hasPrefix("--") ? String(token.dropFirst(2)) : ""
            if Options.flagNames.contains(bare) {
                leading.append(token)
                index += 1
            } else if Options.valueOptionNames.contains(where: { bare.hasPrefix($0 + "=") }) {
                leading.append(token)
                index += 1
            } else if Options.valueOptionNames.contains(bare) {
                leading.append(contentsOf: arguments[index..<min(index + 2, arguments.count)])
                index += 2
            } else {
                break
            }
        }
        return (leading, Array(arguments[min(index, arguments.count)...]))
    }

    /// The index of the first word that is not a global option (nor its value), if any.
    static func firstWordIndex(_ arguments: [String]) -> Int? {
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            let bare = token.hasPrefix("--") ? String(token.dropFirst(2)) : ""
            if Options.flagNames.contains(bare)
                || Options.valueOptionNames.contains(where: { bare.hasPrefix($0 + "=") })
            {
                index += 1
            } else if Options.valueOptionNames.contains(bare) {
                index += 2
            } else {
                return token.hasPrefix("-") ? nil : index
            }
        }
        return nil
    }
}
