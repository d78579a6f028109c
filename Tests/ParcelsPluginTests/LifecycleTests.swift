import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `held` → (`notified`) → `collected` | `returned` through the real daemon: notify, remind,
/// amend and return on the wire, with the caller the daemon builds from `daemon.hello` and the
/// socket's peer credentials. Every transition rule is in `Rules/LifecycleRulesTests.swift`.
@Suite("parcels over the socket: the life of an item", .timeLimit(.minutes(2)))
struct LifecycleTests {
    @Test(
        "notify, remind, amend and return answer the item over the socket, stamped with the operator daemon.hello named; a change to a returned item is invalid_state with error.data"
    )
    func lifeOverTheWire() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter()
        let item = try desk.receive(with: ["shelf": "A-1"])

        let told = try desk.call("parcels.notify", ["code": .string(item.code), "channel": "sms"])
        #expect(told["status"] == "notified")
        #expect(told["notifyChannel"] == "sms")
        #expect(told["notifiedBy"] == "li.na", "by defaults to the connection's operator")
        #expect(told["notifyCount"] == 1)
        #expect(told["notifiedAt"]?.stringValue?.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)

        let reminded = try desk.call("parcels.remind", ["code": .string(item.code), "channel": "notice"])
        #expect(reminded["reminderCount"] == 1)
        #expect(reminded["status"] == "notified")
        #expect(reminded["remindedAt"]?.stringValue?.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)

        let amended = try desk.call("parcels.amend", ["code": .string(item.code), "shelf": "B-2", "note": "heavy"])
        #expect(amended["shelf"] == "B-2")
        #expect(amended["changes"] == ["shelf": ["old": "A-1", "new": "B-2"], "note": ["old": nil, "new": "heavy"]])

        let returned = try desk.call(
            "parcels.return", ["code": .string(item.code), "reason": "无此人 / unknown recipient"])
        #expect(returned["status"] == "returned")
        #expect(returned["returnReason"] == "无此人 / unknown recipient")
        #expect(returned["returnedBy"] == "li.na")
        let returnedAt = try #require(returned["returnedAt"]?.stringValue)
        #expect(returnedAt.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)
        #expect(try desk.pendingCodes(unit: "3-2-1201").isEmpty)

        let again = try #require(try desk.callError("parcels.remind", ["code": .string(item.code)]))
        #expect(again.kind == .invalidState)
        #expect(again.code == -32003)
        #expect(
            again.message
                == "cannot remind \(item.code): it was returned to sender at \(returnedAt) (无此人 / unknown recipient)")
        #expect(again.details["status"] == "returned")
        #expect(again.details["code"] == .string(item.code))
        #expect(again.details["returnedAt"] == .string(returnedAt))
        try daemon.stop()
    }

    @Test(
        "Without daemon.hello the plugin sees no operator: rows are stamped with the peer's uid, and notify must be told who"
    )
    func anonymousConnection() throws {
        let daemon = try ParcelsDesk.start()
        let anonymous = try daemon.connect()
        let item = try anonymous.receive()
        #expect(item["receivedBy"] == .string("uid \(getuid())"), "from the socket's peer credentials")
        let nobody = try #require(
            try anonymous.callError("parcels.notify", ["code": .string(item.code), "channel": "sms"]))
        #expect(nobody.code == -32007)
        #expect(nobody.field == "by", "without daemon.hello the notifier must be named")
        let named = try anonymous.call("parcels.notify", ["code": .string(item.code), "channel": "sms", "by": "王芳"])
        #expect(named["notifiedBy"] == "王芳")
        try daemon.stop()
    }
}
