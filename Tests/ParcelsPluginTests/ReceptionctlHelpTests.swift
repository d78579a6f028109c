import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A desk with its own methods cache: receptionctl run against a parcels daemon with
/// `XDG_CACHE_HOME` in a fresh directory, so what a test caches is its own.
struct HelpDesk {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    let daemon: TestDaemon
    let cacheHome: String

    init() throws {
        daemon = try ParcelsDesk.start()
        cacheHome = daemon.directory + "/cache"
    }

    /// The environment receptionctl runs in: this desk's cache, a known width.
    var environment: [String: String] {
        ChildProcess.cleanEnvironment(overrides: ["XDG_CACHE_HOME": cacheHome, "COLUMNS": "100"])
    }

    /// Runs receptionctl on this desk's socket.
    func ctl(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(
            Self.receptionctl, ["--socket", daemon.socketPath] + arguments, environment: environment)
    }

    /// The methods cache file.
    var cacheFile: String { cacheHome + "/receptionctl/methods.json" }
}

/// Help that lists the departments and their tasks as the words to type (issue 12, "Help and
/// completion"), through the real receptionctl and daemon.
@Suite("receptionctl help: departments, tasks as words, replies, the cached method list", .timeLimit(.minutes(2)))
struct ReceptionctlHelpTests {
    @Test("receptionctl --help lists the parcels tasks as words to type, after the built-in commands")
    func rootHelpListsDepartments() throws {
        let desk = try HelpDesk()
        let help = try desk.ctl(["--help"])
        #expect(help.status == 0, "\(help)")
        let text = help.stdout
        let builtIns = try #require(text.range(of: "SUBCOMMANDS"), "\(text)")
        let departments = try #require(text.range(of: "DEPARTMENTS"), "\(text)")
        #expect(builtIns.lowerBound < departments.lowerBound)
        let listing = String(text[departments.lowerBound...])
        let parcelsLine = try #require(listing.split(separator: "\n").first { $0.hasPrefix("  parcels") })
        #expect(parcelsLine.contains("receive, receive-batch"), "\(listing)")
        #expect(listing.contains("pickup") && listing.contains("overdue"), "\(listing)")
        #expect(!listing.contains("receiveBatch") && !listing.contains("parcels.receive"), "\(listing)")
        #expect(!listing.contains("  daemon "), "the daemon's own methods are the built-in commands: \(listing)")
        // `receptionctl help` alone is the same page.
        let bare = try desk.ctl(["help"])
        #expect(bare.status == 0 && bare.stdout == help.stdout, "\(bare)")
        try desk.daemon.stop()
    }

    @Test("help parcels equals parcels --help: each task's words with a one-line description")
    func departmentHelp() throws {
        let desk = try HelpDesk()
        let viaHelp = try desk.ctl(["help", "parcels"])
        let viaFlag = try desk.ctl(["parcels", "--help"])
        #expect(viaHelp.status == 0, "\(viaHelp)")
        #expect(viaFlag.status == 0, "\(viaFlag)")
        #expect(viaHelp.stdout == viaFlag.stdout)
        let lines = viaHelp.stdout.split(separator: "\n").map(String.init)
        let batch = try #require(lines.first { $0.hasPrefix("  receive-batch ") }, "\(viaHelp.stdout)")
        #expect(batch.contains("Signs for many items at once"), "\(batch)")
        let pickup = try #require(lines.first { $0.hasPrefix("  pickup ") }, "\(viaHelp.stdout)")
        #expect(pickup.count > "  pickup ".count + 10, "a description follows: \(pickup)")
        #expect(!viaHelp.stdout.contains("parcels.receiveBatch"), "\(viaHelp.stdout)")
        try desk.daemon.stop()
    }

