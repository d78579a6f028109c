import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The month's report through the real daemon and socket, and as CSV through receptionctl.
///
/// The cases are opened now, so they fall in the current period (29th to 28th). Work orders are
/// given due times within the hour (and one within two seconds, to be late), so that they fall
/// in it too, unless the suite runs in the last hour of the 28th.
@Suite("cases: the month's report over the socket and as CSV", .timeLimit(.minutes(2)))
struct MonthReportTests {
    @Test(
        "Three complaints (two closed, one valid), two repairs and a paid service: validity 0.5000, timeliness 0.6667 with the delayed-but-told order late, callbacks 0.6000; receptionctl writes the figures as CSV"
    )
    func monthsReport() throws {
        let daemon = try CasesCounter.start()
        let desk = try daemon.counter()
        let month = CasesCounter.reportMonth()
        let inAnHour = CasesCounter.iso(Date() + 3600)

        let valid = try desk.openCase("complaint", ["area": "security"])
        let invalid = try desk.openCase("complaint", ["area": "cleaning"])
        try desk.openCase("complaint", ["area": "cleaning"])
        let noArea = try desk.callError("cases.open", CasesCounter.report("complaint"))
        #expect(noArea?.kind == .validation && noArea?.field == "area", "\(String(describing: noArea))")
        try desk.call("cases.close", ["case": .string(valid), "outcome": "保安部已道歉并加强巡逻", "valid": true])
        try desk.call("cases.close", ["case": .string(invalid), "outcome": "经核实保洁已按时完成", "valid": false])

        let onTime = try desk.openCase("repair")
        let onTimeOrder = try desk.dispatchCase(onTime, due: inAnHour)
        try desk.call("cases.workorders.done", ["order": .string(onTimeOrder), "work": "更换灯管", "by": "张师傅"])
        try desk.call("cases.close", ["case": .string(onTime), "outcome": "已修好"])

        let late = try desk.openCase("repair")
        let lateDue = Date() + 2
        let lateOrder = try desk.dispatchCase(late, due: CasesCounter.iso(lateDue))
        let delayed = try desk.call(
            "cases.workorders.delay",
            ["order": .string(lateOrder), "reason": "配件缺货", "newDue": .string(inAnHour), "residentTold": true])
        #expect(delayed["delays"]?.arrayValue?.first?["residentTold"] == true, "\(delayed)")
        while Date() <= lateDue + 0.2 { usleep(100_000) }
        let overdue = try desk.call("cases.workorders", ["overdue": true])["orders"]?.arrayValue ?? []
        #expect(overdue.compactMap { $0["order"]?.stringValue } == [lateOrder], "\(overdue)")
        #expect(overdue.first?["late"] == true, "\(overdue)")
        let doneLate = try desk.call(
            "cases.workorders.done", ["order": .string(lateOrder), "work": "到货后更换水泵", "by": "张师傅"])
        #expect(doneLate["late"] == true, "delayed with the resident told, still late: \(doneLate)")
        try desk.call("cases.close", ["case": .string(late), "outcome": "已修好"])

        let service = try desk.call(
            "cases.open", CasesCounter.report("service", ["service": "housekeeping", "tendered": 10_000]))
        #expect(service["payment"]?["amount"] == 8_000 && service["payment"]?["change"] == 2_000, "\(service)")
        let serviceId = try #require(service["case"]?.stringValue)
        let serviceOrder = try desk.dispatchCase(serviceId, to: "cleaning", due: inAnHour)
        try desk.call("cases.workorders.done", ["order": .string(serviceOrder), "work": "全屋保洁", "by": "刘阿姨"])
        try desk.call("cases.close", ["case": .string(serviceId), "outcome": "保洁完成"])

        try desk.call("cases.callback", ["case": .string(valid), "reached": true, "satisfaction": "satisfied"])
        try desk.call("cases.callback", ["case": .string(onTime), "reached": true, "satisfaction": "satisfied"])
        try desk.call(
            "cases.callback", ["case": .string(serviceId), "reached": true, "satisfaction": "very_satisfied"])
        try desk.call("cases.callback", ["case": .string(late), "reached": false])

        let report = try desk.call("cases.report", ["month": .string(month)])
        #expect(report["byCategory"]?["complaint"] == 3 && report["byCategory"]?["repair"] == 2, "\(report)")
        #expect(report["byCategory"]?["service"] == 1 && report["byCategory"]?["praise"] == 0, "\(report)")
        #expect(report["byArea"]?["security"] == 1 && report["byArea"]?["cleaning"] == 2, "\(report)")
        #expect(report["complaints"] == 2 && report["validComplaints"] == 1 && report["validityRate"] == "0.5000")
        #expect(report["ordersDue"] == 3 && report["ordersOnTime"] == 2 && report["timelinessRate"] == "0.6667")
        #expect(report["callbacks"] == ["tasks": 5, "reached": 3, "coverageRate": "0.6000"], "\(report)")
        #expect(report["satisfaction"]?["satisfiedRate"] == "1.0000", "\(report)")
        let services = try desk.call("cases.report", ["month": .string(CasesCounter.reportMonth(endDay: 30))])
        #expect(services["services"]?["orders"] == 1 && services["services"]?["revenue"] == 8_000, "\(services)")

        let csv = try CasesCounter.ctl(daemon, ["cases", "report", "--month", month, "--csv"])
        #expect(csv.status == 0, "\(csv)")
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 + 27, "a header and one line per figure:\n\(csv.stdout)")
        let header = lines.first ?? ""
        #expect(header.split(separator: ",").count == 6, "section, item, count, out of, rate, amount: \(header)")
        #expect(lines.contains { $0.hasSuffix(",2,3,0.6667,") }, "timeliness: 2 of 3:\n\(csv.stdout)")
        #expect(lines.contains { $0.hasSuffix(",1,2,0.5000,") }, "validity: 1 of 2:\n\(csv.stdout)")
        #expect(!csv.stdout.contains("{"), "CSV, not JSON")
        #expect(try daemon.stop() == 0)
    }
}
