import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The read side through the real daemon: `parcels.get`, `parcels.pending`, `parcels.list` and
/// `parcels.overdue` on the wire, one item with one shape in every reply and event, and the
/// `[plugins.parcels]` section read from the daemon's config file. Filters, paging and the
/// overdue cut-off are in `Rules/LookupRulesTests.swift`.
@Suite("parcels over the socket: looking items up", .timeLimit(.minutes(2)))
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

    @Test(
        "parcels.overdue over the socket with overdue_days from the config file; an unknown key there stops the plugin, naming the key"
    )
    func overdueConfig() throws {
        let daemon = try ParcelsDesk.start(config: "[plugins.parcels]\noverdue_days = 0\ncode_length = 6\n")
        let desk = try daemon.connect()
        let item = try desk.receive()
        #expect(item.code.count == 6, "code_length = 6 gives \(item.code)")
        usleep(5_000)  // overdue is held *longer* than 0 days: at least a millisecond after the receipt
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

/// The four spellings of one unit over the real daemon.
@Suite("parcels over the socket: one unit, many spellings", .timeLimit(.minutes(2)))
struct UnitSpellingTests {
    @Test(
        "Items signed for as 3栋2单元1201, ３栋２单元１２０１, 3栋 2单元 1201 and 3-2-1201 are the same held items to parcels.pending and parcels.list under every spelling"
    )
    func fourSpellingsOneUnit() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let spellings = ["3栋2单元1201", "３栋２单元１２０１", "3栋 2单元 1201", "3-2-1201"]
        var codes: [String] = []
        for spelling in spellings {
            let item = try desk.receive(unit: spelling)
            #expect(item["unit"] == .string(spelling), "the unit is shown as typed")
            #expect(item.objectValue?.count == 30, "the key is not on the wire")
            codes.append(try #require(item["code"]?.stringValue))
        }
        try desk.receive(unit: "3-2-1202")
        for spelling in spellings {
            #expect(Set(try desk.pendingCodes(unit: spelling)) == Set(codes), "parcels.pending for \(spelling)")
            let listed = try desk.call("parcels.list", ["unit": .string(spelling)])["items"]?.arrayValue ?? []
            #expect(Set(listed.compactMap { $0["code"]?.stringValue }) == Set(codes), "parcels.list for \(spelling)")
        }
        let refused = try #require(try desk.callError("parcels.pending", ["unit": "室"]))
        #expect(refused.kind == .validation)
        #expect(refused.message.contains("names no building, entrance or room"))
        try daemon.stop()
    }
}
