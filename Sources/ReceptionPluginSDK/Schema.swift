/// Builders for the JSON schemas that describe method params in `daemon.methods`.
///
/// ```swift
/// Schema.object(["text": Schema.string("What to note", maxLength: 500)], required: ["text"])
/// ```
public enum Schema {
    /// An object with the given properties; unknown members are rejected by the daemon.
    public static func object(_ properties: [String: JSONValue] = [:], required: [String] = []) -> JSONValue {
        [
            "type": "object", "properties": .object(properties),
            "required": .array(required.map { .string($0) }), "additionalProperties": false,
        ]
    }
    /// A string, optionally with a length bound and allowed values.
    ///
    /// `maxLength` counts Unicode scalars (code points), as JSON Schema and SQLite's `length()`
    /// do, not grapheme clusters: `"e\u{301}"` is 2, `"é"` is 1. Whatever the bound, the daemon
    /// also refuses a string with more than 30 combining marks in a row (UAX #15 stream-safe
    /// text) before the method runs. Give every string param a bound (or `oneOf`).
    public static func string(_ description: String, maxLength: Int? = nil, oneOf values: [String]? = nil) -> JSONValue
    {
        var schema: [String: JSONValue] = ["type": "string", "description": .string(description)]
        if let maxLength { schema["maxLength"] = .int(Int64(maxLength)) }
        if let values { schema["enum"] = .array(values.map { .string($0) }) }
        return .object(schema)
    }
    /// An integer, optionally bounded.
    public static func integer(_ description: String, minimum: Int64? = nil, maximum: Int64? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "integer", "description": .string(description)]
        if let minimum { schema["minimum"] = .int(minimum) }
        if let maximum { schema["maximum"] = .int(maximum) }
        return .object(schema)
    }
    /// A boolean.
    public static func boolean(_ description: String) -> JSONValue {
        ["type": "boolean", "description": .string(description)]
    }
    /// An array of `items`, optionally bounded in length.
    public static func array(_ description: String, items: JSONValue, maxItems: Int? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "array", "description": .string(description), "items": items]
        if let maxItems { schema["maxItems"] = .int(Int64(maxItems)) }
        return .object(schema)
    }
}
