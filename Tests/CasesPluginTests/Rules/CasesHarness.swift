import Foundation
import ReceptionPluginTesting
import Testing

@testable import CasesPlugin

/// The cases department in-process (``PluginHarness``): the rule suites in this folder run every
/// call through the daemon's contract code on a temporary SQLite file, with a clock they move by
/// hand, in the property's zone (Shanghai, UTC+8 all year).
typealias CasesHarness = PluginHarness<CasesPlugin>

extension PluginHarness where Plugin == CasesPlugin {
    /// A cases desk on a fresh database in `zone` at `now`; the caller is operator li.na.
    static func cases(
        zone: String = "Asia/Shanghai", config: [String: JSONValue] = [:], now: String = "2026-12-06T10:00:00+08:00"
    ) throws -> CasesHarness {
        let clock = TestClock(now: try #require(Timestamp.parse(now)))
        return try CasesHarness(
            CasesPlugin.self, config: .object(config), caller: .operator("li.na"), clock: clock,
            timeZone: try #require(TimeZone(identifier: zone)))
    }

    /// `cases.open` params of a `category` case from unit 3-2-1201 by phone; `extra` adds or
    /// replaces members.
    static func report(_ category: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var params: [String: JSONValue] = [
            "channel": "phone", "reporter": "王女士", "unit": "3-2-1201", "contact": "13912345678",
            "category": .string(category), "description": "厨房水管漏水，楼下天花板渗水",
        ]
        for (name, value) in extra { params[name] = value }
        return .object(params)
    }

    /// Opens a `category` case; its id.
    @discardableResult
    func open(_ category: String, _ extra: [String: JSONValue] = [:]) throws -> String {
        let reply = try call("cases.open", Self.report(category, extra))
        return reply["case"]?.stringValue ?? ""
    }

    /// Dispatches case `id` to `department`; the order's id.
    @discardableResult
    func dispatch(_ id: String, to department: String = "engineering", _ extra: [String: JSONValue] = [:]) throws
        -> String
    {
        var params: [String: JSONValue] = ["case": .string(id), "department": .string(department)]
        for (name, value) in extra { params[name] = value }
        return try call("cases.dispatch", .object(params))["order"]?.stringValue ?? ""
    }

    /// Marks order `id` done.
    func finish(_ id: String) throws {
        try call("cases.workorders.done", ["order": .string(id), "work": "更换三通阀门", "by": "张师傅"])
    }

    /// Moves the clock to `time` (ISO 8601 with offset).
    func at(_ time: String) throws {
        clock.now = try #require(Timestamp.parse(time))
    }
}
