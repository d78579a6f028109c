import ExamplePlugin
import Foundation
import ReceptionPluginTesting
import Testing

/// `context.call`: one department calling another's method inside its own call, in-process. The
/// notebook's `example.note.relay` writes a note and calls the method it is given; the unruly
/// department (HarnessContractTests) is the neighbour it calls.
@Suite("calls between departments run inside the caller's change")
struct NeighbourCallTests {
    func desk() throws -> PluginHarness<ExamplePlugin> {
        try PluginHarness(ExamplePlugin.self, neighbours: [Neighbour(UnrulyPlugin.self)])
    }

    func count(_ desk: PluginHarness<ExamplePlugin>, _ table: String) throws -> Int64? {
        try desk.query("SELECT count(*) AS n FROM \(table)").first?.int("n")
    }

    @Test("a called method's rows and events commit with the caller's: one change, events of both departments")
    func bothCommit() throws {
        let desk = try desk()
        let reply = try desk.call("example.note.relay", ["text": "代收快递", "method": "unruly.add"])
        #expect(reply["reply"]?["id"]?.intValue == 1, "\(reply)")
        #expect(try count(desk, "example_notes") == 1)
        #expect(try count(desk, "unruly_rows") == 1)
        #expect(desk.lastEvents.map(\.topic) == ["example.noted", "unruly.changed"])
        #expect(desk.audit.map(\.method) == ["example.note.relay"], "the audit record is the outer call's")
    }

    @Test("a called method that fails is undone alone: its rows and events vanish, the caller may go on")
    func failedCallUndoneAlone() throws {
        let desk = try desk()
        let reply = try desk.call(
            "example.note.relay", ["text": "试一下", "method": "unruly.halfway", "keepNote": true])
        #expect(reply["error"]?["data"]?["rule"] == "halfway", "\(reply)")
        #expect(try count(desk, "example_notes") == 1, "the caller's note stays")
        #expect(try count(desk, "unruly_rows") == 0, "the halfway row was rolled back to the savepoint")
        #expect(desk.lastEvents.map(\.topic) == ["example.noted"], "the failed call's event is dropped")
    }

    @Test("when the caller fails on the called method's error, nothing of either is kept")
    func callerFailsWholly() throws {
        let desk = try desk()
        let error = try desk.callError("example.note.relay", ["text": "试一下", "method": "unruly.halfway"])
        #expect(error.kind == .invalidState && error.details["rule"] == "halfway", "\(error)")
        #expect(try count(desk, "example_notes") == 0)
        #expect(try count(desk, "unruly_rows") == 0)
        #expect(desk.events.isEmpty)
    }

    @Test("a department that is not loaded answers unavailable, naming it; unknown calls leave nothing behind")
    func notLoaded() throws {
        let desk = try desk()
        let error = try desk.callError("example.note.relay", ["text": "x", "method": "access.keys.register"])
        #expect(error.kind == .unavailable, "\(error)")
        #expect(error.details["plugin"] == "access")
        #expect(try count(desk, "example_notes") == 0)
    }

    @Test("the called method is admitted as for a request: the caller's role and the method's schema")
    func admission() throws {
        let desk = try desk()
        let schema = try desk.callError(
            "example.note.relay", ["text": "x", "method": "example.note.add", "params": ["txet": "typo"]])
        #expect(schema.code == -32602 && schema.field == "text", "the required text is missing: \(schema)")
        let purge = try desk.callError("example.note.relay", ["text": "x", "method": "example.note.purge"])
        #expect(purge.kind == .forbidden, "an operator cannot purge through another method: \(purge)")
        let system = try desk.callError("example.note.relay", ["text": "x", "method": "example.note.stamp"])
        #expect(system.kind == .unavailable, "system methods are not callable: \(system)")
    }
}

/// The zone a test gives the testing kit is the plugin's `[daemon] time_zone`.
@Suite("the testing kit runs a plugin in the zone a test gives it")
struct HarnessZoneTests {
    struct ZonePlugin: DepartmentPlugin {
        static let name = "zone"
        static let version = "0.0.1"
        static let summary = "Tells its zone and today."
        static let methods: [Method<ZonePlugin>] = [
            .read("zone.today", "Today and the zone.") { (plugin, _: NoParams, context) in
                [
                    "today": .string(context.today.description), "zone": .string(context.timeZone.identifier),
                    "configured": .string(plugin.configured),
                ] as JSONValue
            }
        ]
        let configured: String
        init(config: PluginConfig) throws(RPCError) { configured = config.timeZone.identifier }
    }

    @Test("context.today and config.timeZone follow the harness's timeZone, not the machine's")
    func zone() throws {
        // 2026-12-06T10:00:00+08:00 is still 12-05 in Honolulu and already 12-06 in Kiritimati.
        let clock = TestClock(now: try #require(Timestamp.parse("2026-12-06T10:00:00+08:00")))
        let honolulu = try PluginHarness(
            ZonePlugin.self, clock: clock, timeZone: try #require(TimeZone(identifier: "Pacific/Honolulu")))
        let west = try honolulu.call("zone.today")
        #expect(west["today"] == "2026-12-05" && west["zone"] == "Pacific/Honolulu", "\(west)")
        #expect(west["configured"] == "Pacific/Honolulu")
        let kiritimati = try PluginHarness(
            ZonePlugin.self, clock: clock, timeZone: try #require(TimeZone(identifier: "Pacific/Kiritimati")))
        #expect(try kiritimati.call("zone.today")["today"] == "2026-12-06")
    }
}
