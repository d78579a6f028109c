import ReceptionProtocol

/// A JSON value that keeps object members in the order they were written.
///
/// ``JSONValue`` stores objects as dictionaries, which is right for the daemon but loses the
/// order a reply was written in. People reading a table expect columns in the order the daemon
/// (or a plugin) wrote them, so the client parses replies into this type and converts to
/// ``JSONValue`` (``jsonValue``) where order does not matter.
public enum OrderedJSON: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction or exponent that fits in 64 bits.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([OrderedJSON])
    /// An object, members in written order (duplicate keys are kept; lookups use the last one).
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The member name.
        public var key: String
        /// The member value.
        public var value: OrderedJSON

        /// Creates a member.
        public init(_ key: String, _ value: OrderedJSON) {
            self.key = key
            self.value = value
        }
    }
}

extension OrderedJSON {
    /// Converts a ``JSONValue``; object members come out sorted by key, as the daemon writes them.
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(OrderedJSON.init))
        case .object(let members):
            self = .object(
                members.keys.sorted().compactMap { key in
                    members[key].map { Member(key, OrderedJSON($0)) }
                })
        }
    }

    /// The same value as a ``JSONValue`` (order dropped; for duplicate keys the last one wins).
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .array(let elements): return .array(elements.map(\.jsonValue))
        case .object(let members):
            var dictionary: [String: JSONValue] = [:]
            dictionary.reserveCapacity(members.count)
            for member in members { dictionary[member.key] = member.value.jsonValue }
            return .object(dictionary)
        }
    }

    /// The value of member `key` when this is an object (the last one if repeated), else `nil`.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The members when this is an object.
    public var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements when this is an array.
    public var arrayValue: [OrderedJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer when this is an integer (or a double with no fraction that fits).
    public var intValue: Int64? { jsonScalar.intValue }

    /// The number as a `Double` when this is any number.
    public var doubleValue: Double? {
        switch self {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    /// The boolean when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// Whether this is a string, number, boolean or null (not an array or object).
    public var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// The compact JSON text of this value with members in their original order.
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends the compact JSON text of this value, members in order, to `out`.
    public func write(to out: inout String) {
        switch self {
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        default:
            jsonScalar.write(to: &out)
        }
    }

    /// Scalars as ``JSONValue`` without converting containers (those become `null`).
    private var jsonScalar: JSONValue {
        switch self {
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .null, .array, .object: return .null
        }
    }
}

extension OrderedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `nil` as JSON `null`.
    public init(nilLiteral: ()) { self = .null }
    /// An array literal.
    public init(arrayLiteral elements: OrderedJSON...) { self = .array(elements) }
    /// A dictionary literal; members keep the order they are written in.
    public init(dictionaryLiteral elements: (String, OrderedJSON)...) {
        self = .object(elements.map { Member($0.0, $0.1) })
    }
}
