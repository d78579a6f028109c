import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `held` → (`notified`) → `collected` | `returned`; any other transition is `invalid_state`
/// naming the current state; unknown codes are `not_found`.
@Suite("parcels: the life of an item", .timeLimit(.minutes(2)))
struct LifecycleTests {
    @Test("parcels.notify records the channel and who told the recipient; telling them again counts up")
    func notify() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let item = try desk.receive()
        let told = try desk.call("parcels.notify", ["code": .string(item.code), "channel": "sms", "by": "王芳"])
        #expect(told["status"] == "notified")
        #expect(told["notifyChannel"] == "sms")
        #expect(told["notifiedBy"] == "王芳")
        #expect(told["notifyCount"] == 1)
        #expect(told["notifiedAt"]?.stringValue?.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)
        #expect(told["notifierError"] == .null)

        let again = try desk.call("parcels.notify", ["code": .string(item.code), "channel": "phone"])
        #expect(again["notifyCount"] == 2)
        #expect(again["notifiedBy"] == "li.na", "by defaults to the connection's operator")
        #expect(again["notifyChannel"] == "phone")

        // A notified item is still held: pending shows it, and it can be handed out.
        #expect(try desk.pendingCodes(unit: "3-2-1201") == [item.code])
        #expect(try desk.pickup([item.code])["items"]?.arrayValue?.first?["status"] == "collected")
        #expect(try desk.call("parcels.get", ["code": .string(item.code)])["status"] == "collected")

        let anonymous = try daemon.connect()
        let other = try anonymous.receive()
        let nobody = try #require(
            try anonymous.callError("parcels.notify", ["code": .string(other.code), "channel": "sms"]))
        #expect(nobody.field == "by", "without daemon.hello the notifier must be named")
        #expect(
            try anonymous.callError("parcels.notify", ["code": .string(other.code), "channel": "fax", "by": "x"])?.field
                == "channel")
        try daemon.stop()
    }

    @Test("parcels.remind records a reminder on an item still held")
    func remind() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let item = try desk.receive()
        let first = try desk.call("parcels.remind", ["code": .string(item.code)])
        #expect(first["reminderCount"] == 1)
        #expect(first["status"] == "held", "a reminder does not change the state")
        #expect(first["remindedAt"]?.stringValue?.isEmpty == false)
        let second = try desk.call("parcels.remind", ["code": .string(item.code), "channel": "notice"])
        #expect(second["reminderCount"] == 2)
        try daemon.stop()
    }

    @Test("parcels.return marks an item returned to sender with the reason; it then leaves pending")
    func returnToSender() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let item = try desk.receive()
        let returned = try desk.call(
            "parcels.return", ["code": .string(item.code), "reason": "无此人 / unknown recipient"])
        #expect(returned["status"] == "returned")
        #expect(returned["returnReason"] == "无此人 / unknown recipient")
        #expect(returned["returnedAt"]?.stringValue?.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)
        #expect(returned["returnedBy"] == "li.na")
        #expect(try desk.pendingCodes(unit: "3-2-1201").isEmpty)
        #expect(try desk.callError("parcels.return", ["code": .string(item.code), "reason": " "])?.field == "reason")
        try daemon.stop()
    }

    @Test(
        "Every transition out of collected or returned is invalid_state naming the state; unknown codes are not_found")
    func invalidTransitions() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let collected = try desk.receive()
        try desk.pickup([collected.code], by: "王芳")
        let returned = try desk.receive()
        try desk.call("parcels.return", ["code": .string(returned.code), "reason": "refused"])

        let attempts: [(String, [String: JSONValue])] = [
            ("parcels.notify", ["channel": "sms", "by": "x"]),
            ("parcels.remind", [:]),
            ("parcels.return", ["reason": "late"]),
            ("parcels.amend", ["shelf": "C-1"]),
            ("parcels.pickup", [:]),
        ]
        for (state, item) in [("collected", collected), ("returned", returned)] {
            for (method, extra) in attempts {
                var params = extra
                if method == "parcels.pickup" {
                    params = [
                        "codes": [.string(item.code)], "collectedBy": "x", "idType": "id_card", "idLast4": "1234",
                    ]
                } else {
                    params["code"] = .string(item.code)
                }
                let error = try #require(try desk.callError(method, .object(params)), "\(method) on a \(state) item")
                #expect(error.kind == .invalidState, "\(method) on \(state): \(error)")
                #expect(error.code == -32003)
                #expect(error.details["status"] == .string(state), "\(method): \(error)")
                #expect(error.details["code"] == .string(item.code))
                #expect(error.message.contains(state), "\(method): the message names the state: \(error.message)")
            }
        }
        for (method, params) in [
            ("parcels.get", ["code": "X9X9"]), ("parcels.notify", ["code": "X9X9", "channel": "sms", "by": "x"]),
            ("parcels.remind", ["code": "X9X9"]), ("parcels.return", ["code": "X9X9", "reason": "r"]),
            ("parcels.amend", ["code": "X9X9", "note": "n"]),
        ] as [(String, JSONValue)] {
            let error = try #require(try desk.callError(method, params), "\(method)")
            #expect(error.kind == .notFound, "\(method): \(error)")
            #expect(error.details["code"] == "X9X9")
        }
        try daemon.stop()
    }

    @Test("parcels.amend corrects recipient, unit, shelf and note of a held item and answers the old and new values")
    func amend() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let item = try desk.receive(recipient: "李 娜", unit: "3-2-1201", with: ["shelf": "A-1", "note": "big box"])
        let amended = try desk.call(
            "parcels.amend",
            ["code": .string(item.code), "recipient": "李娜", "unit": "3-2-1202", "shelf": "A-2", "note": ""])
        #expect(amended["recipient"] == "李娜")
        #expect(amended["unit"] == "3-2-1202")
        #expect(amended["shelf"] == "A-2")
        #expect(amended["note"] == .null, "an empty note clears it")
        #expect(
            amended["changes"] == [
                "recipient": ["old": "李 娜", "new": "李娜"], "unit": ["old": "3-2-1201", "new": "3-2-1202"],
                "shelf": ["old": "A-1", "new": "A-2"], "note": ["old": "big box", "new": nil],
            ])
        #expect(amended["code"] == .string(item.code), "the pickup code stays")
        #expect(try desk.pendingCodes(unit: "3-2-1201").isEmpty)
        #expect(try desk.pendingCodes(unit: "3-2-1202") == [item.code])

        let same = try desk.call("parcels.amend", ["code": .string(item.code), "shelf": "A-2"])
        #expect(same["changes"] == [:], "nothing changed, nothing recorded")
        #expect(try desk.callError("parcels.amend", ["code": .string(item.code)])?.kind == .validation)
        #expect(try desk.callError("parcels.amend", ["code": .string(item.code), "unit": "  "])?.field == "unit")
        #expect(try desk.callError("parcels.amend", ["code": .string(item.code), "kind": "letter"])?.field == "kind")
        try daemon.stop()
    }
}
