import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Signing for items: `parcels.receive` and `parcels.receiveBatch`.
@Suite("parcels: receiving items", .timeLimit(.minutes(2)))
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

    @Test("A damaged item needs a damageNote (validation naming damageNote); a note alone means damaged")
    func damagedNeedsANote() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let missing = try #require(
            try desk.callError(
                "parcels.receive", ["kind": "parcel", "recipient": "王芳", "unit": "5-1-302", "condition": "damaged"]))
        #expect(missing.kind == .validation)
        #expect(missing.code == -32007)
        #expect(missing.field == "damageNote")

        let damaged = try desk.receive(
            recipient: "王芳", unit: "5-1-302", with: ["condition": "damaged", "damageNote": "corner crushed"])
        #expect(damaged["condition"] == "damaged")
        #expect(damaged["damageNote"] == "corner crushed")
        let implied = try desk.receive(recipient: "王芳", unit: "5-1-302", with: ["damageNote": "wet"])
        #expect(implied["condition"] == "damaged")
        let contradiction = try #require(
            try desk.callError(
                "parcels.receive",
                ["kind": "parcel", "recipient": "王芳", "unit": "5-1-302", "condition": "intact", "damageNote": "wet"]))
        #expect(contradiction.field == "damageNote")
        try daemon.stop()
    }

    @Test(
        "The same carrier + tracking while the first is held is a conflict carrying the held item's code; after pickup it is a new item"
    )
    func doubleScanIsAConflict() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
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
        #expect(again.details["code"] == .string(first.code), "error.data.code names the held item: \(again)")
        #expect(again.message.contains(first.code), "\(again.message)")
        // The same tracking number from another carrier is another item.
        _ = try desk.receive(with: ["carrier": "SF", "tracking": "EA123456789CN"])
        // Once the first left the desk, the number may come again (a returned-and-resent item).
        try desk.pickup([first.code])
        let resent = try desk.receive(with: ["carrier": "EMS", "tracking": "EA123456789CN"])
        #expect(resent["status"] == "held")
        #expect(try desk.pendingCodes(unit: "3-2-1201").count == 2)
        try daemon.stop()
    }

    @Test("Names and units keep their Unicode, in NFC, with white space trimmed and collapsed")
    func unicodeRoundTrips() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let item = try desk.receive(
            "letter", recipient: "  欧阳\u{3000}娜娜 ", unit: "3栋  2单元\t1201",
            with: ["note": "Cafe\u{301} 🎁 取件", "carrier": " 顺丰 速运 "])
        #expect(item["recipient"] == "欧阳 娜娜")
        #expect(item["unit"] == "3栋 2单元 1201")
        #expect(item["note"] == "Caf\u{E9} 🎁 取件", "decomposed é is stored composed (NFC)")
        #expect(item["carrier"] == "顺丰 速运")
        let plain = try desk.receive("parcel", recipient: "Zoë Müller", unit: "3栋2单元1201")
        #expect(try desk.call("parcels.get", ["code": .string(plain.code)])["recipient"] == "Zoë Müller")
        #expect(try desk.call("parcels.get", ["code": .string(plain.code)])["unit"] == "3栋2单元1201")
        try daemon.stop()
    }

    @Test(
        "The schema's limits hold: unknown fields, unknown kinds, over-long texts, empty units are refused naming the field"
    )
    func limitsAndRules() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let base: [String: JSONValue] = ["kind": "parcel", "recipient": "李娜", "unit": "3-2-1201"]
        func refusal(_ change: [String: JSONValue]) throws -> RPCError? {
            try desk.callError("parcels.receive", .object(base.merging(change) { _, new in new }))
        }
        let unknown = try #require(try refusal(["colour": "red"]))
        #expect(unknown.code == -32602)
        #expect(unknown.field == "colour")
        let kind = try #require(try refusal(["kind": "crate"]))
        #expect(kind.field == "kind")
        let long = try #require(try refusal(["unit": .string(String(repeating: "9", count: 65))]))
        #expect(long.field == "unit")
        #expect(long.code == -32602)
        let blank = try #require(try refusal(["unit": " \u{3000} "]))
        #expect(blank.field == "unit")
        #expect(blank.code == -32007)
        let missing = try #require(try desk.callError("parcels.receive", ["kind": "parcel", "unit": "1"]))
        #expect(missing.field == "recipient")
        #expect(try desk.call("parcels.list")["items"] == [])
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

    @Test("One bad item rejects the whole batch, naming items[2].unit; nothing is stored")
    func batchIsAllOrNothing() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        func item(_ unit: JSONValue, tracking: String) -> JSONValue {
            ["kind": "parcel", "recipient": "李娜", "unit": unit, "carrier": "SF", "tracking": .string(tracking)]
        }
        // A business rule (blank after normalising): the plugin names the field.
        let blank = try #require(
            try desk.callError(
                "parcels.receiveBatch",
                ["items": [item("1-1-101", tracking: "A"), item("1-1-102", tracking: "B"), item("   ", tracking: "C")]])
        )
        #expect(blank.kind == .validation)
        #expect(blank.field == "items[2].unit", "\(blank)")
        // A schema rule (missing): the daemon names the field the same way.
        let missing = try #require(
            try desk.callError(
                "parcels.receiveBatch",
                [
                    "items": [
                        item("1-1-101", tracking: "A"), item("1-1-102", tracking: "B"),
                        ["kind": "parcel", "recipient": "李娜"],
                    ]
                ]))
        #expect(missing.field == "items[2].unit", "\(missing)")
        // A double scan inside the batch: the earlier items were written, then rolled back.
        let double = try #require(
            try desk.callError(
                "parcels.receiveBatch",
                [
                    "items": [
                        item("1-1-101", tracking: "A"), item("1-1-102", tracking: "B"), item("1-1-103", tracking: "A"),
                    ]
                ]))
        #expect(double.kind == .conflict)
        #expect(double.field == "items[2].tracking")
        #expect(try desk.call("parcels.list")["items"] == [], "no item of a refused batch is stored")
        // More than 200 items is refused by the schema.
        let tooMany = try #require(
            try desk.callError(
                "parcels.receiveBatch", ["items": .array((0..<201).map { item("1-1-101", tracking: "T\($0)") })]))
        #expect(tooMany.field == "items")
        #expect(try desk.callError("parcels.receiveBatch", ["items": []])?.field == "items")
        try daemon.stop()
    }
}
