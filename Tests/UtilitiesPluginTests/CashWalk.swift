import Foundation
import ReceptionPluginTesting

@testable import UtilitiesPlugin

/// A random walk through the desk's work on one in-process plugin, with a model of what must be
/// true after each step: the cash movements so far (received − out to agents + back from agents
/// − paid to residents), each request's status and what is owed on it.
struct CashWalk {
    /// What the model knows of one request.
    struct Expected {
        var cash: Int64
        var utility: String
        var unit: String
        var medium: String
        var status: String
        var owed: Int64 = 0
        var batch: JSONValue = .null
    }

    /// The desk.
    let desk: PluginHarness<UtilitiesPlugin>
    /// The seed, for messages.
    let seed: UInt64
    /// Every request made, by number.
    private(set) var requests: [String: Expected] = [:]
    /// Batches still out, with their requests and cash out.
    private(set) var openBatches: [(id: JSONValue, numbers: [String], cashOut: Int64)] = []
    /// Cash movements so far, in fen.
    private(set) var received: Int64 = 0
    private(set) var outToAgents: Int64 = 0
    private(set) var backFromAgents: Int64 = 0
    private(set) var paidOut: Int64 = 0
    /// How many steps of each kind ran.
    private(set) var counts: [String: Int] = [:]
    private var random: SplitMix

    static let utilities = ["electricity", "gas", "water"]
    static let media = ["remote", "gas_card", "meter_card", "account"]

    /// A fresh desk for `seed`.
    init(seed: UInt64) throws {
        self.seed = seed
        random = SplitMix(seed: seed)
        desk = try PluginHarness(UtilitiesPlugin.self, caller: .operator("li.na"))
    }

    /// The cash the desk should hold: received − out + back − paid.
    var expectedCash: Int64 { received - outToAgents + backFromAgents - paidOut }

    /// Runs one random operation; returns what it was, for messages.
    mutating func step() throws -> String {
        desk.clock.advance(by: Double(random.below(3_600)))
        let draw = random.below(100)
        if draw < 30 || requests.isEmpty { return try request() }
        if draw < 38 { return try cancel() }
        if draw < 52 { return try batch() }
        if draw < 66 { return try returnBatch() }
        if draw < 84 { return try collect() }
        return try refused()
    }

    private mutating func count(_ kind: String) { counts[kind, default: 0] += 1 }

    private mutating func numbers(in status: String) -> [String] {
        requests.filter { $0.value.status == status }.map(\.key).sorted()
    }

    private mutating func pick<T>(_ values: [T]) -> T? {
        values.isEmpty ? nil : values[random.below(values.count)]
    }

    mutating func request() throws -> String {
        count("request")
        let utility = Self.utilities[random.below(Self.utilities.count)]
        let cash = Int64(1 + random.below(60_000))
        let medium = Self.media[random.below(Self.media.count)]
        let unit = "\(1 + random.below(9))-\(1 + random.below(3))-\(1000 + random.below(30))"
        var params: [String: JSONValue] = [
            "unit": .string(unit), "payer": "住户", "utility": .string(utility), "cash": .int(cash),
            "medium": .string(medium), "mediumRef": .string("REF-\(random.below(100_000))"),
        ]
        if random.below(2) == 0 { params["quantity"] = .string("\(1 + random.below(500))") }
        let reply = try desk.call("utilities.request", .object(params))
        let record = reply["request"]?.objectValue != nil ? reply["request"] ?? reply : reply
        guard let number = record["number"]?.stringValue else { throw WalkFailure("no number in \(reply)") }
        requests[number] = Expected(cash: cash, utility: utility, unit: unit, medium: medium, status: "at_desk")
        received += cash
        return "request \(number) \(utility) \(cash)"
    }

    mutating func cancel() throws -> String {
        guard let number = pick(numbers(in: "at_desk")) else { return try request() }
        count("cancel")
        let reply = try desk.call("utilities.cancel", ["number": .string(number)])
        let record = reply["request"]?.objectValue != nil ? reply["request"] ?? reply : reply
        let cash = requests[number]?.cash ?? 0
        guard record["paidOut"]?.intValue == cash else { throw WalkFailure("cancel \(number) paid \(record)") }
        requests[number]?.status = "cancelled"
        paidOut += cash
        return "cancel \(number)"
    }

