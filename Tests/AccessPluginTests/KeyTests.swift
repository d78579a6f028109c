import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// The key register and lending, in-process: one borrower at a time, external borrowers against a
/// document and a deposit, owner-deposited keys only on the owner's authorisation.
@Suite("access rules: keys")
struct KeyTests {
    @Test("register puts a key in the cabinet; tags are unique on the register; retire takes it off")
    func register() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        let key = try desk.register(" k-0012 ", hook: "A-12")
        #expect(
            key == [
                "tag": "K-0012", "category": "vacant_unit", "building": "3", "floor": "12", "unit": "3-2-1202",
                "room": .null, "hook": "A-12", "note": .null, "status": "in",
                "registeredAt": .string(Timestamp.format(desk.clock.now)), "retiredAt": .null, "retireReason": .null,
                "borrower": .null, "borrowerType": .null, "since": .null, "dueBack": .null, "overdue": .null,
                "idType": .null,
                "idLast4": .null, "deposit": .null, "authorisationRef": .null, "lentBy": .null,
            ])
        #expect(desk.lastEvents.map(\.topic) == ["access.key.registered"])
        #expect(desk.lastEvents.first?.data == ["key": key])

        let duplicate = try desk.callError(
            "access.keys.register", ["tag": "K-0012", "category": "other", "room": "pump room", "hook": "B-1"])
        #expect(duplicate.kind == .conflict)
        #expect(duplicate.field == "tag")
        #expect(duplicate.details == ["tag": "K-0012", "status": "in"])
        #expect(duplicate.message == "tag K-0012 is already on the register (hook A-12)")
        let nowhere = try desk.callError("access.keys.register", ["tag": "K-9", "category": "other", "hook": "B-1"])
        expectViolation(nowhere, field: "unit", rule: "unit_or_room")
        expectViolation(
            try desk.callError(
                "access.keys.register", ["tag": "K-9", "category": "other", "unit": " ", "hook": "B-1"]),
            field: "unit", rule: "unit_or_room")
        #expect(
            try desk.callError("access.keys.register", ["tag": "K-9", "category": "garage", "room": "x", "hook": "B"])
                .code == -32602)
        let spare = try desk.call(
            "access.keys.register", ["tag": "F-01", "category": "facility_spare", "room": "泵房", "hook": "C-3"])
        #expect(spare["room"] == "泵房")

        let retired = try desk.call("access.keys.retire", ["tag": "K-0012", "reason": "lock changed"])
        #expect(retired["status"] == "retired")
        #expect(retired["retireReason"] == "lock changed")
        #expect(retired["retiredAt"] == .string(Timestamp.format(desk.clock.now)))
        let again = try desk.callError("access.keys.retire", ["tag": "K-0012"])
        #expect(again.kind == .invalidState)
        #expect(again.details == ["tag": "K-0012", "status": "retired"])
        #expect(
            again.message
                == "cannot retire key K-0012: it was retired at \(Timestamp.format(desk.clock.now)) (lock changed)")
        #expect(try desk.callError("access.keys.checkout", desk.staffLoan("K-0012")).kind == .invalidState)
        // The tag is free again for a new key.
        #expect(try desk.register("K-0012", hook: "A-13")["status"] == "in")
        let unknown = try desk.callError("access.keys.checkin", ["tag": "NOPE"])
        #expect(unknown.kind == .notFound)
        #expect(unknown.details == ["tag": "NOPE"])
    }

    @Test("A key already out cannot be lent again: conflict saying who has it since when; checkin brings it back")
    func lending() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.register("K-1")
        let out = try desk.call("access.keys.checkout", desk.staffLoan("K-1", borrower: "陈师傅"))
        let key = try #require(out["key"])
        let since = Timestamp.format(desk.clock.now)
        #expect(key["status"] == "out")
        #expect(key["borrower"] == "陈师傅")
        #expect(key["borrowerType"] == "staff")
        #expect(key["lentBy"] == "li.na")
        #expect(key["since"] == .string(since))
        #expect(key["dueBack"] == .string(desk.time(inSeconds: 7200)))
        #expect(key["overdue"] == false)
        #expect(key["deposit"] == 0)
        #expect(out["receipt"] == .null, "staff give no deposit")
        #expect(desk.lastEvents.first?.data == out)

        desk.clock.advance(by: 60)
        desk.caller = .operator("wang.fang", workstation: "desk-2")
        let taken = try desk.callError("access.keys.checkout", desk.externalLoan("K-1"))
        #expect(taken.kind == .conflict)
        #expect(taken.code == -32002)
        #expect(taken.field == "tag")
        #expect(
            taken.details == [
                "tag": "K-1", "borrower": "陈师傅", "borrowerType": "staff", "since": .string(since),
                "dueBack": key["dueBack"] ?? .null,
            ])
        #expect(
            taken.message
                == "key K-1 is already out: lent to 陈师傅 since \(since), due back \(key["dueBack"]?.stringValue ?? "")")
        let retire = try desk.callError("access.keys.retire", ["tag": "K-1"])
        #expect(retire.kind == .invalidState)
        #expect(retire.details["borrower"] == "陈师傅")

        let back = try desk.call("access.keys.checkin", ["tag": "k-1", "note": "returned by colleague"])
        #expect(back["key"]?["status"] == "in")
        #expect(back["key"]?["borrower"] == .null)
        #expect(back["loan"]?["borrower"] == "陈师傅")
        #expect(back["loan"]?["since"] == .string(since))
        #expect(back["loan"]?["lentBy"] == "li.na")
        #expect(back["loan"]?["receivedBy"] == "wang.fang")
        #expect(back["loan"]?["returnedAt"] == .string(Timestamp.format(desk.clock.now)))
        #expect(back["loan"]?["note"] == "returned by colleague")
        #expect(back["refund"] == 0)
        #expect(back["receipt"] == .null)
        let twice = try desk.callError("access.keys.checkin", ["tag": "K-1"])
        #expect(twice.kind == .invalidState)
        #expect(twice.details == ["tag": "K-1", "status": "in"])
        #expect(twice.message == "cannot check in key K-1: it is in the cabinet (hook A-01), not lent")
        // Now it can go out again.
        #expect(try desk.call("access.keys.checkout", desk.externalLoan("K-1"))["key"]?["borrower"] == "张伟")
    }

    @Test(
        "External borrowers give an identity document and a deposit, refunded at checkin; dueBack is a future ISO time")
    func externalBorrowers() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .admin("li.na"))
        try desk.register("K-2")
        expectViolation(
            try desk.callError(
                "access.keys.checkout", desk.externalLoan("K-2", extra: ["idType": .null, "idNumber": .null])),
            field: "idType", rule: "external_requires_id")
        let noDeposit = try desk.callError("access.keys.checkout", desk.externalLoan("K-2", deposit: 0))
        expectViolation(noDeposit, field: "deposit", rule: "external_requires_deposit")
        #expect(noDeposit.details["minimum"] == 1)
        let noType = try desk.callError("access.keys.checkout", desk.externalLoan("K-2", extra: ["idType": .null]))
        #expect(noType.field == "idType")
        #expect(noType.message == "idType is required with idNumber")
        #expect(
            try desk.callError("access.keys.checkout", desk.externalLoan("K-2", extra: ["idNumber": .null])).field
                == "idNumber")
        #expect(try desk.callError("access.keys.checkout", desk.externalLoan("K-2", deposit: -5)).code == -32602)
        for due in ["2026-11-26 18:00", "tomorrow", "2026-11-26T18:00:00"] {
            let error = try desk.callError(
                "access.keys.checkout", desk.externalLoan("K-2", extra: ["dueBack": .string(due)]))
            #expect(error.field == "dueBack", "\(due)")
            #expect(
                error.message
                    == "dueBack must be an ISO 8601 time with offset, e.g. 2026-11-26T18:00:00+08:00; got \"\(due)\"")
        }
        expectViolation(
            try desk.callError(
                "access.keys.checkout", desk.externalLoan("K-2", extra: ["dueBack": .string(desk.time(inSeconds: -60))])
            ),
            field: "dueBack", rule: "due_in_future")
        #expect(try desk.query("SELECT count(*) AS n FROM access_key_loans").first?.int("n") == 0)

        let out = try desk.call("access.keys.checkout", desk.externalLoan("K-2", deposit: 5000))
        #expect(out["key"]?["borrowerType"] == "external")
        #expect(out["key"]?["idType"] == "id_card")
        #expect(out["key"]?["idLast4"] == "4321")
        #expect(out["key"]?["idNumber"] == "320102198807154321", "an admin sees the full number")
        #expect(desk.lastEvents.first?.data["key"]?["idNumber"] == nil, "an event never does")
        #expect(desk.audit.last?.params["idNumber"] == "****4321")
        #expect(out["key"]?["deposit"] == 5000)
        #expect(out["receipt"]?["deposit"] == 5000)
        #expect(out["receipt"]?["key"] == "K-2")
        #expect(out["receipt"]?["operation"] == "checkout")
        #expect(out["receipt"]?["total"] == 5000)
        let back = try desk.call("access.keys.checkin", ["tag": "K-2"])
        #expect(back["refund"] == 5000)
        #expect(back["loan"]?["idNumber"] == "320102198807154321")
        #expect(back["receipt"]?["refund"] == 5000)
        #expect(back["receipt"]?["total"] == -5000)
        let receipts = try desk.query("SELECT deposit_receipt, refund_receipt FROM access_key_loans")
        #expect(receipts.first?.string("deposit_receipt") == out["receipt"]?["number"]?.stringValue)
        #expect(receipts.first?.string("refund_receipt") == back["receipt"]?["number"]?.stringValue)
    }

    @Test("key_deposit_minimum sets the smallest deposit an external borrower gives")
    func depositMinimum() throws {
        let desk = try PluginHarness(AccessPlugin.self, config: ["key_deposit_minimum": 2000])
        try desk.register("K-3")
        let small = try desk.callError("access.keys.checkout", desk.externalLoan("K-3", deposit: 1999))
        expectViolation(small, field: "deposit", rule: "external_requires_deposit")
        #expect(small.message == "an external borrower must give a deposit of at least 2000")
        #expect(
            try desk.call("access.keys.checkout", desk.externalLoan("K-3", deposit: 2000))["key"]?["deposit"] == 2000)
    }

    @Test("An owner-deposited key goes to a visitor only with the owner's authorisation reference")
    func ownerDeposited() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.register("OD-1201", category: "owner_deposited", unit: "3-2-1201")
        let refused = try desk.callError("access.keys.checkout", desk.externalLoan("OD-1201"))
        expectViolation(refused, field: "authorisationRef", rule: "owner_authorisation_required")
        #expect(refused.details["tag"] == "OD-1201")
        #expect(
            refused.message
                == "key OD-1201 was deposited by its owner: it is handed to a visitor only with the owner's authorisation reference (authorisationRef)"
        )
        #expect(try desk.call("access.keys.list", ["status": "out"])["keys"] == [], "nothing was lent")

        let lent = try desk.call(
            "access.keys.checkout", desk.externalLoan("OD-1201", extra: ["authorisationRef": "OWN-2026-031"]))
        #expect(lent["key"]?["authorisationRef"] == "OWN-2026-031")
        try desk.call("access.keys.checkin", ["tag": "OD-1201"])
        // Staff (the desk's own people) take it without one.
        #expect(try desk.call("access.keys.checkout", desk.staffLoan("OD-1201"))["key"]?["status"] == "out")
    }

    @Test("list by status (in, out, overdue, retired), building and category; overdue once dueBack has passed")
    func listing() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.register("A-1", building: "1")
        try desk.register("A-2", building: "1")
        try desk.register("B-1", category: "owner_deposited", building: "2")
        try desk.register("B-2", category: "facility_spare", building: "2")
        try desk.call("access.keys.retire", ["tag": "B-2"])
        try desk.call("access.keys.checkout", desk.staffLoan("A-1"))
        try desk.call(
            "access.keys.checkout", AccessParams.staffLoan("A-2", dueBack: desk.time(inSeconds: 600)))

        func tags(_ params: JSONValue) throws -> [String] {
            (try desk.call("access.keys.list", params)["keys"]?.arrayValue ?? []).compactMap { $0["tag"]?.stringValue }
        }
        #expect(try tags([:]) == ["A-1", "A-2", "B-1"])
        #expect(try tags(["status": "in"]) == ["B-1"])
        #expect(try tags(["status": "out"]) == ["A-1", "A-2"])
        #expect(try tags(["status": "retired"]) == ["B-2"])
        #expect(try tags(["building": "2"]) == ["B-1"])
        #expect(try tags(["category": "owner_deposited"]) == ["B-1"])
        #expect(try tags(["category": "vacant_unit", "building": "1"]) == ["A-1", "A-2"])
        #expect(try tags(["unit": "3-2-1202", "status": "out"]) == ["A-1", "A-2"])
        #expect(try tags(["limit": 1]) == ["A-1"])
        #expect(try desk.call("access.keys.list", ["limit": 1])["more"] == true)
        #expect(try desk.call("access.keys.list", ["limit": 3])["more"] == nil)
        #expect(try tags(["status": "overdue"]) == [])

        desk.clock.advance(by: 601)
        #expect(try tags(["status": "overdue"]) == ["A-2"])
        let overdue = try desk.call("access.keys.list", ["status": "overdue"])["keys"]?.arrayValue?.first
        #expect(overdue?["overdue"] == true)
        #expect(overdue?["borrower"] == "维修 陈师傅")
        #expect(try desk.callError("access.keys.list", ["status": "lost"]).code == -32602)
    }
}
