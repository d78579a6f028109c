import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// `parcels.recipients` in-process: the candidates a clerk is offered for part of a name.
@Suite("parcels rules: finding a recipient by part of the name")
struct RecipientSearchRulesTests {
    @Test(
        "parcels.recipients lists who has items at the desk: names starting with the text first, then names containing it, each unit once with its count"
    )
    func candidates() throws {
        let desk = try ParcelsHarness.parcels()
        try desk.receive("letter", recipient: "李四", unit: "3-2-1201")
        try desk.receive("parcel", recipient: "李四", unit: "3栋2单元1201")
        try desk.receive("parcel", recipient: "李四", unit: "5-1-301")
        try desk.receive("parcel", recipient: "李娜", unit: "3-2-1202")
        try desk.receive("parcel", recipient: "王李明", unit: "1-1-101")
        try desk.receive("parcel", recipient: "张伟", unit: "3-2-1201")
        let gone = try desk.receive("parcel", recipient: "李白", unit: "2-2-202")
        try desk.pickup([gone.code], by: "李白")

        let found = try desk.call("parcels.recipients", ["query": "李"])
        let rows = found["recipients"]?.arrayValue ?? []
        #expect(
            rows.map { "\($0["recipient"]?.stringValue ?? "") \($0["items"]?.intValue ?? -1)" } == [
                "李四 2", "李四 1", "李娜 1", "王李明 1",
            ],
            "prefix matches sorted by name, then contains; 李白's item is collected: \(rows)")
        #expect(rows.first?["unit"]?.stringValue.map { ["3-2-1201", "3栋2单元1201"].contains($0) } == true)
        #expect(found["more"] == nil)

        let inUnit = try desk.call("parcels.recipients", ["query": "李", "unit": "3栋 2单元 1201"])
        let unitRows = inUnit["recipients"]?.arrayValue ?? []
        #expect(unitRows.map { $0["recipient"] } == ["李四"], "the unit in any spelling: \(inUnit)")
        #expect(unitRows.first?["items"] == 2)

        let limited = try desk.call("parcels.recipients", ["query": "李", "limit": 2])
        #expect(limited["recipients"]?.arrayValue?.count == 2)
        #expect(limited["more"] == true)

        #expect(try desk.call("parcels.recipients", ["query": "赵"])["recipients"] == [])
    }

    @Test("parcels.recipients needs some text; % and _ are plain characters, not patterns")
    func badQueries() throws {
        let desk = try ParcelsHarness.parcels()
        try desk.receive("parcel", recipient: "李四", unit: "3-2-1201")
        #expect(try desk.callError("parcels.recipients", [:]).field == "query")
        #expect(try desk.callError("parcels.recipients", ["query": "  "]).field == "query")
        #expect(try desk.call("parcels.recipients", ["query": "%"])["recipients"] == [])
        #expect(try desk.call("parcels.recipients", ["query": "_"])["recipients"] == [])
        #expect(try desk.callError("parcels.recipients", ["query": "李", "limit": 51]).field == "limit")
    }
}
