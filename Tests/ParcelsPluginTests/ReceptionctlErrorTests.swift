import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Errors from the real `receptionctl` against a parcels daemon: for people, the options they
/// typed and items counted from 1; for scripts (`--json`), the daemon's error object on stderr.
@Suite("receptionctl errors at the counter: options for people, error objects for scripts", .timeLimit(.minutes(2)))
struct ReceptionctlErrorTests {
    static let receptionctl = TestDaemon.productsDirectory + "/receptionctl"

    static func ctl(_ daemon: TestDaemon, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(receptionctl, ["--socket", daemon.socketPath, "--operator", "li.na"] + arguments)
    }

    /// Standard error that must be exactly one line: that line.
    static func singleLine(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 2, lines[1].isEmpty else { return nil }
        return String(lines[0])
    }

    static let sf = ["--kind", "express", "--recipient", "李娜", "--unit", "3-2-1201", "--carrier", "SF"]

    @Test(
        "With --json, a double scan's refusal is the daemon's error object on one stderr line, exit 1, so a script reads the held item's code"
    )
    func jsonErrorIsTheDaemonsErrorObject() throws {
        let daemon = try ParcelsDesk.start()
        let first = try Self.ctl(daemon, ["--json", "parcels", "receive"] + Self.sf + ["--tracking", "SF100200300"])
        #expect(first.status == 0, "\(first)")
        let held = try JSONValue.parse(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))