    @Test("help parcels pickup equals parcels pickup --help, and says what the reply contains")
    func taskHelp() throws {
        let desk = try HelpDesk()
        let viaHelp = try desk.ctl(["help", "parcels", "pickup"])
        let viaFlag = try desk.ctl(["parcels", "pickup", "--help"])
        #expect(viaHelp.status == 0, "\(viaHelp)")
        #expect(viaHelp.stdout == viaFlag.stdout, "\(viaHelp)\n\(viaFlag)")
        #expect(viaHelp.stdout.contains("--by"), "\(viaHelp.stdout)")
        let reply = try #require(viaHelp.stdout.range(of: "Replies with a list of items"), "\(viaHelp.stdout)")
        let sentence = String(viaHelp.stdout[reply.lowerBound...]).replacingOccurrences(of: "\n", with: " ")
        #expect(sentence.contains("code, kind, recipient"), "\(sentence)")
        #expect(sentence.contains("collected by"), "\(sentence)")

        let receive = try desk.ctl(["parcels", "receive", "--help"])
        #expect(receive.stdout.contains("Replies with a record named by its code: code, kind"), "\(receive.stdout)")
        // Kebab-case in the usage line.
        let batch = try desk.ctl(["help", "parcels", "receive-batch"])
        #expect(batch.status == 0, "\(batch)")
        #expect(batch.stdout.contains("Usage: receptionctl parcels receive-batch"), "\(batch.stdout)")
        try desk.daemon.stop()
    }

    @Test(
        "with the daemon stopped, a task's --help uses the cached method list and says so; without a cache it exits 3")
    func helpFromCache() throws {
        let desk = try HelpDesk()
        // Nothing cached yet and no daemon: help cannot be given.
        try desk.daemon.stop()
        let uncached = try desk.ctl(["parcels", "pickup", "--help"])
        #expect(uncached.status == 3, "\(uncached)")
        #expect(!FileManager.default.fileExists(atPath: desk.cacheFile))

        let live = try HelpDesk()
        let live1 = try live.ctl(["parcels", "pickup", "--help"])
        #expect(live1.status == 0, "\(live1)")
        #expect(!live1.stdout.contains("not reachable"), "\(live1)")
        #expect(FileManager.default.fileExists(atPath: live.cacheFile), "daemon.methods was cached")
        try live.daemon.stop()

        let cached = try live.ctl(["parcels", "pickup", "--help"])
        #expect(cached.status == 0, "\(cached)")
        let first = cached.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            first.hasPrefix("the daemon is not reachable; this help is from the method list cached at "), "\(cached)")
        #expect(first.wholeMatch(of: #/.* \d\d-\d\d \d\d:\d\d/#) != nil, "\(first)")
        // The rest is the same help the daemon gave.
        #expect(cached.stdout.hasSuffix(live1.stdout), "\(cached.stdout)\n---\n\(live1.stdout)")

        let department = try live.ctl(["help", "parcels"])
        #expect(department.status == 0 && department.stdout.contains("receive-batch"), "\(department)")
        #expect(department.stdout.hasPrefix("the daemon is not reachable"), "\(department)")
        let root = try live.ctl(["--help"])
        #expect(root.stdout.hasPrefix("the daemon is not reachable"), "\(root)")
        #expect(root.stdout.contains("receive-batch"), "\(root)")

        // Running a task still needs the daemon.
        let run = try live.ctl(["parcels", "pending", "--unit", "3-2-1201"])
        #expect(run.status == 3, "\(run)")
        #expect(run.stderr.contains("cannot connect"), "\(run)")
    }

    @Test("receive-batch and receiveBatch both run parcels.receiveBatch")
    func kebabAndCamelCase() throws {
        let desk = try HelpDesk()
        let items = #"{"kind":"letter","recipient":"李娜","unit":"3-2-1201"}"#
        for spelling in ["receive-batch", "receiveBatch"] {
            let result = try desk.ctl(["--operator", "li.na", "--json", "parcels", spelling, "--items", items])
            #expect(result.status == 0, "\(spelling): \(result)")
            let reply = try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(reply["items"]?.arrayValue?.count == 1, "\(spelling): \(result.stdout)")
        }
        let pending = try desk.daemon.connect().call("parcels.pending", ["unit": "3-2-1201"])
        #expect(pending["items"]?.arrayValue?.count == 2)
        // A misspelled task is suggested back in kebab case.
        let typo = try desk.ctl(["parcels", "recieve-batch", "--items", items])
        #expect(typo.status == 2, "\(typo)")
        #expect(typo.stderr.contains("did you mean: parcels receive-batch"), "\(typo)")
        try desk.daemon.stop()
    }
}
