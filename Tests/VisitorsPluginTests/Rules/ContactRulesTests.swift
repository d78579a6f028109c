import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// `visitors.register`, `visitors.contact`, `visitors.leaveMessage`, `visitors.signOut`,
/// `visitors.onSite` and the messages (issue 15, "Methods and rules").
@Suite("visitors rules: reaching the host")
struct ContactRulesTests {
    @Test("a registered visit waits; accepted admits it with who opened the door, and every attempt is on the visit")
    func acceptedAdmits() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let reply = try desk.call("visitors.register", VisitorsHarness.arrival(["plate": "沪a 12345"]))
        let visit = try #require(reply["visit"]?.stringValue)
        #expect(visit == "V20261206-0001")
        #expect(reply["status"] == "waiting")
        #expect(reply["idType"] == "passport")
        #expect(reply["idLast4"] == "5678")
        #expect(reply["idSeen"] == true)
        #expect(reply["idCopied"] == true)
        #expect(reply["party"] == 2)
        #expect(reply["plate"] == "沪A12345")
        #expect(reply["expected"] == .null)
        #expect(reply["registeredBy"] == "li.na")
        #expect(reply["contacts"] == [])
        #expect(desk.lastEvents.map(\.topic) == ["visitors.registered"])

        try desk.call("visitors.contact", ["visit": .string(visit), "channel": "intercom", "result": "no_answer"])
        #expect(desk.lastEvents.map(\.topic) == ["visitors.noAnswer"])
        desk.caller = .operator("zhang.wei")
        let missingDoor = try desk.callError(
            "visitors.contact", ["visit": .string(visit), "channel": "flat_phone", "result": "accepted"])
        #expect(missingDoor.details["rule"] == "door_opener_required")
        let admitted = try desk.call(
            "visitors.contact",
            ["visit": .string(visit), "channel": "flat_phone", "result": "accepted", "doorOpenedBy": "desk_opened"])
        #expect(admitted["status"] == "on_site")
        #expect(admitted["doorOpenedBy"] == "desk_opened")
        #expect(admitted["admittedAt"] != .null)
        let contacts = admitted["contacts"]?.arrayValue ?? []
        #expect(contacts.map { $0["channel"] } == ["intercom", "flat_phone"])
        #expect(contacts.map { $0["result"] } == ["no_answer", "accepted"])
        #expect(contacts.map { $0["by"] } == ["li.na", "zhang.wei"])
        #expect(contacts.allSatisfy { $0["at"]?.stringValue != nil })
        #expect(desk.lastEvents.map(\.topic) == ["visitors.admitted"])

