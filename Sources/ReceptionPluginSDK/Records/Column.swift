/// One column of a stored record, declared once: the property's name is the wire name
/// (`damageNote`), the column is its snake_case (`damage_note`) unless `column:` says otherwise.
///
/// ```swift
/// struct Note: Record {
///     static let table = "example_notes"
///     @Column var id: Int64
///     @Column("What was noted") var text: String
///     @Column var author: String?
///     @Column(wire: .hidden) var createdMs: Int64
/// }
/// ```
@propertyWrapper
public struct Column<Value: ColumnValue>: Codable, Sendable {
    /// The value.
    public var wrappedValue: Value
    /// What the declaration says: set on a prototype (the layout reads it once), `nil` on every
    /// record read or built afterwards, so copying a record copies no declarations.
    let spec: ColumnSpec?

    /// Declares a column.
    public init(
        _ description: String? = nil, column: String? = nil, wire: WireVisibility = .shown,
        format: ParamFormat? = nil
    ) {
        wrappedValue = Value.emptyColumn
        spec = ColumnSpec(description: description, column: column, wire: wire, format: format)
    }

    /// A column holding `value`, without its declaration.
    init(value: Value) {
        wrappedValue = value
        spec = nil
    }

    /// Reads the column from a row (through the SDK's row decoder only).
    public init(from decoder: any Decoder) throws {
        guard let row = decoder as? RowFieldDecoder else {
            throw RPCError.internalError("@Column fields are read by the SDK's row decoder only")
        }
        wrappedValue = Value.fromSQL(row.value)
        spec = nil
    }

    /// Writes the column (through the SDK's record writers only).
    public func encode(to encoder: any Encoder) throws {
        guard let sink = encoder as? RecordFieldSink else {
            throw RPCError.internalError("@Column fields are written by the SDK's record writers only")
        }
        sink.accept(wrappedValue)
    }
}

/// What a `@Column` declares besides its type.
public struct ColumnSpec: Sendable {
    /// One phrase for the record's schema.
    public var description: String?
    /// The SQL column, when not the snake_case of the property.
    public var column: String?
    /// Who sees it on the wire.
    public var wire: WireVisibility
    /// What the value means, for clients (`money`, `date`, `date-time`, `unit`).
    public var format: ParamFormat?

    /// The spec of a column read without its declaration.
    static let unread = ColumnSpec(description: nil, column: nil, wire: .shown, format: nil)
}

/// Who sees a column in a record's JSON.
public enum WireVisibility: Sendable {
    /// Everyone.
    case shown
    /// Admins only, and never in events (a full identity number): written only when the writer
    /// is asked to show private members.
    case adminOnly
    /// Nobody: stored and used by the plugin, never sent (`received_ms`).
    case hidden
}

/// What the layout reads off each `@Column` of a prototype.
protocol ColumnField {
    /// The column stored at `pointer` (a field of a record, this wrapper's type).
    static func stored(at pointer: UnsafeRawPointer) -> any ColumnField
    var declaration: ColumnSpec { get }
    var jsonType: String { get }
    var isNullable: Bool { get }
    /// The typed access to this column stored at `offset` bytes into its record, or `nil` when
    /// the wrapper's layout is not the expected one.
    func accessor(offset: Int) -> ColumnAccessor?
    /// Sets the whole column at `offset` to its empty value without its declaration (for the
    /// blank record rows are read into: copying it then copies no declarations).
    func clearer(offset: Int) -> @Sendable (UnsafeMutableRawPointer) -> Void
}

extension Column: ColumnField {
    static func stored(at pointer: UnsafeRawPointer) -> any ColumnField {
        pointer.assumingMemoryBound(to: Column<Value>.self).pointee
    }

    var declaration: ColumnSpec { spec ?? .unread }
    var jsonType: String { Value.jsonType }
    var isNullable: Bool { Value.isNullable }

