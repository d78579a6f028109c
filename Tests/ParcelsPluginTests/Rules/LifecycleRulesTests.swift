import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// `held` → (`notified`) → `collected` | `returned`, in-process: what notify, remind, return and
/// amend record, and every transition the desk refuses, with its `invalid_state` details.
@Suite("parcels rules: the life of an item")
struct LifecycleRulesTests {
    @Test(
        "parcels.notify records the channel, who told the recipient and when; telling them again counts up; parcels.notified carries the notification's id"
    )
    func notify() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        desk.clock.advance(by: 600)
        let told = try desk.call("parcels.notify", ["code": .string(item.code), "channel": "sms", "by": "王芳"])
        #expect(told["status"] == "notified")
        #expect(told["notifyChannel"] == "sms")
        #expect(told["notifiedBy"] == "王芳")
        #expect(told["notifyCount"] == 1)
        #expect(told["notifiedAt"] == .string(desk.nowText))
        #expect(told["notifierError"] == .null)
        #expect(told["notificationId"] == nil, "the reply is the item")
        #expect(desk.lastEvents.map(\.topic) == ["parcels.notified"])
        let event = try #require(desk.lastEvents.first?.data)
        #expect(event["notificationId"] == 1, "the event adds the notification row for the notifier")
        #expect(event["code"] == .string(item.code))
        #expect(event["status"] == "notified")

        desk.clock.advance(by: 600)
        let again = try desk.call("parcels.notify", ["code": .string(item.code), "channel": "phone"])
        #expect(again["notifyCount"] == 2)
        #expect(again["notifiedBy"] == "li.na", "by defaults to the connection's operator")
        #expect(again["notifyChannel"] == "phone")
        #expect(again["notifiedAt"] == .string(desk.nowText), "the latest notification's time")
        #expect(desk.lastEvents.first?.data["notificationId"] == 2)

