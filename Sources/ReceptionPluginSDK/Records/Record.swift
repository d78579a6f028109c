@_spi(Reflection) import Swift
import Synchronization

/// A stored record, its columns declared once as `@Column` properties. Reading a row, writing
/// the record as JSON (members in sorted order, every one present, `null` when empty), inserting
/// it, and its schema for clients all come from that declaration.
///
/// ```swift
/// struct Note: Record {
///     static let table = "example_notes"
///     @Column var id: Int64
///     @Column("What was noted") var text: String
///     @Column var author: String?
/// }
///
/// let notes = Note.rows(try db.query("SELECT \(Note.columns) FROM example_notes"))
/// return notes[0].json                    // {"author":null,"id":1,"text":"..."}
/// ```
///
/// Every stored property must be a `@Column`. A column named `id` is the row id: ``insert(into:)``
/// leaves it to the database when it is 0 and returns the new one. Write any initializer of your
/// own in an extension: one inside the struct removes the implicit `init()` the protocol needs.
///
/// A row is read by position when it was selected with ``columns``, else by column name: two
/// records from one joined row need their columns aliased apart (or two queries).
public protocol Record: Codable, Sendable {
    /// The table the record lives in.
    static var table: String { get }
    /// The prototype: every column at its declaration.
    init()
}

extension Record {
    /// The select list of every column, in declaration order (`id, code, kind, ...`).
    public static var columns: String { RecordLayout.of(Self.self).selectList }

    /// The record in `row` (columns found by position when the row was selected with
    /// ``columns``, else by name; a missing column reads as `NULL`).
    public init(row: Row) {
        let layout = RecordLayout.of(Self.self)
        if let access = layout.access as? RecordAccess<Self> {
            self = access.read(row, positions: layout.positions(in: row.layout))
            return
        }
        do {
            try self.init(from: RowDecoder(row: row, layout: layout))
        } catch {
            // Cannot happen: the row decoder never throws for @Column fields.
            self.init()
        }
    }

    /// The records in `rows` (the columns are located once for all of them).
    public static func rows(_ rows: [Row]) -> [Self] {
        let layout = RecordLayout.of(Self.self)
        guard let first = rows.first, let access = layout.access as? RecordAccess<Self> else {
            return rows.map(Self.init(row:))
        }
        let positions = layout.positions(in: first.layout)
        return rows.map { row in
            row.layout === first.layout
                ? access.read(row, positions: positions) : access.read(row, positions: layout.positions(in: row.layout))
        }
    }

    /// The record as compact JSON bytes, members sorted. `showPrivate` includes the
    /// ``WireVisibility/adminOnly`` members; `replacing` sets members (new or declared) to values
    /// computed by the caller (a status that depends on today).
    public func jsonBytes(showPrivate: Bool = false, replacing: [String: JSONValue] = [:]) -> [UInt8] {
        let layout = RecordLayout.of(Self.self)
        if let access = layout.access as? RecordAccess<Self> {
            return withUnsafeBytes(of: self) { record in
                guard let base = record.baseAddress else { return Array("{}".utf8) }
                if replacing.isEmpty { return layout.writeFast(access.fields, base: base, showPrivate: showPrivate) }
                return layout.assemble(showPrivate: showPrivate, replacing: replacing) { index, out in
                    access.fields[index].write(base, into: &out)
                }
            }
        }
        let sink = RecordFieldSink(mode: .json(capacity: layout.count * 24))
        do {
            try encode(to: sink)
        } catch {
            return Array("{}".utf8)
        }
        return layout.assemble(showPrivate: showPrivate, replacing: replacing) { index, out in
            out.append(contentsOf: sink.buffer[sink.ranges[index]])
        }
    }

    /// The record as a result or event body (members sorted, as written by ``jsonBytes(showPrivate:replacing:)``).
    public var json: RawJSON { RawJSON(bytes: jsonBytes()) }

    /// The record as a JSON value, for results that add members around it.
    public func jsonValue(showPrivate: Bool = false, replacing: [String: JSONValue] = [:]) -> JSONValue {
        (try? JSONValue.parse(jsonBytes(showPrivate: showPrivate, replacing: replacing))) ?? .null
    }

    /// The record's JSON schema for clients: every member shown on the wire, its type, format
    /// and description.
    public static var schema: JSONValue { RecordLayout.of(Self.self).schema }

