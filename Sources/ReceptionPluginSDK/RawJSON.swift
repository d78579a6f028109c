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
    /// A member's value: bytes already written, or the elements of an array written on finish.
    private enum Value {
        case bytes([UInt8])
        case elements([[UInt8]])
    }

    private var members: [(name: String, value: Value)] = []

    /// An empty object.
    public init() {}

    /// A member holding any JSON value.
    public mutating func add(_ name: String, _ value: JSONValue) {
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        members.append((name, .bytes(bytes)))
    }

    /// A member holding a string, `null` when `nil`.
    public mutating func add(_ name: String, _ value: String?) { add(name, value.map { .string($0) } ?? .null) }

    /// A member holding JSON text already written (a record's `jsonBytes`).
    public mutating func add(_ name: String, raw: [UInt8]) { members.append((name, .bytes(raw))) }

    /// A member holding an array of JSON texts already written (records' `jsonBytes`).
    public mutating func add(_ name: String, rawElements: [[UInt8]]) { members.append((name, .elements(rawElements))) }

    /// The object, keys sorted (a later member of the same name replaces an earlier one).
    public func finish() -> RawJSON {
        // Few members: a stable insertion sort, then the last of equal names wins.
        var order = Array(members.indices)
        for i in 1..<max(order.count, 1) {
            var j = i
            while j > 0, members[order[j - 1]].name > members[order[j]].name {
                order.swapAt(j - 1, j)
                j -= 1
            }
        }
        var size = 2
        for member in members {
            size += member.name.utf8.count + 4
            switch member.value {
            case .bytes(let bytes): size += bytes.count
            case .elements(let elements): size += elements.reduce(2) { $0 + $1.count + 1 }
            }
        }
        var out = JSONObjectWriter(capacity: size)
        for (position, index) in order.enumerated() {
            if position + 1 < order.count, members[order[position + 1]].name == members[index].name { continue }
            switch members[index].value {
            case .bytes(let bytes): out.add(members[index].name, raw: bytes)
            case .elements(let elements): out.add(members[index].name, rawElements: elements)
            }
        }
        return RawJSON(bytes: out.finish())
    }
}
