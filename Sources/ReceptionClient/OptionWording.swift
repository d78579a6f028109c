import ReceptionProtocol

/// Rewords a daemon error for the person who ran a task by its words: the wire names of params
/// (`damageNote`, `items[2].unit`) become the options they typed (`--damage-note`, `item 3: --unit`),
/// and list positions count from 1.
///
/// The daemon's own message stays untouched on the wire and under `--json`; this is only how
/// `receptionctl` prints it for people.
public struct OptionWording: Sendable, Hashable {
    /// The method that was called.
    public var method: MethodInfo
    /// Param name → option as typed (see ``BuiltParams/spellings``).
    public var spellings: [String: String]
    /// The list that came from a CSV file, so its elements are named by file line, not count.
    public var fileRows: FileRows?

    /// Which file line each element of a list param came from (`receive-batch --file items.csv`).
    public struct FileRows: Sendable, Hashable {
        /// The list param (`items`).
        public var param: String
        /// The file as named in messages (`items.csv`, `stdin`).
        public var source: String
        /// The line of each element, in order.
        public var lines: [Int]

        /// Creates the rows of `param` read from `source`.
        public init(param: String, source: String, lines: [Int]) {
            self.param = param
            self.source = source
            self.lines = lines
        }
    }

    /// Creates a wording for errors of `method` called with options typed as `spellings`.
    public init(method: MethodInfo, spellings: [String: String] = [:]) {
        self.method = method
        self.spellings = spellings
    }

    /// How one field of the params reads on the command line.
    public struct FieldLabel: Sendable, Hashable {
        /// Which element of a list it is in (`item 3`), when it is inside one.
        public var element: String?
        /// The option (`--unit`), or the param's name when it was given by bare words.
        public var option: String

        /// Creates a label.
        public init(element: String?, option: String) {
            self.element = element
            self.option = option
        }
    }

    /// The label for a wire field path, or `nil` when the path does not start with one of the
    /// method's params (a config key, a field the client cannot place).
    ///
    /// `damageNote` → `--damage-note`; `collectedBy` typed as `--by` → `--by`;
    /// `items[2].unit` → element `item 3`, option `--unit`; `codes[1]` → option `code 2`.
    public func label(forField path: String) -> FieldLabel? {
        let parsed = FieldPath(path)
        guard let spec = method.params.first(where: { $0.name == parsed.head }) else { return nil }
        let option = optionText(for: spec)
        guard let index = parsed.index else { return FieldLabel(element: nil, option: option) }
        let element = fileLine(of: spec, index) ?? Self.elementName(of: spec) + " \(index + 1)"
        guard let rest = parsed.rest else { return FieldLabel(element: nil, option: element) }
        let inner = rest.split(separator: ".").map { Self.kebab(String($0)) }.joined(separator: ".")
        return FieldLabel(element: element, option: fileLine(of: spec, index) == nil ? "--" + inner : "column " + inner)
    }

    /// The error's message as `receptionctl` prints it after `error: `, with a `[kind]` tag
    /// (`[kind, field]` when the field could not be named as an option).
    public func describe(_ error: RPCError) -> String {
        guard let field = error.field, let label = label(forField: field) else {
            return ClientError.describe(error)
        }
        var message = error.message
        var found = false
        if let range = Self.token(field, in: message) {
            message.replaceSubrange(range, with: label.option)
            found = true
        }
        message = renumberElements(in: message)
        message = renameParams(in: message)
        if let element = label.element {
            message = found ? "\(element): \(message)" : "\(element), \(label.option): \(message)"
        } else if !found && error.kind == .validation {
            message = "\(label.option): \(message)"
        }
        return "\(message) [\(error.kind.rawValue)]"
    }

    /// `items.csv line 4` for element `index` of a list read from a file; `nil` otherwise.
    func fileLine(of spec: ParamSpec, _ index: Int) -> String? {
        guard let rows = fileRows, rows.param == spec.name, rows.lines.indices.contains(index) else { return nil }
        return "\(rows.source) line \(rows.lines[index])"
    }

