import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The read side: `parcels.get`, `parcels.pending`, `parcels.list`, `parcels.overdue`.
@Suite("parcels: looking items up", .timeLimit(.minutes(2)))
struct LookupTests {
    @Test("parcels.get finds an item by its code (typed in any case); an unknown code is not_found naming it")
    func getByCode() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let item = try desk.receive()
        #expect(try desk.call("parcels.get", ["code": .string(item.code.lowercased())])["code"] == .string(item.code))
        let unknown = try #require(try desk.callError("parcels.get", ["code": "Z9Z9Z9Z9"]))
        #expect(unknown.kind == .notFound)
        #expect(unknown.code == -32001)
        #expect(unknown.details["code"] == "Z9Z9Z9Z9")
        try daemon.stop()
    }

    @Test(
        "parcels.pending lists what is held for a unit, oldest first, finding it with the white space typed differently"
    )
    func pendingByUnit() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let first = try desk.receive("letter", recipient: "李娜", unit: "3栋 2单元 1201")
        let second = try desk.receive("parcel", recipient: "张伟", unit: "3栋2单元  1201")  // collapses to "3栋2单元 1201"
        let third = try desk.receive("express", recipient: "李娜", unit: " 3栋 2单元\u{3000}1201 ")
        let otherUnit = try desk.receive("parcel", recipient: "李娜", unit: "3栋 2单元 1202")
        let collected = try desk.receive("parcel", recipient: "李娜", unit: "3栋 2单元 1201")
        try desk.pickup([collected.code])

        #expect(
            try desk.pendingCodes(unit: "3栋\u{3000}2单元   1201") == [first.code, third.code], "oldest first, held only")
        #expect(try desk.pendingCodes(unit: "3栋2单元 1201") == [second.code])
        let byName = try desk.call("parcels.pending", ["recipient": " 李娜 "])["items"]?.arrayValue ?? []
        #expect(
            byName.map(\.code) == [first.code, third.code, otherUnit.code], "李娜 has three items held, in two units")
        let both =
            try desk.call("parcels.pending", ["recipient": "李娜", "unit": "3栋 2单元 1201"])["items"]?.arrayValue ?? []
        #expect(both.map(\.code) == [first.code, third.code])
        #expect(try desk.pendingCodes(unit: "9-9-9999").isEmpty)

        let neither = try #require(try desk.callError("parcels.pending", [:]))
        #expect(neither.kind == .validation)
        let limited = try desk.call("parcels.pending", ["recipient": "李娜", "limit": 2])
        #expect(limited["items"]?.arrayValue?.count == 2)
        #expect(limited["more"] == true)
        try daemon.stop()
    }

    @Test(
        "An item reads the same everywhere: the receive reply, parcels.pending, parcels.get, parcels.list and the parcels.received event carry the same thirty members"
    )
    func oneItemOneShape() throws {
        let daemon = try ParcelsDesk.start()
        let watcher = try daemon.connect()
        try watcher.subscribe(["parcels"])
        let desk = try daemon.connect()
        let received = try desk.receive(
            "express", recipient: "王芳", unit: "5-1-302",
            with: [
                "carrier": "SF", "tracking": "SF1234567890", "shelf": "B-3",
                "note": "fragile: \"glass\"\nkeep upright \\ 易碎", "condition": "damaged", "damageNote": "corner dented",
            ])
        #expect(received.objectValue?.count == 30, "every member, null or not")
        #expect(received["note"] == "fragile: \"glass\"\nkeep upright \\ 易碎")
        #expect(received["proxy"] == .null)
        #expect(received["notifyCount"] == 0)
        let code = try #require(received["code"]?.stringValue)
        let pending = try desk.call("parcels.pending", ["unit": "5-1-302"])["items"]?.arrayValue ?? []
        #expect(pending == [received])
        #expect(try desk.call("parcels.get", ["code": .string(code)]) == received)
        let listed = try desk.call("parcels.list", ["unit": "5-1-302"])["items"]?.arrayValue ?? []
        #expect(listed == [received])
        let event = try watcher.nextEvent()
        #expect(event["topic"] == "parcels.received")
        #expect(event["data"] == received)
        try daemon.stop()
    }

    @Test("parcels.list filters by status, kind, unit, recipient, carrier and time, newest first, in cursor pages")
    func listFiltersAndPages() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let before = Timestamp.format(Date().addingTimeInterval(-60))
        var codes: [String] = []
        for index in 0..<7 {
            let item = try desk.receive(
                index % 2 == 0 ? "parcel" : "letter", recipient: index < 4 ? "李娜" : "王芳", unit: "1-1-10\(index % 3)",
                with: ["carrier": index < 5 ? "SF" : "EMS"])
            codes.append(item.code)
        }
        try desk.pickup([codes[0], codes[1]])
        let after = Timestamp.format(Date().addingTimeInterval(60))

        func list(_ params: [String: JSONValue]) throws -> [String] {
            (try desk.call("parcels.list", .object(params))["items"]?.arrayValue ?? []).map(\.code)
        }
        #expect(try list([:]) == codes.reversed(), "newest first")
        #expect(try list(["status": "collected"]) == [codes[1], codes[0]])
        #expect(try list(["status": "held"]).count == 5)
        #expect(try list(["kind": "letter"]) == [codes[5], codes[3], codes[1]])
        #expect(try list(["unit": "1-1-100"]) == [codes[6], codes[3], codes[0]])
        #expect(try list(["recipient": "王芳", "carrier": "EMS"]) == [codes[6], codes[5]])
        #expect(try list(["from": .string(before), "to": .string(after)]).count == 7)
        #expect(try list(["to": .string(before)]).isEmpty)
        #expect(try list(["from": .string(after)]).isEmpty)

        // Pages of 3: every item once, in order, then nextCursor null.
        var seen: [String] = []
        var cursor: JSONValue = .null
        var pages = 0
        repeat {
            var params: [String: JSONValue] = ["limit": 3]
            if cursor != .null { params["cursor"] = cursor }
            let page = try desk.call("parcels.list", .object(params))
            seen += (page["items"]?.arrayValue ?? []).map(\.code)
            cursor = page["nextCursor"] ?? .null
            pages += 1
        } while cursor != .null && pages < 10
        #expect(seen == codes.reversed())
        #expect(pages == 3)

        #expect(try desk.callError("parcels.list", ["cursor": "garbage"])?.field == "cursor")
        #expect(try desk.callError("parcels.list", ["from": "last tuesday"])?.field == "from")
        #expect(try desk.callError("parcels.list", ["limit": 501])?.field == "limit")
        #expect(try desk.callError("parcels.list", ["status": "lost"])?.field == "status")
        try daemon.stop()
    }

    @Test("parcels.overdue lists held items older than overdue_days (default 7), oldest first; days overrides it")
    func overdue() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let first = try desk.receive()
        let second = try desk.receive("letter")
        let gone = try desk.receive()
        try desk.pickup([gone.code])
        let fresh = try desk.call("parcels.overdue")
        #expect(fresh["items"] == [], "nothing received today is overdue after 7 days")
        #expect(fresh["days"] == 7)
        let now = try desk.call("parcels.overdue", ["days": 0])
        #expect((now["items"]?.arrayValue ?? []).map(\.code) == [first.code, second.code])
        try daemon.stop()
    }

    @Test("overdue_days comes from [plugins.parcels]; an unknown key there stops the plugin, naming the key")
    func overdueConfig() throws {
        let daemon = try ParcelsDesk.start(config: "[plugins.parcels]\noverdue_days = 0\ncode_length = 6\n")
        let desk = try daemon.connect()
        let item = try desk.receive()
        #expect(item.code.count == 6, "code_length = 6 gives \(item.code)")
        #expect((try desk.call("parcels.overdue")["items"]?.arrayValue ?? []).map(\.code) == [item.code])
        try daemon.stop()

        let broken = try ParcelsDesk.start(config: "[plugins.parcels]\noverdue_dayz = 3\n")
        let client = try broken.connect()
        let status = try client.call("daemon.status")
        let plugin = try #require(status["plugins"]?.arrayValue?.first { $0["name"] == "parcels" })
        #expect(plugin["state"] == "failed")
        #expect(plugin["error"]?.stringValue?.contains("overdue_dayz") == true, "\(plugin)")
        #expect(try client.callError("parcels.pending", ["unit": "1"])?.kind == .unavailable)
        try broken.stop()
    }
}
