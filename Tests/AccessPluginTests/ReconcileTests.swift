import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// The monthly count of the key cabinet against the register, in-process.
@Suite("access rules: key reconciliation")
struct ReconcileTests {
    @Test("The report names missing keys, keys not on the register and keys out on loan; it is stored and listed")
    func report() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .admin("li.na"))
        for tag in ["K-1", "K-2", "K-3", "K-4", "K-5", "K-6", "K-7"] { try desk.register(tag) }
        try desk.call("access.keys.retire", ["tag": "K-7"])
        try desk.call("access.keys.checkout", desk.staffLoan("K-5", borrower: "陈师傅"))
        try desk.call("access.keys.checkout", desk.externalLoan("K-6"))

        // K-4 is not on its hook; K-6 is on its hook although nobody checked it in; X-99 and
        // the retired K-7 are not on the register; K-1 was counted twice.
        let report = try desk.call(
            "access.keys.reconcile",
            [
                "counted": ["K-1", "k-2", "K-3", "K-6", "X-99", "K-7", "K-1"],
                "note": "November count, li.na + wang.fang",
            ])
        #expect(report["counted"] == 6)
        #expect(report["registered"] == 6)
        #expect(report["matched"] == 3)
        #expect(report["missing"]?.arrayValue?.compactMap { $0["tag"]?.stringValue } == ["K-4"])
        #expect(report["missing"]?.arrayValue?.first?["hook"] == "A-01")
        #expect(report["unregistered"] == ["K-7", "X-99"])
        let out = try #require(report["outOnLoan"]?.arrayValue)
        #expect(out.compactMap { $0["tag"]?.stringValue } == ["K-5", "K-6"])
        #expect(out.first?["borrower"] == "陈师傅")
        #expect(out.first?["since"] != .null)
        #expect(out.last?["idLast4"] == "4321")
        #expect(out.last?["idNumber"] == nil, "a stored report never holds a full identity number, even for an admin")
        #expect(report["outButCounted"] == ["K-6"])
        #expect(report["duplicates"] == ["K-1"])
        #expect(report["balanced"] == false)
        #expect(report["by"] == "li.na")
        #expect(report["time"] == .string(Timestamp.format(desk.clock.now)))
        #expect(report["note"] == "November count, li.na + wang.fang")
        #expect(report["id"] == 1)
        #expect(desk.lastEvents.map(\.topic) == ["access.key.reconciled"])
        #expect(desk.lastEvents.first?.data == report)

        // A clean count after K-6 is checked in and K-4 found.
        try desk.call("access.keys.checkin", ["tag": "K-6"])
        let clean = try desk.call("access.keys.reconcile", ["counted": ["K-1", "K-2", "K-3", "K-4", "K-6"]])
        #expect(clean["balanced"] == true)
        #expect(clean["missing"] == [])
        #expect(clean["unregistered"] == [])
        #expect(clean["note"] == .null)
        #expect(clean["outOnLoan"]?.arrayValue?.count == 1)

        let listed = try desk.call("access.keys.reconciliations")
        #expect(listed["reconciliations"] == [clean, report], "stored as returned, newest first")
        #expect(listed["nextCursor"] == .null)
        let page = try desk.call("access.keys.reconciliations", ["limit": 1])
        #expect(page["reconciliations"] == [clean])
        let cursor = try #require(page["nextCursor"]?.stringValue)
        let older = try desk.call("access.keys.reconciliations", ["limit": 1, "cursor": .string(cursor)])
        #expect(older["reconciliations"] == [report])
        #expect(older["nextCursor"] == .null)
    }

    @Test("A count holds at most 10000 tags of at most 32 characters, none blank")
    func limits() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.register("K-1")
        let many = JSONValue.array((0..<10_000).map { .string("T-\($0)") })
        let big = try desk.call("access.keys.reconcile", ["counted": many])
        #expect(big["counted"] == 10_000)
        #expect(big["unregistered"]?.arrayValue?.count == 10_000)
        #expect(big["missing"]?.arrayValue?.count == 1)
        let tooMany = JSONValue.array((0...10_000).map { .string("T-\($0)") })
        let refused = try desk.callError("access.keys.reconcile", ["counted": tooMany])
        #expect(refused.code == -32602)
        #expect(refused.field == "counted")
        let long = try desk.callError(
            "access.keys.reconcile", ["counted": [.string(String(repeating: "K", count: 33))]])
        #expect(long.code == -32602)
        #expect(long.field == "counted[0]")
        let blank = try desk.callError("access.keys.reconcile", ["counted": ["K-1", " "]])
        #expect(blank.kind == .validation)
        #expect(blank.field == "counted[1]")
        #expect(blank.message == "counted[1] must not be empty")
        #expect(try desk.call("access.keys.reconciliations")["reconciliations"]?.arrayValue?.count == 1)
    }
}
