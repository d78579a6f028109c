import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the desk log, alone or beside the departments its handover snapshot reads.
enum DeskCounter {
    /// The desk log alone.
    static let alone: [String: TestDaemon.PluginFile] = ["desk": .product("libreceptiond-desk.so")]
    /// The desk log beside parcels, access and utilities.
    static let withNeighbours: [String: TestDaemon.PluginFile] = [
        "desk": .product("libreceptiond-desk.so"), "parcels": .product("libreceptiond-parcels.so"),
        "access": .product("libreceptiond-access.so"), "utilities": .product("libreceptiond-utilities.so"),
    ]
    /// The built receptionctl.
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    /// Starts a daemon in Asia/Shanghai with `plugins`.
    static func start(_ plugins: [String: TestDaemon.PluginFile], config: String? = nil) throws -> TestDaemon {
        let daemon = try TestDaemon(config: config, plugins: plugins, environment: ["TZ": "Asia/Shanghai"])
        try daemon.start()
        return daemon
    }

    /// Runs receptionctl against `daemon` as `clerk` at desk-1, in `language`.
    static func ctl(
        _ daemon: TestDaemon, _ arguments: [String], clerk: String = "li.na", language: String = "zh_CN.UTF-8"
    ) throws -> CommandResult {
        try CommandResult.run(
            receptionctl, ["--socket", daemon.socketPath, "--workstation", "desk-1", "--operator", clerk] + arguments,
            environment: ChildProcess.cleanEnvironment(overrides: [
                "LANG": language, "LC_ALL": language, "COLUMNS": "120",
            ]))
    }
}
