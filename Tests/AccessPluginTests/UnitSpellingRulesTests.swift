import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// Passes and keys are found by unit under any spelling of it (`DeskText.unitKey`), in-process,
/// and shown with the unit as it was typed.
@Suite("access rules: one unit, many spellings")
struct UnitSpellingRulesTests {
    /// The issue's four spellings of one unit.
    static let spellings = ["3栋2单元1201", "３栋２单元１２０１", "3栋 2单元 1201", "3-2-1201"]

    @Test("access.badges.list finds the passes issued under each spelling under every spelling")
    func badgesByAnySpelling() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        var numbers: [String] = []
        for (index, spelling) in Self.spellings.enumerated() {
            let issued = try desk.issue(
                "tenant", holder: "住户\(index)", idNumber: "11010119900307\(1000 + index)", unit: spelling)
            #expect(issued.badge["unit"] == .string(spelling), "shown as typed")
            numbers.append(try #require(issued.badge["number"]?.stringValue))
        }
        try desk.issue("tenant", holder: "邻居", idNumber: "110101199003079999", unit: "3-2-1202")
        for spelling in Self.spellings + ["3号楼2单元1201室"] {
            let listed = try desk.call("access.badges.list", ["unit": .string(spelling)])["badges"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["number"]?.stringValue } == numbers.reversed(), "for \(spelling)")
        }
        #expect(try desk.callError("access.badges.list", ["unit": "室"]).field == "unit")
    }

    @Test("One active resident pass per holder per unit holds across spellings of the unit")
    func residentRuleAcrossSpellings() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.issue("resident", holder: "李娜", idNumber: "110101199003070718", unit: "3栋2单元1201")
        let again = try desk.issueError("resident", holder: "李娜", idNumber: "110101199003070718", unit: "３-２-１２０１")
        #expect(again.kind == .validation)
        #expect(again.field == "holder")
        #expect(again.details["rule"] == "one_active_resident_pass")
        #expect(try desk.count("access_badges") == 1)
    }

    @Test("access.keys.list finds a unit's keys under every spelling; a key for a room only has no unit key")
    func keysByAnySpelling() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.register("K-1", unit: "3栋2单元1201")
        try desk.register("K-2", unit: "３-２-１２０１", hook: "A-02")
        try desk.register("K-3", unit: "3-2-1202", hook: "A-03")
        try desk.call("access.keys.register", ["tag": "F-1", "category": "other", "room": "泵房", "hook": "B-1"])
        for spelling in Self.spellings {
            let listed = try desk.call("access.keys.list", ["unit": .string(spelling)])["keys"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["tag"]?.stringValue } == ["K-1", "K-2"], "for \(spelling)")
        }
        let keys = try desk.query("SELECT tag, unit_key FROM access_keys ORDER BY tag").map {
            [$0.string("tag"), $0.string("unit_key")]
        }
        #expect(keys == [["F-1", nil], ["K-1", "3-2-1201"], ["K-2", "3-2-1201"], ["K-3", "3-2-1202"]])
        let refused = try desk.callError(
            "access.keys.register", ["tag": "K-9", "category": "other", "unit": "单元", "hook": "B-2"])
        #expect(refused.field == "unit")
    }
}
