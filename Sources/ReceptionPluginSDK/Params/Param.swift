/// One field of a method's params, declared once: its name (the property's), its type, and its
/// ``ParamSpec``. The schema `daemon.methods` publishes, the decoding, the text cleaning, the
/// limits and the field names in errors all come from this declaration.
///
/// ```swift
/// struct ReturnParams: MethodParams {
///     @Param("Pickup code, e.g. K7M3", maxLength: 16, text: .code, positional: true) var code: String
///     @Param("Why (refused, unknown recipient, overdue...)", maxLength: 500) var reason: String
///     @Param("Anything else", maxLength: 500, text: .note) var note: String?
/// }
/// ```
///
/// A non-optional field is required (`"reason is required"`); a required text that is empty once
/// cleaned is refused (`"reason must not be empty"`); an optional one reads as `nil`.
@propertyWrapper
public struct Param<Value: ParamValue>: Decodable, Sendable {
    /// The decoded value.
    public var wrappedValue: Value
    /// What the declaration says about the field.
    public let spec: ParamSpec

    /// Declares a field.
    /// `zh` is the description in Chinese (published as `x-i18n.zh.description`).
    public init(
        _ description: String, zh: String? = nil, maxLength: Int? = nil, minimum: Int64? = nil,
        maximum: Int64? = nil, maxItems: Int? = nil, text: TextRule = .line, format: ParamFormat? = nil,
        positional: Bool = false, aliases: [String] = [], private isPrivate: Bool = false, element: ParamSpec? = nil
    ) {
        wrappedValue = Value.placeholder
        spec = ParamSpec(
            description, zh: zh, maxLength: maxLength, minimum: minimum, maximum: maximum, maxItems: maxItems,
            text: text, format: format, positional: positional, aliases: aliases, isPrivate: isPrivate,
            element: element)
    }

    /// Reads the field through the SDK's params decoder (any other decoder is refused).
    public init(from decoder: any Decoder) throws {
        guard let field = decoder as? ParamFieldDecoder else {
            throw RPCError.internalError("@Param fields are read by the SDK's params decoder only")
        }
        spec = field.spec
        if let value = field.value, value != .null {
            wrappedValue = try Value.decodeParam(value, field.spec, at: field.path)
        } else if Value.isOptionalParam {
            wrappedValue = Value.placeholder
        } else {
            throw RPCError.invalidParams(field: field.path, "\(field.path) is required").localized(
                "zh", "缺少 \(field.path)（必填）")
        }
    }
}

/// What the params layout reads off each `@Param` of a prototype.
protocol ParamField {
    /// The field stored at `pointer` (a field of a params struct, this wrapper's type).
    static func stored(at pointer: UnsafeRawPointer) -> any ParamField
    /// The declaration.
    var spec: ParamSpec { get }
    /// The field's schema.
    var schema: [String: JSONValue] { get }
    /// Whether the field must be present.
    var isRequired: Bool { get }
    /// Private fields inside a nested value.
    var nestedPrivateNames: [String] { get }
    /// Reads this field straight into a params struct whose field is `offset` bytes in, or `nil`
    /// when the wrapper's layout is not the expected one.
    func reader(offset: Int) -> ParamReader?
}

extension Param: ParamField {
    static func stored(at pointer: UnsafeRawPointer) -> any ParamField {
        pointer.assumingMemoryBound(to: Param<Value>.self).pointee
    }

    var schema: [String: JSONValue] { Value.paramSchema(spec) }
    var isRequired: Bool { !Value.isOptionalParam }
    var nestedPrivateNames: [String] { Value.privateFieldNames }

    func reader(offset: Int) -> ParamReader? {
        // The value is the wrapper's first stored property: at the wrapper's own offset.
        guard MemoryLayout<Param<Value>>.offset(of: \Param<Value>.wrappedValue) == 0 else { return nil }
        let spec = self.spec
        return ParamReader { base, value, path throws(RPCError) in
            let field = (base + offset).assumingMemoryBound(to: Value.self)
            if let value, value != .null {
                field.pointee = try Value.decodeParam(value, spec, at: path)
            } else if Value.isOptionalParam {
                field.pointee = Value.placeholder
            } else {
                throw RPCError.invalidParams(field: path, "\(path) is required").localized("zh", "缺少 \(path)（必填）")
            }
        }
    }
}

/// Reads one field of a params struct from its JSON value (absent: `nil`) at a path, into the
/// struct's memory: built once per params type.
struct ParamReader: Sendable {
    let read: @Sendable (UnsafeMutableRawPointer, JSONValue?, String) throws(RPCError) -> Void
}
