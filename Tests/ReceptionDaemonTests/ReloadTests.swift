import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// SIGHUP and `daemon.reload` against the real daemon, watched through a real NOTIFY_SOCKET.
@Suite("Config reload")
struct ReloadTests {
    static func exampleConfig(greeting: String) -> String {
        """
        [plugins.example]
        greeting = "\(greeting)"
        """
    }

    /// Waits until the `count`-th `RELOADING=1` has arrived and a `READY=1` came after it.
    static func awaitReload(
        _ notify: NotifyListener, count: Int, daemon: TestDaemon? = nil, timeout: Duration = .seconds(20)
    ) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let daemon, !daemon.isRunning {
                throw TestDaemonError(
                    "the daemon exited (status \((try? daemon.waitForExit()) ?? -1)) instead of reloading")
            }
            let reloads = notify.times(of: "RELOADING=1")
            if reloads.count >= count {
                let started = reloads[count - 1]
                if notify.times(of: "READY=1").contains(where: { $0 >= started }) { return }
            }
            notify.collect(for: .milliseconds(100))
        }
        throw TestDaemonError(
            "reload \(count) did not finish (RELOADING=1 then READY=1) within \(timeout): \(notify.messages)")
    }

    static func greeting(_ client: RPCConnection) throws -> String? {
        try client.call("example.echo")["greeting"]?.stringValue
    }

    @Test("SIGHUP applies a changed plugin setting: RELOADING=1, then READY=1, then the new greeting")
    func sighupAppliesNewGreeting() throws {
        let notify = try NotifyListener()
        let daemon = try TestDaemon(config: Self.exampleConfig(greeting: "hello"), environment: notify.environment())
        try daemon.launch()
        try notify.waitFor("READY=1")
        let client = try daemon.connect()
        #expect(try Self.greeting(client) == "hello")

        try daemon.rewriteConfig(Self.exampleConfig(greeting: "ni hao"))
        daemon.signal(SIGHUP)
        try Self.awaitReload(notify, count: 1)
        #expect(try Self.greeting(client) == "ni hao")
        #expect(daemon.isRunning)
        #expect(daemon.log.contains("config reloaded from \(daemon.configPath ?? "?") (SIGHUP)"), "\(daemon.log)")
        #expect(
            notify.messages.contains { $0.hasPrefix("STATUS=") && $0.contains("config reloaded") }, "\(notify.messages)"
        )
        #expect(try daemon.stop() == 0)
    }

    @Test("SIGHUP right after READY=1 reloads instead of killing the daemon")
    func sighupRightAfterReady() throws {
        // What `systemctl reload` may do the moment the unit is up. The window, if any, is short:
        // try a few times, signalling the instant READY=1 arrives.
        for attempt in 1...8 {
            let notify = try NotifyListener()
            let daemon = try TestDaemon(
                config: Self.exampleConfig(greeting: "hello"), environment: notify.environment())
            try daemon.launch()
            try notify.waitFor("READY=1")
            daemon.signal(SIGHUP)
            do {
                try Self.awaitReload(notify, count: 1, daemon: daemon)
            } catch {
                let status = daemon.isRunning ? nil : try? daemon.waitForExit()
                // Killed by the signal, Process reports the signal number: 1 is SIGHUP's default action.
                Issue.record(
                    "attempt \(attempt): SIGHUP just after READY=1 was not handled as a reload (daemon \(status.map { "exited with status \($0)" } ?? "still running")): \(error); notify: \(notify.messages)\n\(daemon.log)"
                )
                return
            }
            let client = try daemon.connect()
            #expect(try Self.greeting(client) == "hello")
            #expect(try daemon.stop() == 0)
        }
    }

    @Test("A SIGHUP with a bad file changes nothing: the daemon keeps the running config and says why")
    func sighupWithBadFileKeepsRunningConfig() throws {
        let notify = try NotifyListener()
        let daemon = try TestDaemon(config: Self.exampleConfig(greeting: "hello"), environment: notify.environment())
        try daemon.launch()
        try notify.waitFor("READY=1")
        let client = try daemon.connect()
        try daemon.rewriteConfig(Self.exampleConfig(greeting: "ni hao"))
        daemon.signal(SIGHUP)
        try Self.awaitReload(notify, count: 1)
        #expect(try Self.greeting(client) == "ni hao")

        // An unknown plugin key.
        try daemon.rewriteConfig(
            """
            [plugins.example]
            greeting = "should not apply"
            bogus = 1
            """)
        daemon.signal(SIGHUP)
        try Self.awaitReload(notify, count: 2)
        #expect(daemon.isRunning)
        #expect(try Self.greeting(client) == "ni hao")
        #expect(daemon.log.contains("reload (SIGHUP) failed"), "\(daemon.log)")
        #expect(daemon.log.contains("bogus"), "\(daemon.log)")
        #expect(
            notify.messages.contains {
                $0.hasPrefix("STATUS=") && $0.contains("reload failed") && $0.contains("bogus")
            },
            "\(notify.messages)")

        // A TOML syntax error.
        try daemon.rewriteConfig(
            """
            [plugins.example
            greeting = "should not apply either"
            """)
        daemon.signal(SIGHUP)
        try Self.awaitReload(notify, count: 3)
        #expect(daemon.isRunning)
        #expect(try Self.greeting(client) == "ni hao")
        #expect(daemon.log.contains("syntax error"), "\(daemon.log)")
        #expect(
            notify.messages.contains {
                $0.hasPrefix("STATUS=") && $0.contains("reload failed") && $0.contains("syntax error")
            },
            "\(notify.messages)")

        // An unknown [daemon] key, with a plugin change in the same file: nothing is half-applied.
        try daemon.rewriteConfig(
            """
            [daemon]
            colour = "blue"

            [plugins.example]
            greeting = "half applied"
            """)
        daemon.signal(SIGHUP)
        try Self.awaitReload(notify, count: 4)
        #expect(try Self.greeting(client) == "ni hao")
        #expect(daemon.log.contains("daemon.colour"), "\(daemon.log)")

        // A good file afterwards applies again.
        try daemon.rewriteConfig(Self.exampleConfig(greeting: "welcome back"))
        daemon.signal(SIGHUP)
        try Self.awaitReload(notify, count: 5)
        #expect(try Self.greeting(client) == "welcome back")
        #expect(try daemon.stop() == 0)
    }

    @Test("daemon.reload with a bad file answers a validation error naming the key, and keeps the running config")
    func rpcReloadWithBadFile() throws {
        let daemon = try TestDaemon(config: Self.exampleConfig(greeting: "hello"))
        try daemon.start()
        let client = try daemon.connect()

        try daemon.rewriteConfig(
            """
            [plugins.example]
            greeting = "nope"
            bogus = 1
            """)
        let pluginKey = try #require(try client.callError("daemon.reload"))
        #expect(pluginKey.kind == .validation)
        #expect(pluginKey.code == -32007)
        #expect(pluginKey.message.contains("bogus"), "\(pluginKey.message)")
        #expect(pluginKey.message.contains("running config kept"), "\(pluginKey.message)")
        #expect(pluginKey.field?.contains("bogus") == true, "\(String(describing: pluginKey.field))")
        #expect(try Self.greeting(client) == "hello")

        try daemon.rewriteConfig(
            """
            [daemon]
            max_batch = "lots"
            """)
        let daemonKey = try #require(try client.callError("daemon.reload"))
        #expect(daemonKey.kind == .validation)
        #expect(daemonKey.field == "daemon.max_batch")
        #expect(
            daemonKey.message.contains("max_batch") && daemonKey.message.contains("integer"), "\(daemonKey.message)")

        try daemon.rewriteConfig("[daemon\n")
        let syntax = try #require(try client.callError("daemon.reload"))
        #expect(syntax.kind == .validation)
        #expect(syntax.message.contains("syntax error"), "\(syntax.message)")

        // The file gone altogether.
        let path = try #require(daemon.configPath)
        try FileManager.default.removeItem(atPath: path)
        let missing = try #require(try client.callError("daemon.reload"))
        #expect(missing.kind == .validation)
        #expect(missing.message.contains(path) && missing.message.contains("cannot read"), "\(missing.message)")
        #expect(try Self.greeting(client) == "hello")
        #expect(daemon.isRunning)
        #expect(try daemon.stop() == 0)
    }

    @Test("daemon.reload with a good file applies limits at once and names the settings that need a restart")
    func rpcReloadAppliesAndReportsRestart() throws {
        let daemon = try TestDaemon(config: Self.exampleConfig(greeting: "hello"))
        try daemon.start()
        let client = try daemon.connect()
        try daemon.rewriteConfig(
            """
            [daemon]
            max_batch = 2
            plugins = ["example"]

            [plugins.example]
            greeting = "applied"
            """)
        let reply = try client.call("daemon.reload")
        #expect(reply["reloaded"] == true)
        #expect(reply["file"] == .string(daemon.configPath ?? "?"))
        #expect(reply["restartRequired"] == ["plugins"], "\(reply)")
        #expect(try Self.greeting(client) == "applied")

        // The new batch limit holds for the next batch.
        let ping = RPCRequest(id: .int(1), method: "daemon.ping").serialized()
        try client.send(line: "[\(ping),\(ping),\(ping)]")
        let line = try #require(try client.readLine())
        let refusal = try JSONValue.parse(line)
        #expect(refusal["error"]?["data"]?["kind"] == "limit", "\(line)")
        #expect(try daemon.stop() == 0)
    }

    @Test("A log_level change applies on reload")
    func logLevelChangeApplies() throws {
        // No --log-level flag here: flags outrank the file, so this daemon is started by hand.
        let setup = try TestDaemon(
            config: """
                [daemon]
                log_level = "warning"
                """)
        let configPath = try #require(setup.configPath)
        let daemon = ChildProcess(
            executable: TestDaemon.productsDirectory + "/receptiond",
            arguments: [
                "--socket", setup.socketPath, "--state-dir", setup.stateDirectory, "--plugin-dir",
                setup.pluginDirectory,
                "--config", configPath,
            ],
            logPath: setup.directory + "/child.log")
        try daemon.launch()
        try daemon.waitUntil("the socket") { (try? setup.connect(timeout: .seconds(5))) != nil }

        // At warning, neither the info lines of start-up nor per-connection debug lines are logged.
        let first = try setup.connect()
        #expect(try first.call("daemon.ping")["pong"] == true)
        #expect(!daemon.log.contains("listening on"), "info line at log_level warning:\n\(daemon.log)")
        #expect(!daemon.log.contains("connection opened"), "debug line at log_level warning:\n\(daemon.log)")

        try setup.rewriteConfig(
            """
            [daemon]
            log_level = "debug"
            """)
        _ = try first.call("daemon.reload")
        #expect(daemon.log.contains("config reloaded"), "\(daemon.log)")
        let second = try setup.connect()
        #expect(try second.call("daemon.ping")["pong"] == true)
        #expect(
            ChildProcess.eventually { daemon.log.contains("connection opened") },
            "no debug line after reload:\n\(daemon.log)")

        try setup.rewriteConfig(
            """
            [daemon]
            log_level = "error"
            """)
        let before = daemon.log.utf8.count
        _ = try first.call("daemon.reload")
        let third = try setup.connect()
        #expect(try third.call("daemon.ping")["pong"] == true)
        #expect(try first.call("example.note.add", ["text": "at error"])["text"] == "at error")
        let after = String(decoding: Array(daemon.log.utf8).dropFirst(before), as: UTF8.self)
        #expect(!after.contains("config reloaded"), "notice line logged at log_level error:\n\(after)")
        #expect(!after.contains("connection opened"), "debug line logged at log_level error:\n\(after)")

        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }

    @Test(
        "a refused reload stays in the status line (the periodic updates keep it) until a good reload clears it; daemon.reload answers the refusal"
    )
    func refusalStaysInTheStatusLine() throws {
        let notify = try NotifyListener()
        let daemon = try TestDaemon(config: Self.exampleConfig(greeting: "hi"), environment: notify.environment())
        try daemon.launch()
        try notify.waitFor("READY=1")
        let client = try daemon.connect()
        try daemon.rewriteConfig("[plugins.example]\nbogus = 1\n")
        let refused = try #require(try client.callError("daemon.reload"), "a bad file must be refused")
        #expect(refused.message.contains("bogus"), "\(refused)")
        // A second client changes the client count, so the status line is sent again: the
        // refusal must still be in it.
        let other = try daemon.connect()
        try other.call("daemon.ping")
        notify.collect(for: .milliseconds(2500))
        let statuses = notify.messages.filter { $0.hasPrefix("STATUS=serving") }
        #expect(
            statuses.last?.contains("reload refused, running config kept") == true
                && statuses.last?.contains("bogus") == true,
            "\(statuses)")
        try daemon.rewriteConfig(Self.exampleConfig(greeting: "ni hao"))
        #expect(try client.call("daemon.reload")["reloaded"] == true)
        other.close()
        notify.collect(for: .milliseconds(2500))
        let after = notify.messages.filter { $0.hasPrefix("STATUS=serving") }
        #expect(after.last.map { !$0.contains("reload refused") } == true, "a good reload clears it: \(after)")
        try daemon.stop()
    }
}
