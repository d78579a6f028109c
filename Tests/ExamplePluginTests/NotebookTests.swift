import Testing

@testable import ExamplePlugin
import ReceptionPluginTesting

/// The template department, in-process: each test is one call in and one reply out, through the
/// same contract code the daemon runs (params checked against the schema, savepoint per write,
/// events after the commit, audit with private fields masked).
@Suite("example plugin, in-process")
struct NotebookTests {
    @Test("example.note.add stores the note, stamps who and when, and emits example.noted")
    func addNote() throws {
        let desk = try PluginHarness(ExamplePlugin.self, caller: .operator("li.na"))
        let note = try desk.call("example.note.add", ["text": "  Key for 3-2-1201 left by the owner  "])
        #expect(note["text"] == "Key for 3-2-1201 left by the owner")
        #expect(note["author"] == "li.na")
        #expect(note["createdAt"]?.stringValue == Timestamp.format(desk.clock.now))
        #expect(note["stampedAt"] == .null)
        #expect(desk.lastEvents.map(\.topic) == ["example.noted"])
        #expect(desk.lastEvents.first?.data == note)
    }

    @Test("a note with only white space is refused naming the field, and nothing is stored")
    func emptyNote() throws {
        let desk = try PluginHarness(ExamplePlugin.self)
        let error = try desk.callError("example.note.add", ["text": " \n "])
        #expect(error.kind == .validation)
        #expect(error.field == "text")
        #expect(error.message == "text must not be empty")
        #expect(try desk.query("SELECT count(*) AS n FROM example_notes").first?.int("n") == 0)
        #expect(desk.events.isEmpty)
    }

    @Test("the schema the daemon checks comes from the params type: a missing or unknown field is -32602")
    func schemaChecks() throws {
        let desk = try PluginHarness(ExamplePlugin.self)
        let missing = try desk.callError("example.note.add", [:])
        #expect(missing.code == -32602)
        #expect(missing.field == "text")
        let unknown = try desk.callError("example.note.add", ["text": "x", "colour": "red"])
        #expect(unknown.code == -32602)
        #expect(unknown.field == "colour")
        let tooLong = try desk.callError("example.note.list", ["limit": 1001])
        #expect(tooLong.field == "limit")
    }

    @Test("the configured limit is a rule of the plugin, checked after the schema")
    func configuredLimit() throws {
        let desk = try PluginHarness(ExamplePlugin.self, config: ["max_note_length": 5])
        let error = try desk.callError("example.note.add", ["text": "123456"])
        #expect(error.field == "text")
        #expect(error.message.contains("the limit is 5"))
    }

    @Test("an unknown config key refuses the plugin, naming the key")
    func unknownConfigKey() throws {
        #expect(throws: RPCError.self) { try PluginHarness(ExamplePlugin.self, config: ["greting": "hi"]) }
    }

    @Test("example.note.purge is for admins; an operator is refused with forbidden")
    func purgeNeedsAdmin() throws {
        let desk = try PluginHarness(ExamplePlugin.self, caller: .operator("li.na"))
        try desk.call("example.note.add", ["text": "one"])
        #expect(try desk.callError("example.note.purge").kind == .forbidden)
        desk.caller = .admin()
        #expect(try desk.call("example.note.purge") == ["purged": 1])
        #expect(desk.lastEvents.map(\.topic) == ["example.purged"])
    }

    @Test("background work: a committed note is stamped by example.note.stamp, as the daemon itself")
    func backgroundStamp() throws {
        let desk = try PluginHarness(ExamplePlugin.self)
        let note = try desk.call("example.note.add", ["text": "parcel for 5-1-302"])
        #expect(desk.pendingBackground.map(\.method) == ["example.note.stamp"])
        desk.clock.advance(by: 2)
        #expect(desk.runBackground().isEmpty)
        let listed = try desk.call("example.note.list")
        #expect(listed["notes"]?.arrayValue?.first?["id"] == note["id"])
        #expect(listed["notes"]?.arrayValue?.first?["stampedAt"]?.stringValue == Timestamp.format(desk.clock.now))
        #expect(try desk.callError("example.note.stamp", ["id": 1]).kind == .methodNotFound)
    }

    @Test("a private field is masked in the audit record")
    func redaction() throws {
        let desk = try PluginHarness(ExamplePlugin.self)
        try desk.call("example.note.add", ["text": "seen", "idNumber": "110101199003071234"])
        #expect(desk.audit.last?.params["idNumber"] == "****1234")
        #expect(desk.audit.last?.errorKind == nil)
    }

    @Test("the manifest publishes display hints and the record's schema")
    func manifest() throws {
        let desk = try PluginHarness(ExamplePlugin.self)
        let list = try #require(desk.manifest.methods.first { $0.name == "example.note.list" })
        #expect(list.display.list == "notes")
        #expect(list.result?["properties"]?["createdAt"]?["format"] == "date-time")
        let add = try #require(desk.manifest.methods.first { $0.name == "example.note.add" })
        #expect(add.redact == ["idNumber"])
        #expect(add.params["required"] == ["text"])
    }
}
