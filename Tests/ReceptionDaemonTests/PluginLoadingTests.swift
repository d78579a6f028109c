import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Broken plugins and broken config, against the real daemon: a bad plugin never takes the daemon
/// down, and a bad daemon config never lets it start.
@Suite("Plugin loading and config validation")
struct PluginLoadingTests {
    /// Bytes that are not a shared library.
    static let garbage = Array("this is not an ELF file, just text pretending to be a plugin\n".utf8)

    static let mixedPlugins: [String: TestDaemon.PluginFile] = [
        "example": .product("libreceptiond-example.so"),
        "badabi": .product("libfixture-badabi.so"),
        "badmigration": .product("libfixture-badmigration.so"),
        "garbage": .contents(garbage),
    ]

    /// The `daemon.status` plugin record named `name`.
    static func plugin(_ status: JSONValue, _ name: String) -> JSONValue? {
        status["plugins"]?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    @Test("With broken plugins beside a good one, the daemon starts, serves, and says why each failed")
    func brokenPluginsAreReported() throws {
        let daemon = try TestDaemon(plugins: Self.mixedPlugins)
        try daemon.start()
        let client = try daemon.connect()
        #expect(try client.call("daemon.ping")["pong"] == true)

        let status = try client.call("daemon.status")
        let example = try #require(Self.plugin(status, "example"), "\(status)")
        #expect(example["state"] == "loaded")
        #expect(example["error"] == nil)

        let badabi = try #require(Self.plugin(status, "badabi"), "\(status)")
        #expect(badabi["state"] == "failed")
        let abiError = badabi["error"]?.stringValue ?? ""
        #expect(abiError.contains("999"), "\(abiError)")
        #expect(abiError.contains("version 2"), "\(abiError)")

        let badmigration = try #require(Self.plugin(status, "badmigration"), "\(status)")
        #expect(badmigration["state"] == "failed")
        let migrationError = badmigration["error"]?.stringValue ?? ""
        #expect(migrationError.contains("2-broken"), "\(migrationError)")

        let garbage = try #require(Self.plugin(status, "garbage"), "\(status)")
        #expect(garbage["state"] == "failed")
        let garbageError = garbage["error"]?.stringValue ?? ""
        #expect(garbageError.contains("cannot load"), "\(garbageError)")

        // The failures are in the log too, each naming its plugin.
        #expect(daemon.log.contains("plugin failed to load"))
        #expect(daemon.log.contains("2-broken"))

        // The working plugin works.
        let echo = try client.call("example.echo", ["x": 1])
        #expect(echo["greeting"] == "hello")
        #expect(echo["params"] == ["x": 1])
        #expect(try daemon.stop() == 0)
    }

    @Test("A shared library that is not a plugin, and a second copy of a plugin, are reported; the first copy serves")
    func notAPluginAndDuplicate() throws {
        let daemon = try TestDaemon(
            plugins: [
                "example": .product("libreceptiond-example.so"),
                // Sorted after "example": the same library under another file name.
                "example2": .product("libreceptiond-example.so"),
            ])
        // Any ordinary shared library: it opens fine but has no entry point.
        let system = [
            "/lib/x86_64-linux-gnu/libm.so.6", "/lib/aarch64-linux-gnu/libm.so.6", "/lib64/libm.so.6",
            "/usr/lib/libm.so.6",
        ]
        .first { FileManager.default.fileExists(atPath: $0) }
        if let system {
            try FileManager.default.createSymbolicLink(
                atPath: daemon.pluginDirectory + "/libreceptiond-libm.so", withDestinationPath: system)
        }
        try daemon.start()
        let client = try daemon.connect()
        let plugins = try client.call("daemon.status")["plugins"]?.arrayValue ?? []
        if system != nil {
            let libm = plugins.first { $0["name"] == "libm" }
            #expect(libm?["state"] == "failed", "\(plugins)")
            #expect(libm?["error"]?.stringValue?.contains("receptiond_plugin_entry") == true, "\(plugins)")
        }
        let examples = plugins.filter { $0["name"]?.stringValue?.hasPrefix("example") == true }
        #expect(examples.count == 2, "\(plugins)")
        let loaded = examples.filter { $0["state"] == "loaded" }
        #expect(loaded.count == 1, "\(plugins)")
        #expect(loaded.first?["path"]?.stringValue?.hasSuffix("/libreceptiond-example.so") == true, "\(plugins)")
        let duplicate = examples.first { $0["state"] == "failed" }
        #expect(duplicate?["error"]?.stringValue?.contains("already taken") == true, "\(plugins)")
        // The loaded copy still answers.
        #expect(try client.call("example.echo")["greeting"] == "hello")
        #expect(try daemon.stop() == 0)
    }

    @Test("Methods of failed plugins answer unavailable (-32005), not method-not-found")
    func failedPluginMethodsAreUnavailable() throws {
        let daemon = try TestDaemon(plugins: Self.mixedPlugins)
        try daemon.start()
        let client = try daemon.connect()

        let ping = try #require(try client.callError("badmigration.ping"))
        #expect(ping.code == -32005)
        #expect(ping.kind == .unavailable)
        #expect(ping.message.contains("badmigration"), "\(ping.message)")
        #expect(ping.details["plugin"] == "badmigration")

        let garbage = try #require(try client.callError("garbage.anything"))
        #expect(garbage.code == -32005)
        #expect(garbage.kind == .unavailable)

        let abi = try #require(try client.callError("badabi.whatever"))
        #expect(abi.kind == .unavailable)

        // A name no plugin owns is still "not found".
        let unknown = try #require(try client.callError("nosuchplugin.ping"))
        #expect(unknown.kind == .methodNotFound)
        #expect(unknown.code == -32601)

        // The connection survived all of that.
        #expect(try client.call("example.echo")["greeting"] == "hello")
        #expect(try daemon.stop() == 0)
    }

    @Test("daemon.methods lists each method with its params schema and whether it is available")
    func methodsListAvailability() throws {
        let daemon = try TestDaemon(plugins: Self.mixedPlugins)
        try daemon.start()
        let client = try daemon.connect()
        let methods = try #require(try client.call("daemon.methods")["methods"]?.arrayValue)
        func method(_ name: String) -> JSONValue? { methods.first { $0["name"]?.stringValue == name } }

        for name in ["example.echo", "example.note.add", "example.note.list", "example.note.purge"] {
            let entry = try #require(
                method(name), "\(name) missing from \(methods.compactMap { $0["name"]?.stringValue })")
            #expect(entry["available"] == true, "\(entry)")
            #expect(entry["plugin"] == "example")
            #expect(entry["params"]?["type"] == "object", "\(entry)")
        }
        let add = try #require(method("example.note.add"))
        #expect(add["access"] == "write")
        #expect(add["params"]?["properties"]?["text"]?["type"] == "string", "\(add)")
        #expect(add["params"]?["required"] == ["text"], "\(add)")
        #expect(method("example.note.purge")?["role"] == "admin")
        #expect(method("example.note.list")?["access"] == "read")

        let ping = try #require(method("badmigration.ping"), "badmigration.ping missing")
        #expect(ping["available"] == false)
        #expect(ping["plugin"] == "badmigration")

        // Built-ins are listed too, and the list is sorted by name.
        #expect(method("daemon.ping")?["available"] == true)
        #expect(method("daemon.methods") != nil)
        // Every built-in, those registered last included (the list once missed them).
        for builtin in ["audit.query", "admin.backup", "daemon.reload", "events.subscribe", "daemon.hello"] {
            #expect(method(builtin) != nil, "daemon.methods does not list \(builtin)")
        }
        let names = methods.compactMap { $0["name"]?.stringValue }
        #expect(names == names.sorted())
        #expect(try daemon.stop() == 0)
    }

