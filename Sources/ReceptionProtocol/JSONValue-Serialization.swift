/// Parsing and compact, deterministic serialization of ``JSONValue``.
///
/// Serialization is hand-written rather than `JSONEncoder` so that object keys come out sorted,
/// output is byte-for-byte stable (tests and audit records compare it), and nothing is escaped
/// that JSON does not require.
extension JSONValue {
    /// Parses one JSON text (UTF-8). Throws ``JSONParseError`` with a readable reason and byte offset.
    ///
    /// Strict RFC 8259 (no trailing commas, comments, `NaN`, leading zeros or invalid UTF-8); see
    /// ``JSONParser`` for how numbers and repeated member names are read.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue
    where Bytes.Element == UInt8 {
        let outcome =
            bytes.withContiguousStorageIfAvailable { JSONParser.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0) }
        return try outcome.get()
    }

    /// Parses one JSON text (UTF-8) as ``parse(_:)`` does and, when it is an object, also
    /// gives the byte range in `bytes` of each member's value (the first of a repeated name, the
    /// one the parse keeps), so that a caller can hand on a member, such as a reply's `result`,
    /// exactly as it was written.
    public static func parseRecordingMembers(
        _ bytes: [UInt8]
    ) throws(JSONParseError) -> (value: JSONValue, memberRanges: [String: Range<Int>]) {
        try bytes.withUnsafeBufferPointer { JSONParser.parseRecordingMembers($0) }.get()
    }

    /// Parses one JSON text (UTF-8) as ``parse(_:)`` does and, when it is an object with a
    /// `params` member, also gives that member's byte range in `bytes` (offsets from the start):
    /// a request's params handed on exactly as the client wrote them.
    public static func parseRecordingParams<Bytes: Collection>(
        _ bytes: Bytes
    ) throws(JSONParseError) -> (value: JSONValue, paramsRange: Range<Int>?) where Bytes.Element == UInt8 {
        let outcome =
            bytes.withContiguousStorageIfAvailable { JSONParser.parseRecordingParams($0) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONParser.parseRecordingParams($0) }
        return try outcome.get()
    }

    /// Parses one JSON text given as a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { JSONParser.parse($0) }.get()
    }

    /// The members when this is an object, in the order ``serialized()`` writes them (sorted by
    /// key, as every reply of the daemon is); `nil` for anything else.
    public var sortedMembers: [(key: String, value: JSONValue)]? {
        guard case .object(let members) = self else { return nil }
        return members.sorted { $0.key < $1.key }
    }

    /// The compact JSON text of this value, object keys sorted.
    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The compact JSON text of this value as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    /// Appends the compact JSON text of this value to `out`.
    public func write(to out: inout String) {
        out += serialized()
    }

    /// Appends the compact JSON text of this value to `out` as UTF-8 bytes: the serializer
    /// itself (bytes, not `String` appends, which cost several times more per piece).
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: Self.nullBytes)
        case .bool(let value): out.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        case .int(let value): Self.writeInteger(value, into: &out)
        case .double(let value):
            if value.isFinite {
                if value.rounded() == value, abs(value) < 1e15 {
                    Self.writeInteger(Int64(value), into: &out)
                } else {
                    out.append(contentsOf: "\(value)".utf8)
                }
            } else {
                out.append(contentsOf: Self.nullBytes)
            }
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)

    /// Appends the decimal digits of `value`.
    static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of 2^64
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            while magnitude > 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            out.append(contentsOf: buffer[index...])
        }
    }

    /// Appends `value` as a JSON string literal.
    public static func writeString(_ value: String, to out: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        writeString(value, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal (UTF-8 bytes). Escapes only what JSON requires:
    /// `"`, `\\` and control characters.
    public static func writeString(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                        hex[Int(byte & 0xF)],
                    ])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
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
