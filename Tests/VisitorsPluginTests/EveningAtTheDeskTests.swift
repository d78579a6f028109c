import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// An evening at the visitors' desk through the real daemon and socket, as protocol.md tells it:
/// visitors registered with a document, one host opening the door from home, one reached neither
/// at the intercom nor on the flat's phone (the visitor leaves a message, handed to the host
/// later), one visitor registered for the night with an identity card after a driving licence was
/// refused, and the night's list for security. The daemon runs in a zone where it is about 20:00
/// (``VisitorsDesk/zone(atHour:)``), so today's 23:00 curfew is ahead and tonight is today's night.
@Suite("visitors: an evening at the desk over the socket", .timeLimit(.minutes(2)))
struct EveningAtTheDeskTests {
    @Test(
        "One host opens from home at the intercom; another answers neither the intercom nor the flat phone, so the visitor leaves a message, handed over later"
    )
    func visitorsIn() throws {
        let zone = VisitorsDesk.zone()
        let daemon = try VisitorsDesk.start(zone: zone)
        let watcher = try daemon.connect()
        try watcher.subscribe(["visitors"])
        let desk = try daemon.counter()

        // 王芳 and her husband, for 陈明 of 3-2-1201: registered, waiting, held to today's 23:00.
        let registered = try desk.register(
            VisitorsDesk.arrival(
                "王芳", idType: "passport", idNumber: "E12345678", hostUnit: "3-2-1201", hostName: "陈明",
                extra: ["purpose": "探亲", "party": 2, "plate": "粤B12345"]))
        let first = try #require(registered["visit"]?.stringValue, "\(registered)")
        #expect(first.contains(VisitorsDesk.visitShape), "\(first)")
        #expect(registered["status"] == "waiting" && registered["contacts"] == [], "\(registered)")
        #expect(registered["idType"] == "passport" && registered["idLast4"] == "5678", "\(registered)")
        #expect(registered["idSeen"] == true && registered["idCopied"] == true, "\(registered)")
        #expect(registered["party"] == 2 && registered["plate"] == "粤B12345" && registered["purpose"] == "探亲")
        #expect(registered["expected"] == .null && registered["registeredBy"] == "li.na", "\(registered)")
        #expect(registered["overstay"] == false && registered["admittedAt"] == .null, "\(registered)")
        #expect(
            registered["leaveBy"]?.stringValue.flatMap(Timestamp.parse) == zone.today(minutes: 23 * 60),
            "held to today's 23:00 in \(zone.name): \(registered)")

        // The host opens the door from home.
        let admitted = try desk.contact(first, "intercom", "accepted", door: "host_opened")
        #expect(admitted["status"] == "on_site" && admitted["doorOpenedBy"] == "host_opened", "\(admitted)")
        #expect(admitted["admittedAt"]?.stringValue.flatMap(Timestamp.parse) != nil, "\(admitted)")
        let attempt = try #require(admitted["contacts"]?.arrayValue?.first, "\(admitted)")
        #expect(attempt["channel"] == "intercom" && attempt["result"] == "accepted" && attempt["by"] == "li.na")
        #expect(attempt["at"]?.stringValue.flatMap(Timestamp.parse) != nil, "\(attempt)")