    @Test("An unknown key in a plugin's section fails that plugin, naming the key; the daemon serves on")
    func unknownPluginKey() throws {
        let daemon = try TestDaemon(
            config: """
                [plugins.example]
                greeting = "hi"
                bogus = 1
                """,
            plugins: [
                "example": .product("libreceptiond-example.so"), "badmigration": .product("libfixture-badmigration.so"),
            ])
        try daemon.start()
        let client = try daemon.connect()
        let status = try client.call("daemon.status")
        let example = try #require(Self.plugin(status, "example"), "\(status)")
        #expect(example["state"] == "failed")
        let message = example["error"]?.stringValue ?? ""
        #expect(message.contains("bogus"), "\(message)")
        #expect(message.contains("plugins.example"), "\(message)")
        // The other plugin failed for its own reason, not because of example's config.
        let other = Self.plugin(status, "badmigration")?["error"]?.stringValue ?? ""
        #expect(other.contains("2-broken") && !other.contains("bogus"), "\(other)")

        #expect(try client.call("daemon.ping")["pong"] == true)
        let refusal = try #require(try client.callError("example.echo"))
        #expect(refusal.kind == .unavailable)
        #expect(refusal.message.contains("bogus"), "\(refusal.message)")
        #expect(try daemon.stop() == 0)
    }

