import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// The rules of handing items out (`parcels.pickup`), in-process: all or nothing, the failing
/// code named with its index and state, only four characters of an identity number kept.
@Suite("parcels rules: handing items out")
struct PickupRulesTests {
    @Test(
        "Several codes at once: each item is collected, stamped with the call's time, who collected, the document and its last four characters, and the operator who handed it out"
    )
    func pickupSeveral() throws {
        let desk = try ParcelsHarness.parcels(caller: .operator("zhao.lei"))
        let a = try desk.receive("parcel")
        let b = try desk.receive("letter")
        let other = try desk.receive("letter")
        desk.clock.advance(by: 3600)
        let result = try desk.call(
            "parcels.pickup",
            [
                "codes": [.string(a.code), .string(b.code.lowercased())], "collectedBy": "王芳", "proxy": true,
                "idType": "id_card", "idLast4": "071X",
            ])
        let items = try #require(result["items"]?.arrayValue)
        #expect(items.map(\.code) == [a.code, b.code], "in the order the codes were given")
        for item in items {
            #expect(item["status"] == "collected")
            #expect(item["collectedAt"] == .string(desk.nowText))
            #expect(item["collectedBy"] == "王芳")
            #expect(item["proxy"] == true)
            #expect(item["idType"] == "id_card")
            #expect(item["idLast4"] == "071X")
            #expect(item["handedOutBy"] == "zhao.lei")
        }
        #expect(desk.lastEvents.map(\.topic) == ["parcels.collected", "parcels.collected"])
        #expect(desk.lastEvents.map(\.data) == items, "one event per item, carrying it")
        #expect(try desk.item(a.code) == items[0])
        #expect(try desk.pendingCodes(unit: "3-2-1201") == [other.code])

        let alone = try desk.pickup([other.code])
        #expect(alone["items"]?.arrayValue?.first?["proxy"] == false, "proxy defaults to false")
    }

    @Test(
        "If any code is not held, nothing is handed out: invalid_state (-32003) naming the code, its index, its state and who took it"
    )
    func pickupIsAllOrNothing() throws {
        let desk = try ParcelsHarness.parcels()
        let a = try desk.receive()
        let taken = try desk.receive()
        let b = try desk.receive()
        let sent = try desk.receive()
        desk.clock.advance(by: 60)
        let takenAt = desk.nowText
        try desk.pickup([taken.code], by: "张伟", proxy: true)
        desk.clock.advance(by: 60)
        let sentAt = desk.nowText
        try desk.call("parcels.return", ["code": .string(sent.code), "reason": "refused by recipient"])
        desk.clock.advance(by: 60)
        let audited = desk.audit.count

        let collected = try desk.callError(
            "parcels.pickup", ParcelsHarness.pickupParams([a.code, taken.code, b.code], last4: "4321"))
        #expect(collected.kind == .invalidState)
        #expect(collected.code == -32003)
        #expect(collected.message == "cannot hand out \(taken.code): it was collected by 张伟 at \(takenAt)")
        #expect(
            collected.details == [
                "code": .string(taken.code), "index": 1, "status": "collected", "collectedBy": "张伟",
                "collectedAt": .string(takenAt),
            ])

