import Foundation

/// A type a `@Param` field can have: it says how it looks in the schema `daemon.methods`
/// publishes, and how it is read from the params the daemon has already checked against that
/// schema.
///
/// The SDK provides `String`, `Int`, `Int64`, `Bool`, ``CivilDate``, `Date` (ISO 8601 with
/// offset), `JSONValue` (any object), `Optional` and `Array` of these, enums conforming to
/// ``ParamChoice``, and nested ``MethodParams`` structs.
public protocol ParamValue: Sendable {
    /// The value a prototype holds before decoding (`""`, `0`, `nil`, `[]`...).
    static var placeholder: Self { get }
    /// Whether the field may be absent (only `Optional`).
    static var isOptionalParam: Bool { get }
    /// The field's JSON schema.
    static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue]
    /// Reads a present, non-null value. `path` names the field in errors (`items[2].unit`).
    static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Self
    /// Reads a present value of an optional field: `nil` when it means nothing (empty text).
    static func decodeOptionalParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> Self?
    /// The names of private fields inside this value (nested params), for redaction.
    static var privateFieldNames: [String] { get }
}

extension ParamValue {
    /// Not optional.
    public static var isOptionalParam: Bool { false }
    /// Whatever `decodeParam` reads.
    public static func decodeOptionalParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> Self?
    {
        try decodeParam(value, spec, at: path)
    }
    /// None.
    public static var privateFieldNames: [String] { [] }

    /// The error for a value of the wrong JSON type (the daemon's schema check normally stops it first).
    static func mismatch(_ value: JSONValue, _ expected: String, at path: String) -> RPCError {
        .invalidParams(
            field: path.isEmpty ? nil : path,
            "\(path.isEmpty ? "params" : path) must be \(expected), got \(value.typeName)")
    }
}

extension String: ParamValue {
    public static var placeholder: String { "" }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["type": "string"]
        spec.annotations(into: &schema)
        if let maxLength = spec.maxLength { schema["maxLength"] = .int(Int64(maxLength)) }
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> String {
        guard let text = try decodeOptionalParam(value, spec, at: path) else {
            throw RPCError.validation(field: path, "\(path) must not be empty").localized("zh", "\(path) 不能为空")
        }
        return text
    }

    public static func decodeOptionalParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> String?
    {
        guard case .string(let text) = value else { throw mismatch(value, "a string", at: path) }
        let cleaned: String
        switch spec.text {
        case .line: cleaned = try DeskText.checked(text, field: path)
        case .note: cleaned = DeskText.note(text)
        case .code: cleaned = DeskText.code(text)
        case .verbatim: return text
        }
        return cleaned.isEmpty ? nil : cleaned
    }
}

extension Int64: ParamValue {
    public static var placeholder: Int64 { 0 }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["type": "integer"]
        spec.annotations(into: &schema)
        if let minimum = spec.minimum { schema["minimum"] = .int(minimum) }
        if let maximum = spec.maximum { schema["maximum"] = .int(maximum) }
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Int64 {
        guard let number = value.intValue else { throw mismatch(value, "an integer", at: path) }
        return number
    }
}

extension Int: ParamValue {
    public static var placeholder: Int { 0 }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] { Int64.paramSchema(spec) }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Int {
        Int(try Int64.decodeParam(value, spec, at: path))
    }
}

extension Bool: ParamValue {
    public static var placeholder: Bool { false }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["type": "boolean"]
        spec.annotations(into: &schema)
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Bool {
        guard let flag = value.boolValue else { throw mismatch(value, "a boolean", at: path) }
        return flag
    }
}

extension JSONValue: ParamValue {
    public static var placeholder: JSONValue { .object([:]) }

    /// Any object: the escape hatch for methods that take free-form params (`example.echo`).
    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["type": "object"]
        spec.annotations(into: &schema)
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> JSONValue
    {
        value
    }
}

extension Optional: ParamValue where Wrapped: ParamValue {
    public static var placeholder: Wrapped? { nil }
    public static var isOptionalParam: Bool { true }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] { Wrapped.paramSchema(spec) }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> Wrapped?
    {
        try Wrapped.decodeOptionalParam(value, spec, at: path)
    }

    public static var privateFieldNames: [String] { Wrapped.privateFieldNames }
}

