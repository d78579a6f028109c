import Foundation
import ReceptionPluginTesting
import Testing

@testable import DeskPlugin

/// The desk log in-process (``PluginHarness``), in Shanghai's zone at 2026-12-06 10:00 +08:00,
/// as clerk li.na at desk-1.
typealias DeskHarness = PluginHarness<DeskPlugin>

extension PluginHarness where Plugin == DeskPlugin {
    /// A desk log on a fresh database, with `neighbours` beside it.
    static func desk(
        config: [String: JSONValue] = [:], neighbours: [Neighbour] = [], now: String = "2026-12-06T10:00:00+08:00"
    ) throws -> DeskHarness {
        let clock = TestClock(now: try #require(Timestamp.parse(now)))
        return try DeskHarness(
            DeskPlugin.self, config: .object(config), caller: .operator("li.na"), clock: clock,
            timeZone: try #require(TimeZone(identifier: "Asia/Shanghai")), neighbours: neighbours)
    }
}
