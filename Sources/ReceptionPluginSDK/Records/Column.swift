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
    /// What the declaration says.
    public let spec: ColumnSpec

    /// Declares a column.
    public init(
        _ description: String? = nil, column: String? = nil, wire: WireVisibility = .shown,
        format: ParamFormat? = nil
    ) {
        wrappedValue = Value.emptyColumn
        spec = ColumnSpec(description: description, column: column, wire: wire, format: format)
    }

    /// Reads the column from a row (through the SDK's row decoder only).
    public init(from decoder: any Decoder) throws {
        guard let row = decoder as? RowFieldDecoder else {
            throw RPCError.internalError("@Column fields are read by the SDK's row decoder only")
        }
        wrappedValue = Value.fromSQL(row.value)
        spec = ColumnSpec.unread
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

    /// The spec a decoded column carries (the layout keeps the declared ones).
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
    var spec: ColumnSpec { get }
    var jsonType: String { get }
    var isNullable: Bool { get }
}

extension Column: ColumnField {
    var jsonType: String { Value.jsonType }
    var isNullable: Bool { Value.isNullable }
}