extension Array: ParamValue where Element: ParamValue {
    public static var placeholder: [Element] { [] }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["type": "array"]
        spec.annotations(into: &schema)
        schema.removeValue(forKey: "format")
        schema["items"] = .object(Element.paramSchema(elementSpec(spec)))
        if let maxItems = spec.maxItems { schema["maxItems"] = .int(Int64(maxItems)) }
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError)
        -> [Element]
    {
        guard case .array(let elements) = value else { throw mismatch(value, "an array", at: path) }
        let elementSpec = elementSpec(spec)
        var out: [Element] = []
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let elementPath = "\(path)[\(index)]"
            guard element != .null else {
                throw RPCError.invalidParams(field: elementPath, "\(elementPath) must not be null")
            }
            out.append(try Element.decodeParam(element, elementSpec, at: elementPath))
        }
        return out
    }

    public static var privateFieldNames: [String] { Element.privateFieldNames }

    /// The spec of each element: the one given with `element:`, else the array's own rules
    /// (length, bounds, text cleaning, format, privacy) applied to each element.
    static func elementSpec(_ spec: ParamSpec) -> ParamSpec {
        spec.element?.spec
            ?? ParamSpec(
                spec.description, maxLength: spec.maxLength, minimum: spec.minimum, maximum: spec.maximum,
                text: spec.text, format: spec.format, isPrivate: spec.isPrivate)
    }
}

extension Date: ParamValue {
    public static var placeholder: Date { Date(timeIntervalSince1970: 0) }

    /// A time: ISO 8601 with offset (`2026-12-06T18:00:00+08:00`).
    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var spec = spec
        spec.format = .dateTime
        spec.maxLength = spec.maxLength ?? 40
        return String.paramSchema(spec)
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Date {
        guard case .string(let text) = value else { throw mismatch(value, "a string", at: path) }
        guard let date = Timestamp.parse(text.trimmingCharacters(in: .whitespaces)) else {
            throw RPCError.validation(
                field: path,
                "\(path) must be an ISO 8601 time with offset, e.g. 2026-11-26T18:00:00+08:00; got \"\(text)\""
            ).localized("zh", "\(path) 应为带时区的 ISO 8601 时间，如 2026-11-26T18:00:00+08:00，收到的是“\(text)”")
        }
        return date
    }
}

/// The choices of an enum param: `enum Condition: String, ParamChoice { case intact, damaged }`.
/// The schema lists the raw values (`enum`) and a label for each (`x-labels`) that a client shows
/// instead of the raw value.
public protocol ParamChoice: ParamValue, RawRepresentable<String>, CaseIterable {
    /// What a person at the counter reads for this choice in Chinese (`完好` for `intact`).
    var label: String { get }
    /// What an English reader sees for it: the raw value with `_` read as a space by default
    /// (`id_card` → `id card`).
    var englishLabel: String { get }
}

extension ParamChoice {
    /// The first case.
    public static var placeholder: Self {
        guard let first = allCases.first else { preconditionFailure("\(Self.self) has no cases") }
        return first
    }

    /// The raw value.
    public var label: String { rawValue }

    /// The raw value, `_` read as a space.
    public var englishLabel: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema: [String: JSONValue] = ["type": "string"]
        spec.annotations(into: &schema)
        schema["enum"] = .array(allCases.map { .string($0.rawValue) })
        var labels: [String: JSONValue] = [:]
        for choice in allCases where choice.label != choice.rawValue { labels[choice.rawValue] = .string(choice.label) }
        if !labels.isEmpty { schema["x-labels"] = .object(labels) }
        return schema
    }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Self {
        guard case .string(let text) = value, let choice = Self(rawValue: text) else {
            let list = allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw RPCError.invalidParams(field: path, "\(path) must be one of \(list), got \(value.serialized())")
                .localized("zh", "\(path) 只能是 \(list) 之一，收到的是 \(value.serialized())")
        }
        return choice
    }
}
