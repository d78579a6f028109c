import Testing

import ReceptionPluginTesting

/// A department that breaks the rules on purpose, to show that the testing kit holds a plugin to
/// the daemon's contract, not to a looser one.
struct UnrulyPlugin: DepartmentPlugin {
    static let name = "unruly"
    static let version = "0.0.1"
    static let summary = "Breaks the rules on purpose."

    enum Topic: String, EventTopic {
        case changed = "unruly.changed"
    }

    static let migrations = [Migration("1-create", sql: "CREATE TABLE unruly_rows (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);")]

    static let methods: [Method<UnrulyPlugin>] = [
        .read("unruly.sneakyWrite", "A read that tries to write.") { (_, _: NoParams, context) in
            try context.db.execute("INSERT INTO unruly_rows (n) VALUES (1)")
            return ["wrote": true] as JSONValue
        },
        .write("unruly.sqliteOnly", "A write with SQLite-only SQL.") { (_, _: NoParams, context) in
            try context.db.execute("INSERT INTO unruly_rows (n) SELECT ifnull(max(n), 0) + 1 FROM unruly_rows")
            return ["ok": true] as JSONValue
        },
        .write("unruly.halfway", "Writes, emits, then fails: nothing of it may survive.") {
            (_, _: NoParams, context) in
            let n: Int64 = 2
            try context.db.execute("INSERT INTO unruly_rows (n) VALUES (?)", [n])
            try context.emit(.changed, ["n": .int(n)] as JSONValue)
            if n == 2 { throw RPCError.invalidState("refused after writing", details: ["rule": "halfway"]) }
            return ["n": .int(n)] as JSONValue
        },
        .write("unruly.add", "Adds a row.") { (_, _: NoParams, context) in
            let id = try context.db.insert("INSERT INTO unruly_rows (n) VALUES (3)")
            try context.emit(.changed, ["id": .int(id)] as JSONValue)
            return ["id": .int(id)] as JSONValue
        },
    ]

    init(config: PluginConfig) throws(RPCError) {}
}

@Suite("the testing kit holds a plugin to the daemon's contract")
struct HarnessContractTests {
    @Test("a read runs on a read-only connection: writing there fails as it does in the daemon")
    func readsCannotWrite() throws {
        let desk = try PluginHarness(UnrulyPlugin.self)
        let error = try desk.callError("unruly.sneakyWrite")
        #expect(error.kind == .storage, "\(error)")
        #expect(try desk.query("SELECT count(*) AS n FROM unruly_rows").first?.int("n") == 0)
    }

    @Test("SQLite-only SQL is refused, so departments stay portable to PostgreSQL")
    func portableSQL() throws {
        let desk = try PluginHarness(UnrulyPlugin.self)
        let error = try desk.callError("unruly.sqliteOnly")
        #expect(error.message.contains("not portable SQL: \"ifnull(\""), "\(error)")
    }

    @Test("a write that fails after writing and emitting leaves no row and no event; its audit says so")
    func savepointRollsBack() throws {
        let desk = try PluginHarness(UnrulyPlugin.self)
        let error = try desk.callError("unruly.halfway")
        #expect(error.rule == "halfway")
        #expect(try desk.query("SELECT count(*) AS n FROM unruly_rows").first?.int("n") == 0)
        #expect(desk.events.isEmpty)
        #expect(desk.audit.last?.errorKind == "invalid_state")
        // The next write commits normally, numbered from where the database is.
        #expect(try desk.call("unruly.add") == ["id": 1])
        #expect(desk.events.map(\.seq) == [1])
    }

    @Test("params are checked against the schema first: an unknown member is -32602 and the handler never runs")
    func schemaFirst() throws {
        let desk = try PluginHarness(UnrulyPlugin.self)
        let error = try desk.callError("unruly.add", ["n": 5])
        #expect(error.code == -32602)
        #expect(error.field == "n")
        #expect(try desk.query("SELECT count(*) AS n FROM unruly_rows").first?.int("n") == 0)
    }

    @Test("an unknown method is method_not_found, as over the socket")
    func unknownMethod() throws {
        let desk = try PluginHarness(UnrulyPlugin.self)
        #expect(try desk.callError("unruly.nothing").kind == .methodNotFound)
    }
}

/// A department whose record type is not one (a stored property that is not a @Column): it would
/// read every row as empty, so it does not load.
struct StrayRecordPlugin: DepartmentPlugin {
    static let name = "stray"
    static let version = "0.0.1"
    static let summary = "A record with a stray property."

    struct Entry: Record {
        static let table = "stray_entries"
        @Column var id: Int64
        var label = ""
    }

    static let methods: [Method<StrayRecordPlugin>] = [
        .read("stray.list", "Lists nothing.", result: Entry.self) { (_, _: NoParams, _) in ["entries": []] as JSONValue }
    ]

    init(config: PluginConfig) throws(RPCError) {}
}

/// Params whose element is private: every element is masked in the audit.
struct PrivateListPlugin: DepartmentPlugin {
    static let name = "privlist"
    static let version = "0.0.1"
    static let summary = "Private array elements."

    struct Params: MethodParams {
        @Param("Identity numbers", maxLength: 32, maxItems: 5, private: true) var numbers: [String]
    }

    static let methods: [Method<PrivateListPlugin>] = [
        .write("privlist.add", "Takes identity numbers.") { (_, params: Params, _) in
            ["count": .int(Int64(params.numbers.count))] as JSONValue
        }
    ]

    init(config: PluginConfig) throws(RPCError) {}
}

@Suite("the testing kit refuses what the daemon would")
struct HarnessLoadTests {
    @Test("a plugin whose result record has a stray stored property does not load, naming the property")
    func strayRecordRefused() throws {
        do {
            _ = try PluginHarness(StrayRecordPlugin.self)
            Issue.record("the plugin loaded")
        } catch let error as RPCError {
            #expect(error.message.contains("label"), "\(error.message)")
        }
    }

    @Test("an array declared private is masked in the audit, and its elements keep the array's limits")
    func privateArray() throws {
        let desk = try PluginHarness(PrivateListPlugin.self)
        try desk.call("privlist.add", ["numbers": ["110101199003071234", "11010119900307999X"]])
        #expect(desk.audit.last?.params["numbers"] == "****", "an array of private values is masked whole")
        let tooLong = try desk.callError("privlist.add", ["numbers": [.string(String(repeating: "1", count: 33))]])
        #expect(tooLong.field == "numbers[0]")
    }
}
