import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// The visitors desk in two languages: every member it publishes has an English and a Chinese
/// title, every method a Chinese description, every event a line in both.
@Suite("visitors rules: words in English and Chinese")
struct WordsRulesTests {
    let manifest = VisitorsPlugin.manifest

    @Test(
        "every member of every method's params and result schema has a title in both languages; every method is described in Chinese"
    )
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
    }

    @Test("every event topic has a line in English and one in Chinese")
    func everyTopicHasLines() {
        for topic in VisitorsPlugin.Topic.allCases {
            #expect(!topic.line.en.isEmpty, "\(topic.rawValue)")
            #expect(GlossaryCoverage.isChinese(topic.line.zh), "\(topic.rawValue)")
        }
    }
}

/// The members of real replies (contacts, messages, entries, documents) are titled too.
@Suite("visitors rules: words of real replies")
struct ReplyWordsRulesTests {
    @Test("every member of every reply of an evening at the desk has a title in both languages")
    func everyReplyMemberIsTitled() throws {
        let manifest = VisitorsPlugin.manifest
        let desk = try VisitorsHarness.desk(at: "2026-12-06 18:00")
        var replies: [(String, JSONValue)] = []
        @discardableResult
        func record(_ method: String, _ params: JSONValue = .object([:])) throws -> JSONValue {
            let reply = try desk.call(method, params)
            replies.append((method, reply))
            return reply
        }
        let announced = try record(
            "visitors.expect",
            [
                "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳",
                "from": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 18:00"))),
                "to": .string(Timestamp.format(try VisitorsHarness.local("2026-12-06 22:00"))), "homeDuringVisit": true,
            ])
        let visit =
            try record(
                "visitors.register", VisitorsHarness.arrival(["expected": announced["expected"] ?? .null]))["visit"]
            ?? .null
        try record("visitors.contact", ["visit": visit, "channel": "intercom", "result": "no_answer"])
        try record(
            "visitors.contact",
            ["visit": visit, "channel": "flat_phone", "result": "accepted", "doorOpenedBy": "desk_opened"])
        let other = try desk.register(["name": "赵强"])
        try desk.call("visitors.contact", ["visit": .string(other), "channel": "intercom", "result": "no_answer"])
        try desk.call("visitors.contact", ["visit": .string(other), "channel": "flat_phone", "result": "no_answer"])
        let message = try record("visitors.leaveMessage", ["visit": .string(other), "message": "明天再来"])
        try record("visitors.messages", ["unit": "3-2-1201"])
        try record("visitors.deliverMessage", ["message": message["message"] ?? .null, "to": "陈明"])
        try record("visitors.onSite")
        try desk.setClock("2026-12-06 23:10")
        try record("visitors.overstays")
        try record(
            "visitors.overnight",
            ["visit": visit, "idType": "passport", "idNumber": "E12345678", "nights": 1, "hostSigned": true])
        try record("visitors.overnightList", ["date": "2026-12-06"])
        try record("visitors.documents")
        let waiting = try desk.register(["name": "吴刚"])
        let entry = try record("visitors.spareKey.request", ["visit": .string(waiting), "channel": "flat_phone"])[
            "entry"]
        try record("visitors.spareKey.letter", ["entry": entry ?? .null, "letterRef": "QRH-1", "via": "returned"])
        try record("visitors.spareKey.escort", ["entry": entry ?? .null, "staff": "周军"])
        try record("visitors.spareKey.lockUp", ["entry": entry ?? .null, "staff": "周军"])
        try record("visitors.signOut", ["visit": visit])
        desk.caller = .system
        try record("visitors.sweep")
        #expect(replies.count == 18)
        for (method, reply) in replies {
            #expect(GlossaryCoverage.untitledMembers(of: reply, method: method, in: manifest) == [], "\(method)")
        }
    }
}
