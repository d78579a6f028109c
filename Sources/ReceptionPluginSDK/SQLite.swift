import GRDBSQLite

/// A value bound to or read from SQLite.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The integer, or `nil`.
    public var int: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
    /// The text, or `nil`.
    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }
    /// The real (or integer as real), or `nil`.
    public var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

/// Values that bind as SQL parameters.
public protocol SQLBindable {
    /// The SQL value.
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// The column names of one result and a name-to-index map, built once per statement and shared
/// by every row of its results.
final class ColumnLayout: Sendable {
    /// Column names in result order.
    let names: [String]
    /// The index of each name (the first column, if a name repeats).
    let indices: [String: Int]

    init(names: [String]) {
        self.names = names
        var indices: [String: Int] = [:]
        indices.reserveCapacity(names.count)
        for (index, name) in names.enumerated() where indices[name] == nil { indices[name] = index }
        self.indices = indices
    }

    /// The result columns of `statement` as currently prepared.
    convenience init(statement: OpaquePointer) {
        let count = sqlite3_column_count(statement)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        for index in 0..<count {
            names.append(sqlite3_column_name(statement, index).map { String(cString: $0) } ?? "")
        }
        self.init(names: names)
    }
}

/// One result row, by column name.
public struct Row: Sendable {
    /// The result's columns, shared by all its rows.
    let layout: ColumnLayout
    /// Values in result order.
    public let values: [SQLValue]

    init(layout: ColumnLayout, values: [SQLValue]) {
        self.layout = layout
        self.values = values
    }

    init(columns: [String], values: [SQLValue]) {
        self.init(layout: ColumnLayout(names: columns), values: values)
    }

    /// Column names in result order.
    public var columns: [String] { layout.names }

    /// The value of the named column (`.null` if there is no such column).
    public subscript(_ column: String) -> SQLValue {
        guard let index = layout.indices[column], index < values.count else { return .null }
        return values[index]
    }
    /// The named column as text.
    public func string(_ column: String) -> String? { self[column].string }
    /// The named column as an integer.
    public func int(_ column: String) -> Int64? { self[column].int }
}

/// A SQLite failure: the result code and SQLite's message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code.
    public let code: Int32
    /// sqlite3_errmsg at the time of failure.
    public let message: String
    /// The statement, for logs.
    public let sql: String

    /// Whether this is a constraint violation (UNIQUE, CHECK, FOREIGN KEY...).
    public var isConstraint: Bool { code & 0xff == SQLITE_CONSTRAINT }

    public var description: String { "SQLite error \(code): \(message)" }

    /// The protocol error. A CHECK or NOT NULL failure is a value the table does not accept:
    /// `validation` naming the field (the column in lowerCamelCase: `id_last4` is `idLast4`).
    /// Other constraint failures (UNIQUE, FOREIGN KEY) clash with stored state: `conflict`.
    /// Everything else is `storage`.
    public var rpcError: RPCError {
        guard isConstraint else { return RPCError(.storage, "storage error: \(message)") }
        if code == Self.constraintCheck || code == Self.constraintNotNull,
            let column = ConstraintMessage.column(message)
        {
            let field = ConstraintMessage.wireName(column)
            if code == Self.constraintNotNull {
                return RPCError.validation(field: field, "\(field) is required").localized("zh", "缺少 \(field)（必填）")
            }
            return RPCError.validation(
                field: field,
                "\(field) has a value the store does not accept (rule: \(ConstraintMessage.rule(message)))")
        }
        return RPCError(.conflict, "conflict: \(message)")
    }

    /// SQLITE_CONSTRAINT_CHECK.
    static let constraintCheck: Int32 = 275
    /// SQLITE_CONSTRAINT_NOTNULL.
    static let constraintNotNull: Int32 = 1299
}

