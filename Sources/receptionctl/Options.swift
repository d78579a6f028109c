import ArgumentParser
import Foundation
import ReceptionClient

/// Options every command takes: which daemon, how to print, and who is at the desk.
///
/// Each setting is read from the first place that has it: the flag, then the environment
/// (`RECEPTIOND_HOST`/`RECEPTIOND_SOCKET`, `RECEPTION_WORKSTATION`, `RECEPTION_OPERATOR`,
/// `LC_ALL`/`LC_MESSAGES`/`LANG`), then the clerk's config file (``UserConfig``), then the default.
struct Options: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Daemon socket file (default: $RECEPTIOND_SOCKET, else the config file's socket, else /run/receptiond/receptiond.sock, else ./.receptiond/receptiond.sock).",
            valueName: "path"))
    var socket: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A daemon on another machine, reached over SSH: ssh://user@server[:port] (runs `receptionctl dial-stdio` there), or unix:///path (default: $RECEPTIOND_HOST, else the config file's host).",
            valueName: "url"))
    var host: String?

    @Flag(name: .long, help: "Print the daemon's raw JSON answer on one line (for scripts and jq) instead of tables.")
    var json = false

    @Flag(
        name: .long,
        help:
            "Print a list as CSV for a spreadsheet (RFC 4180): the table's columns and labels, money as plain yuan.")
    var csv = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Name of this desk, recorded in the audit log (default: $RECEPTION_WORKSTATION, else the config file).",
            valueName: "name"))
    var workstation: String?

    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp(
            "Your name, recorded in the audit log with each change (default: $RECEPTION_OPERATOR, else the config file; `receptionctl desk login NAME` writes it there).",
            valueName: "name"))
    var operatorName: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Seconds to wait for the daemon before giving up (default: 30).", valueName: "seconds"))
    var timeout: Double?

    mutating func validate() throws {
        if json, csv { throw ValidationError("give --json or --csv, not both") }
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400")
        }
        if case .failure(let error) = UserConfig.current {
            throw ValidationError("the config file is not valid: \(error)")
        }
        _ = try daemonAddress()
    }

    /// Where one setting's value came from, as `desk whoami` shows it.
    enum Source: String {
        case flag, environment, file, `default`
    }

    /// A setting's value (if any) with where it came from (`detail`: the flag, variable or file).
    struct Setting {
        var value: String?
        var source: Source
        var detail: String
    }

    /// The local socket: `--socket`, `RECEPTIOND_SOCKET`, the file's `socket`, then the default
    /// paths. `dial-stdio` uses this (a host never applies to it).
    var socketPath: String { socketSetting.value ?? SocketPath.resolve(explicit: nil) }

    /// The local socket setting, with its source.
    var socketSetting: Setting {
        Self.first(
            flag: socket, flagName: "--socket", variable: SocketPath.environmentVariable, fileKey: "socket",
            fallback: Setting(value: SocketPath.resolve(explicit: nil), source: .default, detail: "default"))
    }

    /// The daemon to talk to, with where that was said: flags (`--host` or `--socket`, not
    /// both), then the environment (`RECEPTIOND_HOST` before `RECEPTIOND_SOCKET`), then the
    /// file (`host` or `socket`), then the default socket.
    func daemonAddress() throws -> (address: DaemonAddress, setting: Setting) {
        let environment = ProcessInfo.processInfo.environment
        func parsed(_ text: String, _ setting: Setting) throws -> (DaemonAddress, Setting) {
            do {
                return (try DaemonAddress.parse(host: text), setting)
            } catch {
                throw ValidationError("\(setting.detail): \(error)")
            }
        }
        if let host = Self.nonEmpty(host) {
            if Self.nonEmpty(socket) != nil { throw ValidationError("give --host or --socket, not both") }
            return try parsed(host, Setting(value: host, source: .flag, detail: "--host"))
        }
        if let path = Self.nonEmpty(socket) {
            return (.socket(path), Setting(value: path, source: .flag, detail: "--socket"))
        }
        if let host = Self.nonEmpty(environment[DaemonAddress.environmentVariable]) {
            return try parsed(
                host, Setting(value: host, source: .environment, detail: DaemonAddress.environmentVariable))
        }
        if let path = Self.nonEmpty(environment[SocketPath.environmentVariable]) {
            return (.socket(path), Setting(value: path, source: .environment, detail: SocketPath.environmentVariable))
        }
        let file = UserConfig.currentValues
        let filePath = (try? UserConfig.current.get())?.path ?? "config file"
        if let host = file["host"] {
            return try parsed(host, Setting(value: host, source: .file, detail: filePath))
        }
        if let path = file["socket"] {
            return (.socket(path), Setting(value: path, source: .file, detail: filePath))
        }
        let path = SocketPath.resolve(explicit: nil)
        return (.socket(path), Setting(value: path, source: .default, detail: "default"))
    }

    /// The desk name setting: `--workstation`, `RECEPTION_WORKSTATION`, the file's `workstation`.
    var workstationSetting: Setting {
        Self.first(
            flag: workstation, flagName: "--workstation", variable: "RECEPTION_WORKSTATION", fileKey: "workstation")
    }

    /// The operator setting: `--operator`, `RECEPTION_OPERATOR`, the file's `operator`.
    var operatorSetting: Setting {
        Self.first(flag: operatorName, flagName: "--operator", variable: "RECEPTION_OPERATOR", fileKey: "operator")
    }

    /// The desk name, if any is set.
    var resolvedWorkstation: String? { workstationSetting.value }

    /// The operator name, if any is set.
    var resolvedOperator: String? { operatorSetting.value }

    /// The language setting: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that names a language
    /// (`C` and `POSIX` name none), then the file's `language`; `en` by default.
    var languageSetting: Setting {
        // LC_ALL, then the file (the clerk's own choice), then LC_MESSAGES and LANG (see Language.resolve).
        let environment = ProcessInfo.processInfo.environment
        func fromVariable(_ variable: String) -> Setting? {
            guard let locale = environment[variable], let language = Language(locale: locale)?.rawValue else {
                return nil
            }
            return Setting(value: language, source: .environment, detail: "\(variable)=\(locale)")
        }
        if let setting = fromVariable("LC_ALL") { return setting }
        if let locale = UserConfig.currentValues["language"], let language = Language(locale: locale)?.rawValue {
            return Setting(value: language, source: .file, detail: (try? UserConfig.current.get())?.path ?? "")
        }
        for variable in ["LC_MESSAGES", "LANG"] {
            if let setting = fromVariable(variable) { return setting }
        }
        return Setting(value: "en", source: .default, detail: "default")
    }

    /// The language of labels and messages: `"zh"` or `"en"`.
    var resolvedLanguage: String { languageSetting.value ?? "en" }

    /// The timeout as a `Duration`.
    var timeoutDuration: Duration {
        .milliseconds(Int64(((timeout ?? 30) * 1000).rounded(.up)))
    }

    /// The first of the flag, the environment variable and the file key that is set.
    private static func first(
        flag: String?, flagName: String, variable: String, fileKey: String,
        fallback: Setting = Setting(value: nil, source: .default, detail: "not set")
    ) -> Setting {
        if let value = nonEmpty(flag) { return Setting(value: value, source: .flag, detail: flagName) }
        if let value = nonEmpty(ProcessInfo.processInfo.environment[variable]) {
            return Setting(value: value, source: .environment, detail: variable)
        }
        if let value = UserConfig.currentValues[fileKey] {
            return Setting(value: value, source: .file, detail: (try? UserConfig.current.get())?.path ?? "")
        }
        return fallback
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The option names that take a value, and the flags, as typed on the command line.
    static let valueOptionNames = ["socket", "host", "workstation", "operator", "timeout"]
    static let flagNames = ["json", "csv"]
}
