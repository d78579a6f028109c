import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Identity numbers over the socket (issue 15): the desk reads a visitor's full document number
/// and keeps its type and last four characters only. No reply (to the admin at the desk or to an
/// operator through receptionctl), error, event, `audit.query` record, `audit.refusals` sample
/// or line of the daemon's log (at debug level) holds a full number.
@Suite("visitors: document numbers over the socket", .timeLimit(.minutes(2)))
struct DocumentPrivacyTests {
    /// Numbers that appear nowhere else, as typed.
    static let numbers = [
        "G12349876", "E55667788", "11010119900307123x", "H87654321", "440304199001017788", "P77665544",
        "W11223344", "R99001122",
    ]

    /// The full number `text` holds (in any letter case), if any.
    static func leak(_ text: String) -> String? {
        let lower = text.lowercased()
        return numbers.first { lower.contains($0.lowercased()) }
    }

    @Test(
        "Announcement, arrivals, a night and refusals: replies, errors, events, audit and the daemon log carry the last four only"
    )
    func nowhereInFull() throws {
        let zone = VisitorsDesk.zone()
        let daemon = try VisitorsDesk.start(zone: zone)
        let watcher = try daemon.connect()
        try watcher.subscribe(["visitors"])
        let desk = try daemon.counter()
        var texts: [(String, String)] = []
        func keep(_ place: String, _ value: JSONValue) { texts.append((place, value.serialized())) }
        func keepError(_ place: String, _ error: RPCError?) {
            #expect(error != nil, "\(place) was refused")
            if let error { texts.append((place, error.jsonValue.serialized())) }
        }

        // 陈明 announces 王芳 with her passport filled in; she arrives with it.
        let announcement = try desk.call(
            "visitors.expect",
            [
                "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳",
                "from": .string(Timestamp.format(Date().addingTimeInterval(-3600), timeZone: zone.timeZone)),
                "to": .string(Timestamp.format(Date().addingTimeInterval(7200), timeZone: zone.timeZone)),
                "homeDuringVisit": true, "idType": "passport", "idNumber": "G12349876",
            ])
        keep("expect", announcement)
        #expect(announcement["idLast4"] == "9876" && announcement["idNumber"] == nil, "\(announcement)")
        let expected = try #require(announcement["expected"])
        // The wrong passport against the announcement is refused, without quoting either number.
        keepError(
            "register mismatch",
            try desk.callError(
                "visitors.register",
                VisitorsDesk.arrival(
                    "王芳", idType: "passport", idNumber: "E55667788", hostUnit: "3-2-1201", hostName: "陈明",
                    extra: ["expected": expected])))
        let arrival = try desk.register(
            VisitorsDesk.arrival(
                "王芳", idType: "passport", idNumber: "G12349876", hostUnit: "3-2-1201", hostName: "陈明",
                extra: ["expected": expected]))
        keep("register", arrival)
        #expect(arrival["expected"] == expected && arrival["idLast4"] == "9876", "\(arrival)")
        let visit = try #require(arrival["visit"]?.stringValue)
        keep("contact", try desk.contact(visit, "intercom", "accepted", door: "host_opened"))
        // Typed in lower case; kept as the last four, upper-cased.
        let second = try desk.register(
            VisitorsDesk.arrival(
                "赵强", idType: "id_card", idNumber: "11010119900307123x", hostUnit: "5-1-302", hostName: "周杰"))
        keep("register", second)
        #expect(second["idLast4"] == "123X", "\(second)")
        // The schema refuses an unknown param, and the rules an unknown document type.
        keepError(
            "register unknown param",
            try desk.callError(
                "visitors.register",
                VisitorsDesk.arrival(
                    "孙丽", idType: "passport", idNumber: "W11223344", hostUnit: "3-2-1201", hostName: "陈明",
                    extra: ["bogus": 1])))
        keepError(
            "register unknown type",
            try desk.callError(
                "visitors.register",
                VisitorsDesk.arrival(
                    "孙丽", idType: "library_card", idNumber: "W11223344", hostUnit: "3-2-1201", hostName: "陈明")))
        // The night: a driving licence refused, then her Home Return Permit.
        keepError(
            "overnight licence",
            try desk.callError(
                "visitors.overnight",
                [
                    "visit": .string(visit), "idType": "driving_licence", "idNumber": "440304199001017788", "nights": 1,
                    "hostSigned": true,
                ]))
        let night = try desk.call(
            "visitors.overnight",
            [
                "visit": .string(visit), "idType": "home_return_permit", "idNumber": "H87654321", "nights": 1,
                "hostSigned": true,
            ])
        keep("overnight", night)
        #expect(night["nightIdLast4"] == "4321", "\(night)")
        keep("onSite", try desk.call("visitors.onSite"))
        keep("overnightList", try desk.call("visitors.overnightList", ["date": .string(zone.day(0))]))

        // Events, the audit's records and its refusal samples.
        let events = try watcher.drainEvents()
        #expect(
            events.compactMap { $0["topic"]?.stringValue } == [
                "visitors.expected", "visitors.registered", "visitors.admitted", "visitors.registered",
                "visitors.overnight",
            ])
        texts += events.map { ("event \($0["topic"]?.stringValue ?? "")", $0.serialized()) }
        let records = try desk.call("audit.query", ["method": "visitors."])["records"]?.arrayValue ?? []
        texts += records.map { ("audit \($0["method"]?.stringValue ?? "")", $0.serialized()) }
        let registers = records.filter { $0["method"] == "visitors.register" }
        #expect(registers.count >= 2, "\(records)")
        #expect(
            registers.allSatisfy { $0["params"]?["idNumber"]?.stringValue?.hasPrefix("****") == true },
            "the audit keeps **** and the last four: \(registers)")
        #expect(
            registers.contains { $0["params"]?["idNumber"]?.stringValue?.lowercased() == "****123x" }, "\(registers)")
        let refusals = try desk.call("audit.refusals", ["method": "visitors."])
        keep("audit.refusals", refusals)
        #expect((refusals["refusals"]?.arrayValue ?? []).count >= 2, "\(refusals)")

        try daemon.stop()
        let log = daemon.log
        #expect(log.contains("visitors.register"), "the log (debug) has the requests")
        #expect(log.contains("****9876"), "the plugin's own lines name the last four")
        texts.append(("daemon log", log))

        for (place, text) in texts {
            #expect(Self.leak(text) == nil, "\(place) holds \(Self.leak(text) ?? ""): \(text)")
        }
    }

    @Test(
        "An operator (uid 65534) registering and listing through receptionctl sees the last four only, in tables, JSON and errors",
        .enabled(if: OtherUser.skipReason == nil, "needs root and setpriv to run receptionctl as uid 65534"))
    func operatorReplies() throws {
        let zone = VisitorsDesk.zone()
        let daemon = try VisitorsDesk.start(zone: zone)
        #expect(OtherUser.openUp(daemon))
        let asOperator = ["--workstation", "desk-2", "--operator", "wang.fang"]
        let hello = try OtherUser.receptionctl(daemon, asOperator + ["--json", "call", "daemon.hello", "{}"])
        #expect(try JSONValue.parse(hello.stdout)["role"] == "operator", "\(hello)")
        var outputs: [(String, String)] = []
        func run(_ arguments: [String], status: Int32 = 0) throws -> CommandResult {
            let result = try OtherUser.receptionctl(daemon, asOperator + arguments)
            #expect(result.status == status, "\(arguments): \(result)")
            outputs.append((arguments.joined(separator: " "), result.stdout + result.stderr))
            return result
        }
        let registered = try JSONValue.parse(
            try run([
                "--json", "visitors", "register", "--name", "刘洋", "--id-type", "passport", "--id-number", "P77665544",
                "--host-unit", "7-3-1501", "--host-name", "韩梅",
            ]).stdout)
        #expect(registered["idLast4"] == "5544" && registered["registeredBy"] == "wang.fang", "\(registered)")
        let visit = try #require(registered["visit"]?.stringValue)
        _ = try run([
            "visitors", "contact", visit, "--channel", "intercom", "--result", "accepted", "--door-opened-by",
            "host_opened",
        ])
        _ = try run([
            "visitors", "register", "--name", "刘洋", "--id-type", "passport", "--id-number", "R99001122", "--host-unit",
            "7-3-1501", "--host-name", "韩梅",
        ])
        // Refused: an unknown document type, and a night on a driving licence.
        _ = try run(
            [
                "visitors", "register", "--name", "刘洋", "--id-type", "library_card", "--id-number", "W11223344",
                "--host-unit", "7-3-1501", "--host-name", "韩梅",
            ], status: 1)
        _ = try run(
            [
                "--json", "visitors", "overnight", visit, "--id-type", "driving_licence", "--id-number",
                "440304199001017788", "--nights", "1", "--host-signed",
            ], status: 1)
        _ = try run([
            "visitors", "overnight", visit, "--id-type", "passport", "--id-number", "P77665544", "--nights", "1",
            "--host-signed",
        ])
        _ = try run(["visitors", "on-site"])
        _ = try run(["--json", "visitors", "on-site"])
        _ = try run(["visitors", "overnight-list", zone.day(0)])
        #expect(outputs.contains { $0.1.contains("5544") }, "the last four are shown")
        for (command, output) in outputs {
            #expect(Self.leak(output) == nil, "an operator saw \(Self.leak(output) ?? "") (\(command)): \(output)")
        }
        try daemon.stop()
        #expect(Self.leak(daemon.log) == nil, "the daemon log holds \(Self.leak(daemon.log) ?? "")")
    }
}
