import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// What other counter workstations see: an event for every change, and the audit log.
@Suite("parcels over the socket: events and audit", .timeLimit(.minutes(2)))
struct EventsAndAuditTests {
    @Test(
        "A second workstation subscribed to parcels sees received, notified, reminded, amended, collected and returned, in order"
    )
    func eventsReachAnotherConnection() throws {
        let daemon = try ParcelsDesk.start()
        let watcher = try daemon.counter(desk: "desk-2", operator: "wang.fang")
        try watcher.subscribe(["parcels"])
        let desk = try daemon.counter()

        let a = try desk.receive()
        let batch = try desk.call(
            "parcels.receiveBatch",
            [
                "items": [
                    ["kind": "letter", "recipient": "张伟", "unit": "1-1-101"],
                    ["kind": "letter", "recipient": "张伟", "unit": "1-1-101"],
                ]
            ])
        let b = try #require(batch["items"]?.arrayValue?.first)
        try desk.call("parcels.notify", ["code": .string(a.code), "channel": "sms"])
        try desk.call("parcels.remind", ["code": .string(a.code)])
        try desk.call("parcels.amend", ["code": .string(a.code), "shelf": "C-9"])
        try desk.pickup([a.code])
        try desk.call("parcels.return", ["code": .string(b.code), "reason": "refused"])

        let expected: [(String, String)] = [
            ("parcels.received", a.code), ("parcels.received", b.code), ("parcels.received", ""),
            ("parcels.notified", a.code), ("parcels.reminded", a.code), ("parcels.amended", a.code),
            ("parcels.collected", a.code), ("parcels.returned", b.code),
        ]
        var events: [JSONValue] = []
        for (topic, code) in expected {
            let event = try watcher.nextEvent()
            events.append(event)
            #expect(event["topic"] == .string(topic), "\(event.serialized())")
            if !code.isEmpty { #expect(event["data"]?["code"] == .string(code), "\(event.serialized())") }
        }
        #expect(events[0]["data"] == a, "the event carries the item as the reply did")
        #expect(events[3]["data"]?["status"] == "notified")
        #expect(events[5]["data"]?["changes"] == ["shelf": ["old": nil, "new": "C-9"]])
        #expect(events[6]["data"]?["collectedBy"] == "李娜")
        #expect(events[7]["data"]?["returnReason"] == "refused")
        let seqs = events.compactMap { $0["seq"]?.intValue }
        #expect(seqs == Array((seqs.first ?? 0)..<((seqs.first ?? 0) + 8)), "one seq per event, no gaps: \(seqs)")

        // A refused change emits nothing.
        #expect(try desk.callError("parcels.notify", ["code": .string(a.code), "channel": "sms"]) != nil)
        #expect(try watcher.staysSilent(for: .milliseconds(300)))
        try daemon.stop()
    }

    @Test(
        "An amendment keeps the old values: the event data carries old and new, the audit keeps the params, who and where"
    )
    func amendKeepsOldValues() throws {
        let daemon = try ParcelsDesk.start()
        let watcher = try daemon.connect()
        try watcher.subscribe(["parcels.amended"])
        let desk = try daemon.counter(desk: "desk-3", operator: "zhao.lei")
        let item = try desk.receive(recipient: "刘洋", unit: "7-1-701")
        try desk.call("parcels.amend", ["code": .string(item.code), "recipient": "刘阳", "unit": "7-1-702"])

        let event = try watcher.nextEvent()
        #expect(event["topic"] == "parcels.amended")
        #expect(
            event["data"]?["changes"] == [
                "recipient": ["old": "刘洋", "new": "刘阳"], "unit": ["old": "7-1-701", "new": "7-1-702"],
            ])

        let records = try #require(try desk.call("audit.query", ["method": "parcels.amend"])["records"]?.arrayValue)
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record["outcome"] == "ok")
        #expect(record["workstation"] == "desk-3")
        #expect(record["operator"] == "zhao.lei")
        let params = record["params"]
        #expect(params?["code"] == .string(item.code), "\(record.serialized())")
        #expect(params?["recipient"] == "刘阳")
        #expect(params?["unit"] == "7-1-702")
        try daemon.stop()
    }

    @Test("daemon.methods lists every parcels method with its schema, including the receptionctl annotations")
    func methodsAreListed() throws {
        let daemon = try ParcelsDesk.start()
        let client = try daemon.connect()
        let methods = try #require(try client.call("daemon.methods")["methods"]?.arrayValue)
        let parcels = methods.filter { $0["plugin"] == "parcels" }
        #expect(
            Set(parcels.compactMap { $0["name"]?.stringValue }) == [
                "parcels.receive", "parcels.receiveBatch", "parcels.get", "parcels.pending", "parcels.list",
                "parcels.notify",
                "parcels.remind", "parcels.pickup", "parcels.return", "parcels.amend", "parcels.overdue", "parcels.counts",
                "parcels.stats", "parcels.recipients",
            ])
        let pickup = try #require(parcels.first { $0["name"] == "parcels.pickup" })
        #expect(pickup["access"] == "write")
        #expect(pickup["params"]?["properties"]?["codes"]?["x-positional"] == true)
        #expect(pickup["params"]?["properties"]?["codes"]?["maxItems"] == 50)
        #expect(pickup["params"]?["properties"]?["collectedBy"]?["x-aliases"] == ["by"])
        #expect(parcels.first { $0["name"] == "parcels.pending" }?["access"] == "read")
        // Every string param is bounded.
        for method in parcels {
            for (name, property) in method["params"]?["properties"]?.objectValue ?? [:]
            where property["type"] == "string" {
                #expect(
                    property["maxLength"] != nil || property["enum"] != nil,
                    "\(method["name"]?.stringValue ?? "").\(name) is unbounded")
            }
        }
        try daemon.stop()
    }
}
