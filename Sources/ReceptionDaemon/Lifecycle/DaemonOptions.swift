import Foundation
import Logging
import ReceptionTOML

/// What the command line and the environment say, before the config file is read.
public struct DaemonOptions: Sendable {
    /// `--config FILE`.
    public var configFile: String?
    /// `--socket PATH`.
    public var socketPath: String?
    /// `--state-dir DIR`.
    public var stateDirectory: String?
    /// `--plugin-dir DIR`.
    public var pluginDirectory: String?
    /// `--log-level LEVEL`.
    public var logLevel: Logger.Level?
    /// The process environment (systemd's directory variables are read from it).
    public var environment: [String: String]
    /// Where the executable lives (the embedded default looks for plugins there).
    public var executableDirectory: String

    /// Creates options.
    public init(
        configFile: String? = nil, socketPath: String? = nil, stateDirectory: String? = nil,
        pluginDirectory: String? = nil, logLevel: Logger.Level? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, executableDirectory: String
    ) {
        self.configFile = configFile
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
        self.pluginDirectory = pluginDirectory
        self.logLevel = logLevel
        self.environment = environment
        self.executableDirectory = executableDirectory
    }

    /// The system-wide config file read when no `--config` is given and it exists.
    public static let systemConfigFile = "/etc/receptiond/receptiond.conf"

    /// Builds the effective config: flags over the file over systemd's directories over the
    /// embedded defaults. Throws when the named (or found) file is unreadable or invalid.
    public func resolve() throws(ConfigError) -> DaemonConfig {
        var config = DaemonConfig.embeddedDefaults(executableDirectory: executableDirectory)
        let installedPlugins = (executableDirectory as NSString).deletingLastPathComponent + "/lib/receptiond/plugins"
        if FileManager.default.fileExists(atPath: installedPlugins) { config.pluginDirectory = installedPlugins }
        // systemd's directories (RuntimeDirectory=, StateDirectory=, ConfigurationDirectory=).
        if let runtime = Self.firstPath(environment["RUNTIME_DIRECTORY"]) {
            config.socketPath = runtime + "/receptiond.sock"
        }
        if let state = Self.firstPath(environment["STATE_DIRECTORY"]) { config.stateDirectory = state }
        var file = configFile
        if file == nil, let directory = Self.firstPath(environment["CONFIGURATION_DIRECTORY"]) {
            let candidate = directory + "/receptiond.conf"
            if FileManager.default.fileExists(atPath: candidate) { file = candidate }
        }
        if file == nil, FileManager.default.fileExists(atPath: Self.systemConfigFile) { file = Self.systemConfigFile }
        if let file { config = try ConfigFile.load(path: file, over: config) }
        if let socketPath { config.socketPath = socketPath }
        if let stateDirectory { config.stateDirectory = stateDirectory }
        if let pluginDirectory { config.pluginDirectory = pluginDirectory }
        if let logLevel { config.logLevel = logLevel }
        return config
    }

    /// systemd passes colon-separated lists when a unit names several directories.
    private static func firstPath(_ value: String?) -> String? {
        guard let value, let first = value.split(separator: ":").first, !first.isEmpty else { return nil }
        return String(first)
    }
}
