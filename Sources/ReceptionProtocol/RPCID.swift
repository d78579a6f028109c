/// A JSON-RPC request id: a string, a number, or null. Echoed back verbatim in the response.
public enum RPCID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case null

    /// Reads an id from its JSON value; `nil` if the value cannot be an id: an object, array or
    /// bool, or a number that is not an integer within ±2^63.
    ///
    /// A number is echoed from its parsed value, not from its text, so only a number whose value
    /// survives that exactly is accepted: an integer that fits in `Int64` (`.int`). A number
    /// the parser had to round (`1e-400` is 0, an integer beyond 64 bits), a fraction (JSON-RPC
    /// 2.0: numeric ids SHOULD NOT have one; deciding whether `0.1` would come back as written
    /// costs a decimal comparison on every request) and a negative zero (`-0.0`, which would
    /// come back as `0`) are all `.double` and refused. This costs one enum case check per request.
    public init?(json: JSONValue) {
        switch json {
        case .string(let value): self = .string(value)
        case .int(let value): self = .int(value)
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
