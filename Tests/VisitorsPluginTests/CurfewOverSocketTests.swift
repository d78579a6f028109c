import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The curfew through the real daemon: the plugin's minute job (`visitors.sweep`, role system)
/// announces a visitor still inside past `[plugins.visitors] curfew` once, as `visitors.overstay`.
/// The only slow test of the department: the curfew is set a minute or so ahead of the daemon's
/// wall clock and the test waits for the sweep, at most 130 seconds.
@Suite("visitors: the curfew over the socket", .timeLimit(.minutes(4)))
struct CurfewOverSocketTests {
    @Test(
        "A visitor still inside at the curfew is announced by the minute job (visitors.overstay) and listed in visitors.overstays; one who left before is not; the host then registers the night"
    )
    func overstay() throws {
        let zone = VisitorsDesk.zone()
        // The next whole minute on the zone's wall clock, or the one after when less than 15
        // seconds remain: the visitors are inside before it.
        let now = Date()
        let parts = zone.calendar.dateComponents([.hour, .minute, .second], from: now)
        let wall = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let curfewMinutes = wall + ((parts.second ?? 0) <= 45 ? 1 : 2)
        let curfew = String(format: "%02d:%02d", curfewMinutes / 60, curfewMinutes % 60)
        let curfewAt = zone.today(minutes: curfewMinutes)
        let daemon = try VisitorsDesk.start(zone: zone, visitors: ["curfew = \"\(curfew)\""])
        let watcher = try daemon.connect()
        try watcher.subscribe(["visitors.overstay"])
        let desk = try daemon.counter()

        let staying = try desk.admit(
            VisitorsDesk.arrival("王芳", idType: "passport", idNumber: "E12345678", hostUnit: "3-2-1201", hostName: "陈明"))
        let leaving = try desk.admit(
            VisitorsDesk.arrival(
                "李雷", idType: "id_card", idNumber: "110101199003071234", hostUnit: "7-3-1501", hostName: "韩梅"))
        try desk.call("visitors.signOut", ["visit": .string(leaving)])
        try #require(Date() < curfewAt, "the visitors were inside before the \(curfew) curfew (\(zone.name))")
        let inside = try #require(try desk.visits("visitors.onSite").first, "王芳 is inside")
        #expect(inside["visit"]?.stringValue == staying, "\(inside)")
        #expect(
            inside["leaveBy"]?.stringValue.flatMap(Timestamp.parse) == curfewAt,
            "held to the configured curfew \(curfew): \(inside)")
        if Date() < curfewAt - 2 {
            #expect(try desk.visits("visitors.overstays").isEmpty, "nobody is late before the curfew")
        }

        // The minute job runs once a minute: the announcement comes within a minute of the curfew.
        let deadline = min(curfewAt + 65, now + 130)
        var announced: JSONValue?
        while announced == nil, Date() < deadline {
            let wait = Duration.milliseconds(Int64(max(100, deadline.timeIntervalSinceNow * 1000)))
            do {
                let event = try watcher.nextEvent(timeout: wait)
                if event["topic"] == "visitors.overstay" { announced = event }
            } catch ClientError.timeout {
                break
            }
        }
        let event = try #require(announced, "no visitors.overstay by \(deadline) (curfew \(curfew)):\n\(daemon.log)")
        let data = try #require(event["data"])
        #expect(data["visit"]?.stringValue == staying && data["name"] == "王芳", "\(event)")
        #expect(data["status"] == "on_site" && data["overstay"] == true, "\(event)")
        let markedAt = try #require(data["overstayAt"]?.stringValue.flatMap(Timestamp.parse), "\(event)")
        #expect(markedAt >= curfewAt, "announced at \(markedAt), curfew \(curfewAt)")
        #expect(
            event["operator"] == "receptiond" && event["workstation"] == .null,
            "the daemon's own job, not a desk: \(event)")

        // On the list for the desk: 王芳, not 李雷 who left before.
        let late = try desk.visits("visitors.overstays")
        #expect(late.compactMap { $0["visit"]?.stringValue } == [staying], "\(late)")
        let sweeps = try desk.call("audit.query", ["method": "visitors.sweep"])["records"]?.arrayValue ?? []
        #expect(!sweeps.isEmpty && sweeps.allSatisfy { $0["role"] == "system" && $0["outcome"] == "ok" }, "\(sweeps)")

        // 陈明 brings her to the desk and signs for the night: she is no longer late.
        let night = try desk.call(
            "visitors.overnight",
            ["visit": .string(staying), "idType": "passport", "idNumber": "E12345678", "nights": 1, "hostSigned": true])
        #expect(night["status"] == "overnight" && night["overstay"] == true, "the overstay stays on record: \(night)")
        #expect(try desk.visits("visitors.overstays").isEmpty)
        try daemon.stop()
    }
}
