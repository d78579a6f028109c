/// An error as the protocol carries it: `{"code", "message", "data": {"kind", "field"?, ...}}`.
///
/// Every layer's errors end up as one of these, and ``jsonValue`` is the only place that decides
/// their wire form.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable category.
    public var kind: ErrorKind
    /// A sentence for people: what was wrong and, where it helps, the current state.
    public var message: String
    /// For ``ErrorKind/validation``: the offending field, as a path (`items[2].unit`).
    public var field: String?
    /// Further machine-readable details (`code` of a conflicting item, a limit's value...).
    public var details: [String: JSONValue]
    /// Overrides the JSON-RPC code derived from ``kind`` (used for -32602 invalid params).
    public var codeOverride: Int?
    /// The message in other languages, by language (`zh`): the daemon sends the one a connection
    /// asked for in `daemon.hello` (``presented(in:)``). Crosses the plugin ABI as `data.i18n`.
    public var translations: [String: String] = [:]

    /// Creates an error.
    public init(
        _ kind: ErrorKind, _ message: String, field: String? = nil, details: [String: JSONValue] = [:],
        code: Int? = nil
    ) {
        self.kind = kind
        self.message = message
        self.field = field
        self.details = details
        self.codeOverride = code
    }

    /// The JSON-RPC `error.code`.
    public var code: Int { codeOverride ?? kind.code }

    public var description: String {
        field.map { "\(kind): \($0): \(message)" } ?? "\(kind): \(message)"
    }

    /// The `error` member of a JSON-RPC response.
    public var jsonValue: JSONValue {
        var data = details
        data["kind"] = .string(kind.rawValue)
        if let field { data["field"] = .string(field) }
        if !translations.isEmpty { data["i18n"] = .object(translations.mapValues { .string($0) }) }
        return .object(["code": .int(Int64(code)), "message": .string(message), "data": .object(data)])
    }

    /// Reads an error back from its wire form (clients, and plugin results crossing the ABI).
    public init?(json: JSONValue) {
        guard let message = json["message"]?.stringValue else { return nil }
        var details = json["data"]?.objectValue ?? [:]
        let kind = details.removeValue(forKey: "kind")?.stringValue.map(ErrorKind.init(rawValue:)) ?? .internal
        let field = details.removeValue(forKey: "field")?.stringValue
        let translations = details.removeValue(forKey: "i18n")?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        var code: Int?
        if let raw = json["code"]?.intValue, Int(raw) != kind.code { code = Int(raw) }
        self.init(kind, message, field: field, details: details, code: code)
        self.translations = translations
    }

    /// The same error with its message also in `language` (`"zh"`):
    /// `RPCError.validation(field: "collectedBy", "…").localized("zh", "代领须注明 proxy")`.
    public func localized(_ language: String, _ message: String) -> RPCError {
        var copy = self
        copy.translations[language] = message
        return copy
    }

    /// The error as a connection that asked for `language` receives it: the message in that
    /// language when there is one (the English one then also in `data.messageEn`), and no
    /// translations otherwise. `nil` or `en`: the English message.
    public func presented(in language: String?) -> RPCError {
        guard !translations.isEmpty else { return self }
        var copy = self
        copy.translations = [:]
        if let language, let translated = translations[language] {
            copy.details["messageEn"] = .string(message)
            copy.message = translated
        }
        return copy
    }
}

extension RPCError {
    /// -32700: the line is not JSON.
    public static func parseError(_ reason: String) -> RPCError {
        RPCError(.parse, "parse error: \(reason)")
    }
    /// -32600: JSON, but not a JSON-RPC 2.0 request.
    public static func invalidRequest(_ reason: String) -> RPCError {
        RPCError(.invalidRequest, "invalid request: \(reason)")
    }
    /// -32601: no such method.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(
            .methodNotFound, "method not found: \(method) (daemon.methods lists them)",
            details: ["method": .string(method)])
    }
    /// -32602: params of the wrong shape, naming the field.
    public static func invalidParams(field: String?, _ message: String) -> RPCError {
        RPCError(.validation, message, field: field, code: -32602)
    }
    /// An application-level validation error (a business rule), naming the field.
    public static func validation(field: String, _ message: String) -> RPCError {
        RPCError(.validation, message, field: field)
    }
    /// -32603: an unexpected failure.
    public static func internalError(_ message: String) -> RPCError {
        RPCError(.internal, "internal error: \(message)")
    }
}
