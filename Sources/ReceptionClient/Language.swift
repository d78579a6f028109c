import Foundation
import Synchronization

/// The language `receptionctl` speaks to people: Simplified Chinese for clerks whose locale is
/// `zh_*`, English otherwise. What scripts read (`--json`, exit codes) never depends on it.
public enum Language: String, Sendable, CaseIterable {
    /// English.
    case en
    /// Simplified Chinese.
    case zh

    /// The language of a locale name: `zh_CN.UTF-8`, `zh_CN`, `zh` → ``zh``; another language
    /// (`en_US.UTF-8`, `de_DE`, `fr`) → ``en``; `nil` for no choice (`C`, `POSIX`, `C.UTF-8`,
    /// empty, absent) or a name that is not a locale, so that the next source is asked.
    public init?(locale: String?) {
        guard let locale else { return nil }
        let lowered = locale.lowercased()
        if lowered.isEmpty || lowered == "c" || lowered == "posix" || lowered.hasPrefix("c.") { return nil }
        if lowered.hasPrefix("zh") {
            self = .zh
            return
        }
        // A language code of 2 or 3 letters, then nothing or a territory/encoding/modifier.
        let code = lowered.prefix(while: { ("a"..."z").contains($0) })
        let rest = lowered.dropFirst(code.count)
        guard (2...3).contains(code.count), rest.isEmpty || "_-.@".contains(rest.first ?? " ") else { return nil }
        self = .en
    }

    /// The language a clerk reads: `LC_ALL` (the explicit override), else the config file's
    /// `language` (`configured`: the clerk's own choice, which a system-wide `LANG=en_US.UTF-8`
    /// must not undo), else `LC_MESSAGES`, else `LANG`; else English. A variable that is unset,
    /// empty, `C` or `POSIX` names no language and is skipped.
    public static func resolve(environment: [String: String], configured: String? = nil) -> Language {
        if let language = Language(locale: environment["LC_ALL"]) { return language }
        if let language = Language(locale: configured) { return language }
        for name in ["LC_MESSAGES", "LANG"] {
            if let language = Language(locale: environment[name]) { return language }
        }
        return .en
    }

    /// The locale named to the daemon in `daemon.hello`, so its errors come in this language.
    public var localeName: String { self == .zh ? "zh_CN" : "en_US" }

    /// The language of this process's messages, set once at start (``ResultFormatter`` and the
    /// messages of `receptionctl` read it).
    public static var current: Language {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
    private static let state = Mutex<Language>(.en)
}

/// One of `receptionctl`'s own messages in both languages: `Phrase("(none)", "（无）")()`.
public struct Phrase: Sendable, Hashable {
    /// The English text.
    public var en: String
    /// The Chinese text.
    public var zh: String

    /// Creates a phrase.
    public init(_ en: String, _ zh: String) {
        self.en = en
        self.zh = zh
    }

    /// The text in `language` (by default ``Language/current``).
    public func callAsFunction(_ language: Language = .current) -> String { language == .zh ? zh : en }
}
