import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// The utilities desk in two languages: every member it publishes has an English and a Chinese
/// title, every method a Chinese description, and its rule errors a Chinese message.
@Suite("utilities rules: words in English and Chinese")
struct WordsRulesTests {
    let manifest = UtilitiesPlugin.manifest

    @Test(
        "every member name in every method's params and result schema has a title in both languages; every method is described in Chinese"
    )
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
    }

    @Test("the utilities, the media and the statuses are labelled as the desk says them")
    func labels() throws {
        let request = try #require(manifest.methods.first { $0.name == "utilities.request" })
        let result = try #require(request.result?["properties"])
        #expect(result["utility"]?["x-i18n"]?["zh"]?["labels"]?["electricity"] == "电")
        #expect(result["utility"]?["x-i18n"]?["zh"]?["labels"]?["gas"] == "燃气")
        #expect(result["utility"]?["x-i18n"]?["zh"]?["labels"]?["water"] == "水")
        #expect(result["medium"]?["x-i18n"]?["zh"]?["labels"]?["remote"] == "遥控板")
        #expect(result["medium"]?["x-i18n"]?["zh"]?["labels"]?["gas_card"] == "智能气卡")
        #expect(result["medium"]?["x-i18n"]?["zh"]?["labels"]?["meter_card"] == "电卡")
        #expect(result["medium"]?["x-i18n"]?["en"]?["labels"]?["meter_card"] == "meter card")
        #expect(result["medium"]?["x-i18n"]?["zh"]?["labels"]?["account"] == "账户")
        let statuses = result["status"]?["x-i18n"]?["zh"]?["labels"]
        #expect(statuses?["at_desk"] == "在柜")
        #expect(statuses?["with_agent"] == "代办中")
        #expect(statuses?["ready"] == "待领取")
        #expect(statuses?["collected"] == "已领取")
        #expect(statuses?["cancelled"] == "已取消")
        #expect(manifest.labels.title["zh"]?.contains("代缴") == true)
    }

    @Test(
        "the members replies add beside the records (handOver, the cash on hand, the report's figures) are titled too")
    func everyReplyMemberIsTitled() throws {
        let desk = try UtilitiesHarness.utilities()
        let request = try desk.request(cash: 1_000)
        let batch = try desk.handOver()
        let back = try desk.call(
            "utilities.batches.return",
            ["batch": 1, "results": [bought(request["number"], spent: 900)], "cashBack": 100])
        let replies: [(String, JSONValue)] = [
            ("utilities.request", request), ("utilities.batches.create", batch), ("utilities.batches.return", back),
            ("utilities.cashOnHand", try desk.cashOnHand()),
            (
                "utilities.collect",
                try desk.call("utilities.collect", ["number": request["number"] ?? .null, "collectedBy": "王芳"])
            ),
            ("utilities.list", try desk.call("utilities.list")),
            ("utilities.batches.list", try desk.call("utilities.batches.list")),
            ("utilities.report", try desk.call("utilities.report", ["month": "2026-12"])),
        ]
        for (method, reply) in replies {
            #expect(GlossaryCoverage.untitledMembers(of: reply, method: method, in: manifest) == [], "\(method)")
        }
    }

    @Test("every rule error carries a Chinese message")
    func rulesInChinese() throws {
        let desk = try UtilitiesHarness.utilities()
        let request = try desk.request(cash: 1_000)
        let errors = [
            try desk.callError("utilities.get", ["number": "UT20990101-0001"]),
            try desk.callError("utilities.collect", ["number": request["number"] ?? .null, "collectedBy": "王芳"]),
            try desk.callError(
                "utilities.request",
                ["unit": "3-2-1201", "payer": "王芳", "utility": "heat", "cash": 1, "medium": "remote"]),
            try desk.callError(
                "utilities.request",
                [
                    "unit": "3-2-1201", "payer": "王芳", "utility": "gas", "cash": 1, "medium": "remote",
                    "quantity": "1.2345",
                ]),
            try desk.callError("utilities.batches.create", ["agent": "张师傅", "utility": "water"]),
            try desk.callError("utilities.batches.get", ["batch": 5]),
            try desk.callError("utilities.report", ["month": "December"]),
        ]
        for error in errors {
            #expect(GlossaryCoverage.isChinese(error.translations["zh"]), "\(error.message)")
        }
    }
}
