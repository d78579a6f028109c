import Foundation
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `reception-bench run` of the parcels history reads on a seeded daemon: `list-unit`,
/// `list-recipient` and `stats` answer every request without an error.
@Suite("reception-bench self-test: parcels history reads", .timeLimit(.minutes(5)))
struct BenchParcelsReadsTests {
    @Test(
        "list-unit and list-recipient (first and later pages) and stats (a month of the seeded year) answer every request"
    )
    func historyReads() throws {
        // The seeder and the stats workload's months are at UTC+8.
        let daemon = try TestDaemon(plugins: BenchSelfTests.parcelsPlugin, environment: ["TZ": "Asia/Shanghai"])
        let seeded = try BenchSelfTests.bench([
            "seed", "--state-dir", daemon.stateDirectory, "--plugin-dir", daemon.pluginDirectory, "--units", "50",
            "--parcels", "2000", "--held", "40",
        ])
        #expect(seeded.status == 0, "\(seeded)")
        try daemon.start()
        for (workload, method) in [
            ("list-unit", "parcels.list"), ("list-recipient", "parcels.list"), ("stats", "parcels.stats"),
        ] {
            let report = try BenchSelfTests.runReport(daemon, workload: workload, connections: 2, requests: 40)
            #expect(report["requestsByMethod"]?[method] == .int(40), "\(report)")
        }
    }
}
