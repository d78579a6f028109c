import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The real `reception-bench` binary against a real daemon: it must report sane numbers (never
/// a timed assertion: this machine is shared) and its seed must leave a database the daemon
/// serves.
@Suite("reception-bench self-test", .timeLimit(.minutes(5)))
struct BenchSelfTests {
    static let bench = TestDaemon.productsDirectory + "/reception-bench"
    static let parcelsPlugin: [String: TestDaemon.PluginFile] = ["parcels": .product("libreceptiond-parcels.so")]

    /// Runs `reception-bench` with `arguments`.
    static func bench(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(bench, arguments, timeout: .seconds(240))
    }

    /// Runs a workload with `--json` (and `options`) and checks what every report must say.
    static func runReport(
        _ daemon: TestDaemon, workload: String, connections: Int, requests: Int, options: [String] = []
    ) throws -> JSONValue {
        let result = try bench(
            [
                "run", "--socket", daemon.socketPath, "--workload", workload, "--connections", String(connections),
                "--requests", String(requests), "--json",
            ] + options)
        #expect(result.status == 0, "\(result)")
        let report = try JSONValue.parse(result.stdout)
        #expect(report["workload"] == .string(workload), "\(result)")
        #expect(report["connections"] == .int(Int64(connections)))
        #expect(report["requested"] == .int(Int64(requests)))
        #expect(report["completed"] == .int(Int64(requests)), "\(result)")
        #expect(report["ok"] == .int(Int64(requests)), "\(result)")
        #expect(report["errors"] == .int(0), "\(result)")
        #expect(report["errorsByKind"]?.objectValue?.isEmpty == true, "\(result)")
        let throughput = report["throughput"].flatMap(Self.number) ?? 0
        #expect(throughput > 0, "\(result)")
        let latency = report["latencyMicroseconds"]
        let p50 = latency?["p50"].flatMap(Self.number) ?? -1
        let p90 = latency?["p90"].flatMap(Self.number) ?? -1
        let p99 = latency?["p99"].flatMap(Self.number) ?? -1
        let p999 = latency?["p999"].flatMap(Self.number) ?? -1
        let max = latency?["max"].flatMap(Self.number) ?? -1
        #expect(p50 > 0, "\(result)")
        #expect(p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max, "\(result)")
        return report
    }

    /// A JSON number as a Double.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let integer): return Double(integer)
        case .double(let double): return double
        default: return nil
        }
    }

    @Test("run ping and durable receive: every request completes without error, percentiles are ordered")
    func pingAndReceive() throws {
        let daemon = try TestDaemon(plugins: Self.parcelsPlugin)
        try daemon.start()
        let ping = try Self.runReport(daemon, workload: "ping", connections: 4, requests: 2000)
        #expect(ping["requestsByMethod"]?["daemon.ping"] == .int(2000))
        let receive = try Self.runReport(daemon, workload: "receive", connections: 2, requests: 200)
        #expect(receive["requestsByMethod"]?["parcels.receive"] == .int(200))
        // The receipts are really stored: 200 items held, each with its own tracking number.
        let client = try daemon.connect()
        let page = try client.call("parcels.list", ["status": "held", "limit": 500])
        let items = page["items"]?.arrayValue ?? []
        #expect(items.count == 200)
        #expect(Set(items.compactMap { $0["tracking"]?.stringValue }).count == 200)
        #expect(try daemon.stop() == 0)
    }

    @Test("verify against a daemon without the access plugin: every request an error of kind method_not_found")
    func verifyUnavailable() throws {
        let daemon = try TestDaemon(plugins: Self.parcelsPlugin)
        try daemon.start()
        let result = try Self.bench([
            "run", "--socket", daemon.socketPath, "--workload", "verify", "--connections", "2", "--requests", "100",
            "--json",
        ])
        #expect(result.status == 0, "\(result)")
        let report = try JSONValue.parse(result.stdout)
        #expect(report["completed"] == .int(100))
        #expect(report["ok"] == .int(0))
        #expect(report["errorsByKind"]?["method_not_found"] == .int(100), "\(result)")
        let notes = report["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.contains("access.badges.verify") && $0.contains("unavailable") }, "\(result)")
        #expect(try daemon.stop() == 0)
    }

    @Test("seed with small numbers leaves a database the daemon serves: pending answers a seeded unit's items")
    func seedSmall() throws {
        let daemon = try TestDaemon(
            plugins: Self.parcelsPlugin.merging(["access": .product("libreceptiond-access.so")]) { first, _ in first })
        let seeded = try Self.bench([
            "seed", "--state-dir", daemon.stateDirectory, "--units", "50", "--parcels", "500", "--held", "40",
            "--badges", "100", "--keys", "10",
        ])
        #expect(seeded.status == 0, "\(seeded)")
        #expect(seeded.stdout.contains("500 parcels (40 held)"), "\(seeded)")
        #expect(seeded.stdout.contains("100 badges"), "\(seeded)")
        try daemon.start()
        let client = try daemon.connect()
        let held = try client.call("parcels.list", ["status": "held", "limit": 500])["items"]?.arrayValue ?? []
        let notified = try client.call("parcels.list", ["status": "notified", "limit": 500])["items"]?.arrayValue ?? []
        #expect(held.count + notified.count == 40)
        let first = try #require(held.first)
        let unit = try #require(first["unit"]?.stringValue)
        let code = try #require(first["code"]?.stringValue)
        let pending = try client.call("parcels.pending", ["unit": .string(unit)])
        let items = pending["items"]?.arrayValue ?? []
        #expect(!items.isEmpty)
        #expect(items.contains { $0["code"]?.stringValue == code }, "\(pending.serialized())")
        // Codes of held items are unique, as the plugin's partial UNIQUE index requires.
        let codes = (held + notified).compactMap { $0["code"]?.stringValue }
        #expect(Set(codes).count == 40)
        // A seeded item is picked up like any other.
        let pickup = try client.call(
            "parcels.pickup",
            ["codes": [.string(code)], "collectedBy": "李娜", "proxy": true, "idType": "id_card", "idLast4": "071X"])
        #expect(pickup["items"]?.arrayValue?.first?["status"] == "collected", "\(pickup.serialized())")
        // The first seeded resident pass is known to the gate, a number no kind has is not.
        let known = try client.call("access.badges.verify", ["number": "R000001"])
        #expect(known["kind"] == "resident", "\(known.serialized())")
        #expect(known["reason"] != "unknown", "\(known.serialized())")
        let unknown = try client.call("access.badges.verify", ["number": "Z123456"])
        #expect(unknown["reason"] == "unknown", "\(unknown.serialized())")
        // Every seeded pass is on the register.
        let badges = try client.call("access.badges.list", ["limit": 500])["badges"]?.arrayValue ?? []
        #expect(badges.count == 100)
        #expect(try daemon.stop() == 0)

        // The storage floor on the seeded database: sane numbers, and no scratch file left.
        let database = daemon.stateDirectory + "/receptiond.sqlite"
        let before = try #require(FileManager.default.contents(atPath: database))
        let floor = try Self.bench([
            "floor", "--state-dir", daemon.stateDirectory, "--rows", "60", "--group", "7", "--fsyncs", "5", "--json",
        ])
        #expect(floor.status == 0, "\(floor)")
        let report = try JSONValue.parse(floor.stdout)
        #expect(report["rows"] == .int(60), "\(floor)")
        #expect(report["group"] == .int(7), "\(floor)")
        #expect((report["rowsPerSecond"].flatMap(Self.number) ?? 0) > 0, "\(floor)")
        #expect((report["walPagesPerRow"].flatMap(Self.number) ?? 0) >= 1, "each commit writes pages: \(floor)")
        #expect((report["cpuMicrosecondsPerRow"].flatMap(Self.number) ?? 0) > 0, "\(floor)")
        for key in ["fsyncMicroseconds", "commitMicroseconds"] {
            let p50 = report[key]?["p50"].flatMap(Self.number) ?? -1
            let p99 = report[key]?["p99"].flatMap(Self.number) ?? -1
            #expect(p50 > 0 && p50 <= p99, "\(key): \(floor)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory)
        #expect(!left.contains { $0.hasPrefix("floor-") }, "\(left)")
        // The floor wrote only to its copy: the register's file is byte for byte as the daemon left it.
        #expect(FileManager.default.contents(atPath: database) == before)
    }
}