    mutating func batch() throws -> String {
        let atDesk = numbers(in: "at_desk")
        guard !atDesk.isEmpty else { return try request() }
        count("batch")
        var params: [String: JSONValue] = ["agent": "张师傅"]
        let going: [String]
        let mode = random.below(3)
        if mode == 0 {
            going = atDesk
        } else if mode == 1, let utility = pick(atDesk.compactMap { requests[$0]?.utility }) {
            params["utility"] = .string(utility)
            going = atDesk.filter { requests[$0]?.utility == utility }
        } else {
            let size = 1 + random.below(min(atDesk.count, 8))
            var chosen = Set<String>()
            while chosen.count < size, let number = pick(atDesk) { chosen.insert(number) }
            going = chosen.sorted()
            params["numbers"] = .array(going.map { .string($0) })
        }
        let reply = try desk.call("utilities.batches.create", .object(params))
        let batch = reply["batch"]?.objectValue != nil ? reply["batch"] ?? reply : reply
        guard let id = batch["batch"] else { throw WalkFailure("no batch id in \(reply)") }
        let cashOut = going.reduce(Int64(0)) { $0 + (requests[$1]?.cash ?? 0) }
        guard batch["cashOut"]?.intValue == cashOut else {
            throw WalkFailure(
                "batch of \(going.count) requests: cashOut \(cashOut) expected, got \(batch["cashOut"] ?? .null)")
        }
        for number in going {
            requests[number]?.status = "with_agent"
            requests[number]?.batch = id
        }
        openBatches.append((id, going, cashOut))
        outToAgents += cashOut
        return "batch \(id.serialized()) of \(going.count), \(cashOut) out"
    }

    mutating func returnBatch() throws -> String {
        guard !openBatches.isEmpty else { return try batch() }
        count("return")
        let index = random.below(openBatches.count)
        let open = openBatches[index]
        var results: [JSONValue] = []
        var spent: Int64 = 0
        var outcomes: [String: (failed: Bool, spent: Int64)] = [:]
        for number in open.numbers {
            let cash = requests[number]?.cash ?? 0
            if random.below(5) == 0 {
                results.append(["number": .string(number), "outcome": "failed", "reason": "营业厅系统故障"])
                outcomes[number] = (true, 0)
            } else {
                let amount = random.below(4) == 0 ? cash : Int64(random.below(Int(cash) + 1))
                spent += amount
                results.append([
                    "number": .string(number), "outcome": "bought", "spent": .int(amount),
                    "credited": .string("\(1 + random.below(400))"),
                    "utilityReceipt": .string("R\(random.below(1_000_000))"),
                ])
                outcomes[number] = (false, amount)
            }
        }
        let cashBack = open.cashOut - spent
        _ = try desk.call(
            "utilities.batches.return", ["batch": open.id, "results": .array(results), "cashBack": .int(cashBack)])
        for number in open.numbers {
            guard let outcome = outcomes[number], let cash = requests[number]?.cash else { continue }
            requests[number]?.status = "ready"
            requests[number]?.owed = outcome.failed ? cash : cash - outcome.spent
        }
        openBatches.remove(at: index)
        backFromAgents += cashBack
        return "return \(open.id.serialized()): \(spent) spent, \(cashBack) back"
    }

    mutating func collect() throws -> String {
        guard let number = pick(numbers(in: "ready")) else { return try returnBatch() }
        count("collect")
        var params: [String: JSONValue] = ["number": .string(number), "collectedBy": "住户"]
        if random.below(4) == 0 { params["proxy"] = true }
        let reply = try desk.call("utilities.collect", .object(params))
        let owed = requests[number]?.owed ?? 0
        guard reply["handOver"]?.intValue == owed else {
            throw WalkFailure("collect \(number): handOver \(owed) expected, got \(reply["handOver"] ?? .null)")
        }
        requests[number]?.status = "collected"
        requests[number]?.owed = 0
        paidOut += owed
        return "collect \(number), \(owed) handed over"
    }

    /// An operation the plugin must refuse: the call, the error it must answer with, and a read
    /// of what it touches, which must be the same before and after.
    private struct Refusal {
        var method: String
        var params: JSONValue
        var what: String
        var kind: ErrorKind
        var field: String?
        var probe: (method: String, params: JSONValue)?
    }

