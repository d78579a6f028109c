import Foundation
import GRDBSQLite
import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

/// A record declared once: its columns, its JSON (sorted, every member, `null` when empty), its
/// schema and its insert all come from the `@Column` properties.
@Suite("SDK records declared once")
struct RecordTests {
    struct Pass: Record {
        static let table = "passes"
        @Column var id: Int64
        @Column("The card's number") var number: String
        @Column var holderName: String
        @Column(wire: .adminOnly) var idNumber: String?
        @Column var idLast4: String?
        @Column(format: .money) var deposit: Int64
        @Column var active: Bool
        @Column(wire: .hidden) var issuedMs: Int64
    }

    static func sample() -> Pass {
        var pass = Pass()
        pass.id = 7
        pass.number = "T000001"
        pass.holderName = "李娜"
        pass.idNumber = "11010119900307123X"
        pass.idLast4 = "123X"
        pass.deposit = 1000
        pass.active = true
        pass.issuedMs = 1_764_986_400_000
        return pass
    }

    @Test("the JSON has every shown member in sorted order, null when empty, and no hidden or admin-only member")
    func json() {
        var pass = Self.sample()
        pass.idLast4 = nil
        let text = String(decoding: pass.jsonBytes(), as: UTF8.self)
        #expect(
            text
                == #"{"active":true,"deposit":1000,"holderName":"李娜","id":7,"idLast4":null,"number":"T000001"}"#)
        #expect(text == pass.jsonValue().serialized())
    }

    @Test("admins see admin-only members; replacing sets a declared member or adds one in sorted place")
    func privateAndReplacing() {
        let pass = Self.sample()
        let admin = String(decoding: pass.jsonBytes(showPrivate: true), as: UTF8.self)
        #expect(admin.contains(#""idLast4":"123X","idNumber":"11010119900307123X","number""#))
        let shown = pass.jsonValue(replacing: ["active": false, "expired": true, "zone": "B"])
        #expect(
            shown.serialized()
                == #"{"active":false,"deposit":1000,"expired":true,"holderName":"李娜","id":7,"idLast4":"123X","number":"T000001","zone":"B"}"#
        )
    }

    @Test("rows are read and JSON written straight into the stored properties (by offset), not through a Decoder per column")
    func keyPathAccess() {
        #expect(RecordLayout.of(Pass.self).access is RecordAccess<Pass>)
        #expect((RecordLayout.of(Pass.self).access as? RecordAccess<Pass>)?.fields.count == 8)
    }

    /// A record that shows itself differently to `Mirror` (to mask a number in logs, say).
    struct Masked: Record, CustomReflectable {
        static let table = "masked"
        @Column var name: String
        @Column var visits: Int64
        var customMirror: Mirror { Mirror(self, children: ["visits": visits, "name": "****"]) }
    }

    /// Not a record: a stored property that is not a @Column.
    struct Stray: Record {
        static let table = "stray"
        @Column var name: String
        var cachedLabel = ""
    }

    @Test("a record is laid out from the runtime's list of stored properties, whatever its Mirror says")
    func customMirror() {
        var record = Masked()
        record.name = "李娜"
        record.visits = 3
        #expect(String(decoding: record.jsonBytes(), as: UTF8.self) == #"{"name":"李娜","visits":3}"#)
        #expect(Masked.columns == "name, visits")
        let row = Row(columns: ["name", "visits"], values: [.text("王芳"), .integer(7)])
        #expect(Masked(row: row).name == "王芳")
        #expect(Masked(row: row).visits == 7)
    }

    @Test("a stored property that is not a @Column makes the type not a record, saying which property")
    func strayProperty() {
        let problem = RecordLayout.of(Stray.self).problem
        #expect(problem?.contains("cachedLabel") == true, "\(problem ?? "no problem")")
    }

    @Test("columns are the snake_case of the properties, in declaration order")
    func columns() {
        #expect(Pass.columns == "id, number, holder_name, id_number, id_last4, deposit, active, issued_ms")
        #expect(RecordLayout.snakeCase("damageNote") == "damage_note")
    }

    @Test("the schema lists the members clients see, with types, formats and nullability")
    func schema() {
        let schema = Pass.schema
        #expect(schema["properties"]?["deposit"]?["format"] == "money")
        #expect(schema["properties"]?["idLast4"]?["type"] == ["string", "null"])
        #expect(schema["properties"]?["issuedMs"] == nil)
        #expect(schema["properties"]?["idNumber"] != nil)
        #expect(schema["required"]?.arrayValue?.contains("idNumber") == false)
        #expect(schema["properties"]?["number"]?["description"] == "The card's number")
    }

    @Test("insert stores every column (the id from the database) and a row reads back the same record")
    func insertAndRead() throws {
        try withMemoryDatabase { db in
            try db.executeScript(
                """
                CREATE TABLE passes (id INTEGER PRIMARY KEY, number TEXT NOT NULL, holder_name TEXT NOT NULL,
                    id_number TEXT, id_last4 TEXT, deposit INTEGER NOT NULL, active INTEGER NOT NULL,
                    issued_ms INTEGER NOT NULL)
                """)
            var pass = Self.sample()
            pass.id = 0
            let id = try pass.insert(into: db)
            #expect(id == 1)
            pass.id = id
            let rows = try db.query("SELECT \(Pass.columns) FROM passes")
            let read = try #require(Pass.rows(rows).first)
            #expect(read.jsonBytes(showPrivate: true) == pass.jsonBytes(showPrivate: true))
            #expect(read.issuedMs == 1_764_986_400_000)
            // A row selected another way is read by column name; a missing column reads as NULL.
            let other = try #require(try db.queryOne("SELECT deposit, number, id FROM passes"))
            let partial = Pass(row: other)
            #expect(partial.number == "T000001")
            #expect(partial.deposit == 1000)
            #expect(partial.idNumber == nil)
        }
    }
}

/// Plugin SQL stays portable: the testing kit refuses SQLite-only constructs.
@Suite("Portable SQL")
struct PortableSQLTests {
    @Test(
        "SQLite-only constructs are refused with a message naming them",
        arguments: [
            "SELECT ifnull(a, 0) FROM t", "SELECT total(a) FROM t", "INSERT OR REPLACE INTO t VALUES (1)",
            "SELECT rowid FROM t", "PRAGMA user_version", "SELECT 1 FROM t INDEXED BY t_a",
            "SELECT group_concat(a) FROM t",
        ])
    func refused(sql: String) {
        #expect(throws: SQLiteError.self) { try PortableSQL.check(sql) }
    }

    @Test(
        "what PostgreSQL also runs passes",
        arguments: [
            "SELECT coalesce(sum(CASE WHEN status IN ('held','notified') THEN 1 ELSE 0 END), 0) AS held FROM t",
            "INSERT INTO access_counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1",
            "SELECT id, date, operation FROM access_ledger WHERE date >= ? AND date <= ? ORDER BY date, id LIMIT ?",
        ])
    func allowed(sql: String) throws {
        try PortableSQL.check(sql)
    }
}
