import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// The desk log through the real daemon and socket: a handover with and without the departments
/// its snapshot reads, the lost-and-found and incident books, and receptionctl in Chinese.
@Suite("desk: the desk log at the counter", .timeLimit(.minutes(2)))
struct DeskLogTests {
    @Test("with the desk log alone, a handover leaves the other departments out and names them")
    func handoverAlone() throws {
        let daemon = try DeskCounter.start(DeskCounter.alone)
        let clerk = try daemon.counter()
        let handover = try clerk.call(
            "desk.handover", ["outgoing": "li.na", "incoming": "wang.fang", "notes": "3 号楼电梯维修中"])
        let snapshot = try #require(handover["snapshot"])
        #expect(snapshot["departments"] == [], "\(snapshot)")
        #expect(
            snapshot["leftOut"]?.arrayValue?.compactMap { $0["department"]?.stringValue }
                == ["cases", "parcels", "access", "utilities"], "\(snapshot)")
        #expect(snapshot["cash"]?["total"] == 0)
        #expect(try daemon.stop() == 0)
    }

    @Test(
        "beside parcels, access and utilities, the snapshot counts what they hold; the incoming clerk at another desk takes over and hears it live"
    )
    func handoverWithNeighbours() throws {
        let daemon = try DeskCounter.start(DeskCounter.withNeighbours)
        let clerk = try daemon.counter()
        let night = try daemon.counter(desk: "desk-2", operator: "wang.fang")
        _ = try night.call("events.subscribe", ["topics": ["desk"]])
        for recipient in ["李娜", "王芳"] {
            try clerk.call("parcels.receive", ["kind": "parcel", "recipient": .string(recipient), "unit": "3-2-1201"])
        }
        try clerk.call(
            "access.keys.register",
            ["tag": "K-0001", "category": "vacant_unit", "unit": "3-2-1202", "building": "3", "hook": "A-01"])
        let due = Timestamp.format(Date().addingTimeInterval(7200))
        try clerk.call(
            "access.keys.checkout",
            [
                "tag": "K-0001", "borrower": "张伟", "borrowerType": "external", "idType": "id_card",
                "idNumber": "320102198807154321", "deposit": 5000, "dueBack": .string(due),
            ])
        try clerk.call(
            "utilities.request",
            ["unit": "3-2-1201", "payer": "王芳", "utility": "electricity", "cash": 20_000, "medium": "meter_card"])

        let handover = try clerk.call("desk.handover", ["outgoing": "li.na", "incoming": "wang.fang"])
        let snapshot = try #require(handover["snapshot"])
        #expect(snapshot["departments"] == ["parcels", "access", "utilities"], "\(snapshot)")
        #expect(snapshot["parcels"]?["held"] == 2 && snapshot["access"]?["keysOut"] == 1)
        #expect(snapshot["cash"]?["access"] == 5000 && snapshot["cash"]?["utilities"] == 20_000)
        #expect(snapshot["cash"]?["total"] == 25_000)
        let event = try #require(try night.nextNotification(timeout: .seconds(10)))
        #expect(event["params"]?["topic"] == "desk.handover", "\(event)")
        #expect(event["params"]?["data"]?["snapshot"]?["cash"]?["total"] == 25_000)
        let acked = try night.call("desk.handover.ack", ["handover": handover["handover"] ?? .null])
        #expect(acked["status"] == "acknowledged" && acked["ackedBy"] == "wang.fang")
        let audit = try clerk.call("audit.query", ["method": "desk.handover"])["records"]?.arrayValue ?? []
        #expect(audit.count == 1 && audit.first?["outcome"] == "ok", "\(audit)")
        #expect(try daemon.stop() == 0)
    }

    @Test("receptionctl: a handover, a found item and its claim, an incident, in Chinese with local times")
    func receptionctlInChinese() throws {
        let daemon = try DeskCounter.start(DeskCounter.alone)
        let handover = try DeskCounter.ctl(
            daemon, ["desk", "handover", "--outgoing", "li.na", "--incoming", "wang.fang", "--notes", "前门门禁卡读卡器失灵"])
        #expect(handover.status == 0, "\(handover)")
        #expect(handover.stdout.contains("交班人") && handover.stdout.contains("wang.fang"), "\(handover.stdout)")
        let found = try DeskCounter.ctl(
            daemon,
            [
                "desk", "found", "--item", "黑色钱包", "--found-where", "3 号楼大堂", "--found-by", "保洁 刘阿姨",
                "--stored-where", "前台柜 2 号格",
            ])
        #expect(found.status == 0 && found.stdout.contains("黑色钱包") && found.stdout.contains("待认领"), "\(found)")
        let list = try DeskCounter.ctl(daemon, ["desk", "lost-and-found"])
        #expect(list.status == 0 && list.stdout.contains("黑色钱包") && list.stdout.contains("前台柜 2 号格"), "\(list)")
        #expect(!list.stdout.contains("{"), "a page, not JSON:\n\(list.stdout)")
        let number = try #require(
            list.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("LF") }.map(String.init),
            "\(list.stdout)")
        let claim = try DeskCounter.ctl(
            daemon, ["desk", "claim", number, "--claimant", "赵磊", "--id-type", "身份证", "--id-last4", "071X"])
        #expect(claim.status == 0 && claim.stdout.contains("已认领") && claim.stdout.contains("赵磊"), "\(claim)")
        let happened = Timestamp.format(Date().addingTimeInterval(-1500))
        let told = Timestamp.format(Date().addingTimeInterval(-1380))
        let incident = try DeskCounter.ctl(
            daemon,
            [
                "desk", "incident", "--kind", "重大设备故障", "--what", "2 号楼停电", "--where", "2 号楼配电房",
                "--when", happened, "--informed", #"{"who":"工程部 周工","at":"\#(told)"}"#,
                "--informed", #"{"who":"值班经理","at":"\#(told)"}"#, "--actions", "通知工程部抢修",
            ])
        #expect(incident.status == 0, "\(incident)")
        #expect(incident.stdout.contains("重大设备故障") && incident.stdout.contains("值班经理"), "\(incident.stdout)")
        let incidents = try DeskCounter.ctl(daemon, ["desk", "incidents"])
        let rows = incidents.stdout.split(separator: "\n").filter { $0.hasPrefix("IN") }
        #expect(rows.count == 1, "one incident is one row, whoever was told:\n\(incidents.stdout)")
        #expect(try daemon.stop() == 0)
    }
}
