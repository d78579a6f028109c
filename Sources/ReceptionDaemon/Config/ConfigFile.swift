import Foundation
import Logging
import ReceptionProtocol
import ReceptionTOML
import TOMLKit

/// Reads `receptiond.conf` (TOML) strictly: a syntax error names the line and column, an
/// unknown key or a bad value names the section and key, and nothing is half-applied.
///
/// ```toml
/// [daemon]
/// socket = "/run/receptiond/receptiond.sock"
/// socket_group = "receptiond"
/// admin_group = "receptiond-admin"
/// log_level = "info"
///
/// [plugins.parcels]
/// overdue_days = 7
/// ```
public enum ConfigFile {
    /// The keys `[daemon]` accepts, with what each means (for error messages and docs).
    static let daemonKeys: [String: String] = [
        "socket": "socket path", "socket_group": "group owning the socket", "state_dir": "state directory",
        "plugin_dir": "plugin directory", "plugins": "list of plugins to load", "log_level": "log level",
        "admin_group": "admin group", "max_line_bytes": "longest request line",
        "max_connections": "most connections", "idle_timeout_seconds": "idle timeout",
        "max_in_flight_per_connection": "pipelined requests per connection", "max_batch": "requests per batch",
        "subscriber_buffer_bytes": "event backlog per subscriber", "shutdown_grace_seconds": "drain time on stop",
        "reply_buffer_bytes": "unread replies per connection", "max_reply_bytes": "largest reply",
        "reply_memory_bytes": "unread replies, whole daemon", "drain_timeout_seconds": "time to read stuck replies",
        "max_connections_per_uid": "connections per user", "line_timeout_seconds": "time to finish a request line",
        "max_wal_bytes": "WAL size at which writes are refused",
        "currency": "the property's currency (ISO 4217 code)", "currency_symbol": "what precedes an amount",
        "currency_decimals": "digits after the decimal point",
        "time_zone": "the daemon's time zone (IANA name, e.g. Asia/Shanghai)",
    ]

