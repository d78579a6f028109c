/// The decoder `Record.init(row:)` hands the compiler's synthesized `init(from:)`: it answers
/// each `@Column` with its value in the row.
struct RowDecoder: Decoder {
    let row: Row
    let layout: RecordLayout
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(row: row, layout: layout, cursor: Cursor()))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw RPCError.internalError("a record is read by column")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw RPCError.internalError("a record is read by column")
    }

    /// The declaration index of the next column asked for (the synthesized code asks in order).
    final class Cursor {
        var next = 0
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: Row
        let layout: RecordLayout
        let cursor: Cursor
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { layout.names.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { value(for: key) == .null }

        /// The column's value: at the same position when the row was selected with the record's
        /// own list, else by name.
        func value(for key: Key) -> SQLValue {
            let index = cursor.next
            cursor.next += 1
            let name = key.stringValue
            let declared: Int
            if index < layout.count, layout.names[index] == name {
                declared = index
            } else if let found = layout.names.firstIndex(of: name) {
                declared = found
            } else {
                return .null
            }
            let column = layout.columns[declared]
            let values = row.values
            let names = row.layout.names
            if declared < values.count, declared < names.count, names[declared] == column { return values[declared] }
            return row[column]
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try T(from: RowFieldDecoder(value: value(for: key)))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw RPCError.internalError("record fields are @Column")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw RPCError.internalError("record fields are @Column")
        }

        func superDecoder() throws -> any Decoder { RowFieldDecoder(value: .null) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowFieldDecoder(value: .null) }
    }
}

/// The decoder `Column.init(from:)` receives: one column's value. A struct small enough to sit
/// in an existential's inline buffer, so reading a row allocates nothing per column.
struct RowFieldDecoder: Decoder {
    let value: SQLValue
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw RPCError.internalError("every record field must be a @Column")
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw RPCError.internalError("every record field must be a @Column")
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw RPCError.internalError("every record field must be a @Column")
    }
}

/// The encoder a record's synthesized `encode(to:)` writes into: each `@Column` hands it its
/// value, in declaration order, as JSON bytes (with their ranges) or as SQL values.
final class RecordFieldSink: Encoder {
    enum Mode {
        case json(capacity: Int)
        case sql
    }

    let isJSON: Bool
    /// JSON mode: every member's value, back to back.
    var buffer: [UInt8] = []
    /// JSON mode: each member's range in `buffer`, by declaration index.
    var ranges: [Range<Int>] = []
    /// SQL mode: each column's value, by declaration index.
    var values: [SQLValue] = []

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(mode: Mode) {
        switch mode {
        case .json(let capacity):
            isJSON = true
            buffer.reserveCapacity(capacity)
            ranges.reserveCapacity(40)
        case .sql:
            isJSON = false
        }
    }

    /// One column's value.
    func accept<Value: ColumnValue>(_ value: Value) {
        if isJSON {
            let start = buffer.count
            value.writeJSON(into: &buffer)
            ranges.append(start..<buffer.count)
        } else {
            values.append(value.sqlValue)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Container<Key>(sink: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed() }
    func singleValueContainer() -> any SingleValueEncodingContainer { Unkeyed() }

    struct Container<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let sink: RecordFieldSink
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws {
            throw RPCError.internalError("record fields are @Column")
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try value.encode(to: sink)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            KeyedEncodingContainer(RecordFieldSink.Container<NestedKey>(sink: sink))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { Unkeyed() }
        mutating func superEncoder() -> any Encoder { sink }
        mutating func superEncoder(forKey key: Key) -> any Encoder { sink }
    }

    /// Refuses everything: record fields are `@Column`.
    struct Unkeyed: UnkeyedEncodingContainer, SingleValueEncodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }
        mutating func encodeNil() throws { throw RPCError.internalError("record fields are @Column") }
        mutating func encode<T: Encodable>(_ value: T) throws {
            throw RPCError.internalError("record fields are @Column")
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            KeyedEncodingContainer(KeyedRefusal<NestedKey>())
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
        mutating func superEncoder() -> any Encoder { RecordFieldSink(mode: .sql) }
    }

    struct KeyedRefusal<Key: CodingKey>: KeyedEncodingContainerProtocol {
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws { throw RPCError.internalError("record fields are @Column") }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            throw RPCError.internalError("record fields are @Column")
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            KeyedEncodingContainer(KeyedRefusal<NestedKey>())
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { Unkeyed() }
        mutating func superEncoder() -> any Encoder { RecordFieldSink(mode: .sql) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { RecordFieldSink(mode: .sql) }
    }
}
