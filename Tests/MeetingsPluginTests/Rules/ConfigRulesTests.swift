import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// `[plugins.meetings]` and `meetings.rooms.define`'s own rules: bad input is refused naming the
/// key or field, and nothing is half-stored.
@Suite("meetings rules: config and room definitions")
struct ConfigRulesTests {
    @Test("templates per class and teams per kind are configurable; an unknown task kind or key is refused naming it")
    func templatesAndTeams() throws {
        let desk = try MeetingsHarness.meetings(config: [
            "templates": ["routine": ["tea", "reset"]], "teams": ["reset": "cleaning"],
        ])
        let booking = try desk.book("A-301", "2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00", ["av": true])
        #expect(try desk.dues(of: booking["booking"]).keys.sorted() == ["reset", "tea"])
        #expect(
            try desk.query("SELECT team FROM meetings_tasks WHERE kind = 'reset'").first?.string("team") == "cleaning")
        #expect(throws: RPCError.self) {
            try MeetingsHarness(MeetingsPlugin.self, config: ["templates": ["routine": ["tea", "dance"]]])
        }
        #expect(throws: RPCError.self) { try MeetingsHarness(MeetingsPlugin.self, config: ["max_seris": 3]) }
        // The zone is the daemon's ([daemon] time_zone), not a key of this section.
        #expect(throws: RPCError.self) {
            try MeetingsHarness(MeetingsPlugin.self, config: ["time_zone": "Europe/Berlin"])
        }
    }

    @Test("opening hours must be HH:MM pairs, opening before closing, on known weekdays; equipment names are lowercase")
    func roomDefinitionRules() throws {
        let desk = try MeetingsHarness.meetings()
        desk.caller = .admin()
        func define(hours: JSONValue, equipment: JSONValue = []) throws -> RPCError {
            try desk.callError(
                "meetings.rooms.define",
                [
                    "room": "C-1", "name": "小洽谈室", "floor": 2, "capacity": 4, "equipment": equipment,
                    "hourlyFee": 3_000,
                    "hours": hours,
                ])
        }
        #expect(try define(hours: ["mon": ["22:00", "08:00"]]).field == "hours.mon")
        #expect(try define(hours: ["mon": ["8:00", "22:00"]]).field == "hours.mon")
        #expect(try define(hours: ["monday": ["08:00", "22:00"]]).field == "hours.monday")
        #expect(try define(hours: ["mon": ["08:00", "25:00"]]).field == "hours.mon")
        let equipment = try define(hours: ["mon": ["08:00", "22:00"]], equipment: ["Projector"])
        #expect(equipment.field == "equipment[0]")
        #expect(GlossaryCoverage.isChinese(equipment.translations["zh"]))
        #expect(try desk.query("SELECT id FROM meetings_rooms WHERE room = 'C-1'").isEmpty)
        let changed = try desk.call(
            "meetings.rooms.define",
            [
                "room": "B-105", "name": "一楼小会议室", "floor": 1, "capacity": 10, "equipment": ["whiteboard"],
                "hourlyFee": 9_000, "hours": ["sat": ["09:00", "12:00"]],
            ])
        #expect(changed["capacity"] == 10, "defining an existing id replaces its details")
        #expect(changed["hours"] == ["sat": ["09:00", "12:00"]])
    }
}
