import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// The meetings desk in two languages: every member it publishes has an English and a Chinese
/// title, every method a Chinese description.
@Suite("meetings rules: words in English and Chinese")
struct WordsRulesTests {
    let manifest = MeetingsPlugin.manifest

    @Test(
        "every member of every method's params and result schema has a title in both languages; every method is described in Chinese"
    )
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
    }

    @Test("the members of real replies (tasks, fee lines, ageDays, the agenda) are titled too")
    func everyReplyMemberIsTitled() throws {
        let desk = try MeetingsHarness.meetings()
        let booked = try desk.call(
            "meetings.book", MeetingsHarness.booking("A-301", "2026-12-06T10:00:00+08:00", "2026-12-06T11:00:00+08:00"))
        let id = booked["bookings"]?.arrayValue?.first?["booking"] ?? .null
        try desk.call("meetings.checkin", ["booking": id])
        desk.clock.advance(by: 3600)
        try desk.call("meetings.end", ["booking": id])
        let settled = try desk.call(
            "meetings.settle", ["booking": id, "extras": [["item": "茶歇", "amount": 100]], "signedBy": "陈经理"])
        let replies: [(String, JSONValue)] = [
            ("meetings.book", booked), ("meetings.settle", settled),
            ("meetings.agenda", try desk.call("meetings.agenda", ["date": "2026-12-06"])),
            ("meetings.tasks", try desk.call("meetings.tasks", ["date": "2026-12-06"])),
            ("meetings.unpaid", try desk.call("meetings.unpaid")),
            ("meetings.rooms.list", try desk.call("meetings.rooms.list")),
        ]
        for (method, reply) in replies {
            #expect(GlossaryCoverage.untitledMembers(of: reply, method: method, in: manifest) == [], "\(method)")
        }
    }
}
