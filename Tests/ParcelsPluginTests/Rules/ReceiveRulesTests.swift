import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// The rules of signing for items (`parcels.receive`, `parcels.receiveBatch`), in-process.
@Suite("parcels rules: receiving items")
struct ReceiveRulesTests {
    @Test(
        "parcels.receive stores a held item stamped with the call's time and operator, and emits parcels.received carrying the reply"
    )
    func receiveStampsAndEmits() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive(
            "express", recipient: "李娜", unit: "3-2-1201",
            with: ["carrier": "SF", "tracking": "SF1234567890", "shelf": "B-3", "note": "fragile"])

        #expect(item.objectValue?.count == 30, "every member, null or not: \(item.serialized())")
        #expect(item["kind"] == "express")
        #expect(item["status"] == "held")
        #expect(item["condition"] == "intact", "condition defaults to intact")
        #expect(item["receivedAt"] == .string(desk.nowText), "the call's clock reading")
        #expect(item["receivedBy"] == "li.na")
        #expect(item["notifyCount"] == 0)
        #expect(item["reminderCount"] == 0)
        for field in [
            "damageNote", "notifiedAt", "notifiedBy", "notifyChannel", "remindedAt", "collectedAt", "collectedBy",
            "proxy", "idType", "idLast4", "handedOutBy", "returnedAt", "returnReason", "returnedBy", "notifierError",
        ] {
            #expect(item[field] == .null, "\(field) is null until it applies")
        }
        #expect(desk.lastEvents.map(\.topic) == ["parcels.received"])
        #expect(desk.lastEvents.first?.data == item, "the event carries the item as the reply does")
        let audit = try #require(desk.audit.last)
        #expect(audit.method == "parcels.receive")
        #expect(audit.operator == "li.na")
        #expect(audit.workstation == "desk-1")
        #expect(audit.errorKind == nil)
        #expect(try desk.item(item.code) == item)
    }

    @Test("Without daemon.hello naming an operator, the item is stamped with the peer's uid")
    func anonymousStamp() throws {
        let desk = try ParcelsHarness.parcels(caller: .operator(nil, uid: 1234))
        #expect(try desk.receive()["receivedBy"] == "uid 1234")
    }

    @Test(
        "A damaged item needs a damageNote; a note alone means damaged; intact with a note is a contradiction (validation, -32007, naming damageNote)"
    )
    func damageNote() throws {
        let desk = try ParcelsHarness.parcels()
        let missing = try desk.callError(
            "parcels.receive", ["kind": "parcel", "recipient": "王芳", "unit": "5-1-302", "condition": "damaged"])
        #expect(missing.kind == .validation)
        #expect(missing.code == -32007)
        #expect(missing.field == "damageNote")
        #expect(missing.message == "damageNote is required when condition is damaged")

        let contradiction = try desk.callError(
            "parcels.receive",
            ["kind": "parcel", "recipient": "王芳", "unit": "5-1-302", "condition": "intact", "damageNote": "wet"])
        #expect(contradiction.code == -32007)
        #expect(contradiction.field == "damageNote")
        #expect(contradiction.message == "damageNote is only for damaged items (condition is intact)")
        #expect(try desk.storedItems() == 0, "a refused receive stores nothing")
        #expect(desk.events.isEmpty, "and emits nothing")
        #expect(desk.audit.map(\.errorKind) == ["validation", "validation"], "both refusals are audited")

        let damaged = try desk.receive(
            recipient: "王芳", unit: "5-1-302", with: ["condition": "damaged", "damageNote": "corner crushed"])
        #expect(damaged["condition"] == "damaged")
        #expect(damaged["damageNote"] == "corner crushed")
        let implied = try desk.receive(recipient: "王芳", unit: "5-1-302", with: ["damageNote": "wet"])
        #expect(implied["condition"] == "damaged", "a damage note alone says the item is damaged")
        let blankNote = try desk.receive(recipient: "王芳", unit: "5-1-302", with: ["damageNote": "  "])
        #expect(blankNote["condition"] == "intact", "a blank damage note is no note")
        #expect(blankNote["damageNote"] == .null)
    }

    @Test(
        "The same carrier + tracking while the first is held (or notified) is a conflict, -32002, naming tracking and carrying the held item's code"
    )
    func doubleScan() throws {
        let desk = try ParcelsHarness.parcels()
        let first = try desk.receive(with: ["carrier": "EMS", "tracking": "EA123456789CN"])
        let again = try desk.callError(
            "parcels.receive",
            ["kind": "letter", "recipient": "张伟", "unit": "1-1-101", "carrier": "EMS", "tracking": "EA123456789CN"])
        #expect(again.kind == .conflict)
        #expect(again.code == -32002)
        #expect(again.field == "tracking")
        #expect(again.details == ["code": .string(first.code)])
        #expect(again.message == "EMS EA123456789CN is already held as \(first.code) (scanned twice?)")

        // Notified is still at the desk.
        try desk.call("parcels.notify", ["code": .string(first.code), "channel": "sms"])
        let notified = try desk.callError(
            "parcels.receive",
            ["kind": "parcel", "recipient": "李娜", "unit": "3-2-1201", "carrier": "EMS", "tracking": "EA123456789CN"])
        #expect(notified.kind == .conflict)

        // Without a carrier the tracking number alone is compared (among items without a carrier).
        let bare = try desk.receive(with: ["tracking": "75312345"])
        let bareAgain = try desk.callError(
            "parcels.receive", ["kind": "parcel", "recipient": "李娜", "unit": "3-2-1201", "tracking": "75312345"])
        #expect(bareAgain.message == "75312345 is already held as \(bare.code) (scanned twice?)")
        #expect(bareAgain.details == ["code": .string(bare.code)])
        _ = try desk.receive(with: ["carrier": "YTO", "tracking": "75312345"])

        // The same number from another carrier is another item; items without tracking never clash.
        _ = try desk.receive(with: ["carrier": "SF", "tracking": "EA123456789CN"])
        _ = try desk.receive(with: ["carrier": "EMS"])
        _ = try desk.receive(with: ["carrier": "EMS"])

        // Once the first left the desk (collected, or returned), the number may come again.
        try desk.pickup([first.code])
        let resent = try desk.receive(with: ["carrier": "EMS", "tracking": "EA123456789CN"])
        #expect(resent["status"] == "held")
        try desk.call("parcels.return", ["code": .string(resent.code), "reason": "refused"])
        _ = try desk.receive(with: ["carrier": "EMS", "tracking": "EA123456789CN"])
    }

    @Test("Names, units and carriers keep their Unicode, in NFC, with white space trimmed and collapsed")
    func unicodeNormalised() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive(
            "letter", recipient: "  欧阳\u{3000}娜娜 ", unit: "3栋  2单元\t1201",
            with: ["note": "Cafe\u{301} 🎁 取件", "carrier": " 顺丰 速运 ", "shelf": " B\u{3000}3 "])
        #expect(item["recipient"] == "欧阳 娜娜")
        #expect(item["unit"] == "3栋 2单元 1201")
        #expect(item["note"] == "Caf\u{E9} 🎁 取件", "decomposed é is stored composed (NFC)")
        #expect(item["carrier"] == "顺丰 速运")
        #expect(item["shelf"] == "B 3")
        let plain = try desk.receive("parcel", recipient: "Zoë Müller", unit: "3栋2单元1201")
        #expect(try desk.item(plain.code)["recipient"] == "Zoë Müller", "no case or width folding")
        #expect(try desk.item(plain.code)["unit"] == "3栋2单元1201", "no space is added where none was typed")
    }

    @Test(
        "The schema's limits: an unknown field, an unknown kind, a wrong type, a text over its maxLength or a missing field is -32602 naming the field; a blank unit is -32007"
    )
    func schemaLimits() throws {
        let desk = try ParcelsHarness.parcels()
        let base: [String: JSONValue] = ["kind": "parcel", "recipient": "李娜", "unit": "3-2-1201"]
        func refusal(_ change: [String: JSONValue]) throws -> RPCError {
            try desk.callError("parcels.receive", .object(base.merging(change) { _, new in new }))
        }
        let unknown = try refusal(["colour": "red"])
        #expect(unknown.code == -32602)
        #expect(unknown.field == "colour")
        let kind = try refusal(["kind": "crate"])
        #expect(kind.code == -32602)
        #expect(kind.field == "kind")
        #expect(kind.message.contains("letter"), "the message lists the choices: \(kind.message)")
        let typed = try refusal(["kind": 5])
        #expect(typed.code == -32602)
        #expect(typed.field == "kind")
        let long = try refusal(["unit": .string(String(repeating: "9", count: 65))])
        #expect(long.code == -32602)
        #expect(long.field == "unit")
        let longName = try refusal(["recipient": .string(String(repeating: "李", count: 101))])
        #expect(longName.field == "recipient")
        let blank = try refusal(["unit": " \u{3000} "])
        #expect(blank.code == -32007)
        #expect(blank.field == "unit")
        #expect(blank.message == "unit must not be empty")
        let missing = try desk.callError("parcels.receive", ["kind": "parcel", "unit": "1"])
        #expect(missing.code == -32602)
        #expect(missing.field == "recipient")
        #expect(missing.message == "recipient is required")
        #expect(try desk.storedItems() == 0)

        // At the limits exactly, the item is taken.
        let full = try desk.receive(
            recipient: String(repeating: "李", count: 100), unit: String(repeating: "9", count: 64))
        #expect(full["unit"]?.stringValue?.count == 64)
    }

    @Test(
        "parcels.receiveBatch signs for many items in one write: one code each, unique among held items, one parcels.received event per item in order"
    )
    func batch() throws {
        let desk = try ParcelsHarness.parcels()
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
        #expect(received.allSatisfy { $0["status"] == "held" && $0["receivedAt"] == .string(desk.nowText) })
        #expect(received[7]["recipient"] == "住户7")
        #expect(desk.lastEvents.map { $0.data["code"] } == received.map { $0["code"] })
        #expect(desk.lastEvents.allSatisfy { $0.topic == "parcels.received" })
        #expect(desk.audit.count == 1, "one call, one audit record")
        #expect(try desk.pendingCodes(unit: "3-2-1201").count == 10)
    }

    @Test(
        "One bad item refuses the whole batch, naming items[2] and its field; a double scan inside the batch rolls back the items written before it"
    )
    func batchAllOrNothing() throws {
        let desk = try ParcelsHarness.parcels()
        func item(_ unit: JSONValue, tracking: String) -> JSONValue {
            ["kind": "parcel", "recipient": "李娜", "unit": unit, "carrier": "SF", "tracking": .string(tracking)]
        }
        // A business rule (blank once cleaned): the plugin names the path.
        let blank = try desk.callError(
            "parcels.receiveBatch",
            ["items": [item("1-1-101", tracking: "A"), item("1-1-102", tracking: "B"), item("   ", tracking: "C")]])
        #expect(blank.kind == .validation)
        #expect(blank.field == "items[2].unit")
        #expect(blank.message == "items[2].unit must not be empty")
        // A schema rule (missing): the contract names the path the same way.
        let missing = try desk.callError(
            "parcels.receiveBatch",
            [
                "items": [
                    item("1-1-101", tracking: "A"), item("1-1-102", tracking: "B"),
                    ["kind": "parcel", "recipient": "李娜"],
                ]
            ])
        #expect(missing.code == -32602)
        #expect(missing.field == "items[2].unit")
        #expect(missing.message == "items[2].unit is required")
        // A cross-field rule inside an item.
        let damaged = try desk.callError(
            "parcels.receiveBatch",
            ["items": [["kind": "parcel", "recipient": "李娜", "unit": "1-1-101", "condition": "damaged"]]])
        #expect(damaged.field == "items[0].damageNote")
        // A double scan inside the batch: found while writing items[2], after items[0] and [1] were written.
        let double = try desk.callError(
            "parcels.receiveBatch",
            ["items": [item("1-1-101", tracking: "A"), item("1-1-102", tracking: "B"), item("1-1-103", tracking: "A")]])
        #expect(double.kind == .conflict)
        #expect(double.code == -32002)
        #expect(double.field == "items[2].tracking")
        #expect(try desk.storedItems() == 0, "no item of a refused batch is stored")
        #expect(desk.events.isEmpty, "and no event of it is published")
        #expect(
            desk.audit.map(\.errorKind) == ["validation", "validation", "validation", "conflict"],
            "every refusal is audited (a -32602 is of kind validation too)")

        // The schema bounds the batch: 1 to 200 items.
        let tooMany = try desk.callError(
            "parcels.receiveBatch", ["items": .array((0..<201).map { item("1-1-101", tracking: "T\($0)") })])
        #expect(tooMany.code == -32602)
        #expect(tooMany.field == "items")
        let empty = try desk.callError("parcels.receiveBatch", ["items": []])
        #expect(empty.field == "items")
        #expect(empty.message == "items must not be empty")
        let most = try desk.call(
            "parcels.receiveBatch", ["items": .array((0..<200).map { item("1-1-101", tracking: "T\($0)") })])
        #expect(most["items"]?.arrayValue?.count == 200)
    }

    @Test(
        "A double scan inside one batch does not send the desk looking for a code the refusal rolled back: error.data.code, when given, names an item the desk has"
    )
    func doubleScanWithinABatchNamesNoGhost() throws {
        let desk = try ParcelsHarness.parcels()
        let item: JSONValue = [
            "kind": "parcel", "recipient": "李娜", "unit": "1-1-101", "carrier": "SF", "tracking": "A",
        ]
        let double = try desk.callError("parcels.receiveBatch", ["items": [item, item]])
        #expect(double.kind == .conflict)
        #expect(double.field == "items[1].tracking")
        #expect(double.message == "SF A is listed twice in this batch: items[0] and items[1] (scanned twice?)")
        #expect(double.details["index"] == 0)
        if let code = double.details["code"]?.stringValue {
            let lookup = Result { try desk.item(code) }
            #expect(
                (try? lookup.get()) != nil,
                "error.data.code \(code) (\(double.message)) was items[0] of the refused batch, rolled back with it")
        }
    }
}
