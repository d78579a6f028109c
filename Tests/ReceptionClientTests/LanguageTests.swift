import ReceptionClient
import Testing

/// Which language receptionctl speaks: the locale as POSIX reads it, then the config file.
@Suite("language")
struct LanguageTests {
    @Test("LC_ALL wins over LC_MESSAGES, which wins over LANG; an empty one is skipped")
    func precedence() {
        #expect(Language.resolve(environment: ["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"]) == .zh)
        #expect(Language.resolve(environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve(environment: ["LC_ALL": "", "LC_MESSAGES": "zh_TW", "LANG": "C"]) == .zh)
        #expect(Language.resolve(environment: ["LANG": "zh_CN"]) == .zh)
    }

    @Test("the config file's language wins over LC_MESSAGES and LANG (a system default), LC_ALL over it")
    func configuredBeatsLang() {
        #expect(Language.resolve(environment: ["LANG": "en_US.UTF-8"], configured: "zh") == .zh)
        #expect(Language.resolve(environment: ["LC_MESSAGES": "en_US.UTF-8"], configured: "zh") == .zh)
        #expect(Language.resolve(environment: ["LC_ALL": "en_US.UTF-8"], configured: "zh") == .en)
    }

    @Test("with no locale set, the config file's language decides; with neither, English")
    func configuredFallback() {
        #expect(Language.resolve(environment: [:], configured: "zh_CN") == .zh)
        #expect(Language.resolve(environment: [:], configured: "zh") == .zh)
        #expect(Language.resolve(environment: ["LANG": "C.UTF-8"], configured: "zh") == .zh, "C is no choice")
        #expect(Language.resolve(environment: [:]) == .en)
    }

    @Test("a phrase reads in the language asked for")
    func phrase() {
        let none = Phrase("(none)", "（无）")
        #expect(none(.en) == "(none)")
        #expect(none(.zh) == "（无）")
        #expect(Language.zh.localeName == "zh_CN")
    }
}

/// Wrapping text for a terminal: Chinese breaks between characters, English at spaces.
@Suite("text wrapping")
struct TextWrapTests {
    @Test("English breaks at spaces; Chinese, which has none, between characters; no line is wider than asked")
    func wraps() {
        let english = TextWrap.wrap("Replies with a list of items, each named by its code", width: 20)
        #expect(english.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 20 })
        #expect(
            english.replacingOccurrences(of: "\n", with: " ") == "Replies with a list of items, each named by its code")

        let chinese = "答复一个列表，每件以取件码为名：取件码、类型、收件人、房号、货架、状态、签收时间。"
        let wrapped = TextWrap.wrap(chinese, width: 20)
        #expect(wrapped.split(separator: "\n").count > 1)
        #expect(wrapped.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 20 })
        #expect(wrapped.replacingOccurrences(of: "\n", with: "") == chinese, "nothing added or lost")

        #expect(TextWrap.wrap("取件码 A6R5 已领取", width: 80) == "取件码 A6R5 已领取", "spaces that were there stay")
    }
}
