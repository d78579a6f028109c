import Foundation

/// Whether a method reads or changes state. Writes run on the single writer inside a transaction
/// together with their audit record and events; reads run in parallel on read-only connections.
public enum MethodAccess: String, Sendable, Codable {
    /// Reads only; runs on a read-only connection, never waits behind writes.
    case read
    /// Changes state; committed durably before the reply, audited.
    case write
}

/// Who may call a method.
public enum MethodRole: String, Sendable, Codable {
    /// Anyone who can open the socket.
    case `operator`
    /// Root and members of the configured admin group only.
    case admin
    /// Not callable over the socket and not listed: only the plugin's own background work
    /// (``BackgroundWork/submit(_:_:)``) calls it, as the daemon itself.
    case system
}

/// One method a plugin serves: its wire description and its typed handler.
public struct Method<Plugin: DepartmentPlugin>: Sendable {
    /// Full method name, `<plugin>.<verb>` or `<plugin>.<noun>.<verb>`.
    public let name: String
    /// One sentence shown by `daemon.methods` and `receptionctl ... --help`.
    public let description: String
    /// JSON schema of the params object (see ``Schema``).
    public let params: JSONValue
    /// Read or write.
    public let access: MethodAccess
    /// Who may call it.
    public let role: MethodRole
    /// Params members holding private data (identity numbers): the daemon keeps only their last
    /// four characters in audit records and logs.
    public let redact: [String]

    let invoke: @Sendable (Plugin, [UInt8], CallEnvironment) throws(RPCError) -> String

    /// A read-only method.
    public static func read<Params: Decodable & SendableMetatype, Result: Encodable & SendableMetatype>(
        _ name: String, _ description: String, params: JSONValue, role: MethodRole = .operator,
        redact: [String] = [],
        _ body: @escaping @Sendable (Plugin, Params, ReadContext) throws -> Result
    ) -> Method {
        Method(
            name: name, description: description, params: params, access: .read, role: role, redact: redact,
            invoke: { plugin, bytes, environment throws(RPCError) in
                let decoded: Params = try ParamsDecoder.decode(bytes)
                let context = ReadContext(environment: environment)
                return try ResultEncoder.run { try body(plugin, decoded, context) }
            })
    }

    /// A state-changing method.
    public static func write<Params: Decodable & SendableMetatype, Result: Encodable & SendableMetatype>(
        _ name: String, _ description: String, params: JSONValue, role: MethodRole = .operator,
        redact: [String] = [],
        _ body: @escaping @Sendable (Plugin, Params, WriteContext) throws -> Result
    ) -> Method {
        Method(
            name: name, description: description, params: params, access: .write, role: role, redact: redact,
            invoke: { plugin, bytes, environment throws(RPCError) in
                let decoded: Params = try ParamsDecoder.decode(bytes)
                let context = WriteContext(environment: environment)
                return try ResultEncoder.run { try body(plugin, decoded, context) }
            })
    }

    /// The method's entry in the manifest.
    var manifestEntry: JSONValue {
        [
            "name": .string(name), "description": .string(description), "params": params,
            "access": .string(access.rawValue), "role": .string(role.rawValue),
            "redact": .array(redact.map { .string($0) }),
        ]
    }
}

/// A params type for methods that take none.
public struct NoParams: Decodable, Sendable {
    /// Creates an empty params value.
    public init() {}
}

/// Decodes params, turning decoding failures into `validation` errors that name the field.
enum ParamsDecoder {
    static func decode<Params: Decodable>(_ bytes: [UInt8]) throws(RPCError) -> Params {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw RPCError.invalidParams(field: nil, "params could not be read: \(error)")
        }
        do {
            return try JSONValueDecoder(value).decode(Params.self)
        } catch let error as DecodingError {
            throw error.rpcError
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError.invalidParams(field: nil, "params could not be read: \(error)")
        }
    }
}

/// Runs a handler body and encodes its result, mapping every error to an ``RPCError``.
enum ResultEncoder {
    static func run<Result: Encodable>(_ body: () throws -> Result) throws(RPCError) -> String {
        let result: Result
        do {
            result = try body()
        } catch let error as RPCError {
            throw error
        } catch let error as SQLiteError {
            throw error.rpcError
        } catch let error as DecodingError {
            throw error.rpcError
        } catch {
            throw RPCError.internalError("\(error)")
        }
        if let raw = result as? RawJSON { return raw.text }
        if let value = result as? JSONValue { return value.serialized() }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(result), as: UTF8.self)
        } catch {
            throw RPCError.internalError("result could not be encoded: \(error)")
        }
    }
}

extension DecodingError {
    /// The protocol error for a params decoding failure: -32602 with the field path.
    public var rpcError: RPCError {
        switch self {
        case .keyNotFound(let key, let context):
            let path = FieldPath.render(context.codingPath + [key])
            return .invalidParams(field: path, "\(path) is required")
        case .typeMismatch(let type, let context):
            let path = FieldPath.render(context.codingPath)
            return .invalidParams(
                field: path.isEmpty ? nil : path,
                "\(path.isEmpty ? "params" : path) must be \(FieldPath.describe(type))")
        case .valueNotFound(let type, let context):
            let path = FieldPath.render(context.codingPath)
            return .invalidParams(field: path, "\(path) must be \(FieldPath.describe(type)), not null")
        case .dataCorrupted(let context):
            let path = FieldPath.render(context.codingPath)
            return .invalidParams(
                field: path.isEmpty ? nil : path, "\(path.isEmpty ? "params" : path): \(context.debugDescription)")
        @unknown default:
            return .invalidParams(field: nil, "params could not be read")
        }
    }
}

/// Renders coding paths as `items[2].unit`.
public enum FieldPath {
    /// The path of a coding path.
    public static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "of type \(name)"
        }
    }
}