    /// An operation the plugin must refuse with the right error, leaving cash on hand and what it
    /// touched as they were.
    mutating func refused() throws -> String {
        count("refused")
        var attempts: [Refusal] = []
        func request(_ number: String) -> (String, JSONValue) { ("utilities.get", ["number": .string(number)]) }
        if let number = pick(numbers(in: "with_agent")) {
            attempts.append(
                Refusal(
                    method: "utilities.cancel", params: ["number": .string(number)],
                    what: "cancel a request with the agent",
                    kind: .invalidState, probe: request(number)))
        }
        if let number = pick(numbers(in: "at_desk") + numbers(in: "collected") + numbers(in: "cancelled")) {
            attempts.append(
                Refusal(
                    method: "utilities.collect", params: ["number": .string(number), "collectedBy": "住户"],
                    what: "collect a request \(requests[number]?.status ?? "")", kind: .invalidState,
                    probe: request(number)))
        }
        if let number = pick(numbers(in: "collected") + numbers(in: "cancelled") + numbers(in: "ready")) {
            attempts.append(
                Refusal(
                    method: "utilities.cancel", params: ["number": .string(number)],
                    what: "cancel a request \(requests[number]?.status ?? "")", kind: .invalidState,
                    probe: request(number)))
        }
        if let open = pick(openBatches) {
            let batch: (String, JSONValue) = ("utilities.batches.get", ["batch": open.id])
            // Unbalanced: every request bought for nothing, cash back off by up to ¥5.00.
            let results: [JSONValue] = open.numbers.map {
                ["number": .string($0), "outcome": "bought", "spent": 0, "credited": "1", "utilityReceipt": "X"]
            }
            let off = Int64(1 + random.below(500)) * (random.below(2) == 0 ? 1 : -1)
            attempts.append(
                Refusal(
                    method: "utilities.batches.return",
                    params: ["batch": open.id, "results": .array(results), "cashBack": .int(open.cashOut + off)],
                    what: "an unbalanced return", kind: .validation, field: "cashBack", probe: batch))
            // More spent than a request's cash.
            if let first = open.numbers.first, let cash = requests[first]?.cash {
                let over: [JSONValue] = open.numbers.map {
                    let spent = $0 == first ? cash + 1 : 0
                    return [
                        "number": .string($0), "outcome": "bought", "spent": .int(spent), "credited": "1",
                        "utilityReceipt": "X",
                    ]
                }
                attempts.append(
                    Refusal(
                        method: "utilities.batches.return",
                        params: [
                            "batch": open.id, "results": .array(over),
                            "cashBack": .int(max(0, open.cashOut - cash - 1)),
                        ],
                        what: "spent more than the cash", kind: .validation, field: "results[0].spent", probe: batch))
            }
            if open.numbers.count > 1 {
                let partial: [JSONValue] = open.numbers.dropFirst().map {
                    ["number": .string($0), "outcome": "failed", "reason": "x"]
                }
                attempts.append(
                    Refusal(
                        method: "utilities.batches.return",
                        params: ["batch": open.id, "results": .array(partial), "cashBack": .int(open.cashOut)],
                        what: "a return missing a request", kind: .validation, field: "results", probe: batch))
            }
        }
        attempts.append(
            Refusal(
                method: "utilities.request",
                params: ["unit": "1-1-101", "payer": "住户", "utility": "electricity", "cash": -5, "medium": "remote"],
                what: "negative cash", kind: .validation, field: "cash"))
        attempts.append(
            Refusal(
                method: "utilities.request",
                params: ["unit": "1-1-101", "payer": "住户", "utility": "electricity", "cash": 100, "medium": "coupon"],
                what: "an unknown medium", kind: .validation, field: "medium"))
        if numbers(in: "at_desk").isEmpty {
            attempts.append(
                Refusal(
                    method: "utilities.batches.create", params: ["agent": "张师傅"],
                    what: "a batch with nothing at the desk",
                    kind: .invalidState))
        }
        guard let attempt = pick(attempts) else { return "nothing to refuse" }
        let cashBefore = try desk.call("utilities.cashOnHand")
        let probeBefore = try attempt.probe.map { try desk.call($0.method, $0.params) }
        let error = try desk.callError(attempt.method, attempt.params)
        guard error.kind == attempt.kind, attempt.field == nil || error.field == attempt.field else {
            throw WalkFailure(
                "\(attempt.what): expected \(attempt.kind.rawValue) on \(attempt.field ?? "-"), got \(error.kind.rawValue) on \(error.field ?? "-"): \(error.message)"
            )
        }
        let cashAfter = try desk.call("utilities.cashOnHand")
        guard cashAfter == cashBefore else {
            throw WalkFailure("refused \(attempt.what) changed cash on hand: \(cashBefore) → \(cashAfter)")
        }
        let probeAfter = try attempt.probe.map { try desk.call($0.method, $0.params) }
        guard probeAfter == probeBefore else {
            throw WalkFailure("refused \(attempt.what) changed \(probeBefore ?? .null) → \(probeAfter ?? .null)")
        }
        return "refused: \(attempt.what) (\(error.kind.rawValue))"
    }