        // --json after the words works the same as before them.
        for arguments in [
            ["--json", "parcels", "receive"] + Self.sf + ["--tracking", "SF100200300"],
            ["parcels", "receive"] + Self.sf + ["--tracking", "SF100200300", "--json"],
        ] {
            let again = try Self.ctl(daemon, arguments)
            #expect(again.status == 1, "\(again)")
            #expect(again.stdout.isEmpty, "\(again)")
            let line = try #require(Self.singleLine(again.stderr), "one line: \(again.stderr.debugDescription)")
            let error = try JSONValue.parse(line)
            #expect(error["code"] == -32002)
            #expect(error["data"]?["kind"] == "conflict")
            #expect(error["data"]?["field"] == "tracking")
            #expect(error["data"]?["code"] == held["code"], "the held item's code: \(line)")
            #expect(error["message"]?.stringValue?.contains("tracking") == false, "the daemon's own words: \(line)")

            // Exactly the `error` member the daemon writes for the same request.
            let raw = try daemon.connect()
            try raw.send(
                line: requestLine(
                    id: 7, "parcels.receive",
                    [
                        "kind": "express", "recipient": "李娜", "unit": "3-2-1201", "carrier": "SF",
                        "tracking": "SF100200300",
                    ]))
            let response = try #require(try raw.readLine())
            #expect(response.contains(#""error":"# + line), "\(response)\nvs\n\(line)")
        }
        #expect(try daemon.stop() == 0)
    }

    @Test("For people, a rule about the damage note names --damage-note; --json keeps the daemon's damageNote")
    func humanErrorNamesTheOption() throws {
        let daemon = try ParcelsDesk.start()
        let arguments = ["parcels", "receive", "--kind", "parcel", "--recipient", "王芳", "--unit", "3-2-1202"]
        let human = try Self.ctl(daemon, arguments + ["--condition", "damaged"])
        #expect(human.status == 1, "\(human)")
        #expect(
            human.stderr == "error: --damage-note is required when condition is damaged [validation]\n",
            "\(human.stderr)")

        let script = try Self.ctl(daemon, ["--json"] + arguments + ["--condition", "damaged"])
        #expect(script.status == 1, "\(script)")
        let error = try JSONValue.parse(try #require(Self.singleLine(script.stderr)))
        #expect(error["message"] == "damageNote is required when condition is damaged")
        #expect(error["data"]?["field"] == "damageNote")

        // The wire name typed as an option is the name shown back.
        let camel = try Self.ctl(daemon, arguments + ["--condition", "intact", "--damageNote", "dented"])
        #expect(camel.status == 1, "\(camel)")
        #expect(camel.stderr.hasPrefix("error: --damageNote is only for damaged items"), "\(camel.stderr)")

        // A pickup's idLast4 is --id-last4 to the clerk.
        let code = try daemon.connect().receive()["code"]?.stringValue ?? ""
        let pickup = try Self.ctl(
            daemon, ["parcels", "pickup", code, "--by", "李娜", "--id-type", "id_card", "--id-last4", "07-X"])
        #expect(pickup.status == 1, "\(pickup)")
        #expect(pickup.stderr.hasPrefix("error: --id-last4 must be exactly"), "\(pickup.stderr)")
        #expect(!pickup.stderr.contains("idLast4"), "\(pickup.stderr)")
        #expect(try daemon.stop() == 0)
    }

    @Test("Batch items are counted from 1 for people (item 3: --damage-note), from 0 on the wire")
    func batchItemsCountFromOne() throws {
        let daemon = try ParcelsDesk.start()
        let letter = #"{"kind":"letter","recipient":"张伟","unit":"1-1-101"}"#
        let damaged = #"{"kind":"parcel","recipient":"张伟","unit":"1-1-101","condition":"damaged"}"#
        let arguments = ["parcels", "receiveBatch", "--items", letter, "--items", letter, "--items", damaged]
        let human = try Self.ctl(daemon, arguments)
        #expect(human.status == 1, "\(human)")
        #expect(
            human.stderr == "error: item 3: --damage-note is required when condition is damaged [validation]\n",
            "\(human.stderr)")
        let script = try Self.ctl(daemon, ["--json"] + arguments)
        let error = try JSONValue.parse(try #require(Self.singleLine(script.stderr)))
        #expect(error["data"]?["field"] == "items[2].damageNote")

        let scanned = #"{"kind":"express","recipient":"张伟","unit":"1-1-101","carrier":"SF","tracking":"SF7"}"#
        let twice = try Self.ctl(
            daemon, ["parcels", "receiveBatch", "--items", letter, "--items", scanned, "--items", scanned])
        #expect(twice.status == 1, "\(twice)")
        #expect(
            twice.stderr.hasPrefix(
                "error: item 3, --tracking: SF SF7 is listed twice in this batch: item 2 and item 3"),
            "\(twice.stderr)")
        #expect(try daemon.connect().call("parcels.list")["items"] == [], "all or nothing: nothing was signed for")
        #expect(try daemon.stop() == 0)
    }

    @Test("A misspelled option is answered with the closest ones, in words and under --json, exit 2")
    func misspelledOptionSuggestsCloseOnes() throws {
        let daemon = try ParcelsDesk.start()
        let arguments = [
            "parcels", "receive", "--kind", "parcel", "--recipient", "王芳", "--unit", "3-2-1202", "--damage-nte", "x",
        ]
        let human = try Self.ctl(daemon, arguments)
        #expect(human.status == 2, "\(human)")
        #expect(
            human.stderr.hasPrefix(
                "error: unknown option --damage-nte for parcels.receive; did you mean --damage-note?"),
            "\(human.stderr)")
        #expect(human.stderr.contains("takes these options"), "the list follows for people: \(human.stderr)")

        let script = try Self.ctl(daemon, ["--json"] + arguments)
        #expect(script.status == 2, "\(script)")
        let error = try JSONValue.parse(try #require(Self.singleLine(script.stderr)))
        #expect(error["code"] == nil, "receptionctl's own errors carry no JSON-RPC code")
        #expect(error["data"]?["kind"] == "usage")
        #expect(error["data"]?["option"] == "--damage-nte")
        #expect(error["data"]?["suggestions"] == ["--damage-note"])

        // receptionctl's own options are suggested too.
        let global = try Self.ctl(daemon, ["parcels", "pending", "--unit", "3-2-1201", "--jsn"])
        #expect(global.status == 2, "\(global)")
        #expect(global.stderr.contains("did you mean --json?"), "\(global.stderr)")
        #expect(try daemon.connect().call("parcels.list")["items"] == [], "nothing was signed for")
        #expect(try daemon.stop() == 0)
    }
}