/// Reads the column out of SQLite's constraint messages, which are the only place it is given:
/// `CHECK constraint failed: <expression or constraint name>` and
/// `NOT NULL constraint failed: <table>.<column>`. For a CHECK, the column is the first name in
/// the expression that is neither a keyword nor a function (`id_last4` in
/// `id_last4 IS NULL OR length(id_last4) = 4`); a constraint with a name is reported by its name,
/// so name a constraint after its column.
enum ConstraintMessage {
    /// What SQLite says after the colon.
    static func rule(_ message: String) -> String {
        guard let colon = message.firstIndex(of: ":") else { return message }
        return message[message.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The column a CHECK or NOT NULL message is about, or `nil` when none can be read.
    static func column(_ message: String) -> String? {
        let rule = rule(message)
        if message.hasPrefix("NOT NULL") {
            let column = rule.split(separator: ".").last.map(String.init) ?? rule
            return column.isEmpty ? nil : column
        }
        let scalars = Array(rule.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "'" || scalar == "\"" {  // a literal or a quoted name: skip it
                let quote = scalar
                index += 1
                while index < scalars.count, scalars[index] != quote { index += 1 }
                index += 1
                continue
            }
            guard isNameStart(scalar) else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count, isNameStart(scalars[index]) || ("0"..."9").contains(scalars[index]) {
                index += 1
            }
            let name = String(String.UnicodeScalarView(scalars[start..<index]))
            var next = index
            while next < scalars.count, scalars[next] == " " { next += 1 }
            let isFunction = next < scalars.count && scalars[next] == "("
            if !isFunction, !keywords.contains(name.uppercased()) { return name }
        }
        return nil
    }

    /// `id_last4` → `idLast4`: the wire's spelling of a column.
    static func wireName(_ column: String) -> String {
        let parts = column.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return column }
        return parts.dropFirst().reduce(String(first)) { name, part in
            name + part.prefix(1).uppercased() + part.dropFirst()
        }
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    /// SQL words that can appear in a CHECK expression and are not column names.
    private static let keywords: Set<String> = [
        "IS", "NOT", "NULL", "OR", "AND", "IN", "LIKE", "GLOB", "REGEXP", "MATCH", "ESCAPE", "BETWEEN", "CASE",
        "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "COLLATE", "TRUE", "FALSE", "EXISTS", "NOCASE", "BINARY",
        "RTRIM",
    ]
}

/// A small safe layer over a SQLite connection the host lent for the current call.
///
/// Valid only during the call it came with: never keep it. Statements are prepared once per
/// connection and SQL text and reused (see `StatementCache`): after every use, also when a
/// handler throws, the statement is reset and its bindings cleared, so it holds no transaction
/// open and no statement stays active between uses. Build SQL text from a bounded set of
/// fragments and pass values as `?` arguments: text that varies with the values fills the cache
/// (past its bound statements are prepared and finalized for each use, which is slower).
public struct SQLiteConnection {
    let handle: OpaquePointer

    /// Wraps a connection the host lent (the daemon's, or the testing kit's).
    @_spi(Runtime)
    public init(handle: OpaquePointer) { self.handle = handle }

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL).
    public func execute(_ sql: String, _ arguments: [any SQLBindable] = []) throws(SQLiteError) {
        try withStatement(sql, arguments) { lease throws(SQLiteError) in
            while try step(lease.statement, sql) {}
        }
    }

    /// Runs an INSERT and returns the new row's id (how that is read is the SDK's business: a
    /// PostgreSQL store would use `RETURNING id`).
    @discardableResult
    public func insert(_ sql: String, _ arguments: [any SQLBindable] = []) throws(SQLiteError) -> Int64 {
        try execute(sql, arguments)
        return sqlite3_last_insert_rowid(handle)
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ arguments: [any SQLBindable] = []) throws(SQLiteError) -> [Row] {
        try withStatement(sql, arguments) { lease throws(SQLiteError) in
            let statement = lease.statement
            guard try step(statement, sql) else { return [] }
            // Read the columns after the first step: a schema change re-prepares the statement
            // there, and may change what `SELECT *` returns.
            let layout = lease.layout()
            let count = Int32(layout.names.count)
            var rows: [Row] = []
            repeat {
                var values: [SQLValue] = []
                values.reserveCapacity(Int(count))
                for index in 0..<count { values.append(column(statement, index)) }
                rows.append(Row(layout: layout, values: values))
            } while try step(statement, sql)
            return rows
        }
    }

    /// Runs a query and returns its first row, if any.
    public func queryOne(_ sql: String, _ arguments: [any SQLBindable] = []) throws(SQLiteError) -> Row? {
        try query(sql, arguments).first
    }

    /// Runs several `;`-separated statements without parameters (migrations). Not cached.
    public func executeScript(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql) }
    }

    /// Finalizes the statements the SDK keeps on this connection: call before closing a
    /// connection you opened yourself (the testing kit does).
    @_spi(Runtime)
    public func finalizeStatements() { StatementCache.finalize(connection: handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    private func withStatement<T>(
        _ sql: String, _ arguments: [any SQLBindable], _ body: (StatementLease) throws(SQLiteError) -> T
    ) throws(SQLiteError) -> T {
        if PortableSQL.isEnforced(on: handle) { try PortableSQL.check(sql) }
        let lease = try StatementCache.acquire(handle, sql)
        // Always: a statement left stepped keeps a read transaction open (or the writer's
        // statement active), and its bindings would keep copies of the arguments alive.
        defer { StatementCache.release(lease) }
        let statement = lease.statement
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == arguments.count else {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "statement takes \(expected) arguments, \(arguments.count) given", sql: sql
            )
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let bound: Int32
            switch argument.sqlValue {
            case .null: bound = sqlite3_bind_null(statement, index)
            case .integer(let value): bound = sqlite3_bind_int64(statement, index, value)
            case .real(let value): bound = sqlite3_bind_double(statement, index, value)
            case .text(let value):
                // With its byte length, so a string holding U+0000 is stored whole.
                var text = value
                bound = text.withUTF8 { buffer in
                    guard let base = buffer.baseAddress, buffer.count > 0 else {
                        return sqlite3_bind_text(statement, index, "", 0, SQLITE_TRANSIENT)
                    }
                    return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        sqlite3_bind_text(statement, index, $0, Int32(buffer.count), SQLITE_TRANSIENT)
                    }
                }
            case .blob(let bytes):
                bound = bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), SQLITE_TRANSIENT)
                }
            }
            guard bound == SQLITE_OK else { throw error(bound, sql) }
        }
        return try body(lease)
    }

    private func step(_ statement: OpaquePointer, _ sql: String) throws(SQLiteError) -> Bool {
        let code = sqlite3_step(statement)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(code, sql)
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            // Text first, then its length (SQLite's documented order); by length, so a stored
            // U+0000 comes back whole.
            guard let text = sqlite3_column_text(statement, index) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let blob = sqlite3_column_blob(statement, index), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default: return .null
        }
    }

    private func error(_ code: Int32, _ sql: String) -> SQLiteError {
        let message = sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error"
        return SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
    }
}

/// SQLite's SQLITE_TRANSIENT destructor (a macro C cannot export to Swift): copy bound bytes now.
private let SQLITE_TRANSIENT = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)
