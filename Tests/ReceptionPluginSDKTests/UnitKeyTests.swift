import GRDBSQLite
import ReceptionProtocol
import Testing

@_spi(Runtime) @testable import ReceptionPluginSDK

/// `DeskText.unitKey`: one canonical form of a unit for every department, and the SQL that keys
/// rows stored before it.
@Suite("SDK unit keys")
struct UnitKeyTests {
    @Test(
        "The issue's four spellings of one unit, and the building words, give one key",
        arguments: [
            "3栋2单元1201", "３栋２单元１２０１", "3栋 2单元 1201", "3-2-1201", "3号楼2单元1201室", "3幢2单元1201号",
            "3/2/1201", "3－2－1201", "3 2 1201", " 3栋\u{3000}2单元\u{3000}1201 ", "3—2—1201", "3栋-2单元-1201室",
        ])
    func spellingsOfOneUnit(spelling: String) {
        #expect(DeskText.unitKey(spelling) == "3-2-1201")
    }

    @Test(
        "Letters are upper-cased and kept where they stand; leading zeros and other words are kept",
        arguments: [
            ("A座1201", "A-1201"), ("a座1201", "A-1201"), ("Ａ座１２０１", "A-1201"), ("B2-1201", "B2-1201"),
            ("b2 1201", "B2-1201"), ("B座2单元1201室", "B-2-1201"), ("03-2-0801", "03-2-0801"), ("3-2-801", "3-2-801"),
            ("1201室", "1201"), ("3楼", "3楼"), ("3号楼", "3"), ("单1", "单1"), ("12层1201", "12层1201"), ("室", ""),
            ("- / -", ""), ("", ""), ("3--2", "3-2"),
        ])
    func edgeCases(input: String, expected: String) {
        #expect(DeskText.unitKey(input) == expected)
    }

    @Test("Different units keep different keys")
    func differentUnitsDiffer() {
        #expect(DeskText.unitKey("3-2-1201") != DeskText.unitKey("3-2-1202"))
        #expect(DeskText.unitKey("3-2-1201") != DeskText.unitKey("32-1201"))
        #expect(DeskText.unitKey("03-2-1201") != DeskText.unitKey("3-2-1201"))
        #expect(DeskText.unitKey("B2-1201") != DeskText.unitKey("B-2-1201"))
    }

    @Test("A unit with nothing left is refused, naming the field")
    func emptyKeyIsRefused() throws {
        #expect(try DeskText.requiredUnitKey("３栋２单元１２０１", field: "unit") == "3-2-1201")
        let error = #expect(throws: RPCError.self) { try DeskText.requiredUnitKey("室", field: "unit") }
        #expect(error?.message.contains("unit") == true)
        #expect(error?.message.contains("names no building, entrance or room") == true)
    }

    @Test("The migration's SQL gives exactly the Swift key, for many random texts in the units' repertoire")
    func sqlAgreesWithSwift() throws {
        try withMemoryDatabase { db in
            let passes = DeskText.unitKeySQLPasses().map { "SELECT \($0("?")) AS key" }
            #expect(passes.count > 1, "the rewriting is split into passes SQLite's parser takes")
            let pieces: [String] = [
                "3", "0", "1201", "a", "B", "Ａ", "ｂ", "３", "－", "／", "-", "/", " ", "栋", "幢", "座", "号", "楼", "号楼",
                "单", "元", "单元", "室", "层", "李", "㐀", "'", "＇", "（", "—", "\u{2212}", "#", "\u{3000}",
            ]
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<3_000 {
                let count = Int.random(in: 0...10, using: &generator)
                // Stored units are normalized first (white space folded), as parcels.receive stores them.
                let text = DeskText.normalize(
                    (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined())
                var key: String? = text
                for pass in passes { key = try db.queryOne(pass, [key ?? ""])?.string("key") }
                #expect(key == DeskText.unitKey(text), "for \(text)")
            }
        }
    }

    @Test("The backfill statements key every row of a table, as the Swift key does")
    func backfillKeysStoredRows() throws {
        try withMemoryDatabase { db in
            let units = ["3栋2单元1201", "３栋２单元１２０１", "3栋 2单元 1201", "3-2-1201", "ａ座1201室", "B2－1201", "03-2-0801"]
            try db.executeScript("CREATE TABLE items (id INTEGER PRIMARY KEY, unit TEXT NOT NULL, unit_key TEXT)")
            for unit in units { try db.execute("INSERT INTO items (unit) VALUES (?)", [unit]) }
            try db.executeScript(DeskText.unitKeyBackfillSQL(table: "items", source: "unit", key: "unit_key"))
            let keys = try db.query("SELECT unit_key FROM items ORDER BY id").map { $0.string("unit_key") }
            #expect(keys == units.map { DeskText.unitKey($0) })
            #expect(keys == ["3-2-1201", "3-2-1201", "3-2-1201", "3-2-1201", "A-1201", "B2-1201", "03-2-0801"])
        }
    }
}