    /// Applies the file at `path` on top of `base`. Throws ``ConfigError`` naming what is wrong.
    public static func load(path: String, over base: DaemonConfig) throws(ConfigError) -> DaemonConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: path, over: base)
    }

    /// Applies TOML `text` on top of `base`.
    public static func parse(_ text: String, file: String, over base: DaemonConfig) throws(ConfigError) -> DaemonConfig
    {
        let table = try TOMLText.parse(text, file: file)
        var config = base
        config.configFile = file
        let lines = TOMLText.lines(text)
        func fail(_ section: String, _ key: String, _ message: String) -> ConfigError {
            ConfigError(file: file, line: locate(key, in: section, lines: lines), key: "\(section).\(key)", message)
        }
        for key in table.keys {
            guard key == "daemon" || key == "plugins" else {
                throw ConfigError(
                    file: file, line: locate(key, in: nil, lines: lines), key: key,
                    "unknown section or key \"\(key)\" (expected [daemon] and [plugins.<name>])")
            }
        }
        if let daemon = table["daemon"] {
            guard let daemon = daemon.table else { throw fail("", "daemon", "must be a table") }
            try apply(daemon, to: &config, fail: fail)
        }
        if let plugins = table["plugins"] {
            guard let plugins = plugins.table else { throw fail("", "plugins", "must be a table of [plugins.<name>]") }
            var sections: [String: JSONValue] = [:]
            for name in plugins.keys {
                guard let section = plugins[name]?.table else {
                    throw fail("plugins", name, "must be a table: write [plugins.\(name)]")
                }
                sections[name] = try json(section, path: "plugins.\(name)", fail: fail)
            }
            config.pluginSections = sections
        }
        return config
    }

    private static func apply(
        _ daemon: TOMLTable, to config: inout DaemonConfig, fail: (String, String, String) -> ConfigError
    ) throws(ConfigError) {
        for key in daemon.keys where daemonKeys[key] == nil {
            throw fail(
                "daemon", key,
                "unknown key \"\(key)\" (known keys: \(daemonKeys.keys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = daemon[key] else { return nil }
            guard let text = value.string, !text.isEmpty else {
                throw fail("daemon", key, "must be a non-empty string")
            }
            return text
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let value = daemon[key] else { return nil }
            guard let number = value.int else { throw fail("daemon", key, "must be an integer") }
            guard range.contains(number) else {
                throw fail("daemon", key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            }
            return number
        }
        if let value = try string("socket") { config.socketPath = value }
        if let value = try string("socket_group") { config.socketGroup = value }
        if let value = try string("state_dir") { config.stateDirectory = value }
        if let value = try string("plugin_dir") { config.pluginDirectory = value }
        if let value = try string("admin_group") { config.adminGroup = value }
        if let code = try string("currency") {
            guard code.count == 3, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw fail(
                    "daemon", "currency", "must be an ISO 4217 code of three capital letters (CNY), got \"\(code)\"")
            }
            config.currency = Currency.defaults(for: code)
        }
        if let symbol = try string("currency_symbol") {
            guard !symbol.isEmpty, symbol.count <= 8 else {
                throw fail("daemon", "currency_symbol", "must be 1 to 8 characters")
            }
            config.currency.symbol = symbol
        }
        if let decimals = try int("currency_decimals", 0...4) { config.currency.decimals = decimals }
        if let zone = try string("time_zone") {
            guard DaemonTimeZone.isKnown(zone) else {
                throw fail(
                    "daemon", "time_zone",
                    "must be an IANA time zone name such as Asia/Shanghai or UTC, got \"\(zone)\" (not in this machine's tz database)"
                )
            }
            config.timeZone = zone
            config.timeZoneGuessed = false
        }
        if let value = try string("log_level") {
            guard let level = Logger.Level(rawValue: value) else {
                throw fail(
                    "daemon", "log_level",
                    "must be one of trace, debug, info, notice, warning, error, critical; got \"\(value)\"")
            }
            config.logLevel = level
        }
        if let value = daemon["plugins"] {
            guard let array = value.array else { throw fail("daemon", "plugins", "must be a list of plugin names") }
            var names: [String] = []
            for element in array {
                guard let name = element.string else {
                    throw fail("daemon", "plugins", "must be a list of plugin names")
                }
                names.append(name)
            }
            config.plugins = names
        }
        if let value = try int("max_line_bytes", 1024...(64 << 20)) { config.limits.maxLineBytes = value }
        if let value = try int("max_connections", 1...100_000) { config.limits.maxConnections = value }
        if let value = try int("idle_timeout_seconds", 1...86_400) { config.limits.idleTimeoutSeconds = value }
        if let value = try int("max_in_flight_per_connection", 1...65_536) {
            config.limits.maxInFlightPerConnection = value
        }
        if let value = try int("max_batch", 1...100_000) { config.limits.maxBatch = value }
        if let value = try int("subscriber_buffer_bytes", 4096...(1 << 30)) {
            config.limits.subscriberBufferBytes = value
        }
        if let value = try int("shutdown_grace_seconds", 0...3600) { config.limits.shutdownGraceSeconds = value }
        if let value = try int("reply_buffer_bytes", 4096...(1 << 30)) { config.limits.replyBufferBytes = value }
        if let value = try int("max_reply_bytes", 4096...(1 << 30)) { config.limits.maxReplyBytes = value }
        if let value = try int("reply_memory_bytes", (1 << 20)...(1 << 40)) { config.limits.replyMemoryBytes = value }
        if let value = try int("drain_timeout_seconds", 1...86_400) { config.limits.drainTimeoutSeconds = value }
        if let value = try int("max_connections_per_uid", 1...100_000) {
            config.limits.maxConnectionsPerUID = value
        }
        if let value = try int("line_timeout_seconds", 1...86_400) { config.limits.lineTimeoutSeconds = value }
        if let value = try int("max_wal_bytes", (1 << 20)...(1 << 40)) { config.limits.maxWALBytes = value }
    }

    private static func json(
        _ table: TOMLTable, path: String, fail: (String, String, String) -> ConfigError
    ) throws(ConfigError) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for key in table.keys {
            guard let value = table[key] else { continue }
            members[key] = try json(value, path: "\(path).\(key)", fail: fail)
        }
        return .object(members)
    }

    private static func json(
        _ value: any TOMLValueConvertible, path: String, fail: (String, String, String) -> ConfigError
    ) throws(ConfigError) -> JSONValue {
        if let table = value.table { return try json(table, path: path, fail: fail) }
        if let array = value.array {
            var elements: [JSONValue] = []
            for element in array { elements.append(try json(element, path: path, fail: fail)) }
            return .array(elements)
        }
        if let bool = value.bool { return .bool(bool) }
        if let int = value.int { return .int(Int64(int)) }
        if let double = value.double { return .double(double) }
        if let string = value.string { return .string(string) }
        let section = path.split(separator: ".").dropLast().joined(separator: ".")
        let key = path.split(separator: ".").last.map(String.init) ?? path
        throw fail(section, key, "dates and times are not supported here; write them as strings")
    }

    /// Best-effort line number of `key` inside `[section]`, for error messages.
    static func locate(_ key: String, in section: String?, lines: [String]) -> Int? {
        TOMLText.line(of: key, in: section, lines: lines)
    }
}
