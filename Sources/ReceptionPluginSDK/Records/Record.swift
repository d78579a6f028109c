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
        let decoder = RowDecoder(row: row, layout: RecordLayout.of(Self.self))
        do {
            try self.init(from: decoder)
        } catch {
            // Cannot happen: the row decoder never throws for @Column fields.
            self.init()
        }
    }

    /// The records in `rows`.
    public static func rows(_ rows: [Row]) -> [Self] { rows.map(Self.init(row:)) }

    /// The record as compact JSON bytes, members sorted. `showPrivate` includes the
    /// ``WireVisibility/adminOnly`` members; `replacing` sets members (new or declared) to values
    /// computed by the caller (a status that depends on today).
    public func jsonBytes(showPrivate: Bool = false, replacing: [String: JSONValue] = [:]) -> [UInt8] {
        let layout = RecordLayout.of(Self.self)
        let sink = RecordFieldSink(mode: .json(capacity: layout.count * 24))
        do {
            try encode(to: sink)
        } catch {
            return Array("{}".utf8)
        }
        return layout.assemble(sink, showPrivate: showPrivate, replacing: replacing)
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
        let sink = RecordFieldSink(mode: .sql)
        do {
            try encode(to: sink)
        } catch {
            throw SQLiteError(code: 1, message: "\(Self.self) could not be read for insert", sql: "")
        }
        var names: [String] = []
        var values: [any SQLBindable] = []
        for (index, value) in sink.values.enumerated() {
            if index == layout.idIndex, value == .integer(0) { continue }
            names.append(layout.columns[index])
            values.append(value)
        }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return try db.insert(
            "INSERT INTO \(Self.table) (\(names.joined(separator: ", "))) VALUES (\(placeholders))", values)
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
    /// Declaration indexes in wire-name order.
    let sorted: [Int]
    /// The declaration index of the `id` column, if there is one.
    let idIndex: Int?
    /// `columns` joined for a SELECT.
    let selectList: String
    /// The record's schema.
    let schema: JSONValue

    /// The number of columns.
    var count: Int { names.count }

    private static let cache = Mutex<[ObjectIdentifier: RecordLayout]>([:])

    /// The layout of `type`, built on first use.
    static func of<R: Record>(_ type: R.Type) -> RecordLayout {
        let key = ObjectIdentifier(type)
        if let layout = cache.withLock({ $0[key] }) { return layout }
        let layout = RecordLayout(prototype: R())
        cache.withLock { $0[key] = layout }
        return layout
    }

    private init(prototype: some Record) {
        var names: [String] = []
        var columns: [String] = []
        var visibility: [WireVisibility] = []
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        for child in Mirror(reflecting: prototype).children {
            guard let label = child.label, let field = child.value as? any ColumnField else { continue }
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            names.append(name)
            columns.append(field.spec.column ?? Self.snakeCase(name))
            visibility.append(field.spec.wire)
            guard field.spec.wire != .hidden else { continue }
            var member: [String: JSONValue] = [
                "type": field.isNullable ? .array([.string(field.jsonType), "null"]) : .string(field.jsonType)
            ]
            if let description = field.spec.description { member["description"] = .string(description) }
            if let format = field.spec.format { member["format"] = .string(format.rawValue) }
            properties[name] = .object(member)
            if field.spec.wire == .shown { required.append(.string(name)) }
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
        self.sorted = names.indices.sorted { names[$0] < names[$1] }
        self.idIndex = names.firstIndex(of: "id")
        self.selectList = columns.joined(separator: ", ")
        self.schema = ["type": "object", "properties": .object(properties), "required": .array(required)]
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

    /// The object from the members a sink collected, in wire-name order, with `replacing` merged in.
    func assemble(_ sink: RecordFieldSink, showPrivate: Bool, replacing: [String: JSONValue]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sink.buffer.count + keyBytes.count * 16 + 2)
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
            if !replacing.isEmpty, let value = replacing[names[index]] {
                value.write(into: &out)
            } else {
                let range = sink.ranges[index]
                out.append(contentsOf: sink.buffer[range])
            }
        }
        if !extras.isEmpty { writeExtras(before: nil) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
