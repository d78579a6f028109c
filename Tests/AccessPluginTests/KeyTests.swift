import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The key register and lending: one borrower at a time, external borrowers against a document
/// and a deposit, owner-deposited keys only on the owner's authorisation.
@Suite("access: keys", .timeLimit(.minutes(3)))
struct KeyTests {
    @Test("register puts a key in the cabinet; tags are unique on the register; retire takes it off")
    func register() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        let key = try desk.register(" k-0012 ", hook: "A-12")
        #expect(key["tag"] == "K-0012")
        #expect(key["category"] == "vacant_unit")
        #expect(key["building"] == "3")
        #expect(key["floor"] == "12")
        #expect(key["unit"] == "3-2-1202")
        #expect(key["room"] == .null)
        #expect(key["hook"] == "A-12")
        #expect(key["status"] == "in")
        for member in ["borrower", "borrowerType", "since", "dueBack"] { #expect(key[member] == .null, "\(member)") }

        let duplicate = try desk.callError(
            "access.keys.register", ["tag": "K-0012", "category": "other", "room": "pump room", "hook": "B-1"])
        #expect(duplicate?.kind == .conflict)
        #expect(duplicate?.details["tag"] == "K-0012")
        let nowhere = try desk.callError(
            "access.keys.register", ["tag": "K-9", "category": "other", "hook": "B-1"])
        expectViolation(nowhere, field: "unit", rule: "unit_or_room")
        #expect(
            try desk.callError("access.keys.register", ["tag": "K-9", "category": "garage", "room": "x", "hook": "B"])?
                .code == -32602)
        let spare = try desk.call(
            "access.keys.register", ["tag": "F-01", "category": "facility_spare", "room": "泵房", "hook": "C-3"])
        #expect(spare["room"] == "泵房")

