import Foundation
import ReceptionClient
import ReceptionTOML
import TOMLKit

/// The clerk's own settings: `$XDG_CONFIG_HOME/receptionctl/config.toml` (by default
/// `~/.config/receptionctl/config.toml`), five top-level keys:
///
/// ```toml
/// host = "ssh://li.na@frontdesk"     # or socket = "/run/receptiond/receptiond.sock"
/// workstation = "desk-1"
/// operator = "li.na"                 # written by `receptionctl desk login li.na`
/// language = "zh"                    # zh or en (or a locale such as zh_CN.UTF-8)
/// ```
///
/// Read strictly, like the daemon's file and with the same TOML reader: an unknown key, a wrong
/// type or a bad value is an error naming the file, the line and the key. Flags and the
/// environment win over the file (``Options``).
struct UserConfig: Sendable {
    /// The keys the file accepts, with what each holds (for error messages).
    static let keys: [String: String] = [
        "socket": "the daemon's socket on this machine",
        "host": "a daemon elsewhere: ssh://user@server[:port] or unix:///path",
        "workstation": "the name of this desk",
        "operator": "who is at the desk",
        "language": "zh or en",
    ]

    /// The file's path (whether or not it exists).
    let path: String
    /// The values set in the file, by key.
    let values: [String: String]

    /// The file of this process's user, read once: `nil` inside when there is no home to hold it.
    static let current: Result<UserConfig?, ConfigError> = {
        guard let path = defaultPath(environment: ProcessInfo.processInfo.environment) else { return .success(nil) }
        do throws(ConfigError) {
            return .success(try load(path: path))
        } catch {
            return .failure(error)
        }
    }()

    /// The file's values, or none when it is missing or broken (a broken file stops every
    /// command earlier, in ``Options/validate()``).
    static var currentValues: [String: String] {
        (try? current.get())?.values ?? [:]
    }

    /// `$XDG_CONFIG_HOME/receptionctl/config.toml` when that is an absolute path, else
    /// `$HOME/.config/receptionctl/config.toml`; `nil` without either.
    static func defaultPath(environment: [String: String]) -> String? {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") {
            return base + "/receptionctl/config.toml"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.config/receptionctl/config.toml"
        }
        return nil
    }

    /// Reads the file at `path`; a missing file is an empty configuration.
    static func load(path: String) throws(ConfigError) -> UserConfig {
        guard FileManager.default.fileExists(atPath: path) else { return UserConfig(path: path, values: [:]) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, "cannot read: \(error.localizedDescription)")
        }
        return UserConfig(path: path, values: try parse(text, file: path))
    }

    /// The values in `text`, checked key by key.
    static func parse(_ text: String, file: String) throws(ConfigError) -> [String: String] {
        let table = try TOMLText.parse(text, file: file)
        let lines = TOMLText.lines(text)
        func fail(_ key: String, _ message: String) -> ConfigError {
            ConfigError(file: file, line: TOMLText.line(of: key, in: nil, lines: lines), key: key, message)
        }
        var values: [String: String] = [:]
        for key in table.keys.sorted() {
            guard keys[key] != nil else {
                throw fail(key, "unknown key \"\(key)\" (known keys: \(keys.keys.sorted().joined(separator: ", ")))")
            }
            guard let text = table[key]?.string else {
                throw fail(key, "must be a string in quotes (\(keys[key] ?? key)), e.g. \(key) = \"…\"")
            }
            guard !text.isEmpty, !text.contains(where: { $0.isNewline }) else {
                throw fail(key, "must be one line of text, not empty")
            }
            values[key] = text
        }
        if values["socket"] != nil && values["host"] != nil {
            throw fail("host", "set either socket or host, not both")
        }
        if let host = values["host"] {
            do {
                _ = try DaemonAddress.parse(host: host)
            } catch {
                throw fail("host", error.reason)
            }
        }
        if let language = values["language"], Language(locale: language) == nil {
            throw fail("language", "must be zh or en (or a locale such as zh_CN.UTF-8), got \"\(language)\"")
        }
        return values
    }
}
