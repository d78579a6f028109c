import ArgumentParser
import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTOML

/// `receptionctl desk`: who is at the desk. `desk login NAME` writes the operator (and the
/// workstation) into the clerk's config file, `desk logout` removes the operator, and `desk` or
/// `desk whoami` shows each value and where it came from.
///
/// A department plugin named `desk` keeps its tasks: only `login`, `logout` and `whoami` after
/// `desk` are ours; any other word goes to the plugin (``route(_:)``), and
/// `receptionctl invoke desk login …` reaches a plugin task of that name.
struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Who is at the desk: log in with your name, log out, or show who is signed in.",
        discussion: """
            receptionctl desk login li.na --workstation desk-1   (written to ~/.config/receptionctl/config.toml)
            receptionctl desk                                    (who is at the desk, and where each value comes from)
            receptionctl desk logout

            Flags and environment variables (RECEPTION_OPERATOR, RECEPTION_WORKSTATION) still win over the file. Words after `desk` other than login, logout and whoami are the tasks of a department plugin named desk.
            """,
        subcommands: [DeskWhoamiCommand.self, DeskLoginCommand.self, DeskLogoutCommand.self],
        defaultSubcommand: DeskWhoamiCommand.self)

    /// The words after `desk` that are receptionctl's own.
    static let ownWords: Set<String> = ["login", "logout", "whoami"]

    /// Sends `receptionctl [globals] desk <other words>` to the catch-all (`invoke`), so a plugin
    /// named `desk` reaches its tasks; `desk`, `desk --help` and `desk login|logout|whoami` stay
    /// ours, with options typed before `desk` moved after the word (`--json desk login li.na`).
    static func route(_ arguments: [String]) -> [String] {
        guard let index = ArgumentOrder.firstWordIndex(arguments), arguments[index] == "desk",
            index + 1 < arguments.count
        else { return arguments }
        let next = arguments[index + 1]
        if ownWords.contains(next) {
            return ["desk", next] + arguments[..<index] + arguments[(index + 2)...]
        }
        if next.hasPrefix("-") { return arguments }
        return Array(arguments[..<index]) + ["invoke"] + Array(arguments[index...])
    }

    /// The config file to write, or a failure when there is no home directory to hold it.
    static func configPath(json: Bool) throws -> String {
        guard let path = UserConfig.defaultPath(environment: ProcessInfo.processInfo.environment) else {
            var failure = CommandFailure.client(
                "config", "no config file: neither XDG_CONFIG_HOME nor HOME is set", status: ExitStatus.usage)
            failure.jsonMode = json
            throw failure
        }
        return path
    }

    /// Applies `changes` to the config file, turning a file problem into a failure (exit 2).
    static func write(_ changes: [(key: String, value: String?)], json: Bool) throws -> (
        path: String, values: [String: String]
    ) {
        let path = try configPath(json: json)
        do {
            return (path, try UserConfigWriter.apply(changes, to: path))
        } catch {
            throw CommandFailure.client(
                "config", "\(error)",
                data: ["file": .string(error.file), "key": error.key.map { .string($0) } ?? .null],
                status: ExitStatus.usage, jsonMode: json)
        }
    }
}

