import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

/// What `receptionctl __complete` offers, from a method list like the daemon's, and the
/// kebab-case words a person types for camelCase method names.
@Suite("Completion candidates and kebab-case task words")
struct CompletionCandidatesTests {
    static let methodsJSON = """
        {"methods":[
         {"name":"daemon.status","plugin":"daemon","params":{"type":"object","properties":{}}},
         {"name":"parcels.receive","plugin":"parcels","description":"Signs for one item.","params":{"type":"object","properties":{
            "kind":{"type":"string","enum":["letter","parcel","express","periodical"]},
            "recipient":{"type":"string"},"unit":{"type":"string"}},"required":["kind"]}},
         {"name":"parcels.receiveBatch","plugin":"parcels","params":{"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}}},
         {"name":"parcels.pickup","plugin":"parcels","params":{"type":"object","properties":{
            "codes":{"type":"array","items":{"type":"string"},"x-positional":true},
            "collectedBy":{"type":"string","x-aliases":["by"]},"proxy":{"type":"boolean"}}}},
         {"name":"access.badges.reportLost","plugin":"access","params":{"type":"object","properties":{"number":{"type":"string"}}}},
         {"name":"access.keys.checkout","plugin":"access","params":{"type":"object","properties":{"deposit":{"type":"integer","format":"money"}}}}
        ]}
        """

    let methods: [MethodInfo]
    let completer = CompletionCandidates(
        commands: ["call", "status", "methods", "watch", "completion", "help"], valueOptions: ["socket", "timeout"],
        flags: ["json"])

    init() throws {
        methods = MethodInfo.list(from: try JSONValue.parse(Self.methodsJSON))
    }

    func offered(_ words: [String], _ current: String = "") -> [String] {
        completer.candidates(words: words, current: current, methods: methods)
    }

    @Test("camelCase segments are typed in kebab case, and both spellings name the same method")
    func kebabWords() {
        #expect(CommandWords.kebab("receiveBatch") == "receive-batch")
        #expect(CommandWords.kebab("reportLost") == "report-lost")
        #expect(CommandWords.kebab("receive-batch") == "receive-batch")
        #expect(CommandWords.resolve(["parcels", "receive-batch"], in: methods) == ["parcels", "receiveBatch"])
        #expect(CommandWords.resolve(["parcels", "receiveBatch"], in: methods) == ["parcels", "receiveBatch"])
        #expect(
            CommandWords.resolve(["access", "badges", "report-lost"], in: methods) == [
                "access", "badges", "reportLost",
            ])
        // Words past the method's name (pickup codes) stay as typed.
        #expect(CommandWords.resolve(["parcels", "pickup", "k7m3"], in: methods) == ["parcels", "pickup", "k7m3"])
        let batch = methods.first { $0.name == "parcels.receiveBatch" }
        #expect(batch?.words == ["parcels", "receive-batch"])
    }

    @Test("the first word: built-in commands and departments, never the daemon's own plugins")
    func firstWord() {
        let first = offered([])
        #expect(first.contains("status") && first.contains("parcels") && first.contains("access"))
        #expect(!first.contains("daemon"))
        #expect(offered([], "pa") == ["parcels"])
    }

    @Test("after a department: its task words in kebab case; after a noun: its verbs")
    func taskWords() {
        #expect(offered(["parcels"]) == ["receive", "receive-batch", "pickup"])
        #expect(offered(["parcels"], "rec") == ["receive", "receive-batch"])
        #expect(offered(["access"]) == ["badges", "keys"])
        #expect(offered(["access", "badges"]) == ["report-lost"])
        #expect(offered(["help", "parcels"], "p") == ["pickup"])
    }

    @Test("after a whole task: its options and aliases; after an option with choices: the choices")
    func optionsAndChoices() {
        let options = offered(["parcels", "receive"], "--")
        #expect(Array(options.prefix(3)) == ["--kind", "--recipient", "--unit"])
        #expect(options.contains("--help") && options.contains("--socket"))
        #expect(offered(["parcels", "pickup"], "--b") == ["--by"])
        #expect(offered(["parcels", "receive", "--kind"]) == ["letter", "parcel", "express", "periodical"])
        #expect(offered(["parcels", "receive", "--kind"], "p") == ["parcel", "periodical"])
        // Bash splits --kind=p at '=': the option and its value are read back together.
        #expect(offered(["parcels", "receive", "--kind", "="], "p") == ["parcel", "periodical"])
        #expect(offered(["parcels", "receive-batch"], "--").first == "--items")
        #expect(
            offered(["--socket", "/tmp/s", "parcels", "receive", "--unit", "3-2-1201", "--kind"], "l") == ["letter"])
        // A value without choices, and a global option's value: nothing (the shell completes files).
        #expect(offered(["parcels", "receive", "--recipient"]).isEmpty)
        #expect(offered(["--socket"]).isEmpty)
    }

    @Test("completion offers the shells")
    func shells() {
        #expect(offered(["completion"]) == ["bash", "zsh", "fish"])
        #expect(offered(["completion"], "z") == ["zsh"])
    }

    @Test("the methods cache keeps a daemon.methods result and reads it back with the time it was written")
    func cacheRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/mc-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = try #require(MethodsCache.standard(environment: ["XDG_CACHE_HOME": directory, "HOME": "/nowhere"]))
        #expect(cache.path == directory + "/receptionctl/methods.json")
        #expect(cache.load() == nil)
        #expect(cache.save(rawResult: Self.methodsJSON))
        let entry = try #require(cache.load())
        #expect(entry.methods.map(\.name) == methods.map(\.name))
        #expect(abs(entry.savedAt.timeIntervalSinceNow) < 60)
        // Not a method list: no entry, rather than an empty one.
        #expect(cache.save(rawResult: "{\"other\":1}"))
        #expect(cache.load() == nil)
        #expect(
            MethodsCache.standard(environment: ["HOME": "/home/li"])?.path
                == "/home/li/.cache/receptionctl/methods.json")
        #expect(MethodsCache.standard(environment: [:]) == nil)
        // A daemon over ssh has a file of its own: one host's help never shows another's tasks.
        let remote = MethodsCache.standard(
            environment: ["HOME": "/home/li"], daemon: .ssh(user: "li", host: "desk-server", port: 2222))
        #expect(remote?.path == "/home/li/.cache/receptionctl/methods-li@desk-server_2222.json")
        #expect(
            MethodsCache.standard(environment: ["HOME": "/home/li"], daemon: .socket("/run/x.sock"))?.path
                == "/home/li/.cache/receptionctl/methods.json")
    }

    @Test("the fallback notice gives the time the list was cached, month-day hour:minute")
    func notice() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        // 2026-12-05T23:04:00Z is 12-06 07:04 in Shanghai.
        let date = Date(timeIntervalSince1970: 1_796_511_840)
        #expect(
            MethodsCache.notice(savedAt: date, timeZone: zone)
                == "the daemon is not reachable; this help is from the method list cached at 12-06 07:04")
    }
}
