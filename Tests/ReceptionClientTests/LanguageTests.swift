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

    @Test("with no locale set, the config file's language decides; with neither, English")
    func configuredFallback() {
        #expect(Language.resolve(environment: [:], configured: "zh_CN") == .zh)
        #expect(Language.resolve(environment: [:], configured: "zh") == .zh)
        #expect(Language.resolve(environment: ["LANG": "C.UTF-8"], configured: "zh") == .en)
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
