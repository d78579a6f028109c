import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Keys left for visitors through the real daemon with two plugins loaded: the visitors plugin
/// calls the access plugin's `access.keys.register` and `access.keys.checkout` inside its own call
/// (the SDK's `context.call`), so the key sits on the access key register, and goes out to the
/// named visitor only. Without the access plugin both methods are `unavailable` and store nothing.
@Suite("visitors: keys left for visitors over the socket", .timeLimit(.minutes(2)))
struct KeysOverSocketTests {
    /// 陈明 of 3-2-1201 leaves key K-1201 on hook A-12 for 王芳 (passport E12345678).
    static let deposit: JSONValue = [
        "hostUnit": "3-2-1201", "hostName": "陈明", "name": "王芳", "tag": "K-1201", "hook": "A-12",
        "authorisationRef": "SQ-2026-031", "idType": "passport", "idNumber": "E12345678",
    ]

    /// `visitors.keys.handOver` params of `deposit` to `name` showing `idType` `idNumber`, who
    /// leaves a ¥50 key deposit (the access plugin takes one from every external borrower, at least
    /// its `key_deposit_minimum`); `keyDeposit: nil` leaves none.
    static func handOver(
        _ deposit: String, name: String = "王芳", idType: String = "passport", idNumber: String = "E12345678",
        signed: Bool = true, keyDeposit: Int64? = 5000
    ) -> JSONValue {
        var params: [String: JSONValue] = [
            "deposit": .string(deposit), "name": .string(name), "idType": .string(idType),
            "idNumber": .string(idNumber), "visitorSigned": .bool(signed),
        ]
        if let keyDeposit { params["keyDeposit"] = .int(keyDeposit) }
        return .object(params)
    }

    @Test(
        "With the access plugin: the key lands on its register (owner_deposited), the wrong person is refused and the key stays in, the named visitor signs and it is out to her"
    )
    func depositAndHandOver() throws {
        let zone = VisitorsDesk.zone()
        let daemon = try VisitorsDesk.start(plugins: VisitorsDesk.withAccess, zone: zone)
        let watcher = try daemon.connect()
        try watcher.subscribe(["visitors", "access"])
        let desk = try daemon.counter()

        let deposited = try desk.call("visitors.keys.deposit", Self.deposit)
        let id = try #require(deposited["deposit"]?.stringValue, "\(deposited)")
        #expect(id.contains(#/^KD\d{8}-\d{4}$/#), "\(id)")
        #expect(deposited["status"] == "held" && deposited["tag"] == "K-1201" && deposited["hook"] == "A-12")
        #expect(deposited["name"] == "王芳" && deposited["idType"] == "passport" && deposited["idLast4"] == "5678")
        #expect(deposited["authorisationRef"] == "SQ-2026-031" && deposited["depositedBy"] == "li.na", "\(deposited)")

        // On the access plugin's key register, in the cabinet.
        let register = try desk.call("access.keys.list", ["category": "owner_deposited"])["keys"]?.arrayValue ?? []
        let key = try #require(register.first { $0["tag"] == "K-1201" }, "\(register)")
        #expect(key["category"] == "owner_deposited" && key["status"] == "in" && key["hook"] == "A-12", "\(key)")
        #expect(key["unit"] == "3-2-1201", "\(key)")

        // 赵强 says he is collecting for her: refused. 王芳 with another passport: refused too.
        expectViolation(
            try desk.callError("visitors.keys.handOver", Self.handOver(id, name: "赵强")), field: "name",
            rule: "wrong_person")
        expectViolation(
            try desk.callError("visitors.keys.handOver", Self.handOver(id, idNumber: "E99990000")), field: "idNumber",
            rule: "wrong_person")
        expectViolation(
            try desk.callError("visitors.keys.handOver", Self.handOver(id, signed: false)), field: "visitorSigned",
            rule: "visitor_signature_required")
        // The access plugin takes a deposit from every external borrower; the error names this call's param.
        expectViolation(
            try desk.callError("visitors.keys.handOver", Self.handOver(id, keyDeposit: nil)), field: "keyDeposit",
            rule: "key_deposit_required")
        let stillIn = try desk.call("access.keys.list", ["status": "in"])["keys"]?.arrayValue ?? []
        #expect(stillIn.contains { $0["tag"] == "K-1201" }, "the key stays in the cabinet: \(stillIn)")

        // 王芳 herself, her passport checked, signs: the key is out to her on the register.
        let handed = try desk.call("visitors.keys.handOver", Self.handOver(id))
        #expect(handed["status"] == "handed_over" && handed["visitorSigned"] == true, "\(handed)")
        #expect(handed["handoverIdType"] == "passport" && handed["handoverIdLast4"] == "5678", "\(handed)")
        #expect(handed["handedOverBy"] == "li.na" && handed["handedOverAt"]?.stringValue != nil, "\(handed)")
        let out = try desk.call("access.keys.list", ["status": "out"])["keys"]?.arrayValue ?? []
        let lent = try #require(out.first { $0["tag"] == "K-1201" }, "\(out)")
        #expect(lent["borrower"] == "王芳" && lent["borrowerType"] == "external", "\(lent)")
        #expect(lent["authorisationRef"] == "SQ-2026-031" && lent["idLast4"] == "5678", "\(lent)")
        #expect(lent["deposit"] == 5000, "\(lent)")
        #expect(
            lent["dueBack"]?.stringValue.flatMap(Timestamp.parse) == zone.today(minutes: 23 * 60),
            "due back by tonight's curfew: \(lent)")
        let twice = try desk.callError("visitors.keys.handOver", Self.handOver(id))
        #expect(twice?.kind == .invalidState, "\(String(describing: twice))")
        // The register refuses a tag it holds already, and the visitors call with it: one error,
        // nothing half-stored.
        let sameTag = try desk.callError("visitors.keys.deposit", Self.deposit)
        #expect(sameTag?.kind == .conflict, "\(String(describing: sameTag))")