        let again = try desk.callError(
            "visitors.contact", ["visit": .string(visit), "channel": "intercom", "result": "no_answer"])
        #expect(again.kind == .invalidState)
        #expect(again.details["status"] == "on_site")
    }

    @Test("refused ends the visit as refused; visitors.get shows it as it stands")
    func refusedEnds() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        let refused = try desk.call(
            "visitors.contact", ["visit": .string(visit), "channel": "intercom", "result": "refused"])
        #expect(refused["status"] == "refused")
        #expect(desk.lastEvents.map(\.topic) == ["visitors.refused"])
        #expect(try desk.call("visitors.get", ["visit": .string(visit)]) == refused)
        #expect(try desk.callError("visitors.get", ["visit": "V20261206-9999"]).kind == .notFound)
        #expect(try desk.callError("visitors.signOut", ["visit": .string(visit)]).kind == .invalidState)
    }

    @Test(
        "after an intercom without answer the desk may not give up before phoning: rule phone_attempt_required, then the message"
    )
    func phoneAttemptRequired() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        let untried = try desk.callError(
            "visitors.leaveMessage", ["visit": .string(visit), "message": "我下午再来"])
        #expect(untried.details["rule"] == "contact_attempt_required")
        try desk.call("visitors.contact", ["visit": .string(visit), "channel": "intercom", "result": "no_answer"])
        let giveUps: [(String, JSONValue)] = [
            ("visitors.leaveMessage", ["visit": .string(visit), "message": "我下午再来"]),
            ("visitors.signOut", ["visit": .string(visit)]),
        ]
        for (method, params) in giveUps {
            let error = try desk.callError(method, params)
            #expect(error.kind == .validation, "\(method)")
            #expect(error.details["rule"] == "phone_attempt_required", "\(method)")
            #expect(error.field == "visit")
        }
        #expect(try desk.status(of: visit) == "waiting")
        try desk.call("visitors.contact", ["visit": .string(visit), "channel": "flat_phone", "result": "no_answer"])
        try desk.call("visitors.contact", ["visit": .string(visit), "channel": "other_phone", "result": "no_answer"])
        let message = try desk.call("visitors.leaveMessage", ["visit": .string(visit), "message": "我下午再来"])
        #expect(message["message"] == "M20261206-0001")
        #expect(message["text"] == "我下午再来")
        #expect(message["hostUnit"] == "3-2-1201")
        #expect(message["delivered"] == false)
        #expect(desk.lastEvents.map(\.topic) == ["visitors.message"])
        #expect(try desk.status(of: visit) == "left_message")

        let waiting = try desk.call("visitors.messages", ["unit": "3栋2单元1201"])["messages"]?.arrayValue ?? []
        #expect(waiting.map { $0["message"] } == ["M20261206-0001"])
        let delivered = try desk.call("visitors.deliverMessage", ["message": "M20261206-0001", "to": "陈明"])
        #expect(delivered["delivered"] == true)
        #expect(delivered["deliveredTo"] == "陈明")
        #expect(desk.lastEvents.map(\.topic) == ["visitors.messageDelivered"])
        #expect(try desk.call("visitors.messages", ["unit": "3-2-1201"])["messages"] == [])
        #expect(
            try desk.call("visitors.messages", ["unit": "3-2-1201", "all": true])["messages"]?.arrayValue?.count == 1)
        #expect(
            try desk.callError("visitors.deliverMessage", ["message": "M20261206-0001", "to": "陈明"]).kind
                == .invalidState)
    }

    @Test("an intercom without answer followed by a phone call that got no answer lets a waiting visitor sign out")
    func waitingVisitorLeaves() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        try desk.call("visitors.contact", ["visit": .string(visit), "channel": "intercom", "result": "no_answer"])
        try desk.call("visitors.contact", ["visit": .string(visit), "channel": "flat_phone", "result": "no_answer"])
        let gone = try desk.call("visitors.signOut", ["visit": .string(visit)])
        #expect(gone["status"] == "signed_out")
        #expect(desk.lastEvents.map(\.topic) == ["visitors.signedOut"])
    }

    @Test("visitors.onSite lists who is inside now by unit, one unit's in any spelling")
    func onSiteByUnit() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let first = try desk.admit()
        let second = try desk.admit(["name": "赵强", "hostUnit": "5-1-302", "hostName": "刘洋"])
        try desk.register(["name": "孙丽"])  // still waiting: not inside
        let all = try desk.call("visitors.onSite")["visits"]?.arrayValue ?? []
        #expect(Set(all.compactMap { $0["visit"]?.stringValue }) == [first, second])
        let one = try desk.call("visitors.onSite", ["unit": "3栋2单元1201"])["visits"]?.arrayValue ?? []
        #expect(one.map { $0["visit"] } == [.string(first)])
        try desk.call("visitors.signOut", ["visit": .string(first)])
        #expect(try desk.call("visitors.onSite", ["unit": "3-2-1201"])["visits"] == [])
    }
}

/// The limit on attempts per visit.
@Suite("visitors rules: limits")
struct LimitRulesTests {
    @Test("a visit records at most 20 attempts to reach the host; the 21st is a limit error")
    func attemptsAreLimited() throws {
        let desk = try VisitorsHarness.desk(at: "2026-12-06 15:00")
        let visit = try desk.register()
        for _ in 0..<20 {
            try desk.call(
                "visitors.contact", ["visit": .string(visit), "channel": "other_phone", "result": "no_answer"])
        }
        let error = try desk.callError(
            "visitors.contact", ["visit": .string(visit), "channel": "other_phone", "result": "no_answer"])
        #expect(error.kind == .limit)
        #expect(try desk.query("SELECT id FROM visitors_contacts").count == 20)
    }
}
