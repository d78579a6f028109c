import Foundation

/// A method result already written as compact JSON text, returned to the daemon as is.
///
/// For hot read paths whose results are large objects (a page of parcels): writing the bytes
/// directly with ``JSONObjectWriter`` skips building a dictionary per object, hashing its keys
/// and sorting them again to serialize. The text must be one valid JSON value on one line; the
/// writer guarantees that.
public struct RawJSON: Sendable, Encodable {
    /// The JSON text.
    public let text: String

    /// Wraps bytes written by ``JSONObjectWriter`` (or any valid compact JSON).
    public init(bytes: [UInt8]) { self.text = String(decoding: bytes, as: UTF8.self) }

    /// The value, parsed (for callers that need to look inside; `null` if the text is not JSON).
    public var value: JSONValue { (try? JSONValue.parse(text)) ?? .null }

    /// Encodes the parsed value (only for generic `Encodable` paths; results are returned as text).
    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// Writes one JSON object member by member, straight into UTF-8 bytes.
///
/// Members come out in the order they are written: write them in sorted key order to match
/// ``JSONValue/serialized()`` byte for byte (the daemon's replies and audit records are sorted).
public struct JSONObjectWriter {
    /// The bytes written so far (the object is closed by ``finish()``).
    public private(set) var bytes: [UInt8]
    private var first = true

    /// Starts an object, reserving room for `capacity` bytes.
    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        JSONValue.writeString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A string member, `null` when `value` is `nil`.
    public mutating func add(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONValue.writeString(value, into: &bytes) } else { bytes.append(contentsOf: Self.null) }
    }

    /// An integer member, `null` when `value` is `nil`.
    public mutating func add(_ name: String, _ value: Int64?) {
        key(name)
        if let value { JSONValue.int(value).write(into: &bytes) } else { bytes.append(contentsOf: Self.null) }
    }

    /// A boolean member, `null` when `value` is `nil`.
    public mutating func add(_ name: String, _ value: Bool?) {
        key(name)
        if let value { JSONValue.bool(value).write(into: &bytes) } else { bytes.append(contentsOf: Self.null) }
    }

    /// A member holding any JSON value.
    public mutating func add(_ name: String, _ value: JSONValue) {
        key(name)
        value.write(into: &bytes)
    }

    /// A member holding JSON text already written (another writer's ``finish()``).
    public mutating func add(_ name: String, raw: [UInt8]) {
        key(name)
        bytes.append(contentsOf: raw)
    }

    /// A member holding an array of JSON texts already written.
    public mutating func add(_ name: String, rawElements: [[UInt8]]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in rawElements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Closes the object and returns its bytes.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private static let null: [UInt8] = Array("null".utf8)
}

/// A JSON object built from members added in any order and written with its keys sorted, as
/// every reply is: for results that put records and other values side by side
/// (`{"badge": ..., "receipt": ...}`, a page of records and its `nextCursor`) without writing
/// the order by hand and without parsing a record's bytes again.
public struct SortedJSONObject {
    private var members: [(name: String, bytes: [UInt8])] = []

    /// An empty object.
    public init() {}

    /// A member holding any JSON value.
    public mutating func add(_ name: String, _ value: JSONValue) {
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        members.append((name, bytes))
    }

    /// A member holding a string, `null` when `nil`.
    public mutating func add(_ name: String, _ value: String?) { add(name, value.map { .string($0) } ?? .null) }

    /// A member holding JSON text already written (a record's `jsonBytes`).
    public mutating func add(_ name: String, raw: [UInt8]) { members.append((name, raw)) }

    /// A member holding an array of JSON texts already written.
    public mutating func add(_ name: String, rawElements: [[UInt8]]) {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(rawElements.reduce(2) { $0 + $1.count + 1 })
        for (index, element) in rawElements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: element)
        }
        bytes.append(UInt8(ascii: "]"))
        members.append((name, bytes))
    }

    /// The object, keys sorted (a later member of the same name replaces an earlier one).
    public func finish() -> RawJSON {
        var latest: [String: Int] = [:]
        for (index, member) in members.enumerated() { latest[member.name] = index }
        let order = latest.sorted { $0.key < $1.key }
        var out = JSONObjectWriter(capacity: members.reduce(16) { $0 + $1.bytes.count + $1.name.utf8.count + 4 })
        for (name, index) in order { out.add(name, raw: members[index].bytes) }
        return RawJSON(bytes: out.finish())
    }
}