    /// The option a param was given by, or would be given by.
    func optionText(for spec: ParamSpec) -> String {
        switch spellings[spec.name] {
        case ""?: return spec.kebabName
        case let typed?: return typed
        case nil: return spec.optionName
        }
    }

    /// `items[0] and items[1]` → `item 1 and item 2`, for every list param of the method.
    func renumberElements(in message: String) -> String {
        var text = message
        for spec in method.params where spec.isRepeatable {
            let opening = spec.name + "["
            var searchStart = text.startIndex
            while let found = text.range(of: opening, range: searchStart..<text.endIndex) {
                guard Self.isBoundary(before: found.lowerBound, in: text),
                    let close = text[found.upperBound...].firstIndex(of: "]"),
                    let index = Int(text[found.upperBound..<close])
                else {
                    searchStart = found.upperBound
                    continue
                }
                let replacement = fileLine(of: spec, index) ?? Self.elementName(of: spec) + " \(index + 1)"
                text.replaceSubrange(found.lowerBound...close, with: replacement)
                searchStart = text.index(found.lowerBound, offsetBy: replacement.count)
            }
        }
        return text
    }

    /// Other params the message names by wire names that are not plain words (`idType`,
    /// `lease_end`) become their options. Plain words (`to`, `unit`) are left alone: they read
    /// as English.
    func renameParams(in message: String) -> String {
        var text = message
        for spec in method.params where spec.name != spec.kebabName {
            var searchStart = text.startIndex
            while let range = Self.token(spec.name, in: text, from: searchStart) {
                let option = optionText(for: spec)
                text.replaceSubrange(range, with: option)
                searchStart = text.index(range.lowerBound, offsetBy: option.count)
            }
        }
        return text
    }

    /// `items` → `item`, `codes` → `code`; a name not ending in `s` → `<name> value`.
    static func elementName(of spec: ParamSpec) -> String {
        let name = spec.kebabName
        return name.hasSuffix("s") && name.count > 1 ? String(name.dropLast()) : name + " value"
    }

    /// `damageNote` → `damage-note`.
    static func kebab(_ name: String) -> String {
        ParamSpec(name: name, kind: .any).kebabName
    }

    /// The first occurrence of `name` in `text` at or after `start` that is a whole token (not
    /// part of a longer name, and not already an option).
    static func token(_ name: String, in text: String, from start: String.Index? = nil) -> Range<String.Index>? {
        var searchStart = start ?? text.startIndex
        while let range = text.range(of: name, range: searchStart..<text.endIndex) {
            if isBoundary(before: range.lowerBound, in: text), isBoundary(after: range.upperBound, in: text) {
                return range
            }
            searchStart = range.upperBound
        }
        return nil
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
            || character == "["
    }

    private static func isBoundary(before index: String.Index, in text: String) -> Bool {
        index == text.startIndex || !isNameCharacter(text[text.index(before: index)])
    }

    private static func isBoundary(after index: String.Index, in text: String) -> Bool {
        guard index < text.endIndex else { return true }
        let next = text[index]
        // A sentence may end right after the name: "… is required for damageNote."
        if next == "." {
            let after = text.index(after: index)
            return after == text.endIndex || text[after] == " "
        }
        return !isNameCharacter(next)
    }
}

/// A wire field path split into its param, list index and the rest: `items[2].unit` →
/// `items`, `2`, `unit`.
struct FieldPath {
    var head: String
    var index: Int?
    var rest: String?

    init(_ path: String) {
        let headEnd = path.firstIndex { $0 == "[" || $0 == "." } ?? path.endIndex
        head = String(path[..<headEnd])
        var remainder = path[headEnd...]
        if remainder.first == "[", let close = remainder.firstIndex(of: "]") {
            index = Int(remainder[remainder.index(after: remainder.startIndex)..<close])
            remainder = remainder[remainder.index(after: close)...]
        }
        if remainder.first == "." {
            let tail = remainder.dropFirst()
            rest = tail.isEmpty ? nil : String(tail)
        }
    }
}