        let history = try desk.query(
            "SELECT kind, channel, notified_by, notifier_status FROM parcels_notifications ORDER BY id")
        #expect(history.map { $0.string("kind") } == ["notify", "notify"])
        #expect(history.map { $0.string("channel") } == ["sms", "phone"])
        #expect(history.map { $0.string("notified_by") } == ["王芳", "li.na"])
        #expect(
            history.map { $0.string("notifier_status") } == ["none", "none"], "no notifier configured: nothing to run")
        #expect(desk.pendingBackground.isEmpty)
    }

    @Test(
        "parcels.notify names who told them: without an operator from daemon.hello, by is required; a channel outside the list is -32602"
    )
    func notifyNeedsSomeone() throws {
        let desk = try ParcelsHarness.parcels(caller: .operator(nil))
        let item = try desk.receive()
        let nobody = try desk.callError("parcels.notify", ["code": .string(item.code), "channel": "sms"])
        #expect(nobody.code == -32007)
        #expect(nobody.field == "by")
        #expect(nobody.message == "by is required when the connection has not named its operator (daemon.hello)")
        let fax = try desk.callError("parcels.notify", ["code": .string(item.code), "channel": "fax", "by": "x"])
        #expect(fax.code == -32602)
        #expect(fax.field == "channel")
        #expect(try desk.item(item.code)["status"] == "held")
        #expect(
            try desk.call("parcels.notify", ["code": .string(item.code), "channel": "in_person", "by": "王芳"])[
                "notifyChannel"] == "in_person")
    }

    @Test("A notified item is still at the desk: pending lists it, and it can be reminded, amended, handed out")
    func notifiedIsHeld() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        try desk.call("parcels.notify", ["code": .string(item.code), "channel": "sms"])
        #expect(try desk.pendingCodes(unit: "3-2-1201") == [item.code])
        #expect(try desk.call("parcels.remind", ["code": .string(item.code)])["status"] == "notified")
        #expect(try desk.call("parcels.amend", ["code": .string(item.code), "shelf": "C-1"])["status"] == "notified")
        #expect(try desk.pickup([item.code])["items"]?.arrayValue?.first?["status"] == "collected")
    }

    @Test(
        "parcels.remind counts reminders on an item still held, without changing its state; parcels.reminded carries the notification's id"
    )
    func remind() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        desk.clock.advance(days: 8)
        let first = try desk.call("parcels.remind", ["code": .string(item.code)])
        #expect(first["reminderCount"] == 1)
        #expect(first["status"] == "held", "a reminder does not change the state")
        #expect(first["remindedAt"] == .string(desk.nowText))
        #expect(first["notifyCount"] == 0, "a reminder is not a notification")
        #expect(desk.lastEvents.map(\.topic) == ["parcels.reminded"])
        #expect(desk.lastEvents.first?.data["notificationId"] == 1)
        desk.clock.advance(days: 1)
        let second = try desk.call("parcels.remind", ["code": .string(item.code), "channel": "notice", "by": "王芳"])
        #expect(second["reminderCount"] == 2)
        #expect(second["remindedAt"] == .string(desk.nowText))
        let history = try desk.query("SELECT kind, channel, notified_by FROM parcels_notifications ORDER BY id")
        #expect(history.map { $0.string("kind") } == ["remind", "remind"])
        #expect(history.map { $0.string("channel") } == [nil, "notice"])
        #expect(history.map { $0.string("notified_by") } == ["li.na", "王芳"])
    }

    @Test("parcels.return marks an item returned to sender with the reason, when and by whom; it leaves pending")
    func returnToSender() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        desk.clock.advance(days: 14)
        let returned = try desk.call(
            "parcels.return", ["code": .string(item.code), "reason": " 无此人 /  unknown recipient "])
        #expect(returned["status"] == "returned")
        #expect(returned["returnReason"] == "无此人 / unknown recipient", "the reason is cleaned as any desk text")
        #expect(returned["returnedAt"] == .string(desk.nowText))
        #expect(returned["returnedBy"] == "li.na")
        #expect(desk.lastEvents.map(\.topic) == ["parcels.returned"])
        #expect(desk.lastEvents.first?.data == returned)
        #expect(try desk.pendingCodes(unit: "3-2-1201").isEmpty)

        let other = try desk.receive()
        let blank = try desk.callError("parcels.return", ["code": .string(other.code), "reason": " "])
        #expect(blank.code == -32007)
        #expect(blank.field == "reason")
        #expect(blank.message == "reason must not be empty")
        let missing = try desk.callError("parcels.return", ["code": .string(other.code)])
        #expect(missing.code == -32602)
        #expect(missing.field == "reason")
    }

    @Test(
        "Every change to a collected or returned item is invalid_state (-32003): the message says what was refused and the state, error.data the code and state"
    )
    func invalidTransitions() throws {
        let desk = try ParcelsHarness.parcels()
        let collected = try desk.receive()
        let returned = try desk.receive()
        desk.clock.advance(by: 60)
        let collectedAt = desk.nowText
        try desk.pickup([collected.code], by: "王芳", proxy: true)
        desk.clock.advance(by: 60)
        let returnedAt = desk.nowText
        try desk.call("parcels.return", ["code": .string(returned.code), "reason": "refused"])
        desk.clock.advance(by: 60)

        let cases: [(item: JSONValue, sentence: String, details: [String: JSONValue])] = [
            (
                collected, "it was collected by 王芳 at \(collectedAt)",
                [
                    "code": .string(collected.code), "status": "collected", "collectedBy": "王芳",
                    "collectedAt": .string(collectedAt),
                ]
            ),
            (
                returned, "it was returned to sender at \(returnedAt) (refused)",
                [
                    "code": .string(returned.code), "status": "returned", "returnedAt": .string(returnedAt),
                    "returnReason": "refused",
                ]
            ),
        ]
        let attempts: [(method: String, action: String, extra: [String: JSONValue])] = [
            ("parcels.notify", "notify", ["channel": "sms"]),
            ("parcels.remind", "remind", [:]),
            ("parcels.return", "return", ["reason": "late"]),
            ("parcels.amend", "amend", ["shelf": "C-1"]),
        ]
        for (item, sentence, details) in cases {
            let before = try desk.item(item.code)
            for (method, action, extra) in attempts {
                var params = extra
                params["code"] = .string(item.code)
                let error = try desk.callError(method, .object(params))
                #expect(error.kind == .invalidState, "\(method): \(error)")
                #expect(error.code == -32003)
                #expect(error.message == "cannot \(action) \(item.code): \(sentence)")
                #expect(error.details == details, "\(method)")
            }
            let pickup = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([item.code]))
            #expect(pickup.message == "cannot hand out \(item.code): \(sentence)")
            #expect(pickup.details == details.merging(["index": 0]) { old, _ in old })
            #expect(try desk.item(item.code) == before, "nothing changed")
        }
        #expect(
            desk.events.map(\.topic) == [
                "parcels.received", "parcels.received", "parcels.collected", "parcels.returned",
            ])
        #expect(desk.audit.suffix(10).allSatisfy { $0.errorKind == "invalid_state" })
    }

    @Test("An unknown code is not_found (-32001) for every method that takes one, with the code in error.data")
    func unknownCode() throws {
        let desk = try ParcelsHarness.parcels()
        try desk.receive()
        for (method, params) in [
            ("parcels.get", ["code": "X9X9"]), ("parcels.notify", ["code": "X9X9", "channel": "sms"]),
            ("parcels.remind", ["code": "X9X9"]), ("parcels.return", ["code": "X9X9", "reason": "r"]),
            ("parcels.amend", ["code": "x9x9", "note": "n"]),
        ] as [(String, JSONValue)] {
            let error = try desk.callError(method, params)
            #expect(error.kind == .notFound, "\(method): \(error)")
            #expect(error.code == -32001)
            #expect(error.message == "no item with pickup code X9X9", "\(method)")
            #expect(error.details == ["code": "X9X9"], "\(method)")
        }
    }

    @Test(
        "parcels.amend corrects recipient, unit, shelf and note of a held item, answers the changes (old and new), keeps them in parcels_amendments and emits parcels.amended"
    )
    func amend() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive(recipient: "李 娜", unit: "3-2-1201", with: ["shelf": "A-1", "note": "big box"])
        desk.clock.advance(by: 300)
        let amended = try desk.call(
            "parcels.amend",
            ["code": .string(item.code), "recipient": "李娜", "unit": " 3-2-1202 ", "shelf": "A-2", "note": ""])
        #expect(amended["recipient"] == "李娜")
        #expect(amended["unit"] == "3-2-1202", "cleaned as parcels.receive cleans it")
        #expect(amended["shelf"] == "A-2")
        #expect(amended["note"] == .null, "an empty note clears it")
        #expect(
            amended["changes"] == [
                "recipient": ["old": "李 娜", "new": "李娜"], "unit": ["old": "3-2-1201", "new": "3-2-1202"],
                "shelf": ["old": "A-1", "new": "A-2"], "note": ["old": "big box", "new": nil],
            ])
        #expect(amended["code"] == .string(item.code), "the pickup code stays")
        #expect(amended["receivedAt"] == item["receivedAt"])
        #expect(desk.lastEvents.map(\.topic) == ["parcels.amended"])
        #expect(desk.lastEvents.first?.data == amended)
        #expect(try desk.pendingCodes(unit: "3-2-1201").isEmpty)
        #expect(try desk.pendingCodes(unit: "3-2-1202") == [item.code])

        let history = try desk.query(
            "SELECT field, old_value, new_value, amended_by, at FROM parcels_amendments ORDER BY field")
        #expect(history.map { $0.string("field") } == ["note", "recipient", "shelf", "unit"])
        #expect(history.map { $0.string("old_value") } == ["big box", "李 娜", "A-1", "3-2-1201"])
        #expect(history.map { $0.string("new_value") } == [nil, "李娜", "A-2", "3-2-1202"])
        #expect(history.allSatisfy { $0.string("amended_by") == "li.na" && $0.string("at") == desk.nowText })

        let same = try desk.call("parcels.amend", ["code": .string(item.code), "shelf": "A-2"])
        #expect(same["changes"] == [:], "nothing changed, nothing recorded")
        #expect(desk.lastEvents.isEmpty, "and no event")
        #expect(try desk.query("SELECT count(*) AS n FROM parcels_amendments").first?.int("n") == 4)
    }

    @Test(
        "parcels.amend refuses a call with nothing to correct, a blank recipient or unit, and fields it cannot correct"
    )
    func amendRefusals() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        let nothing = try desk.callError("parcels.amend", ["code": .string(item.code)])
        #expect(nothing.code == -32007)
        #expect(nothing.field == "code")
        #expect(nothing.message == "give at least one of recipient, unit, shelf, note to correct")
        let unit = try desk.callError("parcels.amend", ["code": .string(item.code), "unit": "  "])
        #expect(unit.code == -32007)
        #expect(unit.field == "unit")
        #expect(unit.message == "unit must not be empty")
        let recipient = try desk.callError("parcels.amend", ["code": .string(item.code), "recipient": "\u{3000}"])
        #expect(recipient.field == "recipient")
        let kind = try desk.callError("parcels.amend", ["code": .string(item.code), "kind": "letter"])
        #expect(kind.code == -32602)
        #expect(kind.field == "kind")
        #expect(try desk.item(item.code) == item, "nothing changed")
    }
}
