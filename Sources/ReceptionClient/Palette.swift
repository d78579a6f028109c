#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every colour decision of human output in one place: whether to colour at all, and which
/// colour a status, an error or an overdue item gets.
///
/// Colour is used only when the output goes to a terminal, `NO_COLOR` is not set (to anything
/// but the empty string, as no-color.org asks) and `TERM` is not `dumb`. Piped output and
/// `--json` never carry escape codes.
public struct Palette: Sendable, Hashable {
    /// Whether escape codes are written.
    public var enabled: Bool

    /// A palette that colours when `enabled`.
    public init(enabled: Bool) { self.enabled = enabled }

    /// No colour.
    public static let plain = Palette(enabled: false)

    /// The palette for output written to `fd`, given the environment.
    public static func decide(environment: [String: String], fd: Int32) -> Palette {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .plain }
        if environment["TERM"] == "dumb" { return .plain }
        return Palette(enabled: isatty(fd) == 1)
    }

    /// The colours used.
    public enum Colour: String, Sendable {
        /// Lost, returned, overdue, errors.
        case red = "31"
        /// Done: collected, back in the cabinet, active.
        case green = "32"
        /// Waiting: held, notified, out.
        case yellow = "33"
        /// Out of use: retired.
        case dim = "2"
        /// What the eye should find first.
        case bold = "1"
    }

    /// `text` in `colour`, or unchanged without colour. Spaces around it (a table cell's
    /// padding) stay outside the colour.
    public func paint(_ text: String, _ colour: Colour?) -> String {
        guard enabled, let colour, !text.isEmpty else { return text }
        let leading = text.prefix { $0 == " " }
        let rest = text.dropFirst(leading.count)
        let trailing = rest.reversed().prefix { $0 == " " }
        let core = rest.dropLast(trailing.count)
        guard !core.isEmpty else { return text }
        return "\(leading)\u{1B}[\(colour.rawValue)m\(core)\u{1B}[0m\(String(trailing))"
    }

    /// The colour of a status value: waiting ones yellow, done ones green, lost ones red.
    public static func colour(ofStatus value: String) -> Colour? {
        switch value {
        case "held", "notified", "out", "pending", "expiring": return .yellow
        case "collected", "in", "active", "refunded", "balanced": return .green
        case "returned", "lost", "revoked", "expired", "forfeited", "overdue", "damaged", "failed": return .red
        case "retired", "none": return .dim
        default: return nil
        }
    }

    /// `text` (the label of status `value`) in its status colour.
    public func status(_ value: String, _ text: String) -> String { paint(text, Self.colour(ofStatus: value)) }

    /// An error message: red.
    public func error(_ text: String) -> String { paint(text, .red) }

    /// Something overdue (days waited, a key past its due time): red.
    public func overdue(_ text: String) -> String { paint(text, .red) }

    /// What the eye should find first (a record's title, the amount due): bold.
    public func emphasis(_ text: String) -> String { paint(text, .bold) }

    /// `text` without the escape codes ``paint(_:_:)`` writes.
    public static func stripped(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
