/// A type a `@Column` can have: how it reads from SQLite, binds back, and is written as JSON.
///
/// The SDK provides `String`, `Int64`, `Int`, `Bool` (stored 0/1), `Double` and `Optional` of these.
public protocol ColumnValue: Sendable, SQLBindable {
    /// The value a prototype holds, and what SQL `NULL` reads as in a non-optional column.
    static var emptyColumn: Self { get }
    /// The value stored in a column.
    static func fromSQL(_ value: SQLValue) -> Self
    /// Writes the value as compact JSON.
    func writeJSON(into bytes: inout [UInt8])
    /// The JSON schema type (`string`, `integer`, `boolean`, `number`).
    static var jsonType: String { get }
    /// Whether the member may be `null`.
    static var isNullable: Bool { get }
}

extension ColumnValue {
    /// Not nullable.
    public static var isNullable: Bool { false }
}

extension String: ColumnValue {
    public static var emptyColumn: String { "" }
    public static func fromSQL(_ value: SQLValue) -> String { value.string ?? "" }
    public func writeJSON(into bytes: inout [UInt8]) { JSONValue.writeString(self, into: &bytes) }
    public static var jsonType: String { "string" }
}

extension Int64: ColumnValue {
    public static var emptyColumn: Int64 { 0 }
    public static func fromSQL(_ value: SQLValue) -> Int64 { value.int ?? 0 }
    public func writeJSON(into bytes: inout [UInt8]) { JSONValue.int(self).write(into: &bytes) }
    public static var jsonType: String { "integer" }
}

extension Int: ColumnValue {
    public static var emptyColumn: Int { 0 }
    public static func fromSQL(_ value: SQLValue) -> Int { Int(value.int ?? 0) }
    public func writeJSON(into bytes: inout [UInt8]) { JSONValue.int(Int64(self)).write(into: &bytes) }
    public static var jsonType: String { "integer" }
}

extension Bool: ColumnValue {
    public static var emptyColumn: Bool { false }
    public static func fromSQL(_ value: SQLValue) -> Bool { (value.int ?? 0) != 0 }
    public func writeJSON(into bytes: inout [UInt8]) { JSONValue.bool(self).write(into: &bytes) }
    public static var jsonType: String { "boolean" }
}

extension Double: ColumnValue {
    public static var emptyColumn: Double { 0 }
    public static func fromSQL(_ value: SQLValue) -> Double { value.double ?? 0 }
    public func writeJSON(into bytes: inout [UInt8]) { JSONValue.double(self).write(into: &bytes) }
    public static var jsonType: String { "number" }
}

extension Optional: ColumnValue where Wrapped: ColumnValue {
    public static var emptyColumn: Wrapped? { nil }
    public static func fromSQL(_ value: SQLValue) -> Wrapped? {
        value == .null ? nil : Wrapped.fromSQL(value)
    }
    public func writeJSON(into bytes: inout [UInt8]) {
        if let value = self {
            value.writeJSON(into: &bytes)
        } else {
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        }
    }
    public static var jsonType: String { Wrapped.jsonType }
    public static var isNullable: Bool { true }
}
