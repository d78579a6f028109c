import Foundation
import ReceptionPluginTesting
import Testing

@testable import DeskPlugin

/// The lost-and-found book and the major-incident book.
@Suite("desk: lost and found, major incidents")
struct BooksRulesTests {
    func found(_ desk: DeskHarness, _ item: String = "黑色钱包") throws -> JSONValue {
        try desk.call(
            "desk.found",
            [
                "item": .string(item), "description": "内有银行卡两张", "foundWhere": "3 号楼大堂", "foundBy": "保洁 刘阿姨",
                "storedWhere": "前台柜 2 号格",
            ])
    }

    @Test("a found item is held, then claimed once against a document's type and last four; nothing more is kept")
    func foundAndClaimed() throws {
        let desk = try DeskHarness.desk()
        let item = try found(desk)
        #expect(item["found"] == "LF20261206-0001" && item["status"] == "held" && item["unclaimedDays"] == 0)
        #expect(item["foundAt"] == "2026-12-06T10:00:00.000+08:00", "found now by default")
        let badLast4 = try desk.callError(
            "desk.claim", ["found": "LF20261206-0001", "claimant": "赵磊", "idType": "id_card", "idLast4": "12"])
        #expect(badLast4.field == "idLast4" && badLast4.details["rule"] == "last4")
        let claimed = try desk.call(
            "desk.claim", ["found": "lf20261206-0001", "claimant": "赵磊", "idType": "id_card", "idLast4": "071x"])
        #expect(claimed["status"] == "claimed" && claimed["idLast4"] == "071X" && claimed["handedBy"] == "li.na")
        #expect(claimed["unclaimedDays"] == .null && claimed["flagged"] == false)
        let again = try desk.callError(
            "desk.claim", ["found": "LF20261206-0001", "claimant": "钱多", "idType": "passport", "idLast4": "9999"])
        #expect(again.kind == .invalidState && again.details["rule"] == "already_claimed", "\(again)")
        #expect(desk.events.map(\.topic) == ["desk.found", "desk.claimed"])
        let columns = try desk.query("SELECT * FROM desk_found").first
        #expect(columns?.string("claimant_id_last4") == "071X")
    }

    @Test("an item unclaimed for unclaimed_days is flagged, and the flagged filter lists only those")
    func unclaimedIsFlagged() throws {
        let desk = try DeskHarness.desk(config: ["unclaimed_days": 7])
        try found(desk, "雨伞")
        desk.clock.advance(days: 3)
        try found(desk, "钥匙串")
        desk.clock.advance(days: 4)
        let all = try desk.call("desk.lostAndFound")
        let flags = all["items"]?.arrayValue?.map {
            ($0["item"]?.stringValue ?? "", $0["flagged"], $0["unclaimedDays"])
        }
        #expect(flags?.map(\.0) == ["钥匙串", "雨伞"])
        #expect(flags?.map(\.1) == [false, true] && flags?.map(\.2) == [4, 7], "\(all)")
        let flagged = try desk.call("desk.lostAndFound", ["flagged": true])
        #expect(flagged["items"]?.arrayValue?.compactMap { $0["item"]?.stringValue } == ["雨伞"])
        #expect(try desk.call("desk.lostAndFound", ["item": "钥匙"])["items"]?.arrayValue?.count == 1)
        #expect(throws: RPCError.self) { try DeskHarness.desk(config: ["unclaimed_days": 0]) }
    }

    @Test(
        "an incident is recorded with who was told and when; one told before it happened, or in the future, is refused")
    func incidents() throws {
        let desk = try DeskHarness.desk()
        let params: [String: JSONValue] = [
            "kind": "equipment", "what": "2 号楼配电房跳闸，全楼停电", "where": "2 号楼配电房",
            "when": "2026-12-06T09:10:00+08:00",
            "informed": [["who": "工程部 周工", "at": "2026-12-06T09:12:00+08:00"]],
            "actions": "通知工程部抢修，安抚住户，电梯内无人被困", "followUp": "工程部出具故障报告",
        ]
        let incident = try desk.call("desk.incident", .object(params))
        #expect(incident["incident"] == "IN20261206-0001" && incident["kind"] == "equipment")
        #expect(incident["informed"]?.arrayValue?.first?["who"] == "工程部 周工")
        #expect(incident["when"] == "2026-12-06T09:10:00.000+08:00")
        var early = params
        early["informed"] = [["who": "值班经理", "at": "2026-12-06T09:00:00+08:00"]]
        let before = try desk.callError("desk.incident", .object(early))
        #expect(before.field == "informed[0].at" && before.details["rule"] == "informed_after_incident")
        var future = params
        future["when"] = "2026-12-06T11:00:00+08:00"
        future["informed"] = []
        #expect(try desk.callError("desk.incident", .object(future)).details["rule"] == "not_in_future")
        #expect(try desk.callError("desk.incident", ["kind": "fire"]).code == -32602)
        let listed = try desk.call("desk.incidents", ["kind": "equipment", "from": "2026-12-06"])
        #expect(listed["incidents"]?.arrayValue?.count == 1)
        #expect(try desk.call("desk.incidents", ["kind": "security"])["incidents"] == [])
    }

    @Test("every member of every method and record has words in both languages")
    func glossary() throws {
        let desk = try DeskHarness.desk()
        #expect(GlossaryCoverage.untitledMembers(of: desk.manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: desk.manifest) == [])
        let handover = try desk.call("desk.handover", ["outgoing": "li.na", "incoming": "wang.fang"])
        #expect(GlossaryCoverage.untitledMembers(of: handover, method: "desk.handover", in: desk.manifest) == [])
    }
}