    /// What is wrong now: cash on hand against the movements and the model, the cards against
    /// the statuses. Empty when all is well.
    func check() throws -> [String] {
        var problems: [String] = []
        let onHand = try desk.call("utilities.cashOnHand")
        let cash = onHand["cash"]?.intValue
        let atDesk = onHand["atDesk"]?.intValue
        let owed = onHand["owed"]?.intValue
        if cash != expectedCash {
            problems.append(
                "cash \(cash.map(String.init) ?? "missing") ≠ received \(received) − out \(outToAgents) + back \(backFromAgents) − paid \(paidOut) = \(expectedCash)"
            )
        }
        let modelAtDesk = requests.values.filter { $0.status == "at_desk" }.reduce(Int64(0)) { $0 + $1.cash }
        let modelOwed = requests.values.reduce(Int64(0)) { $0 + $1.owed }
        if atDesk != modelAtDesk { problems.append("atDesk \(atDesk ?? -1) ≠ \(modelAtDesk)") }
        if owed != modelOwed { problems.append("owed \(owed ?? -1) ≠ \(modelOwed)") }
        if let atDesk, let owed, let cash, atDesk + owed != cash { problems.append("atDesk + owed ≠ cash") }
        var cards: [String: JSONValue] = [:]
        for card in onHand["cards"]?.arrayValue ?? [] {
            if let number = card["number"]?.stringValue { cards[number] = card }
        }
        // Cards in the drawer: requests at the desk or back, except credit bought onto an account.
        let held = Set(
            requests.filter { ["at_desk", "ready"].contains($0.value.status) && $0.value.medium != "account" }.map(
                \.key))
        if Set(cards.keys) != held {
            problems.append(
                "cards at the desk \(cards.keys.sorted()) ≠ requests at_desk or ready with a card \(held.sorted())")
        }
        for (number, card) in cards {
            guard let expected = requests[number] else { continue }
            if card["status"]?.stringValue != expected.status {
                problems.append("card \(number): status \(card["status"] ?? .null), request is \(expected.status)")
            }
            if card["unit"]?.stringValue != expected.unit || card["medium"]?.stringValue != expected.medium
                || card["utility"]?.stringValue != expected.utility
            {
                problems.append("card \(number): \(card) is not the request's unit, utility and medium")
            }
        }
        return problems
    }

    /// Every request in the register against the model: status, owed, batch.
    func checkRegister() throws -> [String] {
        var problems: [String] = []
        for (number, expected) in requests {
            let reply = try desk.call("utilities.get", ["number": .string(number)])
            let record = reply["request"]?.objectValue != nil ? reply["request"] ?? reply : reply
            if record["status"]?.stringValue != expected.status {
                problems.append("\(number): status \(record["status"] ?? .null), expected \(expected.status)")
            }
            if record["owed"]?.intValue != expected.owed {
                problems.append("\(number): owed \(record["owed"] ?? .null), expected \(expected.owed)")
            }
            if expected.batch != .null, record["batch"] != expected.batch {
                problems.append("\(number): batch \(record["batch"] ?? .null), expected \(expected.batch)")
            }
        }
        return problems
    }
}

/// A failure of the walk itself (a reply that is not what the operation promises).
struct WalkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension SplitMix {
    /// A number in `0..<bound` (0 when `bound` is not positive); the same seed draws the same numbers.
    mutating func below(_ bound: Int) -> Int {
        bound > 0 ? Int(next() % UInt64(bound)) : 0
    }
}
