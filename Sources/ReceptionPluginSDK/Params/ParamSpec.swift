/// What one `@Param` declares about its field besides its type: the words a client shows, the
/// bounds the daemon enforces, and how the SDK cleans the value before the handler sees it.
public struct ParamSpec: Sendable {
    /// One phrase for `daemon.methods` and `receptionctl ... --help`.
    public var description: String
    /// The same phrase in Chinese.
    public var chineseDescription: String?
    /// Longest text, in Unicode scalars (the daemon refuses longer before the method runs).
    public var maxLength: Int?
    /// Smallest integer.
    public var minimum: Int64?
    /// Largest integer.
    public var maximum: Int64?
    /// Most elements of an array.
    public var maxItems: Int?
    /// How text is cleaned (see ``TextRule``).
    public var text: TextRule
    /// What the value means, for clients (`money`, `date`, `date-time`, `unit`).
    public var format: ParamFormat?
    /// The bare words after the method's words on `receptionctl`'s command line fill this field.
    public var positional: Bool
    /// Further option names on `receptionctl`'s command line (`--by` for `collectedBy`).
    public var aliases: [String]
    /// Private data (an identity number): audit records and logs keep its last four characters.
    public var isPrivate: Bool
    /// The spec of each element, for arrays of plain values.
    public var element: ElementSpec?

    /// Creates a spec.
    public init(
        _ description: String, zh: String? = nil, maxLength: Int? = nil, minimum: Int64? = nil, maximum: Int64? = nil,
        maxItems: Int? = nil, text: TextRule = .line, format: ParamFormat? = nil, positional: Bool = false,
        aliases: [String] = [], isPrivate: Bool = false, element: ParamSpec? = nil
    ) {
        self.description = description
        self.chineseDescription = zh
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.maxItems = maxItems
        self.text = text
        self.format = format
        self.positional = positional
        self.aliases = aliases
        self.isPrivate = isPrivate
        self.element = element.map(ElementSpec.init)
    }

    /// The annotations every schema of this field carries: description, format, command-line hints.
    func annotations(into schema: inout [String: JSONValue]) {
        schema["description"] = .string(description)
        if let chineseDescription { schema["x-i18n"] = ["zh": ["description": .string(chineseDescription)]] }
        if let format { schema["format"] = .string(format.rawValue) }
        if positional { schema["x-positional"] = true }
        if !aliases.isEmpty { schema["x-aliases"] = .array(aliases.map { .string($0) }) }
    }
}

/// The spec of an array's elements (a class, so a spec can hold one).
public final class ElementSpec: Sendable {
    /// The elements' spec.
    public let spec: ParamSpec
    init(_ spec: ParamSpec) { self.spec = spec }
}

/// How the SDK cleans a text param before the handler sees it.
public enum TextRule: Sendable {
    /// One line as typed at the counter (names, units, references): ``DeskText/normalize(_:)``
    /// (NFC, white space trimmed and runs of it made one space). A required field left empty is
    /// a `validation` error; an optional one reads as `nil`.
    case line
    /// Free text (notes): trimmed and NFC, line breaks kept. Empty reads as `nil` (optional) or
    /// is refused (required).
    case note
    /// A code printed on a card or tag (`t000123` is `T000123`): white space removed, letters
    /// upper-cased. Empty is refused (required) or `nil` (optional).
    case code
    /// Exactly as sent (the daemon has checked its length and stream safety). For fields whose
    /// emptiness means something (`""` clears a shelf).
    case verbatim
}

/// What a value means, published as the schema's `format` so a client can present it well.
public enum ParamFormat: String, Sendable {
    /// Money: an integer of minor units (fen); a client shows 1500 as ¥15.00.
    case money
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// A time, ISO 8601 with offset.
    case dateTime = "date-time"
    /// A property's unit address (`3-2-1201`, `3栋2单元1201`), any spelling of which the
    /// department matches by ``DeskText/unitKey(_:)``.
    case unit
}
