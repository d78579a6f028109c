import Foundation
import ReceptionPluginTesting
import Testing

@testable import ParcelsPlugin

/// `[plugins.parcels]`, read strictly, and who may call what, in-process.
@Suite("parcels rules: configuration and roles")
struct ConfigAndRolesRulesTests {
    /// The error that keeps the plugin from loading with `config`.
    private func refusal(_ config: JSONValue) throws -> RPCError {
        try #require(throws: RPCError.self) { try ParcelsHarness.parcels(config: config) }
    }

    @Test("An unknown key in [plugins.parcels] keeps the plugin from loading, naming the key and the known ones")
    func unknownKey() throws {
        let error = try refusal(["overdue_dayz": 3])
        #expect(error.kind == .validation)
        #expect(error.field == "[plugins.parcels].overdue_dayz")
        #expect(
            error.message
                == "[plugins.parcels]: unknown key \"overdue_dayz\" (known keys: code_length, id_types, notifier, notifier_timeout_seconds, overdue_days)"
        )
    }

    @Test("Each key is checked against its range: overdue_days 0-3650, code_length 4-8, notifier_timeout_seconds 1-300")
    func ranges() throws {
        let overdue = try refusal(["overdue_days": -1])
        #expect(overdue.field == "[plugins.parcels].overdue_days")
        #expect(overdue.message == "[plugins.parcels] overdue_days must be between 0 and 3650, got -1")
        #expect(try refusal(["code_length": 3]).field == "[plugins.parcels].code_length")
        #expect(try refusal(["code_length": 9]).field == "[plugins.parcels].code_length")
        #expect(
            try refusal(["code_length": "4"]).message == "[plugins.parcels] code_length must be an integer, got string")
        #expect(try refusal(["notifier_timeout_seconds": 0]).field == "[plugins.parcels].notifier_timeout_seconds")
        _ = try ParcelsHarness.parcels(config: [
            "overdue_days": 3650, "code_length": 8, "notifier_timeout_seconds": 300,
        ])
    }

    @Test("notifier must be an absolute path")
    func notifierPath() throws {
        let error = try refusal(["notifier": "notify-sms"])
        #expect(error.field == "[plugins.parcels].notifier")
        #expect(error.message == "[plugins.parcels] notifier must be an absolute path, got \"notify-sms\"")
    }

    @Test(
        "Every parcels method is for operators (and so admins); parcels.notifier.record is the daemon's own and does not exist for anyone else"
    )
    func roles() throws {
        let desk = try ParcelsHarness.parcels(caller: .admin())
        let item = try desk.receive()
        #expect(item["receivedBy"] == "admin")
        let record: JSONValue = ["notificationId": 1, "ok": true]
        #expect(try desk.callError("parcels.notifier.record", record).kind == .methodNotFound)
        desk.caller = .operator("li.na")
        #expect(try desk.callError("parcels.notifier.record", record).kind == .methodNotFound)
        let published = desk.manifest.methods.filter { $0.role.admits("operator") }.map(\.name)
        #expect(
            published == [
                "parcels.receive", "parcels.receiveBatch", "parcels.get", "parcels.pending", "parcels.recipients",
                "parcels.list", "parcels.overdue", "parcels.counts", "parcels.notify", "parcels.remind", "parcels.pickup",
                "parcels.return",
                "parcels.amend", "parcels.stats",
            ])
    }

    @Test("Only idLast4 is private: masked in the audit of parcels.pickup; reads are not audited")
    func privateFields() throws {
        let desk = try ParcelsHarness.parcels()
        #expect(desk.manifest.methods.filter { !$0.redact.isEmpty }.map(\.name) == ["parcels.pickup"])
        #expect(desk.manifest.methods.first { $0.name == "parcels.pickup" }?.redact == ["idLast4"])
        let item = try desk.receive()
        _ = try desk.item(item.code)
        try desk.call("parcels.pending", ["unit": "3-2-1201"])
        #expect(desk.audit.map(\.method) == ["parcels.receive"])
    }
}
