import Foundation

/// One method a plugin serves: its descriptor (what `daemon.methods` lists) and its typed handler.
/// `zh:` is the description in Chinese, for clerks who read Chinese.
///
/// ```swift
/// .write("example.note.add", "Writes a note in the desk notebook.", zh: "在前台记事本上记一笔。") {
///     (plugin, params: AddParams, context) in try plugin.add(params, context)
/// }
/// ```
///
/// The params schema, the private fields (kept as their last four characters in audit records)
/// and the decoding all come from the params type (``MethodParams``). A handler returns a
/// ``Record``, a `JSONValue`, ``RawJSON`` or any `Encodable`; it throws ``RPCError`` for what the
/// caller did wrong, and any SQLite error maps to `storage`, `conflict` or `validation` (see
/// ``SQLiteError/rpcError``).
public struct Method<Plugin: DepartmentPlugin>: Sendable {
    /// The method as `daemon.methods` lists it.
    public let descriptor: MethodDescriptor

    let invoke: @Sendable (Plugin, UnsafeBufferPointer<UInt8>, CallEnvironment) throws(RPCError) -> String
    /// Why the declared result record type is not a valid record, if it is not.
    let problem: String?

    /// The full method name.
    public var name: String { descriptor.name }

    private init(
        _ name: String, _ description: String, zh: String?, params: JSONValue, access: MethodAccess,
        role: MethodRole, redact: [String], display: DisplayHints, result: (any Record.Type)?,
        invoke: @escaping @Sendable (Plugin, UnsafeBufferPointer<UInt8>, CallEnvironment) throws(RPCError) -> String
    ) {
        descriptor = MethodDescriptor(
            name: name, plugin: Plugin.name, description: description, params: params, access: access, role: role,
            redact: redact, display: display, result: result.map { Self.schema(of: $0) },
            i18n: zh.map { ["zh": ["description": .string($0)]] })
        self.invoke = invoke
        self.problem = result.flatMap { Self.problem(of: $0) }
    }

    /// A read-only method.
    public static func read<Params: MethodParams & SendableMetatype, Result: Encodable & SendableMetatype>(
        _ name: String, _ description: String, zh: String? = nil, role: MethodRole = .operator,
        display: DisplayHints = DisplayHints(),
        result: (any Record.Type)? = nil,
        _ body: @escaping @Sendable (Plugin, Params, ReadContext<Plugin>) throws -> Result
    ) -> Method {
        Method(
            name, description, zh: zh, params: Params.schema, access: .read, role: role,
            redact: Params.privateFieldNames,
            display: display, result: result,
            invoke: { plugin, bytes, environment throws(RPCError) in
                let params = try Params.decode(try ParamsText.parse(bytes))
                return try ResultText.run { try body(plugin, params, ReadContext(environment: environment)) }
            })
    }

    /// A state-changing method.
    public static func write<Params: MethodParams & SendableMetatype, Result: Encodable & SendableMetatype>(
        _ name: String, _ description: String, zh: String? = nil, role: MethodRole = .operator,
        display: DisplayHints = DisplayHints(),
        result: (any Record.Type)? = nil,
        _ body: @escaping @Sendable (Plugin, Params, WriteContext<Plugin>) throws -> Result
    ) -> Method {
        Method(
            name, description, zh: zh, params: Params.schema, access: .write, role: role,
            redact: Params.privateFieldNames,
            display: display, result: result,
            invoke: { plugin, bytes, environment throws(RPCError) in
                let params = try Params.decode(try ParamsText.parse(bytes))
                return try ResultText.run { try body(plugin, params, WriteContext(environment: environment)) }
            })
    }

    /// A read-only method taking any object as params (`example.echo`): no schema beyond "an object".
    public static func read<Result: Encodable & SendableMetatype>(
        _ name: String, _ description: String, zh: String? = nil, role: MethodRole = .operator,
        _ body: @escaping @Sendable (Plugin, JSONValue, ReadContext<Plugin>) throws -> Result
    ) -> Method {
        Method(
            name, description, zh: zh, params: ["type": "object"], access: .read, role: role, redact: [],
            display: DisplayHints(), result: nil,
            invoke: { plugin, bytes, environment throws(RPCError) in
                let params = try ParamsText.parse(bytes)
                return try ResultText.run { try body(plugin, params, ReadContext(environment: environment)) }
            })
    }
}

extension Method {
    /// The JSON schema of a record type.
    static func schema<R: Record>(of type: R.Type) -> JSONValue { R.schema }
    /// Why a record type is not a valid record, if it is not.
    static func problem<R: Record>(of type: R.Type) -> String? { RecordLayout.of(R.self).problem }
}

/// Params text as it crosses the ABI.
enum ParamsText {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(RPCError) -> JSONValue {
        guard !bytes.isEmpty else { return .object([:]) }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw RPCError.invalidParams(field: nil, "params could not be read: \(error)")
        }
    }
}

/// Runs a handler body and writes its result, mapping every error to an ``RPCError``.
enum ResultText {
    static func run<Result: Encodable>(_ body: () throws -> Result) throws(RPCError) -> String {
        let result: Result
        do {
            result = try body()
        } catch let error as RPCError {
            throw error
        } catch let error as SQLiteError {
            throw error.rpcError
        } catch {
            throw RPCError.internalError("\(error)")
        }
        do {
            return try of(result)
        } catch {
            throw RPCError.internalError("result could not be encoded: \(error)")
        }
    }

    /// `value` as compact JSON text with sorted keys.
    static func of<Value: Encodable>(_ value: Value) throws -> String {
        if let raw = value as? RawJSON { return raw.text }
        if let json = value as? JSONValue { return json.serialized() }
        if let record = value as? any Record { return String(decoding: record.jsonBytes(), as: UTF8.self) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
