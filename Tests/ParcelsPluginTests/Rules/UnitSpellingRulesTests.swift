import Foundation
import GRDBSQLite
@_spi(Runtime) import ReceptionPluginSDK
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// Units are matched by their canonical key (`DeskText.unitKey`), in-process: however the unit
/// was typed at intake and however it is typed at the counter, the same items are found, and
/// the item still shows the unit as it was typed.
@Suite("parcels rules: one unit, many spellings")
struct UnitSpellingRulesTests {
    /// The four spellings of one unit.
    static let spellings = ["3栋2单元1201", "３栋２单元１２０１", "3栋 2单元 1201", "3-2-1201"]

    @Test("Items signed for under each spelling are all found by parcels.pending under every spelling, oldest first")
    func pendingFindsEverySpelling() throws {
        let desk = try ParcelsHarness.parcels()
        var held: [String] = []
        for spelling in Self.spellings {
            held.append(try desk.receive(unit: spelling).code)
            desk.clock.advance(by: 1)
        }
        let neighbour = try desk.receive(unit: "3栋2单元1202")
        let collected = try desk.receive(unit: "3-2-1201")
        try desk.pickup([collected.code])
        for spelling in Self.spellings + ["3号楼2单元1201室", "3/2/1201"] {
            #expect(try desk.pendingCodes(unit: spelling) == held, "for \(spelling)")
        }
        #expect(try desk.pendingCodes(unit: "3-2-1202") == [neighbour.code])
        #expect(try desk.pendingCodes(unit: "03-2-1201").isEmpty, "leading zeros make another unit")
        // What was typed is what the item shows.
        #expect(try desk.item(held[1])["unit"] == "３栋２单元１２０１")
        #expect(try desk.item(held[3])["unit"] == "3-2-1201")
    }

    @Test("parcels.list's unit filter finds the same items under every spelling, newest first")
    func listFindsEverySpelling() throws {
        let desk = try ParcelsHarness.parcels()
        var codes: [String] = []
        for spelling in Self.spellings {
            codes.append(try desk.receive(unit: spelling).code)
        }
        let collected = try desk.receive(unit: "3栋2单元1201")
        try desk.pickup([collected.code])
        try desk.receive(unit: "3-2-1202")
        for spelling in Self.spellings {
            let listed = (try desk.call("parcels.list", ["unit": .string(spelling)])["items"]?.arrayValue ?? []).map(
                \.code)
            #expect(listed == [collected.code] + codes.reversed(), "for \(spelling)")
            let heldOnly =
                (try desk.call("parcels.list", ["unit": .string(spelling), "status": "held"])["items"]?.arrayValue ?? [])
                .map(\.code)
            #expect(heldOnly == codes.reversed(), "for \(spelling)")
        }
    }

    @Test("A unit with no building, entrance or room in it is refused at intake, at the counter and in amend")
    func emptyUnitIsRefused() throws {
        let desk = try ParcelsHarness.parcels()
        let intake = try desk.callError("parcels.receive", ["kind": "parcel", "recipient": "李娜", "unit": "室"])
        #expect(intake.kind == .validation)
        #expect(intake.field == "unit")
        #expect(intake.message.contains("names no building, entrance or room"))
        let batch = try desk.callError(
            "parcels.receiveBatch",
            [
                "items": [
                    ["kind": "parcel", "recipient": "李娜", "unit": "3-2-1201"],
                    ["kind": "parcel", "recipient": "李娜", "unit": "-"],
                ]
            ])
        #expect(batch.field == "items[1].unit")
        #expect(try desk.query("SELECT id FROM parcels_items").isEmpty, "all or nothing")
        #expect(try desk.callError("parcels.pending", ["unit": "/"]).field == "unit")
        #expect(try desk.callError("parcels.list", ["unit": "单元"]).field == "unit")
        let item = try desk.receive(unit: "3-2-1201")
        #expect(try desk.callError("parcels.amend", ["code": .string(item.code), "unit": "号"]).field == "unit")
    }

    @Test("parcels.amend re-keys the unit: the item moves to the corrected unit under any spelling")
    func amendRekeys() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive(unit: "3-2-1201")
        try desk.call("parcels.amend", ["code": .string(item.code), "unit": "３栋２单元１２０２"])
        #expect(try desk.pendingCodes(unit: "3-2-1201").isEmpty)
        #expect(try desk.pendingCodes(unit: "3栋2单元1202") == [item.code])
        let keys = try desk.query("SELECT unit, unit_key FROM parcels_items").map {
            [$0.string("unit"), $0.string("unit_key")]
        }
        #expect(keys == [["３栋２单元１２０２", "3-2-1202"]])
    }

    @Test(
        "Migration 4 keys the items stored before it, in SQL, exactly as parcels.receive keys new ones, and the lookup by key uses the new partial index"
    )
    func migrationKeysStoredRows() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var handle: OpaquePointer?
        #expect(sqlite3_open(directory.appendingPathComponent("state.db").path, &handle) == SQLITE_OK)
        let db = try #require(handle.map(SQLiteConnection.init(handle:)))
        defer {
            db.finalizeStatements()
            sqlite3_close(handle)
        }
        // The migrations before 4, as an older release left the database.
        let migrations = ParcelsMigrations.all.prefix { $0.id != "4-unit-key" }
        let unitKey = try #require(ParcelsMigrations.all.first { $0.id == "4-unit-key" })
        #expect(migrations.count == 3)
        for migration in migrations { try db.executeScript(migration.sql) }
        // Items as the desk stored them before: each unit as typed (white space folded).
        let units = Self.spellings + ["3号楼2单元1201室", "ａ座1201", "B2－1201", "03-2-0801", "3栋2单元1202"]
        for (index, unit) in units.enumerated() {
            try db.execute(
                """
                INSERT INTO parcels_items (code, kind, recipient, unit, condition, status, received_at, received_ms)
                VALUES (?, 'parcel', '李娜', ?, 'intact', 'held', '2026-12-01T09:00:00.000+08:00', ?)
                """, ["C\(index)", DeskText.normalize(unit), Int64(index)])
        }
        try db.executeScript(unitKey.sql)
        let rows = try db.query("SELECT unit, unit_key FROM parcels_items ORDER BY id")
        #expect(rows.map { $0.string("unit_key") } == units.map { DeskText.unitKey($0) })
        #expect(
            rows.map { $0.string("unit_key") } == [
                "3-2-1201", "3-2-1201", "3-2-1201", "3-2-1201", "3-2-1201", "A-1201", "B2-1201", "03-2-0801",
                "3-2-1202",
            ])
        #expect(rows.map { $0.string("unit") } == units.map { DeskText.normalize($0) }, "what was typed is kept")
        // The lookup by key is served by the new partial index.
        let plan = try db.query(
            "EXPLAIN QUERY PLAN SELECT id FROM parcels_items WHERE unit_key = ? AND status IN ('held','notified') ORDER BY received_ms, id",
            ["3-2-1201"])
        #expect(plan.contains { ($0.string("detail") ?? "").contains("parcels_items_unit_key_held") })
    }
}
