import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `reception-bench seed` on a utilities daemon: the year of requests it writes is a register the
/// plugin serves as its own, and the `cash-on-hand` workload drives it.
@Suite("reception-bench self-test: utilities", .timeLimit(.minutes(5)))
struct BenchUtilitiesTests {
    @Test(
        "a seeded year of requests balances: cashOnHand is the cash at the desk plus what is owed, and the desk numbers on"
    )
    func seededRegister() throws {
        let daemon = try TestDaemon(plugins: ["utilities": .product("libreceptiond-utilities.so")])
        let seeded = try BenchSelfTests.bench([
            "seed", "--state-dir", daemon.stateDirectory, "--plugin-dir", daemon.pluginDirectory, "--units", "200",
            "--utility-requests", "3000",
        ])
        #expect(seeded.status == 0, "\(seeded)")
        #expect(seeded.stdout.contains("utilities: 3,000 requests ("), "\(seeded)")
        #expect(!seeded.stdout.contains("parcels:"), "only the plugins in the daemon's directory are seeded: \(seeded)")
        try daemon.start()
        let desk = try daemon.counter()

        // Every status of the lifecycle is there, in plausible shares, and every batch but the last is back.
        var byStatus: [String: [JSONValue]] = [:]
        for status in ["at_desk", "with_agent", "ready", "collected", "cancelled"] {
            var cursor: JSONValue = .null
            repeat {
                var params: [String: JSONValue] = ["status": .string(status), "limit": 50]
                if cursor != .null { params["cursor"] = cursor }
                let page = try desk.call("utilities.list", .object(params))
                byStatus[status, default: []] += page["requests"]?.arrayValue ?? []
                cursor = page["nextCursor"] ?? .null
            } while cursor != .null && (byStatus[status]?.count ?? 0) < 5_000
        }
        let counts = byStatus.mapValues(\.count)
        #expect(counts.values.reduce(0, +) == 3_000, "\(counts)")
        #expect((counts["collected"] ?? 0) > 2_000, "\(counts)")
        for status in ["at_desk", "with_agent", "ready", "cancelled"] {
            #expect((counts[status] ?? 0) > 0, "\(status): \(counts)")
        }
        let open = try desk.call("utilities.batches.list", ["status": "out", "limit": 50])["batches"]?.arrayValue ?? []
        #expect(open.count == 1, "only the last Wednesday's batch is still out: \(open)")
        #expect(open.first?["count"]?.intValue == Int64(counts["with_agent"] ?? -1), "\(open)")

        // The shift check adds up the seeded rows to the fen, and names the seeder's total.
        let atDesk = byStatus["at_desk", default: []].reduce(Int64(0)) { $0 + ($1["cash"]?.intValue ?? 0) }
        let owed = byStatus["ready", default: []].reduce(Int64(0)) { $0 + ($1["owed"]?.intValue ?? 0) }
        let onHand = try desk.call("utilities.cashOnHand")
        #expect(onHand["atDesk"]?.intValue == atDesk, "\(onHand["atDesk"] ?? .null)")
        #expect(onHand["owed"]?.intValue == owed, "\(onHand["owed"] ?? .null)")
        let cash = atDesk + owed
        #expect(seeded.stdout.contains("cash on hand \(cash / 100).\(String(format: "%02d", cash % 100))"), "\(seeded)")
        // A failed purchase owes all its cash back; a bought one its leftover.
        for request in byStatus["ready", default: []] {
            let expected =
                request["failed"] == true
                ? request["cash"]?.intValue : (request["cash"]?.intValue ?? 0) - (request["spent"]?.intValue ?? 0)
            #expect(request["owed"]?.intValue == expected, "\(request)")
        }

        // The desk's next request gets a number no seeded request has, and is cash at the desk.
        let next = try desk.call(
            "utilities.request",
            ["unit": "1-1-101", "payer": "王芳", "utility": "gas", "cash": 5_000, "medium": "gas_card"])
        #expect(next["status"] == "at_desk", "\(next)")
        #expect(try desk.call("utilities.cashOnHand")["cash"]?.intValue == cash + 5_000)

        // The workload drives it: every request answered, none an error.
        let report = try BenchSelfTests.runReport(daemon, workload: "cash-on-hand", connections: 3, requests: 60)
        #expect(report["requestsByMethod"]?["utilities.cashOnHand"] == .int(60), "\(report)")
        #expect(try daemon.stop() == 0)
    }
}
