import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `utilities.get`, `utilities.list`, `utilities.batches.get`, `utilities.batches.list`: the
/// read side, newest first, with cursor pagination as parcels.list has it.
@Suite("utilities rules: lists and pagination")
struct ListRulesTests {
    @Test("utilities.list pages newest first with nextCursor until it is null, and every request appears once")
    func listPages() throws {
        let desk = try UtilitiesHarness.utilities()
        for index in 0..<7 { try desk.request("3-2-\(1201 + index)", cash: 100) }
        var seen: [JSONValue] = []
        var cursor: JSONValue = .null
        var pages = 0
        repeat {
            var params: [String: JSONValue] = ["limit": 3]
            if cursor != .null { params["cursor"] = cursor }
            let page = try desk.call("utilities.list", .object(params))
            seen += page["requests"]?.arrayValue?.map { $0["number"] ?? .null } ?? []
            cursor = page["nextCursor"] ?? .null
            pages += 1
        } while cursor != .null && pages < 10
        #expect(pages == 3)
        #expect(seen == (1...7).reversed().map { .string("UT20261206-000\($0)") })
        let bad = try desk.callError("utilities.list", ["cursor": "nope"])
        #expect(bad.field == "cursor")
    }

    @Test("utilities.list filters by status, unit in any spelling, utility, batch and day requested")
    func listFilters() throws {
        let desk = try UtilitiesHarness.utilities()
        let a = try desk.request("3-2-1201", cash: 100)
        try desk.request("5-1-0302", cash: 100, utility: "gas", medium: "gas_card")
        try desk.handOver(["numbers": [a["number"] ?? .null]])
        desk.clock.advance(days: 1)
        let later = try desk.request("3-2-1201", cash: 100, utility: "water", medium: "meter_card")
        func numbers(_ params: JSONValue) throws -> [JSONValue] {
            try desk.call("utilities.list", params)["requests"]?.arrayValue?.map { $0["number"] ?? .null } ?? []
        }
        #expect(try numbers(["status": "with_agent"]) == [a["number"]])
        #expect(try numbers(["unit": "3栋2单元1201"]) == [later["number"], a["number"]])
        #expect(try numbers(["utility": "gas"]).count == 1)
        #expect(try numbers(["batch": 1]) == [a["number"]])
        #expect(try numbers(["from": "2026-12-07"]) == [later["number"]])
        #expect(try numbers(["to": "2026-12-06"]).count == 2)
    }

    @Test(
        "utilities.batches.list pages newest first and filters by status; batches.get of an unknown batch is not_found")
    func batchList() throws {
        let desk = try UtilitiesHarness.utilities()
        for _ in 0..<3 {
            let request = try desk.request(cash: 500)
            try desk.handOver()
            if request["number"] == "UT20261206-0001" {
                try desk.call(
                    "utilities.batches.return", ["batch": 1, "results": [failed(request["number"])], "cashBack": 500])
            }
        }
        let first = try desk.call("utilities.batches.list", ["limit": 2])
        #expect(first["batches"]?.arrayValue?.map { $0["batch"] } == [3, 2])
        let next = try desk.call("utilities.batches.list", ["limit": 2, "cursor": first["nextCursor"] ?? .null])
        #expect(next["batches"]?.arrayValue?.map { $0["batch"] } == [1])
        #expect(next["nextCursor"] == .null)
        let returned = try desk.call("utilities.batches.list", ["status": "returned"])
        #expect(returned["batches"]?.arrayValue?.map { $0["batch"] } == [1])
        #expect(returned["batches"]?.arrayValue?.first?["requests"]?.arrayValue?.count == 1)
        let unknown = try desk.callError("utilities.batches.get", ["batch": 99])
        #expect(unknown.kind == .notFound)
    }
}