    @Test("A plugin setting of the wrong type fails that plugin with a message naming the key")
    func wrongTypePluginValue() throws {
        let daemon = try TestDaemon(
            config: """
                [plugins.example]
                max_note_length = "x"
                """)
        try daemon.start()
        let client = try daemon.connect()
        let status = try client.call("daemon.status")
        let example = try #require(Self.plugin(status, "example"), "\(status)")
        #expect(example["state"] == "failed")
        let message = example["error"]?.stringValue ?? ""
        #expect(message.contains("max_note_length"), "\(message)")
        #expect(message.contains("integer"), "\(message)")
        #expect(try client.call("daemon.ping")["pong"] == true)
        #expect(try daemon.stop() == 0)
    }

    @Test("A plugin setting out of range fails that plugin with the allowed range")
    func outOfRangePluginValue() throws {
        let daemon = try TestDaemon(
            config: """
                [plugins.example]
                max_note_length = 0
                """)
        try daemon.start()
        let client = try daemon.connect()
        let example = try #require(Self.plugin(try client.call("daemon.status"), "example"))
        #expect(example["state"] == "failed")
        let message = example["error"]?.stringValue ?? ""
        #expect(message.contains("max_note_length") && message.contains("between 1 and 100000"), "\(message)")
        #expect(try daemon.stop() == 0)
    }

    // MARK: Daemon config errors refuse start-up

    /// Launches a daemon with `config` and expects it to refuse to start with exit status 78.
    static func refusedStart(_ config: String) throws -> (daemon: TestDaemon, log: String) {
        let daemon = try TestDaemon(config: config)
        try daemon.launch()
        let status = try daemon.waitForExit()
        #expect(status == 78, "exit status \(status); log:\n\(daemon.log)")
        #expect(
            !FileManager.default.fileExists(atPath: daemon.socketPath), "a refused daemon must not create its socket")
        return (daemon, daemon.log)
    }

    @Test("An unknown key in [daemon] stops start-up: exit 78, the file, line and key named")
    func unknownDaemonKey() throws {
        let (daemon, log) = try Self.refusedStart(
            """
            [daemon]
            log_level = "info"
            colour = "blue"
            """)
        let path = try #require(daemon.configPath)
        #expect(log.contains("invalid config"), "\(log)")
        #expect(log.contains(path + ":3"), "expected \(path):3 in:\n\(log)")
        #expect(log.contains("daemon.colour"), "\(log)")
        #expect(log.contains("unknown key"), "\(log)")
    }

    @Test("A [daemon] value of the wrong type stops start-up: exit 78, the key and the rule named")
    func wrongTypeDaemonValue() throws {
        let (daemon, log) = try Self.refusedStart(
            """
            # comment
            [daemon]
            max_connections = "many"
            """)
        let path = try #require(daemon.configPath)
        #expect(log.contains(path + ":3"), "expected \(path):3 in:\n\(log)")
        #expect(log.contains("daemon.max_connections"), "\(log)")
        #expect(log.contains("must be an integer"), "\(log)")
    }

    @Test("A [daemon] value out of range stops start-up: exit 78 and the range")
    func outOfRangeDaemonValue() throws {
        let (_, log) = try Self.refusedStart(
            """
            [daemon]
            max_connections = 0
            """)
        #expect(log.contains("daemon.max_connections"), "\(log)")
        #expect(log.contains("between 1 and 100000"), "\(log)")
    }

    @Test("A TOML syntax error stops start-up: exit 78, the file and the line named")
    func syntaxError() throws {
        let (daemon, log) = try Self.refusedStart(
            """
            [daemon]
            log_level = "info"
            max_batch = = 3
            """)
        let path = try #require(daemon.configPath)
        #expect(log.contains("syntax error"), "\(log)")
        #expect(log.contains(path + ":3"), "expected \(path):3 in:\n\(log)")
    }

    @Test("An unknown top-level section stops start-up, naming it")
    func unknownSection() throws {
        let (_, log) = try Self.refusedStart(
            """
            [deamon]
            log_level = "info"
            """)
        #expect(log.contains("deamon"), "\(log)")
    }

    @Test("A config file that does not exist stops start-up with exit 78, naming the file")
    func missingConfigFile() throws {
        let daemon = try TestDaemon(arguments: ["--config", "/nonexistent/receptiond.conf"])
        try daemon.launch()
        #expect(try daemon.waitForExit() == 78)
        #expect(daemon.log.contains("/nonexistent/receptiond.conf"), "\(daemon.log)")
    }
}
