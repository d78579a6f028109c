import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// Handing items out through the real daemon: `parcels.pickup` on the wire, two desks racing for
/// one item, and an identity number kept out of the daemon's audit table and log. The rules (all
/// or nothing, which code failed and why, idLast4) are in `Rules/PickupRulesTests.swift`.
@Suite("parcels over the socket: handing items out", .timeLimit(.minutes(2)))
struct PickupTests {
    @Test(
        "Several codes at once: each item is collected, with who collected, the document type and its last four characters"
    )
    func pickupSeveral() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.counter(operator: "zhao.lei")
        let a = try desk.receive("parcel")
        let b = try desk.receive("letter")
        let other = try desk.receive("letter")
        let result = try desk.call(
            "parcels.pickup",
            [
                "codes": [.string(a.code), .string(b.code)], "collectedBy": "王芳", "proxy": true, "idType": "id_card",
                "idLast4": "071X",
            ])
        let items = try #require(result["items"]?.arrayValue)
        #expect(items.map(\.code) == [a.code, b.code])
        for item in items {
            #expect(item["status"] == "collected")
            #expect(item["collectedBy"] == "王芳")
            #expect(item["proxy"] == true)
            #expect(item["idType"] == "id_card")
            #expect(item["idLast4"] == "071X")
            #expect(item["handedOutBy"] == "zhao.lei")
            let collectedAt = try #require(item["collectedAt"]?.stringValue)
            #expect(collectedAt.wholeMatch(of: ParcelsDesk.isoWithOffset) != nil)
        }
        #expect(try desk.call("parcels.get", ["code": .string(a.code)])["status"] == "collected")
        #expect(try desk.pendingCodes(unit: "3-2-1201") == [other.code])
        try daemon.stop()
    }

    @Test(
        "A pickup refused because one item was already collected reaches the client as invalid_state (-32003) with the code, its index and state in error.data; nothing is handed out"
    )
    func refusedPickupCrossesTheWire() throws {
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let a = try desk.receive()
        let taken = try desk.receive()
        let taker = try desk.pickup([taken.code], by: "张伟", proxy: true)
        let takenAt = try #require(taker["items"]?.arrayValue?.first?["collectedAt"]?.stringValue)

        let collected = try #require(
            try desk.callError(
                "parcels.pickup",
                [
                    "codes": [.string(a.code), .string(taken.code)], "collectedBy": "李娜", "idType": "passport",
                    "idLast4": "4321",
                ]))
        #expect(collected.kind == .invalidState)
        #expect(collected.code == -32003)
        #expect(collected.message == "cannot hand out \(taken.code): it was collected by 张伟 at \(takenAt)")
        #expect(collected.details["code"] == .string(taken.code))
        #expect(collected.details["index"] == 1)
        #expect(collected.details["status"] == "collected")
        #expect(collected.details["collectedBy"] == "张伟")
        #expect(collected.details["collectedAt"] == .string(takenAt))
        #expect(try desk.pendingCodes(unit: "3-2-1201") == [a.code], "the held one was not handed out either")
        try daemon.stop()
    }

    @Test(
        "Two desks hand out the same item at the same moment: exactly one succeeds, the other is told it was collected")
    func concurrentPickups() throws {
        let daemon = try ParcelsDesk.start()
        let setup = try daemon.connect()
        let desks = [try daemon.counter(desk: "desk-1"), try daemon.counter(desk: "desk-2")]
        for round in 0..<5 {
            let item = try setup.receive(recipient: "住户\(round)")
            let code = item.code
            let outcomes = parallelOnThreads(2) { index in
                try desks[index].callError(
                    "parcels.pickup",
                    [
                        "codes": [.string(code)], "collectedBy": .string("desk \(index + 1) visitor"), "proxy": true,
                        "idType": "id_card",
                        "idLast4": "0000",
                    ])
            }
            let errors = try outcomes.map { try $0.get() }
            #expect(errors.filter { $0 == nil }.count == 1, "round \(round): exactly one pickup succeeds: \(errors)")
            let refusal = try #require(errors.compactMap { $0 }.first, "round \(round)")
            #expect(refusal.kind == .invalidState)
            #expect(refusal.details["code"] == .string(code))
            #expect(refusal.details["status"] == "collected")
            #expect(refusal.message.contains("collected"), "\(refusal.message)")
            let stored = try setup.call("parcels.get", ["code": .string(code)])
            #expect(stored["status"] == "collected")
        }
        try daemon.stop()
    }

    @Test(
        "Only the last four characters of an identity number are stored: a full number is refused and appears nowhere")
    func identityStaysPrivate() throws {
        let fullNumber = "11010119900307663X"
        let daemon = try ParcelsDesk.start()
        let desk = try daemon.connect()
        let item = try desk.receive()

        let full = try #require(
            try desk.callError(
                "parcels.pickup",
                [
                    "codes": [.string(item.code)], "collectedBy": "李娜", "idType": "id_card",
                    "idLast4": .string(fullNumber),
                ]))
        #expect(full.code == -32602)
        #expect(full.field == "idLast4")
        #expect(!full.message.contains(fullNumber))
        let short = try #require(
            try desk.callError(
                "parcels.pickup",
                ["codes": [.string(item.code)], "collectedBy": "李娜", "idType": "id_card", "idLast4": "63X"]))
        #expect(short.field == "idLast4")
        let masked = try #require(
            try desk.callError(
                "parcels.pickup",
                ["codes": [.string(item.code)], "collectedBy": "李娜", "idType": "id_card", "idLast4": "****"]))
        #expect(masked.field == "idLast4")
        #expect(try desk.call("parcels.get", ["code": .string(item.code)])["status"] == "held")

        try desk.pickup([item.code], last4: "663X")
        let stored = try desk.call("parcels.get", ["code": .string(item.code)])
        #expect(stored["idLast4"] == "663X")
        #expect(!stored.serialized().contains(fullNumber))
        #expect(!(try desk.call("parcels.list").serialized().contains(fullNumber)))

        // The audit keeps who tried what, without the number (the test runs as root: admin).
        let audit = try desk.call("audit.query", ["method": "parcels.pickup"])
        let records = try #require(audit["records"]?.arrayValue)
        #expect(records.count == 1, "the good pickup has an audit record")
        #expect(!audit.serialized().contains(fullNumber), "\(audit.serialized())")
        #expect(!audit.serialized().contains("07663X"))
        // The three refused ones are counted, with samples.
        let refusals = try desk.call("audit.refusals", ["method": "parcels.pickup"])
        let tallies = try #require(refusals["refusals"]?.arrayValue)
        #expect(tallies.map { $0["count"]?.intValue ?? 0 }.reduce(0, +) == 3, "\(refusals.serialized())")
        #expect(!refusals.serialized().contains(fullNumber), "\(refusals.serialized())")
        #expect(!refusals.serialized().contains("07663X"))
        try daemon.stop()
        #expect(!daemon.log.contains(fullNumber), "the daemon log must not hold the identity number")
        #expect(!daemon.log.contains("07663X"))
    }
}

/// Runs `body(0)`, ..., `body(count - 1)` each on its own thread (blocking socket I/O is fine
/// there), starting them together, and waits for all; results in index order.
func parallelOnThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<
    T, any Error
>] {
    let box = ThreadResultsBox<T>()
    let group = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        group.enter()
        Thread {
            start.wait()
            let outcome = Result { try body(index) }
            box.lock.withLock { box.results[index] = outcome }
            group.leave()
        }.start()
    }
    for _ in 0..<count { start.signal() }
    group.wait()
    return box.lock.withLock {
        (0..<count).map { box.results[$0] ?? .failure(TestDaemonError("thread \($0) left no result")) }
    }
}

/// Results filled in from several threads, guarded by `lock`.
private final class ThreadResultsBox<T: Sendable>: @unchecked Sendable {
    let lock = NSLock()
    var results: [Int: Result<T, any Error>] = [:]
}
