import Foundation
import Logging
import ReceptionPluginHost
import ReceptionProtocol

/// `receptiond --check-config [FILE]`: the config file as the daemon would read it, plugin
/// sections included, without opening the database or the socket (as `nginx -t`, `sshd -t`).
///
/// The daemon's own rules apply: the file is parsed and checked by ``DaemonOptions/resolve()``
/// (an error there is the one the daemon prints before exiting 78), then every plugin the config
/// enables is loaded from the plugin directory and handed its `[plugins.<name>]` section, which it
/// checks strictly (unknown keys, ranges). Where the daemon would start with that plugin failed,
/// the check fails: a file that leaves a department down is not a good file.
public enum ConfigCheck {
    /// What the check found.
    public struct Report: Sendable {
        /// Plugins that took their section.
        public var configured: [String] = []
        /// Why the daemon would not start, or would start with a department down.
        public var errors: [String] = []
        /// Worth knowing, not wrong (a section for a plugin that is not there).
        public var warnings: [String] = []
    }

    /// Checks the plugin sections of `config` (already resolved) against the plugins in its
    /// plugin directory.
    public static func plugins(of config: DaemonConfig, logger: Logger) -> Report {
        var report = Report()
        let file = config.configFile ?? "the embedded defaults"
        let paths: [String]
        do {
            paths = try PluginLoader.candidates(in: config.pluginDirectory, names: config.plugins)
        } catch {
            report.errors.append(error.message)
            return report
        }
        let loader = PluginLoader(logger: logger)
        var names: Set<String> = []
        for path in paths {
            switch loader.load(path: path) {
            case .failure(let error):
                report.errors.append("plugin \(path) would not load: \(error.message)")
            case .success(let library):
                let name = library.manifest.name
                // As the daemon refuses them at start (PluginRegistry.load).
                if names.contains(name) || PluginRegistry.reservedNames.contains(name) {
                    report.errors.append("plugin \(path): the name \(name) is already taken")
                    continue
                }
                names.insert(name)
                if let error = library.configure(config.pluginSections[name] ?? .object([:])) {
                    report.errors.append("bad config in [plugins.\(name)] of \(file): \(error.message)")
                } else {
                    report.configured.append(name)
                }
            }
        }
        for name in config.pluginSections.keys.sorted() where !names.contains(name) {
            report.warnings.append(
                "\(file) has a [plugins.\(name)] section but \(config.pluginDirectory) has no plugin \(name)")
        }
        return report
    }
}
