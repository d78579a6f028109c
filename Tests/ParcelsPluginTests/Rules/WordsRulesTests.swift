import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// The parcels desk in two languages (issue 12, "Chinese"): every member it publishes has an
/// English and a Chinese title, every method a Chinese description, and its rule errors a
/// Chinese message naming the same code and person as the English one.
@Suite("parcels rules: words in English and Chinese")
struct WordsRulesTests {
    let manifest = ParcelsPlugin.manifest

    @Test("the manifest titles the department and its members in both languages, in every schema that has them")
    func manifestCarriesBothLanguages() throws {
        #expect(manifest.labels.title == ["en": "Mail and parcels", "zh": "邮件包裹"])
        #expect(GlossaryCoverage.isChinese(manifest.labels.summary["zh"]))

        let receive = try #require(manifest.methods.first { $0.name == "parcels.receive" })
        let recipient = receive.params["properties"]?["recipient"]?["x-i18n"]
        #expect(recipient?["en"]?["title"] == "Recipient")
        #expect(recipient?["zh"]?["title"] == "收件人")
        #expect(recipient?["zh"]?["description"] == "收件人姓名（业主或租户）", "the param's own words are kept")
        let unit = receive.params["properties"]?["unit"]?["x-i18n"]?["zh"]?["description"]?.stringValue ?? ""
        #expect(unit.contains("3-2-1201") && unit.contains("3栋2单元1201"), "the format hint survives: \(unit)")
        #expect(receive.i18n?["zh"]?["description"] == "签收一件邮件或包裹，给出取件码。")

        let item = try #require(receive.result?["properties"])
        #expect(item["code"]?["x-i18n"]?["zh"]?["title"] == "取件码")
        #expect(item["receivedAt"]?["x-i18n"]?["en"]?["title"] == "Received at")
        #expect(item["receivedAt"]?["x-i18n"]?["zh"]?["title"] == "签收时间")
        #expect(item["status"]?["x-i18n"]?["zh"]?["labels"]?["held"] == "待领取")
        #expect(item["kind"]?["x-i18n"]?["zh"]?["labels"]?["express"] == "快递")
        #expect(item["condition"]?["x-i18n"]?["zh"]?["labels"]?["damaged"] == "破损")

        let pickup = try #require(manifest.methods.first { $0.name == "parcels.pickup" })
        let idType = pickup.params["properties"]?["idType"]?["x-i18n"]
        #expect(idType?["zh"]?["title"] == "证件类型")
        #expect(idType?["zh"]?["labels"]?["id_card"] == "身份证", "the default list's own label")
        #expect(idType?["en"]?["labels"]?["id_card"] == "Resident ID card")
        #expect(pickup.params["properties"]?["proxy"]?["x-i18n"]?["zh"]?["title"] == "代领")
    }

