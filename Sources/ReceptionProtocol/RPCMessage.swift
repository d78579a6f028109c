/// One parsed JSON-RPC 2.0 request or notification.
public struct RPCRequest: Sendable {
    /// The id, or `nil` for a notification (no `id` member at all), which gets no response.
    public var id: RPCID?
    /// The method name, `<plugin>.<verb>` or `<plugin>.<noun>.<verb>`.
    public var method: String
    /// The params; an absent `params` member reads as an empty object.
    public var params: JSONValue

    /// Creates a request.
    public init(id: RPCID?, method: String, params: JSONValue = .object([:])) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Whether the sender expects a response.
    public var isNotification: Bool { id == nil }

    /// Validates one element of a request line against JSON-RPC 2.0.
    /// On failure returns the error and the id to answer it with (null when unreadable).
    public static func from(_ json: JSONValue) -> Result<RPCRequest, RPCRequestError> {
        guard case .object(let members) = json else {
            return .failure(
                RPCRequestError(
                    id: .null, error: .invalidRequest("a request must be a JSON object, got \(json.typeName)")))
        }
        var id: RPCID?
        if let rawID = members["id"] {
            guard let parsed = RPCID(json: rawID) else {
                return .failure(
                    RPCRequestError(
                        id: .null,
                        error: .invalidRequest(
                            "\"id\" must be a string, null, or an integer from -9223372036854775808 to 9223372036854775807; "
                                + "a number with a fraction, a negative zero or a larger number cannot be echoed exactly "
                                + "(use a string id)"))
                )
            }
            id = parsed
        }
        let answerID = id ?? .null
        guard members["jsonrpc"] == .string("2.0") else {
            return .failure(RPCRequestError(id: answerID, error: .invalidRequest("\"jsonrpc\" must be \"2.0\"")))
        }
        guard case .string(let method)? = members["method"] else {
            return .failure(RPCRequestError(id: answerID, error: .invalidRequest("\"method\" must be a string")))
        }
        let params = members["params"] ?? .object([:])
        switch params {
        case .object, .array: break
        default:
            return .failure(
                RPCRequestError(id: answerID, error: .invalidRequest("\"params\" must be an object or an array")))
        }
        for key in members.keys where !["jsonrpc", "id", "method", "params"].contains(key) {
            return .failure(RPCRequestError(id: answerID, error: .invalidRequest("unknown member \"\(key)\"")))
        }
        return .success(RPCRequest(id: id, method: method, params: params))
    }

    /// The request as a JSON-RPC line (without the trailing newline).
    public func serialized() -> String {
        var members: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method), "params": params]
        if let id { members["id"] = id.jsonValue }
        return JSONValue.object(members).serialized()
    }
}

/// A request element that is not a valid JSON-RPC request, with the id to answer it with.
public struct RPCRequestError: Error, Sendable {
    /// The id to put in the error response.
    public var id: RPCID
    /// What was wrong.
    public var error: RPCError
}

/// Builds response and notification lines. The one place the envelope's wire form is written.
public enum RPCResponse {
    /// A success response line (no trailing newline).
    public static func success(id: RPCID, result: JSONValue) -> String {
        var out = head(id, capacity: 128)
        out.append(contentsOf: resultKey)
        result.write(into: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A success response whose result is already-serialized JSON (a plugin's reply), spliced in
    /// without decoding it again.
    public static func success(id: RPCID, rawResult: String) -> String {
        var out = head(id, capacity: rawResult.utf8.count + 48)
        out.append(contentsOf: resultKey)
        out.append(contentsOf: rawResult.utf8)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// An error response line.
    public static func failure(id: RPCID, error: RPCError) -> String {
        var out = head(id, capacity: 256)
        out.append(contentsOf: errorKey)
        error.jsonValue.write(into: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static let prefix: [UInt8] = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
    private static let resultKey: [UInt8] = Array(#","result":"#.utf8)
    private static let errorKey: [UInt8] = Array(#","error":"#.utf8)

    /// `{"jsonrpc":"2.0","id":<id>` in a buffer with room for `capacity` more bytes.
    private static func head(_ id: RPCID, capacity: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(prefix.count + 24 + capacity)
        out.append(contentsOf: prefix)
        id.jsonValue.write(into: &out)
        return out
    }

    /// A server-to-client notification line (no id), such as an event.
    public static func notification(method: String, params: JSONValue) -> String {
        JSONValue.object(["jsonrpc": "2.0", "method": .string(method), "params": params]).serialized()
    }
}
