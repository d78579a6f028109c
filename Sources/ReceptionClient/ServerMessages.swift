import ReceptionProtocol

/// A successful response: the `result` of the request with ``id``.
public struct RPCReply: Sendable {
    /// The request id the daemon echoed.
    public let id: RPCID
    /// The result.
    public let result: JSONValue
    /// The result's JSON text exactly as the daemon wrote it.
    public let rawResult: String

    /// Creates a reply.
    public init(id: RPCID, result: JSONValue, rawResult: String) {
        self.id = id
        self.result = result
        self.rawResult = rawResult
    }
}

/// A message the daemon sent on its own (no id), such as `event` or `events.dropped`.
public struct RPCNotification: Sendable {
    /// The notification's method (`event`, `events.dropped`).
    public let method: String
    /// The params (`null` when absent).
    public let params: JSONValue
    /// The params' JSON text exactly as the daemon wrote it (`null` when absent).
    public let rawParams: String

    /// Creates a notification.
    public init(method: String, params: JSONValue, rawParams: String) {
        self.method = method
        self.params = params
        self.rawParams = rawParams
    }

    /// The whole notification, `{"jsonrpc":"2.0","method":…,"params":…}`, as a ``JSONValue``.
    public var message: JSONValue {
        .object(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }
}

/// One line from the daemon, classified.
enum IncomingMessage {
    case reply(RPCReply)
    case failure(id: RPCID, error: RPCError)
    case notification(RPCNotification)

    /// Reads one line of JSON-RPC from the daemon.
    static func decode(line: [UInt8]) throws(ClientError) -> IncomingMessage {
        let parsed: (value: JSONValue, memberRanges: [String: Range<Int>])
        do {
            parsed = try JSONValue.parseRecordingMembers(line)
        } catch {
            throw .protocolError("a line is not valid JSON (\(error.reason)): \(preview(line))")
        }
        let message = parsed.value
        guard case .object = message else {
            throw .protocolError("expected a JSON object, got: \(preview(line))")
        }
        func raw(_ key: String) -> String {
            guard let range = parsed.memberRanges[key] else { return "null" }
            return String(decoding: line[range], as: UTF8.self)
        }
        if let idValue = message["id"] {
            guard let id = RPCID(json: idValue) else {
                throw .protocolError("a response has an id that is not a string or number: \(preview(line))")
            }
            if let errorValue = message["error"] {
                guard let error = RPCError(json: errorValue) else {
                    throw .protocolError("an error response has no message: \(preview(line))")
                }
                return .failure(id: id, error: error)
            }
            if let result = message["result"] {
                return .reply(RPCReply(id: id, result: result, rawResult: raw("result")))
            }
            throw .protocolError("a response has neither result nor error: \(preview(line))")
        }
        if let method = message["method"]?.stringValue {
            return .notification(
                RPCNotification(method: method, params: message["params"] ?? .null, rawParams: raw("params")))
        }
        throw .protocolError("a message has neither id nor method: \(preview(line))")
    }

    /// The start of a line, for error messages.
    static func preview(_ line: [UInt8]) -> String {
        let limit = 200
        let text = String(decoding: line.prefix(limit), as: UTF8.self)
        return line.count > limit ? text + "…" : text
    }
}
