import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// The cases desk in two languages: every member it publishes has an English and a Chinese
/// title, every method a Chinese description, every event a line in both.
@Suite("cases rules: words in English and Chinese")
struct WordsRulesTests {
    let manifest = CasesPlugin.manifest

    @Test(
        "every member of every method's params and result schema is titled in both languages; every method has Chinese")
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
        for topic in CasesPlugin.Topic.allCases {
            #expect(!topic.line.en.isEmpty && GlossaryCoverage.isChinese(topic.line.zh), "\(topic.rawValue)")
        }
    }

    @Test("the values clerks read have Chinese labels: 售后 报修 投诉 服务 表扬 建议 其它, the areas, urgency, satisfaction")
    func valueLabels() {
        let glossary = manifest.labels.glossary
        #expect(
            CasesConfig.defaultCategories.map { glossary["category"]?.labels["zh"]?[$0] }
                == ["售后", "报修", "投诉", "服务", "表扬", "建议", "其它"])
        for area in CasesConfig.defaultAreas {
            #expect(GlossaryCoverage.isChinese(glossary["area"]?.labels["zh"]?[area]), "\(area)")
        }
        for department in CasesConfig.defaultDepartments {
            #expect(GlossaryCoverage.isChinese(glossary["department"]?.labels["zh"]?[department]), "\(department)")
        }
        #expect(glossary["urgency"]?.labels["zh"]?["emergency"] == "突发")
        #expect(glossary["satisfaction"]?.labels["zh"]?["dissatisfied"] == "不满意")
        #expect(glossary["status"]?.labels["zh"]?["reopened"] == "已重开")
    }

    @Test("the members of real replies (a case with its payment and callback, orders, the report) are titled too")
    func everyReplyMemberIsTitled() throws {
        let desk = try CasesHarness.cases()
        let service = try desk.call(
            "cases.open", CasesHarness.report("service", ["service": "housekeeping", "tendered": 10_000]))
        let id = service["case"] ?? .null
        let order = try desk.call("cases.dispatch", ["case": id, "department": "cleaning"])
        let delayed = try desk.call(
            "cases.workorders.delay",
            [
                "order": order["order"] ?? .null, "reason": "人手不足", "newDue": "2026-12-08T10:00:00+08:00",
                "residentTold": true,
            ])
        try desk.finish(order["order"]?.stringValue ?? "")
        try desk.call("cases.update", ["case": id, "note": "业主要求上午上门"])
        let closed = try desk.call("cases.close", ["case": id, "outcome": "已完成"])
        let called = try desk.call("cases.callback", ["case": id, "reached": true, "satisfaction": "satisfied"])
        let complaint = try desk.call(
            "cases.open", CasesHarness.report("suggestion"))
        let reclassified = try desk.call(
            "cases.update", ["case": complaint["case"] ?? .null, "category": "complaint", "area": "mail"])
        let replies: [(String, JSONValue)] = [
            ("cases.open", service), ("cases.dispatch", order), ("cases.workorders.delay", delayed),
            ("cases.close", closed), ("cases.callback", called), ("cases.update", reclassified),
            ("cases.list", try desk.call("cases.list")),
            ("cases.workorders", try desk.call("cases.workorders", ["all": true])),
            ("cases.report", try desk.call("cases.report", ["month": "2026-12"])),
        ]
        for (method, reply) in replies {
            #expect(GlossaryCoverage.untitledMembers(of: reply, method: method, in: manifest) == [], "\(method)")
        }
    }
}
