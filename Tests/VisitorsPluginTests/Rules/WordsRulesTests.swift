import Foundation
import ReceptionPluginTesting
import Testing

@testable import VisitorsPlugin

/// The visitors desk in two languages: every member it publishes has an English and a Chinese
/// title, every method a Chinese description, every event a line in both.
@Suite("visitors rules: words in English and Chinese")
struct WordsRulesTests {
    let manifest = VisitorsPlugin.manifest

    @Test(
        "every member of every method's params and result schema has a title in both languages; every method is described in Chinese"
    )
    func everySchemaMemberIsTitled() {
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
    }

    @Test("every event topic has a line in English and one in Chinese")
    func everyTopicHasLines() {
        for topic in VisitorsPlugin.Topic.allCases {
            #expect(!topic.line.en.isEmpty, "\(topic.rawValue)")
            #expect(GlossaryCoverage.isChinese(topic.line.zh), "\(topic.rawValue)")
        }
    }
}
