import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Signing for items through the real daemon: `parcels.receive` and `parcels.receiveBatch` on the
/// wire, and how their refusals reach the client. The rules themselves are in
/// `Rules/ReceiveRulesTests.swift`.
@Suite("parcels over the socket: receiving items", .timeLimit(.minutes(2)))
struct ReceiveTests {
    @Test("parcels.receive answers the held item with every wire field and a short code easy to read aloud")
    func receiveAnswersTheItem() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let item = try desk.receive(
            "express", recipient: "李娜", unit: "3-2-1201",
            with: ["carrier": "SF", "tracking": "SF1234567890", "shelf": "B-3", "note": "fragile"])

        let fields = Set((item.objectValue ?? [:]).keys)
        #expect(fields.isSuperset(of: ParcelsDesk.itemFields), "missing: \(ParcelsDesk.itemFields.subtracting(fields))")
        #expect(item.code.wholeMatch(of: ParcelsDesk.codeShape) != nil, "code \(item.code)")
        #expect(item["kind"] == "express")
        #expect(item["recipient"] == "李娜")
        #expect(item["unit"] == "3-2-1201")
        #expect(item["carrier"] == "SF")
        #expect(item["tracking"] == "SF1234567890")
        #expect(item["condition"] == "intact", "condition defaults to intact")
        #expect(item["damageNote"] == .null)
        #expect(item["shelf"] == "B-3")
        #expect(item["note"] == "fragile")
        #expect(item["status"] == "held")
        #expect(item["receivedBy"] == "li.na", "the operator from daemon.hello")
        let receivedAt = try #require(item["receivedAt"]?.stringValue)
        #expect(receivedAt.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil, "\(receivedAt)")
        for field in ["notifiedAt", "collectedAt", "collectedBy", "returnedAt", "returnReason"] {
            #expect(item[field] == .null, "\(field) is null until it applies")
        }
        // The same item, read back.
        #expect(try desk.call("parcels.get", ["code": .string(item.code)]) == item)
        try daemon.stop()
    }

    @Test("parcels.receiveBatch signs for many items at once, each with its own code")
    func batchReceives() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let items: [JSONValue] = (0..<40).map { index in
            [
                "kind": "express", "recipient": .string("住户\(index)"), "unit": .string("3-2-\(1200 + index % 4)"),
                "carrier": "JD", "tracking": .string("JD\(100_000 + index)"),
            ]
        }
        let result = try desk.call("parcels.receiveBatch", ["items": .array(items)])
        let received = try #require(result["items"]?.arrayValue)
        #expect(received.count == 40)
        #expect(Set(received.map(\.code)).count == 40, "codes are unique among held items")
        #expect(received.allSatisfy { $0["status"] == "held" })
        #expect(received[7]["recipient"] == "住户7")
        #expect(try desk.pendingCodes(unit: "3-2-1201").count == 10)
        try daemon.stop()
    }

    @Test(
        "A refusal reaches the client as the protocol says: -32602 naming the field for the schema, -32007 for a rule, -32002 with error.data.code for a double scan; a refused batch leaves nothing stored"
    )
    func refusalsCrossTheWire() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let unknown = try #require(
            try desk.callError("parcels.receive", ["kind": "parcel", "recipient": "李娜", "unit": "1", "colour": "red"]))
        #expect(unknown.kind == .validation)
        #expect(unknown.code == -32602)
        #expect(unknown.field == "colour")
        let damaged = try #require(
            try desk.callError(
                "parcels.receive", ["kind": "parcel", "recipient": "王芳", "unit": "5-1-302", "condition": "damaged"]))
        #expect(damaged.code == -32007)
        #expect(damaged.field == "damageNote")
        #expect(damaged.message == "damageNote is required when condition is damaged")

        let first = try desk.receive(with: ["carrier": "EMS", "tracking": "EA123456789CN"])
        let again = try #require(
            try desk.callError(
                "parcels.receive",
                [
                    "kind": "parcel", "recipient": "李娜", "unit": "3-2-1201", "carrier": "EMS",
                    "tracking": "EA123456789CN",
                ]))
        #expect(again.kind == .conflict)
        #expect(again.code == -32002)
        #expect(again.field == "tracking")
        #expect(again.details["code"] == .string(first.code), "error.data.code names the held item: \(again)")
        #expect(again.message == "EMS EA123456789CN is already held as \(first.code) (scanned twice?)")

        // The daemon rolls back what the plugin wrote before it failed: items[0] and [1] here.
        func item(_ tracking: String) -> JSONValue {
            ["kind": "parcel", "recipient": "张伟", "unit": "1-1-101", "carrier": "SF", "tracking": .string(tracking)]
        }
        let double = try #require(
            try desk.callError("parcels.receiveBatch", ["items": [item("A"), item("B"), item("A")]]))
        #expect(double.kind == .conflict)
        #expect(double.field == "items[2].tracking")
        let blank = try #require(
            try desk.callError("parcels.receiveBatch", ["items": [item("C"), ["kind": "parcel", "recipient": "x"]]]))
        #expect(blank.code == -32602)
        #expect(blank.field == "items[1].unit")
        #expect(try desk.call("parcels.list")["items"]?.arrayValue?.map(\.code) == [first.code])
        try daemon.stop()
    }
}