    @Test("every member name in every method's params and result schema has a title in both languages")
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
    }

    @Test("the members a reply adds beside the item (daysWaiting, more, nextCursor, changes, the stats) are titled too")
    func everyReplyMemberIsTitled() throws {
        let desk = try ParcelsHarness.parcels(config: ["overdue_days": 0])
        let item = try desk.receive("express", with: ["carrier": "SF", "tracking": "SF1", "shelf": "B-3"])
        let other = try desk.receive("letter")
        desk.clock.advance(by: 86_400 * 2)
        var replies: [(String, JSONValue)] = [
            ("parcels.receive", item),
            ("parcels.notify", try desk.call("parcels.notify", ["code": .string(item.code), "channel": "sms"])),
            ("parcels.amend", try desk.call("parcels.amend", ["code": .string(item.code), "shelf": "C-1"])),
            ("parcels.overdue", try desk.call("parcels.overdue", ["limit": 1])),
            ("parcels.list", try desk.call("parcels.list", ["limit": 1])),
            ("parcels.pending", try desk.call("parcels.pending", ["unit": "3栋2单元1201"])),
        ]
        replies.append(("parcels.pickup", try desk.pickup([item.code], by: "王芳", proxy: true)))
        replies.append(
            ("parcels.return", try desk.call("parcels.return", ["code": .string(other.code), "reason": "拒收"])))
        let today = CivilDate(localDateOf: desk.clock.now).description
        replies.append(("parcels.stats", try desk.call("parcels.stats", ["from": "2000-01-01", "to": .string(today)])))

        let overdue = replies.first { $0.0 == "parcels.overdue" }?.1
        #expect(overdue?["items"]?.arrayValue?.first?["daysWaiting"] == 2)
        #expect(overdue?["more"] == true, "a second item waits")
        #expect(replies.first { $0.0 == "parcels.list" }?.1["nextCursor"]?.stringValue != nil, "a second page exists")
        let untitled = replies.flatMap { GlossaryCoverage.untitledMembers(of: $0.1, method: $0.0, in: manifest) }
        #expect(untitled == [])
    }

    @Test("a double scan is refused in both languages, each naming the tracking number and the code already held")
    func doubleScanInChinese() throws {
        let desk = try ParcelsHarness.parcels()
        let held = try desk.receive("express", with: ["carrier": "SF", "tracking": "SF1234567890"])
        let error = try desk.callError(
            "parcels.receive",
            ["kind": "express", "recipient": "李娜", "unit": "3-2-1201", "carrier": "SF", "tracking": "SF1234567890"])
        #expect(error.kind == .conflict)
        #expect(
            error.message == "SF SF1234567890 is already held as \(held.code) (scanned twice?)", "English unchanged")
        let chinese = try #require(error.translations["zh"])
        #expect(chinese.contains("SF1234567890") && chinese.contains(held.code), "\(chinese)")
        #expect(chinese.contains("重复扫描"))
    }

    @Test("a pickup by someone else without proxy is refused in Chinese naming the code, the recipient and who came")
    func proxyRequiredInChinese() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive(recipient: "周杰")
        let error = try desk.callError("parcels.pickup", ParcelsHarness.pickupParams([item.code], by: "王五"))
        #expect(error.details["rule"] == "proxy_required")
        #expect(error.message.contains("is for 周杰, not 王五"), "English unchanged: \(error.message)")
        let chinese = try #require(error.translations["zh"])
        #expect(chinese.contains(item.code) && chinese.contains("周杰") && chinese.contains("王五"), "\(chinese)")
        #expect(chinese.contains("代领"))
    }

    @Test("an unknown document type is refused in Chinese listing the documents by their labels")
    func knownIDTypeInChinese() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        var params = ParcelsHarness.pickupParams([item.code])
        params = params.merging(["idType": "学生证"])
        let error = try desk.callError("parcels.pickup", params)
        #expect(error.details["rule"] == "known_id_type")
        let chinese = try #require(error.translations["zh"])
        #expect(chinese.contains("学生证") && chinese.contains("身份证（id_card）") && chinese.contains("护照"), "\(chinese)")
    }

    @Test(
        "an item that has left the desk is refused in Chinese naming its code, who took it and when; an unknown code too"
    )
    func stateAndNotFoundInChinese() throws {
        let desk = try ParcelsHarness.parcels()
        let item = try desk.receive()
        try desk.pickup([item.code], by: "李娜")
        let collectedAt = desk.nowText
        let error = try desk.callError("parcels.notify", ["code": .string(item.code), "channel": "sms"])
        #expect(error.kind == .invalidState)
        #expect(error.message == "cannot notify \(item.code): it was collected by 李娜 at \(collectedAt)")
        #expect(error.translations["zh"] == "\(item.code) 无法通知：已由 李娜 于 \(collectedAt) 领走")

        let missing = try desk.callError("parcels.get", ["code": "Z9Z9"])
        #expect(missing.message == "no item with pickup code Z9Z9")
        #expect(missing.translations["zh"] == "没有取件码为 Z9Z9 的邮件包裹")
    }
}

extension JSONValue {
    /// This object with `members` added or replaced.
    fileprivate func merging(_ members: [String: JSONValue]) -> JSONValue {
        .object((objectValue ?? [:]).merging(members) { _, new in new })
    }
}
