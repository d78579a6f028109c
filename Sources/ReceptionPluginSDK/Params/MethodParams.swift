@_spi(Reflection) import Swift
import Synchronization

/// The params of a method, declared once as a struct of `@Param` fields.
///
/// ```swift
/// struct PickupParams: MethodParams {
///     @Param("Pickup codes", maxItems: 50, positional: true,
///            element: ParamSpec("A pickup code", maxLength: 16, text: .code)) var codes: [String]
///     @Param("Who collected", maxLength: 100, aliases: ["by"]) var collectedBy: String
///     @Param("Collected for someone else") var proxy: Bool?
///
///     func validate() throws(RPCError) {
///         guard !codes.isEmpty else { throw RPCError.validation(field: "codes", "codes must name at least one item") }
///     }
/// }
/// ```
///
/// Every stored property must be a `@Param`. The struct conforms to `Decodable` by the
/// compiler's synthesis; only the SDK's decoder reads it. ``validate()`` holds the rules that
/// span fields; its errors, and the fields' own, name the full path (`items[2].damageNote`)
/// when the struct is nested in another's array.
public protocol MethodParams: ParamValue, Decodable {
    /// The prototype: every field at its declaration.
    init()
    /// Rules across fields, run after every field is read. Name fields relative to this struct.
    func validate() throws(RPCError)
}

extension MethodParams {
    /// No rules across fields.
    public func validate() throws(RPCError) {}

    /// A prototype.
    public static var placeholder: Self { Self() }

    /// The object schema: every field, the non-optional ones required, nothing else allowed.
    public static func paramSchema(_ spec: ParamSpec) -> [String: JSONValue] {
        var schema = ParamsLayout.of(Self.self).schema
        if !spec.description.isEmpty { schema["description"] = .string(spec.description) }
        return schema
    }

    /// The schema of these params as a whole.
    public static var schema: JSONValue { .object(ParamsLayout.of(Self.self).schema) }

    public static func decodeParam(_ value: JSONValue, _ spec: ParamSpec, at path: String) throws(RPCError) -> Self {
        try ParamsDecoding.decode(Self.self, from: value, at: path)
    }

    /// The names of the private fields, at any depth.
    public static var privateFieldNames: [String] { ParamsLayout.of(Self.self).privateNames }

    /// Reads params the daemon has checked against ``schema``.
    public static func decode(_ value: JSONValue) throws(RPCError) -> Self {
        try ParamsDecoding.decode(Self.self, from: value, at: "")
    }
}

/// No params: `{}`.
public struct NoParams: MethodParams {
    /// The empty params.
    public init() {}
}

/// The fields of one params type, read once off a prototype with `Mirror`.
final class ParamsLayout: Sendable {
    /// Field name → its declaration.
    let fields: [String: ParamSpec]
    /// The object schema.
    let schema: [String: JSONValue]
    /// Names of private fields, at any depth.
    let privateNames: [String]
    /// The fields' readers with their names, in declaration order, and a blank params value
    /// (a ``ParamsAccess``), or `nil` where the runtime cannot list the fields' offsets.
    let access: (any Sendable)?

    /// The layouts built so far: a short list, searched without hashing (every call decodes).
    private static let cache = TypeCache<ParamsLayout>()

    /// The layout of `type`, built on first use.
    static func of<P: MethodParams>(_ type: P.Type) -> ParamsLayout {
        cache.value(for: type) { ParamsLayout(prototype: P()) }
    }

    private init<P: MethodParams>(prototype: P) {
        var fields: [String: ParamSpec] = [:]
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        var privateNames: [String] = []
        // The stored properties as the runtime lists them (name, offset, type), not as a Mirror
        // shows them (a custom mirror may reorder or hide them).
        let stored = StoredParams(of: prototype)
        for (name, _, field) in stored.fields {
            fields[name] = field.spec
            properties[name] = .object(field.schema)
            if field.isRequired { required.append(.string(name)) }
            if field.spec.isPrivate || field.spec.element?.spec.isPrivate == true { privateNames.append(name) }
            privateNames.append(contentsOf: field.nestedPrivateNames)
        }
        self.fields = fields
        self.schema = [
            "type": "object", "properties": .object(properties), "required": .array(required),
            "additionalProperties": false,
        ]
        var seen: Set<String> = []
        self.privateNames = privateNames.filter { seen.insert($0).inserted }
        self.access = stored.complete ? ParamsAccess(prototype: prototype, stored: stored) : nil
    }
}

/// The readers of one params type and a blank value to read into.
final class ParamsAccess<P: MethodParams>: Sendable {
    let fields: [(name: String, reader: ParamReader)]
    let blank: P

    /// The readers of `P`'s fields, at the offsets the runtime gave.
    init?(prototype: P, stored: StoredParams) {
        var fields: [(name: String, reader: ParamReader)] = []
        for (name, offset, field) in stored.fields {
            guard let reader = field.reader(offset: offset) else { return nil }
            fields.append((name, reader))
        }
        self.fields = fields
        self.blank = prototype
    }

    /// The params in `members`, field names under `path`.
    func read(_ members: [String: JSONValue], at path: String) throws(RPCError) -> P {
        var params = blank
        try withUnsafeMutableBytes(of: &params) { memory throws(RPCError) in
            guard let base = memory.baseAddress else { return }
            for field in fields {
                try field.reader.read(base, members[field.name], path.isEmpty ? field.name : "\(path).\(field.name)")
            }
        }
        return params
    }
}

/// A params type's stored properties as the Swift runtime lists them: name, byte offset and the
/// prototype's `@Param` there; `complete` is false when one is not a `@Param` (those params are
/// then read through `Decodable`, which refuses the stray field).
struct StoredParams {
    var fields: [(name: String, offset: Int, field: any ParamField)] = []
    var complete = false

    init<P: MethodParams>(of prototype: P) {
        var fields: [(name: String, offset: Int, field: any ParamField)] = []
        var complete = true
        let listed = withUnsafeBytes(of: prototype) { memory -> Bool in
            guard let base = memory.baseAddress else { return false }
            return _forEachField(of: P.self) { name, offset, type, _ in
                let label = String(cString: name)
                guard let param = type as? any ParamField.Type else {
                    complete = false
                    return true
                }
                let property = label.hasPrefix("_") ? String(label.dropFirst()) : label
                fields.append((property, offset, param.stored(at: base + offset)))
                return true
            }
        }
        self.fields = fields
        self.complete = listed && complete
    }
}
