import Foundation

/// Parsing and compact, deterministic serialization of ``JSONValue``.
///
/// Serialization is hand-written rather than `JSONEncoder` so that object keys come out sorted,
/// output is byte-for-byte stable (tests and audit records compare it), and nothing is escaped
/// that JSON does not require.
extension JSONValue {
    /// Parses one JSON text. Throws ``JSONParseError`` with a readable reason.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue
    where Bytes.Element == UInt8 {
        let data = Data(bytes)
        if let offset = trailingComma(in: data) {
            throw JSONParseError(reason: "trailing comma before a closing bracket at byte \(offset)")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw JSONParseError(reason: Self.explain(data))
        }
    }

    /// Foundation's parsers accept `[1,]` and `{"a":1,}`, which JSON does not: this scan (string
    /// aware, one pass) finds such a comma. Returns its byte offset.
    static func trailingComma(in data: Data) -> Int? {
        var inString = false
        var escaped = false
        var comma: Int?
        for (offset, byte) in data.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let comma { return comma }
            case UInt8(ascii: ","):
                comma = offset
                continue
            case UInt8(ascii: "\""):
                inString = true
            default:
                break
            }
            comma = nil
        }
        return nil
    }

    /// JSONDecoder says only "not valid JSON"; JSONSerialization says where. Used on the error path only.
    private static func explain(_ data: Data) -> String {
        if data.isEmpty { return "empty input" }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "not valid JSON"
        } catch let error as NSError {
            if let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
            return error.localizedDescription
        }
    }

    /// Parses one JSON text given as a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// The compact JSON text of this value, object keys sorted.
    public func serialized() -> String {
        var out = ""
        out.reserveCapacity(64)
        write(to: &out)
        return out
    }

    /// The compact JSON text of this value as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] { Array(serialized().utf8) }

    /// Appends the compact JSON text of this value to `out`.
    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value):
            if value.isFinite {
                if value.rounded() == value, abs(value) < 1e15 {
                    out += String(Int64(value))
                } else {
                    out += "\(value)"
                }
            } else {
                out += "null"
            }
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let elements):
            out += "["
            var first = true
            for element in elements {
                if !first { out += "," }
                first = false
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            var first = true
            for key in members.keys.sorted() {
                guard let value = members[key] else { continue }
                if !first { out += "," }
                first = false
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Appends `value` as a JSON string literal.
    public static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// What was wrong, as the parser reported it.
    public let reason: String
    /// Creates an error with a reason.
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
