import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Shell completion from the daemon's method list (issue 12, "Help and completion"): the hidden
/// `receptionctl __complete`, and the bash, zsh and fish scripts that call it.
@Suite("receptionctl completion: task words, options and choices from daemon.methods", .timeLimit(.minutes(2)))
struct ReceptionctlCompletionTests {
    /// The candidates `__complete` prints for `words` (the last being the word under the cursor).
    static func complete(_ desk: HelpDesk, _ words: [String]) throws -> [String] {
        let result = try desk.ctl(["__complete", "--"] + words)
        #expect(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    static func shellExists(_ name: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/" + name)
            || FileManager.default.isExecutableFile(atPath: "/bin/" + name)
    }

    @Test("__complete answers departments, task words, options of the task and choices of an option")
    func completeCandidates() throws {
        let desk = try HelpDesk()
        let first = try Self.complete(desk, [""])
        #expect(first.contains("parcels") && first.contains("status") && first.contains("completion"), "\(first)")
        #expect(!first.contains("__complete") && !first.contains("invoke"), "\(first)")

        let tasks = try Self.complete(desk, ["parcels", ""])
        #expect(tasks.contains("receive-batch") && tasks.contains("pickup") && tasks.contains("overdue"), "\(tasks)")
        #expect(!tasks.contains("receiveBatch"), "\(tasks)")
        #expect(try Self.complete(desk, ["parcels", "receive-"]) == ["receive-batch"])

        let options = try Self.complete(desk, ["parcels", "receive", "--"])
        #expect(
            options.contains("--kind") && options.contains("--recipient") && options.contains("--unit"), "\(options)")
        #expect(options.contains("--damage-note"), "options in kebab case: \(options)")
        #expect(try Self.complete(desk, ["parcels", "pickup", "--b"]) == ["--by"])

