import ReceptionPluginTesting
import Testing

@testable import ExamplePlugin

/// The template department in two languages (issue 12, "Chinese"): the shortest complete plugin
/// shows how a department declares its words once, and what a test of them checks.
@Suite("example: words in English and Chinese")
struct ExampleWordsTests {
    let manifest = ExamplePlugin.manifest

    @Test("every member name in every method's params and result schema has a title in both languages")
    func everySchemaMemberIsTitled() throws {
        #expect(manifest.labels.title == ["en": "Desk notebook", "zh": "前台记事本"])
        #expect(GlossaryCoverage.untitledMembers(of: manifest) == [])
        #expect(GlossaryCoverage.methodsWithoutChinese(in: manifest) == [])
        let add = try #require(manifest.methods.first { $0.name == "example.note.add" })
        #expect(add.result?["properties"]?["createdAt"]?["x-i18n"]?["zh"]?["title"] == "记录时间")
        #expect(add.params["properties"]?["text"]?["x-i18n"]?["en"]?["title"] == "Note")
    }

    @Test("the members of its replies (notes, purged, the echo) are titled too")
    func everyReplyMemberIsTitled() throws {
        let desk = try PluginHarness(ExamplePlugin.self, caller: .admin())
        let replies: [(String, JSONValue)] = [
            ("example.note.add", try desk.call("example.note.add", ["text": "电梯 3 号停运"])),
            ("example.note.list", try desk.call("example.note.list")),
            ("example.echo", try desk.call("example.echo")),
            ("example.note.purge", try desk.call("example.note.purge")),
        ]
        let untitled = replies.flatMap { GlossaryCoverage.untitledMembers(of: $0.1, method: $0.0, in: manifest) }
        #expect(untitled == [])
    }

    @Test("a note over the configured length is refused in both languages, each giving its length and the limit")
    func tooLongInChinese() throws {
        let desk = try PluginHarness(ExamplePlugin.self, config: ["max_note_length": 4], caller: .operator("li.na"))
        let error = try desk.callError("example.note.add", ["text": "电梯停运了"])
        #expect(error.message == "text is 5 Unicode scalars long; the limit is 4", "English unchanged")
        #expect(error.translations["zh"] == "内容有 5 个字符，最多 4 个")
    }
}
