/// A JSON-RPC request id: a string, a number, or null. Echoed back verbatim in the response.
public enum RPCID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case null

    /// Reads an id from its JSON value; `nil` if the value cannot be an id (an object, array, bool).
    public init?(json: JSONValue) {
        switch json {
        case .string(let value): self = .string(value)
        case .int(let value): self = .int(value)
        case .double(let value):
            // An integer too large for 64 bits arrives here already rounded; echoing it would
            // silently change the id, so it is refused (use a string id for such values).
            if value.rounded() == value, abs(value) >= 9.2e18 { return nil }
            self = .double(value)
        case .null: self = .null
        default: return nil
        }
    }

    /// The id as JSON.
    public var jsonValue: JSONValue {
        switch self {
        case .string(let value): return .string(value)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .null: return .null
        }
    }

    public var description: String { jsonValue.serialized() }
}