        // 赵强 for 周杰 of 5-1-302: nobody answers the intercom. The desk may not give up before
        // phoning the flat; the flat's phone rings out too, and 赵强 leaves a message.
        let second = try #require(
            try desk.register(
                VisitorsDesk.arrival(
                    "赵强", idType: "id_card", idNumber: "110105198503150027", hostUnit: "5-1-302", hostName: "周杰")
            )["visit"]?.stringValue)
        let unanswered = try desk.contact(second, "intercom", "no_answer")
        #expect(unanswered["status"] == "waiting" && unanswered["contacts"]?.arrayValue?.count == 1, "\(unanswered)")
        let tooSoon = try desk.callError(
            "visitors.leaveMessage", ["visit": .string(second), "message": "明天上午再来拿资料"])
        expectViolation(tooSoon, field: "visit", rule: "phone_attempt_required")
        let rang = try desk.contact(second, "flat_phone", "no_answer")
        #expect(rang["status"] == "waiting", "\(rang)")
        #expect(
            rang["contacts"]?.arrayValue?.compactMap { $0["channel"]?.stringValue } == ["intercom", "flat_phone"],
            "\(rang)")
        let message = try desk.call(
            "visitors.leaveMessage", ["visit": .string(second), "message": "明天上午再来拿资料"])
        let messageID = try #require(message["message"]?.stringValue, "\(message)")
        #expect(messageID.contains(#/^M\d{8}-\d{4}$/#), "\(messageID)")
        #expect(message["visit"]?.stringValue == second && message["name"] == "赵强" && message["hostName"] == "周杰")
        #expect(message["text"] == "明天上午再来拿资料" && message["delivered"] == false && message["leftBy"] == "li.na")
        // The visit has ended: it takes no more attempts, naming its state.
        let ended = try desk.callError("visitors.signOut", ["visit": .string(second)])
        #expect(
            ended?.kind == .invalidState && ended?.details["status"] == "left_message", "\(String(describing: ended))")

        // The message waits for the unit (asked in another spelling), until it is handed over.
        let waiting = try desk.call("visitors.messages", ["unit": "5栋1单元302"])["messages"]?.arrayValue ?? []
        #expect(waiting.compactMap { $0["message"]?.stringValue } == [messageID], "\(waiting)")
        let delivered = try desk.call("visitors.deliverMessage", ["message": .string(messageID), "to": "周杰"])
        #expect(delivered["delivered"] == true && delivered["deliveredTo"] == "周杰", "\(delivered)")
        #expect(delivered["deliveredBy"] == "li.na" && delivered["deliveredAt"]?.stringValue != nil, "\(delivered)")
        #expect(try desk.call("visitors.messages", ["unit": "5-1-302"])["messages"] == [])
        let all = try desk.call("visitors.messages", ["unit": "5-1-302", "all": true])["messages"]?.arrayValue ?? []
        #expect(all.count == 1 && all.first?["delivered"] == true, "\(all)")
        let twice = try desk.callError("visitors.deliverMessage", ["message": .string(messageID), "to": "周杰"])
        #expect(twice?.kind == .invalidState, "\(String(describing: twice))")

        // Inside now: 王芳 only; after she signs out, nobody.
        let inside = try desk.visits("visitors.onSite")
        #expect(inside.compactMap { $0["visit"]?.stringValue } == [first], "\(inside)")
        #expect(try desk.visits("visitors.onSite", ["unit": "5-1-302"]).isEmpty)
        let left = try desk.call("visitors.signOut", ["visit": .string(first)])
        #expect(left["status"] == "signed_out" && left["signedOutAt"]?.stringValue != nil, "\(left)")
        #expect(try desk.visits("visitors.onSite").isEmpty)

        // Every change reached the subscriber, in commit order, with the desk's names.
        let events = try watcher.drainEvents()
        #expect(
            events.compactMap { $0["topic"]?.stringValue } == [
                "visitors.registered", "visitors.admitted", "visitors.registered", "visitors.noAnswer",
                "visitors.noAnswer", "visitors.message", "visitors.messageDelivered", "visitors.signedOut",
            ], "\(events)")
        #expect(events.allSatisfy { $0["operator"] == "li.na" && $0["workstation"] == "desk-1" }, "\(events)")
        #expect(events.first?["data"]?["visit"]?.stringValue == first, "\(events)")
        #expect(events[1]["data"]?["doorOpenedBy"] == "host_opened", "\(events)")
        #expect(events[4]["data"]?["channel"] == "flat_phone", "\(events)")
        #expect(events[5]["data"]?["message"]?.stringValue == messageID, "\(events)")

        // The audit has each write with its caller; the refused leaveMessage is counted apart.
        // (The minute job's sweeps, role system, are not the desk's.)
        let records = (try desk.call("audit.query", ["method": "visitors."])["records"]?.arrayValue ?? [])
            .filter { $0["method"] != "visitors.sweep" }
        #expect(records.count == 8, "\(records.map { $0["method"] ?? .null })")
        #expect(records.allSatisfy { $0["operator"] == "li.na" && $0["outcome"] == "ok" }, "\(records)")
        let refusals = try desk.call("audit.refusals", ["method": "visitors.leaveMessage"])["refusals"]?.arrayValue
        #expect(refusals?.first?["count"] == 1, "\(String(describing: refusals))")
        try daemon.stop()
    }

    @Test(
        "The host registers a visitor for the night: a driving licence is refused (state_document_required), an identity card is taken; the night's list for security"
    )
    func overnight() throws {
        let zone = VisitorsDesk.zone()
        let daemon = try VisitorsDesk.start(zone: zone)
        let desk = try daemon.counter()
        // 孙丽 came by day on her driving licence; 陈明 let her in.
        let visit = try desk.admit(
            VisitorsDesk.arrival(
                "孙丽", idType: "driving_licence", idNumber: "440304199001017788", hostUnit: "3-2-1201", hostName: "陈明"))
        let watcher = try daemon.connect()
        try watcher.subscribe(["visitors.overnight"])

        // At the desk with her host: the licence does not count for a night.
        let licence = try desk.callError(
            "visitors.overnight",
            [
                "visit": .string(visit), "idType": "driving_licence", "idNumber": "440304199001017788", "nights": 2,
                "hostSigned": true,
            ])
        expectViolation(licence, field: "idType", rule: "state_document_required")
        let accepted = licence?.details["accepted"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(
            Set(accepted) == ["passport", "id_card", "home_return_permit", "taiwan_permit"],
            "\(String(describing: licence))")
        let unsigned = try desk.callError(
            "visitors.overnight",
            [
                "visit": .string(visit), "idType": "id_card", "idNumber": "44030419900101778X", "nights": 2,
                "hostSigned": false,
            ])
        expectViolation(unsigned, field: "hostSigned", rule: "host_signature_required")
        // Neither refusal changed the visit.
        #expect(try desk.visits("visitors.onSite").first?["status"] == "on_site")

        // Her identity card, two nights, the host signs the lodging register.
        let night = try desk.call(
            "visitors.overnight",
            [
                "visit": .string(visit), "idType": "id_card", "idNumber": "44030419900101778x", "nights": 2,
                "hostSigned": true,
            ])
        #expect(night["status"] == "overnight" && night["nights"] == 2 && night["hostSigned"] == true, "\(night)")
        #expect(night["nightOf"]?.stringValue == zone.day(0) && night["nightUntil"]?.stringValue == zone.day(2))
        #expect(night["nightIdType"] == "id_card" && night["nightIdLast4"] == "778X", "\(night)")
        #expect(
            night["idType"] == "driving_licence" && night["idLast4"] == "7788", "the day's document stays: \(night)")
        #expect(night["overnightBy"] == "li.na" && night["overnightAt"]?.stringValue != nil, "\(night)")
        let event = try watcher.nextEvent()
        #expect(event["topic"] == "visitors.overnight" && event["data"]?["visit"]?.stringValue == visit, "\(event)")

        // The night's list: tonight and tomorrow night, not the night after or last night.
        for (offset, listed) in [(0, true), (1, true), (2, false), (-1, false)] {
            let list = try desk.visits("visitors.overnightList", ["date": .string(zone.day(offset))])
            #expect(
                list.contains { $0["visit"]?.stringValue == visit } == listed,
                "night of \(zone.day(offset)): \(list)")
        }
        // Inside, as staying the night; not an overstay at the curfew.
        let inside = try desk.visits("visitors.onSite", ["unit": "3-2-1201"])
        #expect(inside.map { $0["status"] } == ["overnight"], "\(inside)")
        // A night is registered once.
        let again = try desk.callError(
            "visitors.overnight",
            ["visit": .string(visit), "idType": "passport", "idNumber": "E99887766", "nights": 1, "hostSigned": true])
        #expect(again?.kind == .invalidState && again?.details["status"] == "overnight", "\(String(describing: again))")
        try daemon.stop()
    }
}