        let kinds = try Self.complete(desk, ["parcels", "receive", "--kind", ""])
        #expect(kinds.contains("letter") && kinds.contains("periodical") && kinds.contains("parcel"), "\(kinds)")
        #expect(try Self.complete(desk, ["parcels", "receive", "--kind", "let"]) == ["letter"])
        #expect(try Self.complete(desk, ["completion", ""]) == ["bash", "zsh", "fish"])
        try desk.daemon.stop()
    }

    @Test("with the daemon stopped, __complete answers at once from the cache; with neither, nothing")
    func completeFromCache() throws {
        let desk = try HelpDesk()
        _ = try Self.complete(desk, ["parcels", ""])  // caches daemon.methods
        try desk.daemon.stop()
        let start = ContinuousClock.now
        let tasks = try Self.complete(desk, ["parcels", "pi"])
        #expect(tasks == ["pickup"])
        #expect(ContinuousClock.now - start < .seconds(5))

        try FileManager.default.removeItem(atPath: desk.cacheFile)
        let nothing = try Self.complete(desk, ["parcels", ""])
        #expect(nothing.isEmpty, "\(nothing)")
    }

    @Test("the bash script, run by bash with COMP_WORDS and COMP_CWORD set, offers task words and choices")
    func bashScript() throws {
        let desk = try HelpDesk()
        let script = try desk.ctl(["completion", "bash"])
        #expect(script.status == 0, "\(script)")
        let scriptPath = desk.daemon.directory + "/receptionctl.bash"
        try script.stdout.write(toFile: scriptPath, atomically: true, encoding: .utf8)

        /// Runs the completion function for `words`, the last one being completed; COMPREPLY, one per line.
        func offered(_ words: [String]) throws -> [String] {
            let quoted = ([HelpDesk.receptionctl] + words).map { "'" + $0 + "'" }.joined(separator: " ")
            let program = """
                source '\(scriptPath)'
                complete -p receptionctl >/dev/null || exit 9
                COMP_WORDS=(\(quoted))
                COMP_CWORD=\(words.count)
                _receptionctl
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            var environment = desk.environment
            environment["RECEPTIOND_SOCKET"] = desk.daemon.socketPath
            let result = try CommandResult.run("/bin/bash", ["--norc", "-c", program], environment: environment)
            #expect(result.status == 0, "\(result)")
            return result.stdout.split(separator: "\n").map(String.init)
        }

        let tasks = try offered(["parcels", ""])
        #expect(tasks.contains("receive-batch") && tasks.contains("pickup"), "\(tasks)")
        #expect(try offered(["parcels", "receive", "--kind", "p"]).sorted() == ["parcel", "periodical"])
        #expect(try offered(["--socket", desk.daemon.socketPath, "parcels", "notify", "--ch"]) == ["--channel"])
        // `--kind=le`: bash splits the word at '='.
        #expect(try offered(["parcels", "receive", "--kind", "=", "le"]) == ["letter"])
        try desk.daemon.stop()
    }

    @Test(
        "the zsh script parses (zsh -n), and its function, run by zsh, offers task words and choices",
        .enabled(if: shellExists("zsh"), "zsh is not installed (CI installs it: .ci/run)"))
    func zshScript() throws {
        let desk = try HelpDesk()
        let script = try desk.ctl(["completion", "zsh"])
        #expect(script.status == 0, "\(script)")
        #expect(script.stdout.hasPrefix("#compdef receptionctl"))
        let path = desk.daemon.directory + "/_receptionctl"
        try script.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let check = try CommandResult.run("/usr/bin/zsh", ["-n", path], environment: desk.environment)
        #expect(check.status == 0, "\(check)")
        // The completion function itself, run by zsh with `words` and `CURRENT` set as the
        // completion system sets them; compadd, compdef and _files (from compinit) are stand-ins
        // that print what they are given.
        func offered(_ typed: [String]) throws -> [String] {
            let quoted = ([HelpDesk.receptionctl] + typed).map { "'" + $0 + "'" }.joined(separator: " ")
            let program = """
                compdef() { : }
                compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
                _files() { print -r -- '(files)' }
                source '\(path)'
                words=(\(quoted)); CURRENT=\(typed.count + 1)
                _receptionctl
                """
            var environment = desk.environment
            environment["RECEPTIOND_SOCKET"] = desk.daemon.socketPath
            let result = try CommandResult.run("/usr/bin/zsh", ["-f", "-c", program], environment: environment)
            #expect(result.status == 0, "\(result)")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        let tasks = try offered(["parcels", ""])
        #expect(tasks.contains("receive-batch") && tasks.contains("pickup"), "\(tasks)")
        #expect(try offered(["parcels", "receive", "--kind", "p"]).sorted() == ["parcel", "periodical"])
        #expect(try offered(["parcels", "receive", "--recipient", ""]) == ["(files)"], "no candidates: file names")

        // A syntax error is caught: the check can fail.
        try (script.stdout + "\nif then fi(\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CommandResult.run("/usr/bin/zsh", ["-n", path], environment: desk.environment).status != 0)
        try desk.daemon.stop()
    }

    @Test(
        "the fish script parses (fish --no-execute), and fish completes choices through it",
        .enabled(if: shellExists("fish"), "fish is not installed (CI installs it: .ci/run)"))
    func fishScript() throws {
        let desk = try HelpDesk()
        let script = try desk.ctl(["completion", "fish"])
        #expect(script.status == 0, "\(script)")
        #expect(script.stdout.contains("__complete"))
        let path = desk.daemon.directory + "/receptionctl.fish"
        try script.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        var environment = desk.environment
        environment["HOME"] = desk.daemon.directory  // fish writes its config under HOME
        let check = try CommandResult.run("/usr/bin/fish", ["--no-execute", path], environment: environment)
        #expect(check.status == 0, "\(check)")
        // fish itself completes through the script: `complete -C` asks it as a Tab would.
        environment["PATH"] = TestDaemon.productsDirectory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["RECEPTIOND_SOCKET"] = desk.daemon.socketPath
        let asked = try CommandResult.run(
            "/usr/bin/fish",
            ["--no-config", "-c", "source '\(path)'; complete -C 'receptionctl parcels receive --kind p'"],
            environment: environment)
        #expect(asked.status == 0, "\(asked)")
        let offered = asked.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        #expect(offered.sorted() == ["parcel", "periodical"], "\(asked)")
        try (script.stdout + "\nend end\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CommandResult.run("/usr/bin/fish", ["--no-execute", path], environment: environment).status != 0)
        try desk.daemon.stop()
    }
}