    /// Inserts the record into ``table``; returns its row id.
    @discardableResult
    public func insert(into db: SQLiteConnection) throws(SQLiteError) -> Int64 {
        let layout = RecordLayout.of(Self.self)
        let columnValues: [SQLValue]
        if let access = layout.access as? RecordAccess<Self> {
            columnValues = withUnsafeBytes(of: self) { record in
                guard let base = record.baseAddress else { return [] }
                return access.fields.map { $0.sql(base) }
            }
        } else {
            let sink = RecordFieldSink(mode: .sql)
            do {
                try encode(to: sink)
            } catch {
                throw SQLiteError(code: 1, message: "\(Self.self) could not be read for insert", sql: "")
            }
            columnValues = sink.values
        }
        if let problem = layout.problem {
            throw SQLiteError(code: 1, message: problem, sql: "INSERT INTO \(Self.table)")
        }
        var values: [any SQLBindable] = []
        values.reserveCapacity(layout.columns.count)
        var skippedID = false
        for (index, value) in columnValues.enumerated() where index < layout.columns.count {
            if index == layout.idIndex, value == .integer(0) {
                skippedID = true
                continue
            }
            values.append(value)
        }
        guard values.count == layout.columns.count - (skippedID ? 1 : 0) else {
            throw SQLiteError(
                code: 1, message: "\(Self.self) has fewer values than columns", sql: "INSERT INTO \(Self.table)")
        }
        return try db.insert(skippedID ? layout.insertSQL.withoutID : layout.insertSQL.all, values)
    }
}

/// The columns of one record type, read once off a prototype with `Mirror`.
final class RecordLayout: Sendable {
    /// Wire names, in declaration order.
    let names: [String]
    /// SQL columns, in declaration order.
    let columns: [String]
    /// Who sees each member.
    let visibility: [WireVisibility]
    /// `"name":` of each member, as JSON bytes.
    let keyBytes: [[UInt8]]
    /// The same, back to back, and each member's range in it.
    let flatKeys: [UInt8]
    let keyRanges: [Range<Int>]
    /// Declaration indexes in wire-name order.
    let sorted: [Int]
    /// The declaration index of the `id` column, if there is one.
    let idIndex: Int?
    /// `columns` joined for a SELECT.
    let selectList: String
    /// The record's INSERT with every column, and without the `id` column (a new row whose id
    /// SQLite assigns): written once, not joined again for every row.
    let insertSQL: (all: String, withoutID: String)
    /// The record's schema.
    let schema: JSONValue
    /// The typed accessors (a ``RecordAccess`` of the record type), or `nil` when the type is
    /// not a valid record (see ``problem``).
    let access: (any Sendable)?
    /// Why the type is not a valid record (a stored property that is not a `@Column`, a class),
    /// or `nil`. Methods declaring it as their `result` refuse the plugin at load; rows of it
    /// read as its prototype.
    let problem: String?

    /// The number of columns.
    var count: Int { names.count }

    /// The layouts built so far: a short list (a plugin has a handful of record types), searched
    /// without hashing, since every row and every JSON write looks its type up.
    private static let cache = TypeCache<RecordLayout>()

    /// The layout of `type`, built on first use.
    static func of<R: Record>(_ type: R.Type) -> RecordLayout {
        cache.value(for: type) { RecordLayout(prototype: R()) }
    }

