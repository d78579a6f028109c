/// Help text for a method, written from its `daemon.methods` description.
public enum MethodHelp {
    /// The full help: name and description, who may call it, a usage line, and the options.
    public static func render(_ method: MethodInfo, command: String = "receptionctl") -> String {
        var lines: [String] = []
        lines.append(method.description.isEmpty ? method.name : "\(method.name): \(method.description)")
        var facts: [String] = []
        if !method.access.isEmpty { facts.append(method.access == "write" ? "changes data" : "read-only") }
        if !method.role.isEmpty { facts.append("role: \(method.role)") }
        if !method.available { facts.append("UNAVAILABLE: its plugin is not loaded") }
        if !facts.isEmpty { lines.append(facts.joined(separator: ", ")) }
        lines.append("")
        lines.append("Usage: " + usageLine(method, command: command))
        lines.append("")
        if method.params.isEmpty {
            lines.append("This method takes no options.")
        } else {
            lines.append("Options:")
            lines.append(optionsText(method))
        }
        return lines.joined(separator: "\n")
    }

    /// `receptionctl example note add --text <string> [--urgent] [--tags <string> ...]`:
    /// required options first, then the rest by name.
    public static func usageLine(_ method: MethodInfo, command: String = "receptionctl") -> String {
        var parts = [command] + method.words
        if let positional = method.positionalParam {
            let word = "<\(positional.kebabName)>" + (positional.isRepeatable ? "..." : "")
            parts.append(positional.required ? word : "[\(word)]")
        }
        for spec in ordered(method.params) where !spec.positional {
            let synopsis = optionSynopsis(spec)
            parts.append(spec.required ? synopsis : "[\(synopsis)]")
        }
        parts.append("[--json]")
        return parts.joined(separator: " ")
    }

    /// One aligned line per option: synopsis, then `(required)`/`(repeatable)`, description and choices.
    public static func optionsText(_ method: MethodInfo) -> String {
        let specs = ordered(method.params)
        let synopses = specs.map(optionSynopsis)
        let width = synopses.map { DisplayWidth.of($0) }.max() ?? 0
        var lines: [String] = []
        for (spec, synopsis) in zip(specs, synopses) {
            var notes: [String] = []
            if spec.required { notes.append("(required)") }
            if spec.positional { notes.append("(or as bare words)") }
            if !spec.aliases.isEmpty {
                notes.append("(also " + spec.aliases.map { "--" + $0 }.joined(separator: ", ") + ")")
            }
            if spec.isRepeatable { notes.append("(repeat for several)") }
            if !spec.description.isEmpty { notes.append(spec.description) }
            if !spec.choices.isEmpty { notes.append("one of: " + spec.choices.joined(separator: ", ")) }
            let line = "  " + DisplayWidth.pad(synopsis, to: width) + "  " + notes.joined(separator: " ")
            lines.append(TableRenderer.trimTrailingSpaces(line))
        }
        return lines.joined(separator: "\n")
    }

    /// `--text <string>`, `--urgent`, `--tags <string> ...`.
    public static func optionSynopsis(_ spec: ParamSpec) -> String {
        switch spec.kind {
        case .boolean: return spec.optionName
        case .array(let items): return "\(spec.optionName) <\(items)> ..."
        default: return "\(spec.optionName) <\(spec.kind)>"
        }
    }

    private static func ordered(_ params: [ParamSpec]) -> [ParamSpec] {
        params.filter(\.required) + params.filter { !$0.required }
    }
}
