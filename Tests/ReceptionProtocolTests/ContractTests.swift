import CReceptionABI
import ReceptionPluginContract
import Testing

/// The plugin contract both sides share: what a manifest may say, and what the host refuses.
@Suite("plugin contract")
struct ContractTests {
    static func manifest(params: JSONValue, display: JSONValue? = nil) -> JSONValue {
        var method: [String: JSONValue] = [
            "name": "desk.note.add", "access": "write", "role": "operator", "params": params,
        ]
        if let display { method["display"] = display }
        return ["name": "desk", "version": "1", "topics": ["desk.noted"], "methods": [.object(method)]]
    }

    @Test(
        "event lines travel in the manifest as events: read back by topic; a bad template or an undeclared topic refuses the plugin"
    )
    func eventLines() throws {
        guard case .object(var members) = Self.manifest(params: ["type": "object"]) else { return }
        members["events"] = [
            ["topic": "desk.noted", "line": ["en": "note {id}[ by {operator}]", "zh": "便条 {id}[，经办 {operator}]"]]
        ]
        let manifest = try PluginManifest(json: .object(members))
        #expect(
            manifest.eventLines["desk.noted"] == EventLine("note {id}[ by {operator}]", zh: "便条 {id}[，经办 {operator}]"))
        #expect(try PluginManifest(json: manifest.jsonValue).eventLines == manifest.eventLines, "round trip")

        members["events"] = [["topic": "desk.noted", "line": ["en": "note {id", "zh": "便条"]]]
        #expect(throws: PluginLoadError.self) { try PluginManifest(json: .object(members)) }
        members["events"] = [["topic": "desk.other", "line": ["en": "x", "zh": "x"]]]
        #expect(throws: PluginLoadError.self) { try PluginManifest(json: .object(members)) }
        #expect(EventLine.problem(in: "[a [b]]") != nil)
        #expect(EventLine.problem(in: "{a} [b {c}]") == nil)
    }

    @Test(
        "committed names the topics a plugin's committed hook wants: absent means all; a topic not its own refuses the plugin"
    )
    func committedTopics() throws {
        guard case .object(var members) = Self.manifest(params: ["type": "object"]) else { return }
        members["topics"] = ["desk.noted", "desk.purged"]
        #expect(try PluginManifest(json: .object(members)).committedTopics == nil)
        members["committed"] = ["desk.purged"]
        let manifest = try PluginManifest(json: .object(members))
        #expect(manifest.committedTopics == ["desk.purged"])
        #expect(try PluginManifest(json: manifest.jsonValue).committedTopics == ["desk.purged"], "round trip")
        members["committed"] = ["parcels.received"]
        #expect(throws: PluginLoadError.self) { try PluginManifest(json: .object(members)) }
        members["committed"] = "desk.purged"
        #expect(throws: PluginLoadError.self) { try PluginManifest(json: .object(members)) }
    }

    @Test("a params schema keyword the daemon does not enforce refuses the plugin, naming it and where")
    func unenforcedKeyword() {
        let params: JSONValue = [
            "type": "object", "properties": ["text": ["type": "string", "pattern": "^[a-z]+$"]],
        ]
        do {
            _ = try PluginManifest(json: Self.manifest(params: params))
            Issue.record("a manifest with pattern loaded")
        } catch {
            #expect(error.message.contains("params.properties.text uses \"pattern\""), "\(error.message)")
            #expect(error.message.contains("desk.note.add"))
        }
    }

    @Test("the enforced keywords and the client annotations load; display hints are read back")
    func subsetLoads() throws {
        let params: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["kind"],
            "properties": [
                "kind": ["type": "string", "enum": ["a", "b"], "x-labels": ["a": "甲"], "description": "Kind"],
                "fee": ["type": "integer", "minimum": 0, "format": "money"],
                "codes": [
                    "type": "array", "maxItems": 5, "items": ["type": "string", "maxLength": 8], "x-positional": true,
                ],
            ],
        ]
        let manifest = try PluginManifest(
            json: Self.manifest(params: params, display: ["title": "kind", "money": ["fee"]]))
        #expect(manifest.methods.first?.display.title == "kind")
        #expect(manifest.methods.first?.display.money == ["fee"])
        #expect(manifest.methods.first?.jsonValue(available: true)["display"]?["money"] == ["fee"])
    }

    @Test("an unknown format or display hint refuses the plugin")
    func badAnnotations() {
        #expect(throws: PluginLoadError.self) {
            try PluginManifest(
                json: Self.manifest(params: [
                    "type": "object", "properties": ["x": ["type": "string", "format": "email"]],
                ]))
        }
        #expect(throws: PluginLoadError.self) {
            try PluginManifest(json: Self.manifest(params: ["type": "object"], display: ["colour": "red"]))
        }
    }

    @Test("the caller record is written with sorted keys and now in milliseconds, and reads back")
    func callerRecord() throws {
        let record = CallerRecord(
            uid: 1000, gid: 1000, pid: 42, role: "operator", workstation: "desk-2", operator: "李娜", requestId: "c1-3",
            nowMs: 1_764_986_400_123)
        #expect(
            record.json
                == #"{"gid":1000,"now":1764986400123,"operator":"李娜","pid":42,"requestId":"c1-3","role":"operator","uid":1000,"workstation":"desk-2"}"#
        )
        #expect(CallerRecord(json: Array(record.json.utf8), fallbackNowMs: 0) == record)
    }

    @Test(
        "the caller crosses the ABI as a binary record and reads back whole: every role, absent text as absent, empty text as empty; a record shorter than this build's is refused"
    )
    func callerABIRecord() {
        for role in ["operator", "admin", "system"] {
            let record = CallerRecord(
                uid: 1000, gid: 1001, pid: 42, role: role, workstation: "desk-2", operator: "王芳", requestId: "c1-3",
                nowMs: 1_764_986_400_123)
            #expect(record.withABIRecord { CallerRecord(abi: $0) } == record)
        }
        let anonymous = CallerRecord(uid: 0, gid: 0, pid: 1, role: "operator", requestId: "", nowMs: 7)
        let read = anonymous.withABIRecord { CallerRecord(abi: $0) }
        #expect(read == anonymous)
        #expect(read?.workstation == nil)
        #expect(read?.requestId == "")
        let short = anonymous.withABIRecord { pointer -> CallerRecord? in
            var copy = pointer.pointee
            copy.size -= 8
            return withUnsafePointer(to: &copy) { CallerRecord(abi: $0) }
        }
        #expect(short == nil)
    }

    @Test("roles: operators call operator methods, admins also admin ones, only the daemon system ones")
    func roles() {
        #expect(MethodRole.operator.admits("operator"))
        #expect(!MethodRole.admin.admits("operator"))
        #expect(MethodRole.admin.admits("admin"))
        #expect(!MethodRole.system.admits("admin"))
        #expect(MethodRole.system.admits("system"))
    }
}