    private init<R: Record>(prototype: R) {
        var names: [String] = []
        var columns: [String] = []
        var visibility: [WireVisibility] = []
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        // The stored properties as the runtime lists them (name, offset, type), not as a Mirror
        // shows them (a custom mirror may reorder or hide them).
        let stored = StoredColumns(of: prototype)
        self.problem = stored.problem
        for (name, field) in stored.fields.map({ ($0.name, $0.field) }) {
            names.append(name)
            columns.append(field.declaration.column ?? Self.snakeCase(name))
            visibility.append(field.declaration.wire)
            guard field.declaration.wire != .hidden else { continue }
            var member: [String: JSONValue] = [
                "type": field.isNullable ? .array([.string(field.jsonType), "null"]) : .string(field.jsonType)
            ]
            if let description = field.declaration.description { member["description"] = .string(description) }
            if let format = field.declaration.format { member["format"] = .string(format.rawValue) }
            properties[name] = .object(member)
            if field.declaration.wire == .shown { required.append(.string(name)) }
        }
        self.names = names
        self.columns = columns
        self.visibility = visibility
        self.keyBytes = names.map { name in
            var bytes: [UInt8] = []
            JSONValue.writeString(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
        var flatKeys: [UInt8] = []
        var keyRanges: [Range<Int>] = []
        for key in keyBytes {
            keyRanges.append(flatKeys.count..<flatKeys.count + key.count)
            flatKeys.append(contentsOf: key)
        }
        self.flatKeys = flatKeys
        self.keyRanges = keyRanges
        self.sorted = names.indices.sorted { names[$0] < names[$1] }
        self.idIndex = names.firstIndex(of: "id")
        self.selectList = columns.joined(separator: ", ")
        func insert(_ names: [String]) -> String {
            "INSERT INTO \(R.table) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
        }
        let idIndex = self.idIndex
        self.insertSQL = (
            insert(columns), insert(columns.enumerated().filter { $0.offset != idIndex }.map(\.element))
        )
        self.schema = ["type": "object", "properties": .object(properties), "required": .array(required)]
        self.access = stored.problem == nil ? RecordAccess(prototype: prototype, stored: stored) : nil
    }

    /// Where each column is in a row of `rowLayout`: at the same position when the row was
    /// selected with ``selectList``, else found by name (`nil`: not selected, reads as `NULL`).
    func positions(in rowLayout: ColumnLayout) -> [Int?] {
        let rowNames = rowLayout.names
        return columns.enumerated().map { index, column in
            index < rowNames.count && rowNames[index] == column ? index : rowLayout.indices[column]
        }
    }

    /// `damageNote` → `damage_note`, `idLast4` → `id_last4`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out.append("_")
                out.append(contentsOf: character.lowercased())
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The object without replacements, the hot path (a page of records): the keys come from one
    /// flat buffer and the values are written inline, with no closure or reference count per member.
    func writeFast(_ fields: [ColumnAccessor], base: UnsafeRawPointer, showPrivate: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(flatKeys.count + fields.count * 16 + 2)
        out.append(UInt8(ascii: "{"))
        var first = true
        flatKeys.withUnsafeBufferPointer { keys in
            fields.withUnsafeBufferPointer { fields in
                for index in sorted {
                    switch visibility[index] {
                    case .hidden: continue
                    case .adminOnly where !showPrivate: continue
                    default: break
                    }
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: keys[keyRanges[index]]))
                    fields[index].write(base, into: &out)
                }
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The object: each shown member in wire-name order, its value written by `value`
    /// (declaration index, output), with `replacing` merged in.
    func assemble(
        showPrivate: Bool, replacing: [String: JSONValue], value: (Int, inout [UInt8]) -> Void
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(keyBytes.count * 28 + 2)
        out.append(UInt8(ascii: "{"))
        var first = true
        var extras = replacing.isEmpty ? [] : replacing.keys.filter { !names.contains($0) }.sorted()[...]
        func comma() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
        }
        func writeExtras(before name: String?) {
            while let next = extras.first, name.map({ next < $0 }) ?? true {
                extras.removeFirst()
                comma()
                JSONValue.writeString(next, into: &out)
                out.append(UInt8(ascii: ":"))
                replacing[next]?.write(into: &out)
            }
        }
        for index in sorted {
            switch visibility[index] {
            case .hidden: continue
            case .adminOnly where !showPrivate: continue
            default: break
            }
            if !extras.isEmpty { writeExtras(before: names[index]) }
            comma()
            out.append(contentsOf: keyBytes[index])
            if !replacing.isEmpty, let replaced = replacing[names[index]] {
                replaced.write(into: &out)
            } else {
                value(index, &out)
            }
        }
        if !extras.isEmpty { writeExtras(before: nil) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// The typed accessors of one record type, in declaration order, and a blank record to read rows
/// into.
final class RecordAccess<R: Record>: Sendable {
    let fields: [ColumnAccessor]
    let blank: R

    /// The accessors of `R`'s columns, at the offsets the runtime gave.
    init(prototype: R, stored: StoredColumns) {
        let fields = stored.fields.compactMap { $0.field.accessor(offset: $0.offset) }
        // A blank record: every column empty and without its declaration (what the rows read into).
        var blank = prototype
        withUnsafeMutableBytes(of: &blank) { record in
            guard let base = record.baseAddress else { return }
            for field in stored.fields { field.field.clearer(offset: field.offset)(base) }
        }
        self.fields = fields
        self.blank = blank
    }

    /// The record in `row`, column `i` at `positions[i]`.
    func read(_ row: Row, positions: [Int?]) -> R {
        var record = blank
        let values = row.values
        withUnsafeMutableBytes(of: &record) { memory in
            guard let base = memory.baseAddress else { return }
            for (index, field) in fields.enumerated() {
                if let position = positions[index], position < values.count {
                    field.read(base, values[position])
                } else {
                    field.read(base, .null)
                }
            }
        }
        return record
    }
}

/// A record type's stored properties as the Swift runtime lists them: name, byte offset and the
/// prototype's `@Column` there. Every stored property must be a `@Column` of a struct; otherwise
/// ``problem`` says which is not.
struct StoredColumns {
    var fields: [(name: String, offset: Int, field: any ColumnField)] = []
    var problem: String?

    init<R: Record>(of prototype: R) {
        var fields: [(name: String, offset: Int, field: any ColumnField)] = []
        var problem: String?
        let listed = withUnsafeBytes(of: prototype) { memory -> Bool in
            guard let base = memory.baseAddress else { return false }
            return _forEachField(of: R.self) { name, offset, type, _ in
                let label = String(cString: name)
                guard let column = type as? any ColumnField.Type else {
                    problem = "\(R.self).\(label) is not a @Column: every stored property of a Record must be one"
                    return false
                }
                let property = label.hasPrefix("_") ? String(label.dropFirst()) : label
                fields.append((property, offset, column.stored(at: base + offset)))
                return true
            }
        }
        if problem == nil, !listed { problem = "\(R.self) is not a struct whose stored properties are @Columns" }
        if problem == nil, fields.isEmpty { problem = "\(R.self) has no @Column" }
        self.fields = problem == nil ? fields : []
        self.problem = problem
    }
}
