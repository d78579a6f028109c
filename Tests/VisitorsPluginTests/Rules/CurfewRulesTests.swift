import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// The 23:00 limit (issue 15): the minute job `visitors.sweep` marks each visit still on site at
/// its curfew `overstay` and emits `visitors.overstay` once; `visitors.overstays` lists them.
@Suite("visitors rules: the curfew")
struct CurfewRulesTests {
    @Test("at 22:59 nobody is late; at 23:00 a visitor still on site is an overstay, announced once by the minute job")
    func overstayAtTheCurfew() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 20:00")
        let staying = try desk.admit()
        let leaving = try desk.admit(["name": "赵强", "idNumber": "G99887766", "hostUnit": "5-1-302", "hostName": "刘洋"])
        #expect(
            try desk.call("visitors.register", VisitorsHarness.arrival())["leaveBy"]
                == .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 23:00"))))

        try desk.setClock("2026-12-06 22:30")
        try desk.call("visitors.signOut", ["visit": .string(leaving)])
        try desk.setClock("2026-12-06 22:59")
        desk.caller = .system
        #expect(try desk.call("visitors.sweep")["announced"] == 0)
        desk.caller = .operator("li.na")
        #expect(try desk.call("visitors.overstays")["visits"] == [])

        try desk.setClock("2026-12-06 23:00")
        let listed = try desk.call("visitors.overstays")["visits"]?.arrayValue ?? []
        #expect(listed.map { $0["visit"] } == [.string(staying)], "listed at the limit, before the sweep reaches it")
        #expect(listed.first?["overstay"] == true)

        desk.caller = .system
        let first = try desk.call("visitors.sweep")
        #expect(first["announced"] == 1)
        #expect(desk.lastEvents.map(\.topic) == ["visitors.overstay"])
        #expect(desk.lastEvents.first?.data["visit"] == .string(staying))
        #expect(desk.lastEvents.first?.data["overstay"] == true)
        #expect(desk.lastEvents.first?.data["status"] == "on_site")

        try desk.setClock("2026-12-06 23:05")
        #expect(try desk.call("visitors.sweep")["announced"] == 0, "each visit is announced once")
        #expect(desk.lastEvents.isEmpty)
        #expect(desk.events.filter { $0.topic == "visitors.overstay" }.count == 1)
        #expect(
            try desk.query("SELECT overstay_at FROM visitors_visits WHERE visit = ?", [staying]).first?.string(
                "overstay_at") != nil)
    }

    @Test("a visitor registered after the curfew, or before 06:00, is past it at once")
    func arrivalAfterTheCurfew() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 23:20")
        let late = try desk.call("visitors.register", VisitorsHarness.arrival())
        #expect(late["leaveBy"] == late["arrivedAt"])
        try desk.setClock("2026-12-07 05:30")
        let early = try desk.call("visitors.register", VisitorsHarness.arrival())
        #expect(early["leaveBy"] == early["arrivedAt"])
        try desk.setClock("2026-12-07 06:00")
        #expect(
            try desk.call("visitors.register", VisitorsHarness.arrival())["leaveBy"]
                == .string(Timestamp.format(try VisitorsHarness.local("2026-12-07 23:00"))))
    }

    @Test("the curfew is configurable ([plugins.visitors] curfew), and a bad one stops the plugin naming the key")
    func configuredCurfew() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 19:00", config: ["curfew": "21:30"])
        let visit = try desk.admit()
        try desk.setClock("2026-12-06 21:29")
        #expect(try desk.call("visitors.overstays")["visits"] == [])
        try desk.setClock("2026-12-06 21:30")
        desk.caller = .system
        #expect(try desk.call("visitors.sweep")["announced"] == 1)
        #expect(desk.lastEvents.first?.data["visit"] == .string(visit))

        for bad in ["25:00", "9:00", "08:00", "late"] {
            #expect(throws: RPCError.self, "curfew \(bad)") {
                try VisitorsHarness.desk(config: ["curfew": .string(bad)])
            }
        }
        #expect(throws: RPCError.self, "an unknown key") { try VisitorsHarness.desk(config: ["curfw": "23:00"]) }
    }

    @Test(
        "when the daemon is ready the minute job sweeps at once: a visitor past the curfew while it was down is announced"
    )
    func sweepAtStart() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 21:00")
        let visit = try desk.admit()
        try desk.setClock("2026-12-06 23:30")
        #expect(desk.pendingBackground.isEmpty, "nothing before the daemon is ready")
        desk.start()
        #expect(desk.pendingBackground.map(\.method) == ["visitors.sweep"])
        #expect(desk.runBackground().isEmpty)
        #expect(desk.lastEvents.map(\.topic) == ["visitors.overstay"])
        #expect(desk.lastEvents.first?.data["visit"] == .string(visit))
        #expect(desk.audit.last?.method == "visitors.sweep")
        #expect(desk.audit.last?.role == "system")
        desk.shutdown()
    }

    @Test("the curfew is the wall time of the property's zone (the daemon's time_zone), not of the process")
    func curfewInThePropertysZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let desk = try VisitorsHarness(
            VisitorsPlugin.self, caller: .operator("li.na"),
            clock: TestClock(now: try VisitorsHarness.local("2026-12-06 22:00", in: berlin)), timeZone: berlin)
        let visit = try desk.call("visitors.register", VisitorsHarness.arrival())
        let leaveBy = try #require(visit["leaveBy"]?.stringValue.flatMap(Timestamp.parse))
        #expect(leaveBy == (try VisitorsHarness.local("2026-12-06 23:00", in: berlin)))
        #expect(visit["leaveBy"]?.stringValue?.hasSuffix("+01:00") == true)
    }

    @Test("visitors.sweep is the daemon's own (role system): a clerk cannot call it")
    func sweepIsTheDaemons() throws {
        let desk = try VisitorsHarness.desk()
        #expect(try desk.callError("visitors.sweep").kind == .methodNotFound)
    }
}