        let retired = try desk.call("access.keys.retire", ["tag": "K-0012", "reason": "lock changed"])
        #expect(retired["status"] == "retired")
        #expect(retired["retireReason"] == "lock changed")
        #expect(try desk.callError("access.keys.retire", ["tag": "K-0012"])?.kind == .invalidState)
        #expect(
            try desk.callError("access.keys.checkout", AccessParams.staffLoan("K-0012"))?.kind == .invalidState)
        // The tag is free again for a new key.
        #expect(try desk.register("K-0012", hook: "A-13")["status"] == "in")
        #expect(try desk.callError("access.keys.checkin", ["tag": "NOPE"])?.kind == .notFound)
        try daemon.stop()
    }

    @Test("A key already out cannot be lent again: conflict saying who has it since when; checkin brings it back")
    func lending() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.register("K-1")
        let out = try desk.call("access.keys.checkout", AccessParams.staffLoan("K-1", borrower: "陈师傅"))
        let key = try #require(out["key"])
        #expect(key["status"] == "out")
        #expect(key["borrower"] == "陈师傅")
        #expect(key["borrowerType"] == "staff")
        #expect(key["lentBy"] == "li.na")
        #expect(key["overdue"] == false)
        #expect(out["receipt"] == .null, "staff give no deposit")
        let since = try #require(key["since"]?.stringValue)
        #expect(since.wholeMatch(of: AccessDesk.isoWithOffset) != nil)
        #expect(key["dueBack"]?.stringValue?.wholeMatch(of: AccessDesk.isoWithOffset) != nil)

        let other = try daemon.counter(desk: "desk-2", operator: "wang.fang")
        let taken = try other.callError("access.keys.checkout", AccessParams.externalLoan("K-1"))
        #expect(taken?.kind == .conflict, "\(String(describing: taken))")
        #expect(taken?.code == -32002)
        #expect(taken?.details["borrower"] == "陈师傅")
        #expect(taken?.details["since"] == .string(since))
        #expect(taken?.message.contains("陈师傅") == true)
        #expect(taken?.message.contains(since) == true)
        #expect(try other.callError("access.keys.retire", ["tag": "K-1"])?.kind == .invalidState)

        let back = try other.call("access.keys.checkin", ["tag": "k-1", "note": "returned by colleague"])
        #expect(back["key"]?["status"] == "in")
        #expect(back["key"]?["borrower"] == .null)
        #expect(back["loan"]?["borrower"] == "陈师傅")
        #expect(back["loan"]?["since"] == .string(since))
        #expect(back["loan"]?["receivedBy"] == "wang.fang")
        #expect(back["loan"]?["returnedAt"]?.stringValue?.wholeMatch(of: AccessDesk.isoWithOffset) != nil)
        #expect(back["refund"] == 0)
        let twice = try other.callError("access.keys.checkin", ["tag": "K-1"])
        #expect(twice?.kind == .invalidState)
        #expect(twice?.details["status"] == "in")
        // Now it can go out again.
        #expect(try other.call("access.keys.checkout", AccessParams.externalLoan("K-1"))["key"]?["borrower"] == "张伟")
        try daemon.stop()
    }

    @Test(
        "External borrowers give an identity document and a deposit, refunded at checkin; dueBack is a future ISO time")
    func externalBorrowers() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.register("K-2")
        expectViolation(
            try desk.callError(
                "access.keys.checkout",
                AccessParams.externalLoan("K-2", extra: ["idType": .null, "idNumber": .null])),
            field: "idType", rule: "external_requires_id")
        expectViolation(
            try desk.callError("access.keys.checkout", AccessParams.externalLoan("K-2", deposit: 0)),
            field: "deposit", rule: "external_requires_deposit")
        #expect(
            try desk.callError("access.keys.checkout", AccessParams.externalLoan("K-2", extra: ["idType": .null]))?
                .field == "idType")
        #expect(
            try desk.callError("access.keys.checkout", AccessParams.externalLoan("K-2", deposit: -5))?.code == -32602)
        for due in ["2026-11-26 18:00", "tomorrow", "2026-11-26T18:00:00"] {
            #expect(
                try desk.callError(
                    "access.keys.checkout", AccessParams.externalLoan("K-2", extra: ["dueBack": .string(due)]))?
                    .field == "dueBack", "\(due)")
        }
        expectViolation(
            try desk.callError(
                "access.keys.checkout",
                AccessParams.externalLoan("K-2", extra: ["dueBack": .string(AccessDesk.time(inSeconds: -60))])),
            field: "dueBack", rule: "due_in_future")

        let out = try desk.call("access.keys.checkout", AccessParams.externalLoan("K-2", deposit: 5000))
        #expect(out["key"]?["borrowerType"] == "external")
        #expect(out["key"]?["idType"] == "id_card")
        #expect(out["key"]?["idLast4"] == "4321")
        #expect(out["key"]?["idNumber"] == "320102198807154321", "root is an admin")
        #expect(out["key"]?["deposit"] == 5000)
        #expect(out["receipt"]?["deposit"] == 5000)
        #expect(out["receipt"]?["key"] == "K-2")
        #expect(out["receipt"]?["operation"] == "checkout")
        let back = try desk.call("access.keys.checkin", ["tag": "K-2"])
        #expect(back["refund"] == 5000)
        #expect(back["receipt"]?["refund"] == 5000)
        #expect(back["receipt"]?["total"] == -5000)
        try daemon.stop()
    }

    @Test("An owner-deposited key goes to a visitor only with the owner's authorisation reference")
    func ownerDeposited() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.register("OD-1201", category: "owner_deposited", unit: "3-2-1201")
        let refused = try desk.callError("access.keys.checkout", AccessParams.externalLoan("OD-1201"))
        expectViolation(refused, field: "authorisationRef", rule: "owner_authorisation_required")
        #expect(refused?.message.contains("authoris") == true)
        #expect(try desk.call("access.keys.list", ["status": "out"])["keys"] == [], "nothing was lent")

        let lent = try desk.call(
            "access.keys.checkout", AccessParams.externalLoan("OD-1201", extra: ["authorisationRef": "OWN-2026-031"]))
        #expect(lent["key"]?["authorisationRef"] == "OWN-2026-031")
        try desk.call("access.keys.checkin", ["tag": "OD-1201"])
        // Staff (the desk's own people) take it without one.
        #expect(try desk.callError("access.keys.checkout", AccessParams.staffLoan("OD-1201")) == nil)
        try daemon.stop()
    }

    @Test("Two workstations lending the same keys at the same moment: for every key exactly one succeeds")
    func concurrentCheckouts() throws {
        let daemon = try AccessDesk.start()
        let setup = try daemon.counter()
        let tags = (1...8).map { "RACE-\($0)" }
        for (index, tag) in tags.enumerated() { try setup.register(tag, hook: "R-\(index)") }
        let desks = [
            try daemon.counter(desk: "desk-1", operator: "li.na"),
            try daemon.counter(desk: "desk-2", operator: "wang.fang"),
        ]
        let outcomes = runOnThreads(2) { worker -> [String: String] in
            var results: [String: String] = [:]
            for tag in tags {
                let borrower = worker == 0 ? "甲" : "乙"
                do {
                    let reply = try desks[worker].call(
                        "access.keys.checkout", AccessParams.staffLoan(tag, borrower: borrower))
                    results[tag] = "ok:" + (reply["key"]?["since"]?.stringValue ?? "")
                } catch ClientError.rpc(let error) {
                    results[tag] =
                        "\(error.kind.rawValue):\(error.details["borrower"]?.stringValue ?? "")@\(error.details["since"]?.stringValue ?? "")"
                }
            }
            return results
        }
        let first = try outcomes[0].get()
        let second = try outcomes[1].get()
        let keys = try #require(try setup.call("access.keys.list", ["status": "out"])["keys"]?.arrayValue)
        #expect(keys.count == tags.count)
        for tag in tags {
            let a = first[tag] ?? ""
            let b = second[tag] ?? ""
            let winners = [a, b].filter { $0.hasPrefix("ok:") }
            #expect(winners.count == 1, "\(tag): \(a) / \(b)")
            let loser = a.hasPrefix("ok:") ? b : a
            let winner = a.hasPrefix("ok:") ? "甲" : "乙"
            let stored = keys.first { $0["tag"] == .string(tag) }
            #expect(stored?["borrower"] == .string(winner), "\(tag)")
            let since = stored?["since"]?.stringValue ?? "?"
            #expect(loser == "conflict:\(winner)@\(since)", "\(tag): \(loser)")
        }
        try daemon.stop()
    }

    @Test("list by status (in, out, overdue, retired), building and category")
    func listing() throws {
        let daemon = try AccessDesk.start()
        let desk = try daemon.counter()
        try desk.register("A-1", building: "1")
        try desk.register("A-2", building: "1")
        try desk.register("B-1", category: "owner_deposited", building: "2")
        try desk.register("B-2", category: "facility_spare", building: "2")
        try desk.call("access.keys.retire", ["tag": "B-2"])
        try desk.call("access.keys.checkout", AccessParams.staffLoan("A-1"))
        var soon = AccessParams.staffLoan("A-2")
        if case .object(var members) = soon {
            members["dueBack"] = .string(AccessDesk.time(inSeconds: 1.5))
            soon = .object(members)
        }
        try desk.call("access.keys.checkout", soon)

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
        #expect(try tags(["limit": 1]) == ["A-1"])
        #expect(try desk.call("access.keys.list", ["limit": 1])["more"] == true)
        // A-2 was due back in 1.5 s.
        #expect(pollUntil(timeout: .seconds(10)) { (try? tags(["status": "overdue"])) == ["A-2"] })
        let overdue = try desk.call("access.keys.list", ["status": "overdue"])["keys"]?.arrayValue?.first
        #expect(overdue?["overdue"] == true)
        #expect(try desk.callError("access.keys.list", ["status": "lost"])?.code == -32602)
        try daemon.stop()
    }
}
