import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// What other workstations see (an event per change) and what `daemon.methods` says.
@Suite("access: events and methods", .timeLimit(.minutes(2)))
struct EventsAndMethodsTests {
    @Test("A workstation subscribed to access sees every change in commit order; a refused change emits nothing")
    func everyChangeIsAnEvent() throws {
        let daemon = try AccessDesk.start()
        let watcher = try daemon.counter(desk: "desk-2", operator: "wang.fang")
        try watcher.subscribe(["access"])
        let desk = try daemon.counter()

        let issued = try desk.issue("tenant", validUntil: AccessDesk.date(months: 1))
        try desk.issue("contractor")
        try desk.issue("resident")
        let renewed = try desk.call(
            "access.badges.renew", ["number": "T000001", "validUntil": .string(AccessDesk.date(months: 2))])
        let returned = try desk.call("access.badges.return", ["number": "T000001"])
        try desk.call("access.badges.reportLost", ["number": "C000001"])
        try desk.call("access.badges.revoke", ["number": "R000001", "reason": "moved out"])
        try desk.register("K-1")
        try desk.register("K-2")
        try desk.call("access.keys.checkout", AccessParams.staffLoan("K-1"))
        try desk.call("access.keys.checkin", ["tag": "K-1"])
        try desk.call("access.keys.retire", ["tag": "K-2", "reason": "lock changed"])
        try desk.call("access.keys.reconcile", ["counted": ["K-1"]])

        let expected = [
            "access.badge.issued", "access.badge.issued", "access.badge.issued", "access.badge.renewed",
            "access.badge.returned", "access.badge.lost", "access.badge.revoked", "access.key.registered",
            "access.key.registered", "access.key.out", "access.key.in", "access.key.retired", "access.key.reconciled",
        ]
        var events: [JSONValue] = []
        for _ in expected { events.append(try watcher.nextEvent()) }
        #expect(events.compactMap { $0["topic"]?.stringValue } == expected)
        let seqs = events.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array((seqs.first ?? 0)..<((seqs.first ?? 0) + Int64(expected.count))), "\(seqs)")

        // Badge events carry the badge as an operator sees it, and the receipt.
        var publicBadge = issued.badge.objectValue ?? [:]
        publicBadge.removeValue(forKey: "idNumber")
        #expect(events[0]["data"]?["badge"] == .object(publicBadge))
        #expect(events[0]["data"]?["receipt"] == issued["receipt"])
        #expect(events[3]["data"]?["receipt"] == renewed["receipt"])
        #expect(events[4]["data"]?["refund"] == returned["refund"])
        #expect(events[5]["data"]?["forfeited"] == 1000)
        #expect(events[6]["data"]?["badge"]?["revokeReason"] == "moved out")
        #expect(events[9]["data"]?["key"]?["status"] == "out")
        #expect(events[10]["data"]?["loan"]?["tag"] == "K-1")
        #expect(events[12]["data"]?["matched"] == 1)

        #expect(try desk.callError("access.badges.return", ["number": "T000001"]) != nil)
        #expect(try desk.callError("access.keys.checkin", ["tag": "K-1"]) != nil)
        #expect(try watcher.staysSilent(for: .milliseconds(300)))
        try daemon.stop()
    }

    @Test(
        "The read methods answer over the socket: badges get, list (in pages) and verify, kinds, ledger, keys list, reconciliations"
    )
    func readMethods() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        let issued = try desk.issue("tenant")
        try desk.issue("contractor")
        try desk.register("K-1")
        try desk.call("access.keys.checkout", AccessParams.externalLoan("K-1"))
        let report = try desk.call("access.keys.reconcile", ["counted": ["K-1"]])

        #expect(try desk.call("access.badges.get", ["number": "t000001"]) == issued.badge)
        let page = try desk.call("access.badges.list", ["limit": 1])
        #expect(page["badges"]?.arrayValue?.map(\.number) == ["C000001"])
        let cursor = try #require(page["nextCursor"]?.stringValue)
        let rest = try desk.call("access.badges.list", ["limit": 1, "cursor": .string(cursor)])
        #expect(rest == ["badges": [issued.badge], "nextCursor": .null])
        let verdict = try desk.call("access.badges.verify", ["number": "T000001"])
        #expect(verdict["valid"] == true)
        #expect(verdict["holder"] == "王芳")
        #expect(try desk.call("access.kinds")["kinds"]?.arrayValue?.count == 3)
        let ledger = try desk.call("access.ledger", ["from": .string(AccessDesk.date())])
        #expect(ledger["totals"]?["fees"] == 1000)
        #expect(ledger["totals"]?["deposits"] == 7000)
        #expect(ledger["entries"]?.arrayValue?.count == 5)
        let keys = try #require(try desk.call("access.keys.list", ["status": "out"])["keys"]?.arrayValue)
        #expect(keys.map { $0["tag"] } == ["K-1"])
        #expect(keys.first?["idNumber"] == "320102198807154321", "root is an admin")
        #expect(try desk.call("access.keys.reconciliations") == ["reconciliations": [report], "nextCursor": .null])
        try daemon.stop()
    }

    @Test("daemon.methods lists every access method with a bounded schema and the receptionctl annotations")
    func methodsAreListed() throws {
        let daemon = try AccessDesk.start()
        let client = try daemon.connect()
        let methods = try #require(try client.call("daemon.methods")["methods"]?.arrayValue)
        let access = methods.filter { $0["plugin"] == "access" }
        let reads: Set<String> = [
            "access.badges.get", "access.badges.list", "access.badges.verify", "access.kinds", "access.ledger",
            "access.keys.list", "access.keys.reconciliations",
        ]
        let writes: Set<String> = [
            "access.badges.issue", "access.badges.renew", "access.badges.return", "access.badges.reportLost",
            "access.badges.revoke", "access.keys.register", "access.keys.retire", "access.keys.checkout",
            "access.keys.checkin", "access.keys.reconcile",
        ]
        #expect(Set(access.compactMap { $0["name"]?.stringValue }) == reads.union(writes))
        for method in access {
            let name = method["name"]?.stringValue ?? ""
            #expect(method["access"] == .string(reads.contains(name) ? "read" : "write"), "\(name)")
            #expect(method["role"] == "operator", "\(name)")
            for (param, property) in method["params"]?["properties"]?.objectValue ?? [:] {
                if property["type"] == "string" {
                    #expect(property["maxLength"] != nil || property["enum"] != nil, "\(name).\(param) is unbounded")
                }
                if property["type"] == "array" {
                    #expect(property["maxItems"] != nil, "\(name).\(param) is unbounded")
                    #expect(property["items"]?["maxLength"] != nil, "\(name).\(param) items are unbounded")
                }
            }
        }
        let reconcile = try #require(access.first { $0["name"] == "access.keys.reconcile" })
        #expect(reconcile["params"]?["properties"]?["counted"]?["maxItems"] == 10_000)
        #expect(reconcile["params"]?["properties"]?["counted"]?["x-positional"] == true)
        let verify = try #require(access.first { $0["name"] == "access.badges.verify" })
        #expect(verify["params"]?["required"] == ["number"])
        #expect(verify["params"]?["properties"]?["number"]?["x-positional"] == true)
        let issue = try #require(access.first { $0["name"] == "access.badges.issue" })
        #expect(
            Set(issue["params"]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []) == [
                "kind", "holder", "idType", "idNumber", "unit", "validUntil",
            ])
        try daemon.stop()
    }
}
