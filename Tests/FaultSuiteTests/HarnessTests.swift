import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

extension FaultSuite {
    /// The measuring instruments the cases share, checked against a live daemon before they are
    /// trusted with a figure.
    @Suite("Harness: the probes measure a live daemon", FaultSuite.timeLimit)
    struct HarnessTests {
        @Test("The memory probe reads the daemon's VmRSS and VmHWM from /proc")
        func memoryProbeReadsTheDaemon() throws {
            let daemon = try TestDaemon()
            try daemon.start()
            let probe = ProcessProbe(pid: daemon.pid, interval: .milliseconds(5))
            probe.start()
            usleep(100_000)
            let memory = probe.stop()
            #expect(memory.samples >= 2, "\(memory)")
            // A Swift daemon with SQLite and NIO holds megabytes, never zero or gigabytes at idle.
            #expect(memory.currentMiB > 1 && memory.currentMiB < 1024, "\(memory)")
            #expect(memory.peakMiB >= memory.currentMiB, "\(memory)")
            #expect(memory.highWaterMiB >= memory.currentMiB, "\(memory)")
            try daemon.stop()
            #expect(ProcessProbe.read(pid: daemon.pid) == nil, "a reaped process has no /proc entry")
        }

        @Test("The ping probe is a desk pinging every 5 ms and waiting for each reply")
        func pingProbeMeasuresLatency() throws {
            let daemon = try TestDaemon()
            try daemon.start()
            let pings = PingProbe(socketPath: daemon.socketPath).run(for: .milliseconds(500))
            // 500 ms at one ping per 5 ms: about 100 when the machine keeps up, never more.
            #expect(pings.count >= 20 && pings.count <= 101, "\(pings)")
            #expect(pings.failures == 0, "\(pings)")
            #expect(pings.p50Ms > 0 && pings.p50Ms <= pings.p99Ms && pings.p99Ms <= pings.maxMs, "\(pings)")
        }

        @Test("A ping probe counts a daemon that is gone as failures, not as fast pings")
        func pingProbeCountsFailures() throws {
            let daemon = try TestDaemon()
            try daemon.start()
            daemon.signal(SIGKILL)
            _ = try daemon.waitForExit()
            let pings = PingProbe(socketPath: daemon.socketPath, timeout: .seconds(1)).run(for: .milliseconds(100))
            #expect(pings.count == 0 && pings.failures > 0, "\(pings)")
        }

        @Test("Figures are one line, in the order set, and appended to the report file")
        func figuresLine() throws {
            let report = FileManager.default.temporaryDirectory.path + "/fig-\(UUID().uuidString).txt"
            defer { try? FileManager.default.removeItem(atPath: report) }
            var figures = Figures("a case: with a colon", mode: .short)
            figures["rounds"] = 3
            figures["peak_rss_mib"] = 41.257
            figures["note"] = "two words"
            figures["rounds"] = 4
            #expect(
                figures.description
                    == "fault-suite: a case  with a colon: mode=short rounds=4 peak_rss_mib=41.26 note=two_words")
            figures.emit(reportingTo: report, echo: false)
            Figures("second", mode: .soak).emit(reportingTo: report, echo: false)
            let written = try String(contentsOfFile: report, encoding: .utf8)
            #expect(written == figures.description + "\nfault-suite: second: mode=soak\n")
            #expect(SuiteMode.soak.pick(short: 3, soak: 30) == 30 && SuiteMode.short.pick(short: 3, soak: 30) == 3)
        }
    }
}
