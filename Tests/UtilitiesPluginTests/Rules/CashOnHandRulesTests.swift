import Foundation
import ReceptionPluginTesting
import Testing

@testable import UtilitiesPlugin

/// `utilities.cashOnHand`: what the desk must physically hold at a shift handover. `cash` is
/// `atDesk` + `owed`, and it always equals every cash movement summed, to the fen.
@Suite("utilities rules: cash on hand")
struct CashOnHandRulesTests {
    @Test("cashOnHand = atDesk + owed, and lists the cards in the drawer (not those with the agent, not accounts)")
    func cashAndCards() throws {
        let desk = try UtilitiesHarness.utilities()
        let waiting = try desk.request("3-2-1201", cash: 20_000)
        try desk.request("3-2-1202", cash: 7_000, utility: "gas", medium: "account")
        let out = try desk.request("5-1-0302", cash: 10_000, utility: "gas", medium: "gas_card")
        try desk.handOver(["numbers": [out["number"] ?? .null]])
        try desk.call(
            "utilities.batches.return",
            ["batch": 1, "results": [bought(out["number"], spent: 9_000)], "cashBack": 1_000])
        try desk.request("6-1-0101", cash: 4_000, utility: "water", medium: "meter_card")
        try desk.handOver(["utility": "water"])

        let cash = try desk.cashOnHand()
        #expect(cash["atDesk"] == 27_000)
        #expect(cash["owed"] == 1_000)
        #expect(cash["cash"] == 28_000)
        let cards = try #require(cash["cards"]?.arrayValue)
        #expect(cards.map { $0["number"] } == [waiting["number"], out["number"]])
        #expect(cards[1]["medium"] == "gas_card")
        #expect(cards[1]["status"] == "ready")
        #expect(cards[0]["mediumRef"] == "E-0001")
        #expect(cards[0]["unit"] == "3-2-1201")
    }

    @Test(
        "a long random sequence of requests, cancels, batches, returns and collections: cashOnHand always equals the cash movements summed",
        arguments: [1, 2, 3])
    func randomSequencesBalance(seed: UInt64) throws {
        let desk = try UtilitiesHarness.utilities()
        var random = SplitMix(seed: seed)
        var movements: Int64 = 0  // taken from residents + back from the agent − out to the agent − paid back
        var done: [String: Int] = [:]  // how often each operation succeeded, so the sequence is known to be long and mixed
        for step in 0..<400 {
            let open = try desk.call("utilities.list", ["limit": 500])["requests"]?.arrayValue ?? []
            switch random.next() % 10 {
            case 0...3:
                let cash = Int64(random.next() % 50_000) + 1
                try desk.request("3-2-\(1200 + random.next() % 20)", cash: cash)
                movements += cash
                done["request", default: 0] += 1
            case 4:
                if let request = open.first(where: { $0["status"] == "at_desk" }) {
                    let reply = try desk.call("utilities.cancel", ["number": request["number"] ?? .null])
                    movements -= reply["paidOut"]?.intValue ?? 0
                    done["cancel", default: 0] += 1
                }
            case 5:
                if open.contains(where: { $0["status"] == "at_desk" }) {
                    let batch = try desk.handOver()
                    movements -= batch["cashOut"]?.intValue ?? 0
                    done["batch", default: 0] += 1
                }
            case 6, 7:
                let batches = try desk.call("utilities.batches.list", ["status": "out"])["batches"]?.arrayValue ?? []
                if let batch = batches.first {
                    var results: [JSONValue] = []
                    var spent: Int64 = 0
                    for request in batch["requests"]?.arrayValue ?? [] {
                        let cash = request["cash"]?.intValue ?? 0
                        if random.next() % 5 == 0 {
                            results.append(failed(request["number"]))
                        } else {
                            let cost = Int64(random.next() % UInt64(cash + 1))
                            spent += cost
                            results.append(bought(request["number"], spent: cost))
                        }
                    }
                    let cashBack = (batch["cashOut"]?.intValue ?? 0) - spent
                    if random.next() % 4 == 0 {
                        // The agent miscounts: refused, and nothing moves.
                        let wrong = try desk.callError(
                            "utilities.batches.return",
                            [
                                "batch": batch["batch"] ?? .null, "results": .array(results),
                                "cashBack": .int(cashBack + 1),
                            ])
                        #expect(wrong.rule == "unbalanced")
                        done["unbalanced", default: 0] += 1
                    } else {
                        try desk.call(
                            "utilities.batches.return",
                            ["batch": batch["batch"] ?? .null, "results": .array(results), "cashBack": .int(cashBack)])
                        movements += cashBack
                        done["return", default: 0] += 1
                    }
                }
            default:
                if let request = open.first(where: { $0["status"] == "ready" }) {
                    let reply = try desk.call(
                        "utilities.collect", ["number": request["number"] ?? .null, "collectedBy": "王芳"])
                    movements -= reply["handOver"]?.intValue ?? 0
                    done["collect", default: 0] += 1
                }
            }
            let cash = try desk.cashOnHand()
            #expect(cash["cash"]?.intValue == movements, "step \(step)")
            #expect((cash["atDesk"]?.intValue ?? 0) + (cash["owed"]?.intValue ?? 0) == cash["cash"]?.intValue)
            if cash["cash"]?.intValue != movements { return }
            desk.clock.advance(by: 3_600)
        }
        for operation in ["request", "cancel", "batch", "unbalanced", "return", "collect"] {
            #expect(done[operation, default: 0] >= 5, "\(operation) ran \(done[operation, default: 0]) times")
        }
    }
}

/// A small seeded generator, so a failing sequence can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
