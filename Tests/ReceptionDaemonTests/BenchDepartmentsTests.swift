import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// `reception-bench seed` on a daemon with every department: the visits, the report month of
/// cases and the handover book it writes are served by the plugins as their own, and the
/// departments' workloads (and `counter` across all of them) run without a single error.
@Suite("reception-bench self-test: every department", .timeLimit(.minutes(5)))
struct BenchDepartmentsTests {
    /// Every department plugin.
    static let plugins: [String: TestDaemon.PluginFile] = Dictionary(
        uniqueKeysWithValues: ["parcels", "access", "utilities", "meetings", "visitors", "cases", "desk"].map {
            ($0, TestDaemon.PluginFile.product("libreceptiond-\($0).so"))
        })

    /// The month the seeder fills and `cases-report` asks for: the last report period (29th to
    /// 28th) that has ended, at UTC+8.
    static func reportMonth() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        var year = today.year ?? 0
        var month = today.month ?? 0
        if (today.day ?? 0) <= 28 {
            month -= 1
            if month == 0 {
                month = 12
                year -= 1
            }
        }
        return String(format: "%04d-%02d", year, month)
    }

    @Test(
        "seeded visits, a report month of cases and a handover book: on site now, the month's figures, the last handover; every department's workload and counter run without errors"
    )
    func everyDepartment() throws {
        // The seeders and the workloads write times at UTC+8.
        let daemon = try TestDaemon(plugins: Self.plugins, environment: ["TZ": "Asia/Shanghai"])
        let seeded = try BenchSelfTests.bench([
            "seed", "--state-dir", daemon.stateDirectory, "--plugin-dir", daemon.pluginDirectory, "--units", "200",
            "--parcels", "600", "--held", "60", "--badges", "100", "--keys", "10", "--utility-requests", "300",
            "--meetings", "300", "--visits", "500", "--on-site", "20", "--cases", "800", "--handovers", "9",
        ])
        #expect(seeded.status == 0, "\(seeded)")
        let month = Self.reportMonth()
        let lines = seeded.stdout.split(separator: "\n")
        let visitors = try #require(lines.first { $0.hasPrefix("visitors: ") }, "\(seeded)")
        #expect(visitors.contains("500 visits (20 on site,"), "\(visitors)")
        let cases = try #require(lines.first { $0.hasPrefix("cases: ") }, "\(seeded)")
        #expect(cases.contains("800 cases in the \(month) report period"), "\(cases)")
        let desk = try #require(lines.first { $0.hasPrefix("desk: ") }, "\(seeded)")
        #expect(desk.contains("9 handovers"), "\(desk)")
        try daemon.start()
        let counter = try daemon.counter()

        // Who is inside now: the seeded visitors on site or staying the night, each let in.
        let inside = try #require(try counter.call("visitors.onSite")["visits"]?.arrayValue)
        #expect(inside.count == 20, "\(inside.count) on site")
        #expect(
            inside.allSatisfy {
                ($0["status"] == "on_site" || $0["status"] == "overnight") && $0["admittedAt"] != .null
                    && ($0["contacts"]?.arrayValue?.last?["result"] == "accepted")
            }, "\(inside)")

        // The month's report counts every seeded case, with work orders due, callbacks and services.
        let report = try counter.call("cases.report", ["month": .string(month)])
        let byCategory = report["byCategory"]?.objectValue ?? [:]
        #expect(byCategory.values.reduce(Int64(0)) { $0 + ($1.intValue ?? 0) } == 800, "\(report.serialized())")
        #expect((report["ordersDue"]?.intValue ?? 0) > 200, "\(report.serialized())")
        #expect((report["complaints"]?.intValue ?? 0) > 50, "\(report.serialized())")
        #expect((report["callbacks"]?["tasks"]?.intValue ?? 0) > 200, "\(report.serialized())")
        #expect((report["services"]?["orders"]?.intValue ?? 0) > 20, "\(report.serialized())")

        // The handover book: the seeded ones, the last still open.
        let book = try #require(try counter.call("desk.handovers", ["limit": 50])["handovers"]?.arrayValue)
        #expect(book.count == 9)
        #expect(book.first?["status"] == "open", "\(book.first ?? .null)")

        // The plugins number on past the seeded rows: the next visit, case and handover are new.
        let visit = try counter.call(
            "visitors.register",
            [
                "name": "周敏", "idType": "id_card", "idNumber": "110101199001011234", "hostUnit": "1-1-101",
                "hostName": "李娜",
            ])
        #expect(visit["status"] == "waiting", "\(visit.serialized())")

        // Each department's workload: every request succeeds.
        let runs: [(workload: String, method: String, requests: Int)] = [
            ("utility-request", "utilities.request", 200), ("visitors-register", "visitors.register", 200),
            ("on-site", "visitors.onSite", 200), ("cases-open", "cases.open", 200),
            ("cases-report", "cases.report", 100), ("handover", "desk.handover", 40),
        ]
        for run in runs {
            let result = try BenchSelfTests.runReport(
                daemon, workload: run.workload, connections: 4, requests: run.requests)
            #expect(result["requestsByMethod"]?[run.method] == .int(Int64(run.requests)), "\(result)")
        }
        let handovers = try #require(try counter.call("desk.handovers", ["limit": 100])["handovers"]?.arrayValue)
        #expect(handovers.count == 9 + 40)
        let opened = try counter.call("cases.list", ["from": .string(BenchMeetingsTests.day(0)), "limit": 200])
        #expect(opened["cases"]?.arrayValue?.count == 200, "the cases-open run's cases, opened today")

        // counter across every department, with the held codes read from the state directory.
        let busy = try BenchSelfTests.runReport(
            daemon, workload: "counter", connections: 4, requests: 400, options: ["--state-dir", daemon.stateDirectory])
        let methods = busy["requestsByMethod"]?.objectValue ?? [:]
        #expect(methods.keys.contains("access.badges.verify") && methods.keys.contains("parcels.pending"), "\(busy)")
        #expect(methods.keys.contains("visitors.register") && methods.keys.contains("meetings.agenda"), "\(busy)")
        #expect(busy["notes"]?.arrayValue?.isEmpty ?? true, "every department is served: \(busy)")
        #expect(try daemon.stop() == 0)
    }

    @Test("counter on a daemon with parcels only: the other departments are left out of the mix and named, no errors")
    func counterLeavesOutWhatIsNotServed() throws {
        let daemon = try TestDaemon(plugins: BenchSelfTests.parcelsPlugin, environment: ["TZ": "Asia/Shanghai"])
        try daemon.start()
        let report = try BenchSelfTests.runReport(
            daemon, workload: "counter", connections: 2, requests: 200, options: ["--prepare", "100"])
        let methods = Set((report["requestsByMethod"]?.objectValue ?? [:]).keys)
        #expect(
            methods.isSubset(of: ["daemon.ping", "parcels.pending", "parcels.receive", "parcels.pickup"]), "\(report)")
        let notes = report["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let leftOut = try #require(notes.first { $0.hasPrefix("counter: left out") }, "\(report)")
        for method in ["access.badges.verify", "visitors.register", "cases.open", "desk.handover", "meetings.book"] {
            #expect(leftOut.contains(method), "\(leftOut)")
        }
        #expect(try daemon.stop() == 0)
    }
}