/// `receptionctl desk [whoami]`.
struct DeskWhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who is at the desk, which desk, which daemon and which language, and where each comes from.")

    @OptionGroup var options: Options

    func run() throws {
        let address = try options.daemonAddress()
        let rows: [(name: String, setting: Options.Setting)] = [
            ("operator", options.operatorSetting),
            ("workstation", options.workstationSetting),
            ("daemon", address.setting),
            ("language", options.languageSetting),
        ]
        let file = UserConfig.defaultPath(environment: ProcessInfo.processInfo.environment)
        if options.json {
            var object: [String: JSONValue] = [:]
            for row in rows {
                object[row.name] = .object([
                    "value": row.setting.value.map { .string($0) } ?? .null,
                    "source": .string(row.setting.source.rawValue),
                    "from": .string(row.setting.detail),
                ])
            }
            object["configFile"] = file.map { .string($0) } ?? .null
            Console.out(JSONValue.object(object).serialized())
            return
        }
        let facts: [(key: String, value: JSONValue)] = rows.map { row in
            let value = row.setting.value ?? "(none)"
            let origin: String
            switch row.setting.source {
            case .flag: origin = "flag \(row.setting.detail)"
            case .environment: origin = "environment \(row.setting.detail)"
            case .file: origin = "file \(row.setting.detail)"
            case .default: origin = row.setting.value == nil ? "not set" : "default"
            }
            return (row.name, .string("\(value)  (\(origin))"))
        }
        Console.out(ResultFormatter.keyValueLines(facts + [("config file", .string(file ?? "(none: no HOME)"))]))
        if options.operatorSetting.value == nil {
            Console.out(
                Phrase(
                    "hint: `receptionctl desk login YOUR-NAME` signs your changes with your name.",
                    "提示：`receptionctl desk login 你的姓名` 后，你的改动会记上你的姓名。")())
        }
    }
}

/// `receptionctl desk login NAME [--workstation W]`.
struct DeskLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in at this desk: write your name (and the desk's) into your receptionctl config file.",
        discussion: """
            Every change you make is then recorded in the daemon's audit log with your name. The other keys and the comments of the file are kept. RECEPTION_OPERATOR or --operator, when given, still win over the file.
            """)

    @Argument(help: ArgumentHelp("Your name as the audit log should show it, e.g. li.na.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The name of this desk, e.g. desk-1 (kept as it is when left out).", valueName: "name"))
    var workstation: String?

    @Flag(name: .long, help: "Print the result as one line of JSON.")
    var json = false

    func validate() throws {
        for (label, value) in [("NAME", name), ("--workstation", workstation ?? "x")] {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed == value else {
                throw ValidationError("\(label) must not be empty or start or end with spaces")
            }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
                value.count <= 64
            else {
                throw ValidationError("\(label) must be one line of at most 64 characters (the daemon's limit)")
            }
        }
    }

    func run() throws {
        var changes: [(key: String, value: String?)] = [("operator", name)]
        if let workstation { changes.append(("workstation", workstation)) }
        let (path, values) = try DeskCommand.write(changes, json: json)
        if json {
            Console.out(
                JSONValue.object([
                    "operator": .string(name), "workstation": values["workstation"].map { .string($0) } ?? .null,
                    "configFile": .string(path),
                ]).serialized())
            return
        }
        let desk = values["workstation"]
        Console.out(
            Phrase(
                "\(name) is at the desk" + (desk.map { " (\($0))" } ?? "") + "; written to \(path)",
                "\(name) 已登记在岗" + (desk.map { "（\($0)）" } ?? "") + "；已写入 \(path)")())
        let environment = ProcessInfo.processInfo.environment
        for variable in ["RECEPTION_OPERATOR", "RECEPTION_WORKSTATION"] {
            if let value = environment[variable], !value.isEmpty {
                Console.err(
                    Phrase(
                        "note: \(variable)=\(value) is set and still wins over the file",
                        "注意：已设置 \(variable)=\(value)，它仍优先于配置文件")())
            }
        }
    }
}

/// `receptionctl desk logout`.
struct DeskLogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Sign out: remove your name from your receptionctl config file (the desk name stays).")

    @Flag(name: .long, help: "Print the result as one line of JSON.")
    var json = false

    func run() throws {
        let path = try DeskCommand.configPath(json: json)
        let before = (try? UserConfig.load(path: path))?.values["operator"]
        if before != nil || FileManager.default.fileExists(atPath: path) {
            _ = try DeskCommand.write([("operator", nil)], json: json)
        }
        if json {
            Console.out(
                JSONValue.object(["operator": before.map { .string($0) } ?? .null, "configFile": .string(path)])
                    .serialized())
            return
        }
        Console.out(
            before.map { Phrase("\($0) has left the desk (\(path))", "\($0) 已离岗（\(path)）")() }
                ?? Phrase("nobody was logged in (\(path))", "没有人登记在岗（\(path)）")())
    }
}