        let returned = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([a.code, sent.code]))
        #expect(returned.kind == .invalidState)
        #expect(
            returned.message
                == "cannot hand out \(sent.code): it was returned to sender at \(sentAt) (refused by recipient)")
        #expect(
            returned.details == [
                "code": .string(sent.code), "index": 1, "status": "returned", "returnedAt": .string(sentAt),
                "returnReason": "refused by recipient",
            ])

        let unknown = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([a.code, b.code, "Q7Q7Q7"]))
        #expect(unknown.kind == .notFound)
        #expect(unknown.code == -32001)
        #expect(unknown.message == "no item with pickup code Q7Q7Q7")
        #expect(unknown.details == ["code": "Q7Q7Q7", "index": 2])

        let twice = try desk.callError(
            "parcels.pickup", ParcelsHarness.pickupParams([a.code, b.code, a.code.lowercased()]))
        #expect(twice.kind == .validation)
        #expect(twice.field == "codes[2]", "the same code typed in another case is the same code")
        #expect(twice.message == "codes[2]: \(a.code) is listed twice")

        // Nothing of the refused pickups was applied, emitted or lost from the audit.
        #expect(try desk.pendingCodes(unit: "3-2-1201") == [a.code, b.code])
        #expect(try desk.item(taken.code)["collectedBy"] == "张伟")
        #expect(desk.lastEvents.isEmpty)
        #expect(
            desk.audit.dropFirst(audited).map(\.errorKind) == [
                "invalid_state", "invalid_state", "not_found", "validation",
            ])
    }

    @Test("codes: one to fifty, each a code; an empty list is validation naming codes, fifty-one is -32602")
    func codesBounds() throws {
        let desk = try ParcelsHarness.parcels()
        let empty = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([]))
        #expect(empty.code == -32007)
        #expect(empty.field == "codes")
        #expect(empty.message == "codes must name at least one item")
        let many = try desk.callError(
            "parcels.pickup", ParcelsHarness.pickupParams((0..<51).map { "A\($0 % 8 + 2)B\($0 / 8 + 2)" }))
        #expect(many.code == -32602)
        #expect(many.field == "codes")
        let missing = try desk.callError("parcels.pickup", ["codes": ["K7M3"], "idType": "id_card", "idLast4": "1234"])
        #expect(missing.code == -32602)
        #expect(missing.field == "collectedBy")
    }

    @Test(
        "Only the last four characters of an identity number are stored: a full number is -32602 naming idLast4, and appears in no message, row or audit record"
    )
    func identityStaysPrivate() throws {
        let fullNumber = "11010119900307663X"
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()

        let full = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([item.code], last4: fullNumber))
        #expect(full.code == -32602)
        #expect(full.field == "idLast4")
        #expect(!full.message.contains(fullNumber), "\(full.message)")
        #expect(!full.message.contains("07663X"), "\(full.message)")
        #expect(desk.audit.last?.errorKind == "validation")
        #expect(desk.audit.last?.params["idLast4"] == "****663X", "the refused call is audited masked")

        for short in ["63X", "****", "12 4", "12-4"] {
            let refused = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([item.code], last4: short))
            #expect(refused.code == -32007, "\(short): \(refused)")
            #expect(refused.field == "idLast4")
            #expect(refused.message == "idLast4 must be exactly the last 4 letters or digits of the document number")
        }
        #expect(try desk.item(item.code)["status"] == "held")

        try desk.pickup([item.code], last4: "663X")
        #expect(try desk.item(item.code)["idLast4"] == "663X")
        #expect(desk.audit.last?.params["idLast4"] == "****", "even the four characters are masked in the audit")
        let stored = try desk.query("SELECT id_last4 FROM parcels_items").map { $0.string("id_last4") }
        #expect(stored == ["663X"])
        #expect(!desk.audit.map { $0.params.serialized() }.joined().contains("07663X"))
    }

    @Test(
        "idLast4 is counted in Unicode scalars: as typed by the schema (-32602), after NFC by the plugin's rule (-32007), as the column's CHECK counts, never a raw CHECK failure"
    )
    func idLast4CountsScalars() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        // No precomposed x with acute: eight scalars, refused by the schema before the plugin runs.
        let combining = try desk.callError(
            "parcels.pickup", ParcelsHarness.pickupParams([item.code], last4: String(repeating: "x\u{301}", count: 4)))
        #expect(combining.code == -32602)
        #expect(combining.field == "idLast4")
        #expect(
            combining.message == "idLast4 is 8 Unicode scalars long; at most 4 allowed (lengths count Unicode scalars)")
        // The schema counts what was typed: decomposed é is two scalars even though NFC makes it one.
        let decomposed = try desk.callError(
            "parcels.pickup", ParcelsHarness.pickupParams([item.code], last4: String(repeating: "e\u{301}", count: 4)))
        #expect(decomposed.code == -32602)
        #expect(decomposed.field == "idLast4")
        // Four scalars of which one is a combining mark: within the schema, not letters or digits.
        let mark = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([item.code], last4: "ab\u{301}c"))
        #expect(mark.code == -32007)
        #expect(mark.field == "idLast4")
        #expect(!mark.message.contains("CHECK"), "no raw constraint text: \(mark.message)")
        #expect(try desk.item(item.code)["status"] == "held")
        // Four precomposed letters are four scalars, as the column's CHECK counts, and pass.
        try desk.pickup([item.code], last4: "éééé")
        #expect(try desk.item(item.code)["idLast4"] == "ÉÉÉÉ", "stored upper-cased, as the document prints it")
    }
}
