import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `daemon.hello {"locale"}` and the words plugins publish in two languages (issue 12: the clerks
/// read Chinese; scripts keep reading English).
@Suite("locale and labels")
struct LocaleTests {
    @Test(
        "a connection that says locale zh_CN gets the params checks' errors in Chinese, the English in data.messageEn")
    func chineseErrors() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let chinese = try daemon.connect()
        let hello = try chinese.call("daemon.hello", ["operator": "li.na", "locale": "zh_CN.UTF-8"])
        #expect(hello["locale"] == "zh_CN.UTF-8")

        let missing = try #require(try chinese.callError("example.note.add", [:]))
        #expect(missing.message == "缺少 text（必填）")
        #expect(missing.field == "text")
        #expect(missing.kind == .validation)
        #expect(missing.details["messageEn"] == "text is required")
        #expect(missing.details["i18n"] == nil)

        let tooLong = try #require(
            try chinese.callError(
                "example.note.add", ["text": "hi", "idNumber": .string(String(repeating: "1", count: 33))]))
        #expect(tooLong.message.contains("最多 32 个"), "\(tooLong.message)")

        let unknown = try #require(try chinese.callError("example.note.add", ["text": "hi", "colour": "red"]))
        #expect(unknown.message.hasPrefix("没有 colour 这一项"), "\(unknown.message)")

        let range = try #require(try chinese.callError("example.note.list", ["limit": 0]))
        #expect(range.message.hasPrefix("limit 不能小于 1"), "\(range.message)")
        #expect(try daemon.stop() == 0)
    }

    @Test("without a locale, or with an English one, every message stays English and carries no translation")
    func englishByDefault() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        for locale: JSONValue? in [nil, "en_US.UTF-8", "C"] {
            let client = try daemon.connect()
            if let locale { _ = try client.call("daemon.hello", ["locale": locale]) }
            let error = try #require(try client.callError("example.note.add", [:]))
            #expect(error.message == "text is required")
            #expect(error.details["messageEn"] == nil)
            #expect(error.details["i18n"] == nil)
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("daemon.methods lists every plugin with its version and summary")
    func pluginsListing() throws {
        let daemon = try TestDaemon()
        try daemon.start()
        let client = try daemon.connect()
        let listing = try client.call("daemon.methods")
        let plugins = try #require(listing["plugins"]?.arrayValue)
        let names = plugins.compactMap { $0["name"]?.stringValue }
        #expect(names == ["example"])
        let example = try #require(plugins.first)
        #expect(example["available"] == true)
        #expect(example["version"] == "1.0.0")
        #expect(example["summary"]?.stringValue?.isEmpty == false)
        #expect(try daemon.stop() == 0)
    }
}