        // The events of both departments, each change once, signed by the desk.
        let events = try watcher.drainEvents()
        let topics = events.compactMap { $0["topic"]?.stringValue }
        #expect(
            topics.sorted() == [
                "access.key.out", "access.key.registered", "visitors.key.deposited", "visitors.key.handedOver",
            ],
            "\(topics)")
        #expect(events.allSatisfy { $0["operator"] == "li.na" && $0["workstation"] == "desk-1" }, "\(events)")
        // The full number is in no event, audit record or log line.
        let records = try desk.call("audit.query", [:])["records"]?.arrayValue ?? []
        #expect(records.contains { $0["method"] == "visitors.keys.handOver" }, "\(records)")
        try daemon.stop()
        for (place, text) in [
            ("events", events.map { $0.serialized() }.joined()), ("audit", records.map { $0.serialized() }.joined()),
            ("log", daemon.log), ("register", (register + out).map { $0.serialized() }.joined()),
        ] {
            #expect(!text.contains("E12345678") && !text.contains("E99990000"), "\(place) holds a full number: \(text)")
        }
    }

    @Test(
        "Without the access plugin, deposit and hand-over are unavailable and say why; nothing was stored, so with it back the key is handed over"
    )
    func withoutAccess() throws {
        let zone = VisitorsDesk.zone()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rd-vk-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        func daemon(_ plugins: [String: TestDaemon.PluginFile]) throws -> TestDaemon {
            let daemon = try TestDaemon(
                config: VisitorsDesk.config(zone: zone), plugins: plugins, arguments: ["--state-dir", state.path])
            try daemon.start()
            return daemon
        }

        // A key deposited while the access plugin was loaded.
        let first = try daemon(VisitorsDesk.withAccess)
        let id = try #require(
            try first.counter().call("visitors.keys.deposit", Self.deposit)["deposit"]?.stringValue)
        #expect(try first.stop() == 0)

        // The access plugin removed: both methods refuse, naming it.
        let second = try daemon(VisitorsDesk.visitorsOnly)
        let desk = try second.counter()
        var other = Self.deposit.objectValue ?? [:]
        other["tag"] = "K-0502"
        other["hostUnit"] = "5-1-302"
        let deposit = try desk.callError("visitors.keys.deposit", .object(other))
        #expect(deposit?.kind == .unavailable, "\(String(describing: deposit))")
        #expect(deposit?.details["plugin"] == "access", "\(String(describing: deposit))")
        #expect(
            deposit?.message.contains("access plugin is not loaded") == true
                && deposit?.message.contains("key register") == true,
            "says why: \(String(describing: deposit))")
        let handOver = try desk.callError("visitors.keys.handOver", Self.handOver(id))
        #expect(
            handOver?.kind == .unavailable && handOver?.details["plugin"] == "access", "\(String(describing: handOver))"
        )
        #expect(try second.stop() == 0)

        // With it back: the first key is still held and goes to 王芳; the refused deposit used no number.
        let third = try daemon(VisitorsDesk.withAccess)
        let back = try third.counter()
        let handed = try back.call("visitors.keys.handOver", Self.handOver(id))
        #expect(handed["status"] == "handed_over", "\(handed)")
        let next = try #require(try back.call("visitors.keys.deposit", .object(other))["deposit"]?.stringValue)
        #expect(next.hasSuffix("-0002") && id.hasSuffix("-0001"), "\(id), then \(next)")
        let keys = try back.call("access.keys.list", [:])["keys"]?.arrayValue ?? []
        #expect(keys.compactMap { $0["tag"]?.stringValue }.sorted() == ["K-0502", "K-1201"], "\(keys)")
        #expect(try third.stop() == 0)
    }
}