    func accessor(offset: Int) -> ColumnAccessor? {
        // The value is the wrapper's first stored property: at the wrapper's own offset.
        guard MemoryLayout<Column<Value>>.offset(of: \Column<Value>.wrappedValue) == 0 else { return nil }
        return ColumnAccessor.make(Value.self, offset: offset)
    }

    func clearer(offset: Int) -> @Sendable (UnsafeMutableRawPointer) -> Void {
        { base in (base + offset).assumingMemoryBound(to: Column<Value>.self).pointee = Column(value: Value.emptyColumn)
        }
    }
}

/// Typed access to one column of a record, by its byte offset in the record: built once per
/// record type, so reading a row and writing JSON go straight to the stored value, with no
/// `Decoder`, `Encoder` or key path per column. The common column types get closures written
/// for their concrete type; others go through the generic ones.
struct ColumnAccessor: Sendable {
    /// The concrete types the JSON writer handles without a closure call.
    enum Kind: Sendable {
        case string, optionalString, integer, optionalInteger, boolean, optionalBoolean, other
    }

    /// Where the value is in the record.
    let offset: Int
    /// Its type, for the writer's fast path.
    let kind: Kind
    /// Sets the column (record memory, SQL value).
    let read: @Sendable (UnsafeMutableRawPointer, SQLValue) -> Void
    /// Writes the column's value as JSON.
    let json: @Sendable (UnsafeRawPointer, inout [UInt8]) -> Void
    /// The column's value for a statement.
    let sql: @Sendable (UnsafeRawPointer) -> SQLValue

    static func make<Value: ColumnValue>(_ type: Value.Type, offset: Int) -> ColumnAccessor {
        if Value.self == String.self { return concrete(String.self, .string, offset: offset) }
        if Value.self == String?.self { return concrete(String?.self, .optionalString, offset: offset) }
        if Value.self == Int64.self { return concrete(Int64.self, .integer, offset: offset) }
        if Value.self == Int64?.self { return concrete(Int64?.self, .optionalInteger, offset: offset) }
        if Value.self == Bool?.self { return concrete(Bool?.self, .optionalBoolean, offset: offset) }
        if Value.self == Bool.self { return concrete(Bool.self, .boolean, offset: offset) }
        return concrete(Value.self, .other, offset: offset)
    }

    /// The closures for `Value`; specialized by the compiler for the types `make` names.
    @inline(__always)
    private static func concrete<Value: ColumnValue>(_ type: Value.Type, _ kind: Kind, offset: Int) -> ColumnAccessor {
        ColumnAccessor(
            offset: offset, kind: kind,
            read: { base, value in (base + offset).assumingMemoryBound(to: Value.self).pointee = Value.fromSQL(value) },
            json: { base, bytes in (base + offset).assumingMemoryBound(to: Value.self).pointee.writeJSON(into: &bytes)
            },
            sql: { base in (base + offset).assumingMemoryBound(to: Value.self).pointee.sqlValue })
    }

    /// Writes the value at `base` as JSON: the common types inline, the others through ``json``.
    @inline(__always)
    func write(_ base: UnsafeRawPointer, into out: inout [UInt8]) {
        let field = base + offset
        switch kind {
        case .string: JSONValue.writeString(field.assumingMemoryBound(to: String.self).pointee, into: &out)
        case .optionalString:
            if let text = field.assumingMemoryBound(to: String?.self).pointee {
                JSONValue.writeString(text, into: &out)
            } else {
                out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            }
        case .integer: JSONValue.int(field.assumingMemoryBound(to: Int64.self).pointee).write(into: &out)
        case .optionalInteger:
            if let number = field.assumingMemoryBound(to: Int64?.self).pointee {
                JSONValue.int(number).write(into: &out)
            } else {
                out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            }
        case .boolean:
            out.append(
                contentsOf: field.assumingMemoryBound(to: Bool.self).pointee
                    ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .optionalBoolean:
            switch field.assumingMemoryBound(to: Bool?.self).pointee {
            case true?: out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
            case false?: out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
            case nil: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            }
        case .other: json(base, &out)
        }
    }
}
