import Foundation
import ReceptionPluginTesting
import Testing

@testable import AccessPlugin

/// The access desk in two languages (issue 12, "Chinese"): every member of its passes, keys,
/// loans, receipts, ledger and reports has an English and a Chinese title, every method a
/// Chinese description, and its rule errors a Chinese message naming the same facts (money in
/// yuan) as the English one.
@Suite("access rules: words in English and Chinese")
struct AccessWordsRulesTests {
    let manifest = AccessPlugin.manifest

    @Test("the manifest titles passes, keys and the ledger in both languages, with the labels of their values")
    func manifestCarriesBothLanguages() throws {
        #expect(manifest.labels.title["zh"] == "门禁卡与钥匙")
        #expect(GlossaryCoverage.isChinese(manifest.labels.summary["zh"]))

        let issue = try #require(manifest.methods.first { $0.name == "access.badges.issue" })
        let holder = issue.params["properties"]?["holder"]?["x-i18n"]
        #expect(holder?["en"]?["title"] == "Holder")
        #expect(holder?["zh"]?["title"] == "持卡人")
        #expect(issue.params["properties"]?["kind"]?["x-i18n"]?["zh"]?["labels"]?["tenant"] == "租户")

        let badge = try #require(manifest.methods.first { $0.name == "access.badges.get" }?.result?["properties"])
        #expect(badge["fee"]?["x-i18n"]?["zh"]?["title"] == "工本费")
        #expect(badge["deposit"]?["x-i18n"]?["zh"]?["title"] == "押金")
        #expect(badge["idLast4"]?["x-i18n"]?["zh"]?["title"] == "证件号后四位")
        #expect(badge["status"]?["x-i18n"]?["zh"]?["labels"]?["lost"] == "已挂失")
        #expect(badge["depositStatus"]?["x-i18n"]?["zh"]?["labels"]?["forfeited"] == "已没收")

        let keys = try #require(manifest.methods.first { $0.name == "access.keys.list" })
        let key = try #require(keys.result?["properties"])
        #expect(key["status"]?["x-i18n"]?["zh"]?["labels"]?["out"] == "借出", "a key's states share the member")
        #expect(key["category"]?["x-i18n"]?["zh"]?["labels"]?["owner_deposited"] == "业主寄存钥匙")
        #expect(keys.params["properties"]?["status"]?["x-i18n"]?["zh"]?["labels"]?["overdue"] == "逾期未还")

        let ledger = try #require(manifest.methods.first { $0.name == "access.ledger" })
        #expect(ledger.result?["properties"]?["type"]?["x-i18n"]?["zh"]?["labels"]?["refund"] == "退押金")
        #expect(ledger.i18n?["zh"]?["description"]?.stringValue?.contains("对账") == true)
    }

    @Test("every member name in every method's params and result schema has a title in both languages")
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
    }

    @Test(
        "the members of real replies (receipts and their total, loans, ledger totals, kinds, reconciliation reports) are titled too"
    )
    func everyReplyMemberIsTitled() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .admin("wang.jing"))
        var replies: [(String, JSONValue)] = []
        func call(_ method: String, _ params: JSONValue = [:]) throws {
            replies.append((method, try desk.call(method, params)))
        }
        let tenant = try desk.issue("tenant")
        replies.append(("access.badges.issue", tenant))
        try call(
            "access.badges.renew",
            [
                "number": .string(tenant.number), "validUntil": .string(desk.date(months: 7)),
                "leaseEnd": .string(desk.date(months: 8)),
            ])
        let lost = try desk.issue("contractor", holder: "陈师傅", idNumber: "320102198807154321")
        try call("access.badges.reportLost", ["number": .string(lost.number)])
        try call("access.badges.return", ["number": .string(tenant.number)])
        try call("access.badges.verify", ["number": .string(tenant.number)])
        try call("access.badges.verify", ["number": "X999"])
        try call("access.badges.list", ["limit": 1])
        try call("access.kinds")
        try desk.register("K-0001")
        try desk.register("K-0002", unit: "3-2-1203", hook: "A-02")
        try call("access.keys.checkout", desk.externalLoan("K-0001"))
        try call("access.keys.list")
        try call("access.keys.reconcile", ["counted": ["K-0001", "K-9"]])
        try call("access.keys.checkin", ["tag": "K-0001"])
        try call("access.keys.reconciliations")
        try call("access.ledger", ["from": .string(desk.date()), "limit": 1])

        #expect(replies.first { $0.0 == "access.keys.checkin" }?.1["receipt"]?["total"] == -5000)
        #expect(replies.first { $0.0 == "access.ledger" }?.1["more"] == true, "more entries than the limit")
        let untitled = replies.flatMap { GlossaryCoverage.untitledMembers(of: $0.1, method: $0.0, in: manifest) }
        #expect(untitled == [])
    }

    @Test("an external borrower's deposit below the minimum is refused in Chinese with the minimum in yuan")
    func depositMinimumInYuan() throws {
        let desk = try PluginHarness(
            AccessPlugin.self, config: ["key_deposit_minimum": 5000], caller: .operator("li.na"))
        try desk.register("K-0012")
        let error = try desk.callError("access.keys.checkout", desk.externalLoan("K-0012", deposit: 1000))
        expectViolation(error, field: "deposit", rule: "external_requires_deposit")
        #expect(error.message == "an external borrower must give a deposit of at least 5000", "English unchanged")
        #expect(error.translations["zh"] == "外来人员借钥匙须交押金，至少 ¥50.00")
    }

    @Test("a key already out is refused in Chinese naming the key, the borrower and the times")
    func keyOutInChinese() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        try desk.register("K-0012")
        let loan = try desk.call("access.keys.checkout", desk.staffLoan("K-0012", borrower: "陈师傅"))
        let since = try #require(loan["key"]?["since"]?.stringValue)
        let dueBack = try #require(loan["key"]?["dueBack"]?.stringValue)
        let error = try desk.callError("access.keys.checkout", desk.externalLoan("K-0012"))
        #expect(error.kind == .conflict)
        #expect(error.message == "key K-0012 is already out: lent to 陈师傅 since \(since), due back \(dueBack)")
        #expect(error.translations["zh"] == "钥匙 K-0012 已借出：\(since) 起借给 陈师傅，应还时间 \(dueBack)")
    }

    @Test(
        "the rules of a pass are refused in Chinese: a lease for a tenant, one resident pass per holder, an unknown kind"
    )
    func passRulesInChinese() throws {
        let desk = try PluginHarness(AccessPlugin.self, caller: .operator("li.na"))
        let noLease = try desk.issueError("tenant", with: ["leaseRef": .null])
        expectViolation(noLease, field: "leaseRef", rule: "tenant_requires_lease")
        #expect(noLease.translations["zh"] == "租户卡须填写租赁合同编号")

        let first = try desk.issue("resident", holder: "王芳")
        let second = try desk.issueError("resident", holder: "王芳")
        expectViolation(second, field: "holder", rule: "one_active_resident_pass")
        let chinese = try #require(second.translations["zh"])
        #expect(second.message.contains(first.number) && chinese.contains(first.number), "\(chinese)")
        #expect(chinese.contains("王芳") && chinese.contains("****1234") && !chinese.contains("110101"), "\(chinese)")

        let unknown = try desk.issueError("visitor")
        #expect(unknown.translations["zh"] == "没有“visitor”这种卡，可办的有：住户（resident）、租户（tenant）、装修施工（contractor）")

        let missing = try desk.callError("access.badges.get", ["number": "T999999"])
        #expect(missing.translations["zh"] == "没有卡号为 T999999 的门禁卡")
    }
}
