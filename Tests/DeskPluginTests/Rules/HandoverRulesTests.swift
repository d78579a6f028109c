import AccessPlugin
import CasesPlugin
import Foundation
import ParcelsPlugin
import ReceptionPluginTesting
import Testing
import UtilitiesPlugin

@testable import DeskPlugin

/// `desk.handover`, `.ack`, `.handovers`: the shift handover book and its snapshot of what the
/// other departments say is open.
@Suite("desk: the shift handover")
struct HandoverRulesTests {
    @Test("alone, a handover records the notes and leaves every other department out, naming each with the reason")
    func aloneLeavesOthersOut() throws {
        let desk = try DeskHarness.desk()
        let handover = try desk.call(
            "desk.handover", ["outgoing": "li.na", "incoming": "wang.fang", "notes": "3 号楼电梯维修中"])
        #expect(handover["handover"] == "HO20261206-0001", "\(handover)")
        #expect(handover["status"] == "open" && handover["notes"] == "3 号楼电梯维修中")
        let snapshot = try #require(handover["snapshot"])
        #expect(snapshot["departments"] == [])
        let leftOut = snapshot["leftOut"]?.arrayValue?.compactMap { $0["department"]?.stringValue }
        #expect(leftOut == ["cases", "parcels", "access", "utilities"], "\(snapshot)")
        #expect(
            snapshot["leftOut"]?.arrayValue?.allSatisfy { $0["reason"]?.stringValue?.contains("not loaded") == true }
                == true, "\(snapshot)")
        #expect(snapshot["cash"]?["total"] == 0)
        #expect(desk.lastEvents.map(\.topic) == ["desk.handover"])
    }

    @Test(
        "beside parcels, access and utilities, the snapshot counts what they hold now and the cash each says the desk has"
    )
    func snapshotOfNeighbours() throws {
        let desk = try DeskHarness.desk(neighbours: [
            Neighbour(ParcelsPlugin.self), Neighbour(AccessPlugin.self), Neighbour(UtilitiesPlugin.self),
        ])
        for recipient in ["李娜", "王芳", "陈静"] {
            try desk.call("parcels.receive", ["kind": "parcel", "recipient": .string(recipient), "unit": "3-2-1201"])
        }
        desk.caller = .admin()
        for tag in ["K-0001", "K-0002"] {
            try desk.call(
                "access.keys.register",
                ["tag": .string(tag), "category": "vacant_unit", "unit": "3-2-1202", "building": "3", "hook": "A-01"])
        }
        desk.caller = .operator("li.na")
        try desk.call(
            "access.keys.checkout",
            [
                "tag": "K-0001", "borrower": "张伟", "borrowerType": "external", "idType": "id_card",
                "idNumber": "320102198807154321", "deposit": 5000, "dueBack": "2026-12-06T12:00:00+08:00",
            ])
        try desk.call(
            "utilities.request",
            ["unit": "3-2-1201", "payer": "王芳", "utility": "electricity", "cash": 20_000, "medium": "meter_card"])

        let handover = try desk.call("desk.handover", ["outgoing": "li.na", "incoming": "wang.fang"])
        let snapshot = try #require(handover["snapshot"])
        #expect(snapshot["departments"] == ["parcels", "access", "utilities"], "\(snapshot)")
        #expect(snapshot["leftOut"]?.arrayValue?.map { $0["department"] } == ["cases"])
        #expect(snapshot["parcels"]?["held"] == 3)
        #expect(snapshot["access"]?["keysOut"] == 1)
        #expect(snapshot["access"]?["keys"]?.arrayValue?.first?["tag"] == "K-0001")
        #expect(snapshot["access"]?["cash"] == 5000, "the deposit taken today")
        #expect(snapshot["utilities"]?["cash"] == 20_000)
        #expect(snapshot["cash"]?["total"] == 25_000)
        #expect(desk.audit.last?.method == "desk.handover")
        // What the neighbours hold is read, never changed, by a handover.
        #expect(try desk.query("SELECT count(*) AS n FROM parcels_items").first?.int("n") == 3)
    }

    @Test("beside cases, the snapshot counts the cases not closed and lists the work orders past due")
    func snapshotOfCases() throws {
        let desk = try DeskHarness.desk(neighbours: [Neighbour(CasesPlugin.self)])
        func open(_ category: String, _ extra: [String: JSONValue] = [:]) throws -> String {
            var params: [String: JSONValue] = [
                "channel": "phone", "reporter": "王女士", "unit": "3-2-1201", "contact": "13912345678",
                "category": .string(category), "description": "厨房水管漏水",
            ]
            for (key, value) in extra { params[key] = value }
            return try desk.call("cases.open", .object(params))["case"]?.stringValue ?? ""
        }
        let leak = try open("repair")
        try open("complaint", ["area": "cleaning"])
        let praise = try open("praise")
        try desk.call("cases.close", ["case": .string(praise), "outcome": "已转达表扬"])
        let order = try desk.call(
            "cases.dispatch", ["case": .string(leak), "department": "engineering", "due": "2026-12-06T11:00:00+08:00"])
        desk.clock.advance(by: 2 * 3600)  // 12:00: the order is an hour late
        let snapshot = try #require(
            try desk.call("desk.handover", ["outgoing": "li.na", "incoming": "wang.fang"])["snapshot"])
        #expect(snapshot["departments"] == ["cases"], "\(snapshot)")
        #expect(snapshot["cases"]?["open"] == 2, "the praise is closed: \(snapshot)")
        #expect(
            Set(snapshot["cases"]?["cases"]?.arrayValue?.compactMap { $0["category"]?.stringValue } ?? []) == [
                "repair", "complaint",
            ])
        #expect(snapshot["cases"]?["overdueOrders"] == 1)
        #expect(snapshot["cases"]?["orders"]?.arrayValue?.first?["order"] == order["order"], "\(snapshot)")
    }

    @Test("only the incoming clerk acknowledges, once; a handover to oneself is refused")
    func acknowledgement() throws {
        let desk = try DeskHarness.desk()
        #expect(
            try desk.callError("desk.handover", ["outgoing": "li.na", "incoming": " LI.NA "]).details["rule"]
                == "handover_to_someone_else")
        let handover = try desk.call("desk.handover", ["outgoing": "li.na", "incoming": "wang.fang"])
        let number = try #require(handover["handover"])
        let stranger = try desk.callError("desk.handover.ack", ["handover": number])
        #expect(stranger.details["rule"] == "not_incoming" && stranger.field == "by", "li.na is not wang.fang")
        #expect(GlossaryCoverage.isChinese(stranger.translations["zh"]))
        desk.caller = .operator("wang.fang", workstation: "desk-2")
        let acked = try desk.call("desk.handover.ack", ["handover": number])
        #expect(acked["status"] == "acknowledged" && acked["ackedBy"] == "wang.fang", "\(acked)")
        #expect(acked["ackedAt"] == "2026-12-06T10:00:00.000+08:00")
        #expect(try desk.callError("desk.handover.ack", ["handover": number]).details["rule"] == "already_acknowledged")
        #expect(try desk.callError("desk.handover.ack", ["handover": "HO20261206-0099"]).kind == .notFound)
    }

    @Test("the book lists newest first, by day, a page at a time")
    func book() throws {
        let desk = try DeskHarness.desk()
        for (outgoing, incoming) in [("li.na", "wang.fang"), ("wang.fang", "chen.jing"), ("chen.jing", "li.na")] {
            try desk.call("desk.handover", ["outgoing": .string(outgoing), "incoming": .string(incoming)])
            desk.clock.advance(by: 8 * 3600)
        }
        let first = try desk.call("desk.handovers", ["limit": 2])
        #expect(
            first["handovers"]?.arrayValue?.compactMap { $0["outgoing"]?.stringValue } == ["chen.jing", "wang.fang"])
        let rest = try desk.call("desk.handovers", ["limit": 2, "cursor": first["nextCursor"] ?? .null])
        #expect(rest["handovers"]?.arrayValue?.compactMap { $0["outgoing"]?.stringValue } == ["li.na"])
        #expect(rest["nextCursor"] == .null)
        // 10:00 and 18:00 on the 6th, 02:00 on the 7th (Shanghai).
        let sixth = try desk.call("desk.handovers", ["from": "2026-12-06", "to": "2026-12-06"])
        #expect(sixth["handovers"]?.arrayValue?.count == 2)
        #expect(sixth["handovers"]?.arrayValue?.first?["snapshot"]?.objectValue != nil, "the snapshot comes back whole")
    }
}
