import Foundation
import ReceptionPluginTesting
import Testing

@testable import MeetingsPlugin

/// "The desk looks after the meeting while it runs: tea refilled every 20–25 minutes": the
/// `tea_refill` chain from check-in to end, its interval in `[plugins.meetings]`, and the classes
/// that get it.
@Suite("meetings rules: tea refills while a meeting runs")
struct TeaRefillRulesTests {
    @Test(
        "check-in makes the first refill due tea_refill_minutes after the actual start; each one done makes the next, due that long after it was done; the end cancels the open one"
    )
    func refillChain() throws {
        let desk = try MeetingsHarness.meetings(config: ["tea_refill_minutes": 25])
        let booking = try desk.book("A-301", "2026-12-06T10:30:00+08:00", "2026-12-06T12:00:00+08:00")
        let id = try #require(booking["booking"]?.stringValue)
        #expect(try desk.refills(of: id).isEmpty, "no refill before the meeting starts")

        desk.clock.advance(by: 35 * 60)  // 10:35
        try desk.call("meetings.checkin", ["booking": .string(id)])
        let first = try desk.refills(of: id)
        #expect(first.map(\.task) == ["\(id)/tea_refill-1"])
        #expect(first.first?.due == "2026-12-06T11:00:00.000+08:00", "10:35 + 25 minutes")
        #expect(first.first?.status == "open" && first.first?.team == "front_desk")

        // 11:03: the refill is late; it reads overdue and the minute job announces it once.
        desk.clock.advance(by: 28 * 60)
        let listed = try desk.call("meetings.tasks", ["date": "2026-12-06", "team": "front_desk"])
        let late = listed["tasks"]?.arrayValue?.first { $0["task"] == .string("\(id)/tea_refill-1") }
        #expect(late?["overdue"] == true && late?["kind"] == "tea_refill", "\(listed)")
        desk.caller = .system
        try desk.call("meetings.tasks.sweep")
        #expect(
            desk.lastEvents.contains {
                $0.topic == "meetings.task.overdue" && $0.data["task"] == .string("\(id)/tea_refill-1")
            }, "\(desk.lastEvents.map(\.data))")
        desk.caller = .operator("li.na")

        let done = try desk.call("meetings.tasks.done", ["task": .string("\(id)/tea_refill-1"), "note": "续了龙井"])
        #expect(done["status"] == "done" && done["kind"] == "tea_refill" && done["doneBy"] == "li.na")
        #expect(done["closing"] == nil, "a refill's reply is the task as it always was")
        let second = try desk.refills(of: id)
        #expect(second.map(\.status) == ["done", "open"])
        #expect(second.last?.task == "\(id)/tea_refill-2")
        #expect(second.last?.due == "2026-12-06T11:28:00.000+08:00", "done at 11:03, + 25 minutes")

        desk.clock.advance(by: 20 * 60)  // 11:23, early is fine
        try desk.call("meetings.tasks.done", ["task": .string("\(id)/tea_refill-2")])
        #expect(try desk.refills(of: id).last?.due == "2026-12-06T11:48:00.000+08:00")

        desk.clock.advance(by: 7 * 60)  // 11:30
        try desk.call("meetings.end", ["booking": .string(id)])
        let after = try desk.refills(of: id)
        #expect(
            after.map(\.status) == ["done", "done", "cancelled"], "the end cancels the open refill, keeps the done")
        let gone = try desk.callError("meetings.tasks.done", ["task": .string("\(id)/tea_refill-3")])
        #expect(gone.kind == .invalidState && gone.details["status"] == "cancelled")
        #expect(GlossaryCoverage.isChinese(gone.translations["zh"]))
        let today = try desk.call("meetings.tasks", ["date": "2026-12-06"])["tasks"]?.arrayValue ?? []
        #expect(
            !today.contains { $0["task"] == .string("\(id)/tea_refill-3") }, "a cancelled refill is off the list")
        #expect(try desk.refills(of: id).count == 3, "no refill is made after the end")
    }

    @Test("only classes whose template has tea get refills; a cancelled booking never had one")
    func onlyWithTea() throws {
        let desk = try MeetingsHarness.meetings(config: ["templates": ["routine": ["room_check", "reset"]]])
        let plain = try desk.book("A-301", "2026-12-06T10:00:00+08:00", "2026-12-06T11:00:00+08:00")
        let major = try desk.book(
            "A-301", "2026-12-06T11:00:00+08:00", "2026-12-06T12:00:00+08:00", ["class": "major"])
        let plainID = try #require(plain["booking"]?.stringValue)
        let majorID = try #require(major["booking"]?.stringValue)
        try desk.call("meetings.checkin", ["booking": .string(plainID)])
        #expect(try desk.refills(of: plainID).isEmpty, "routine has no tea in this template")
        desk.clock.advance(by: 3600)
        try desk.call("meetings.checkin", ["booking": .string(majorID)])
        #expect(try desk.refills(of: majorID).map(\.due) == ["2026-12-06T11:20:00.000+08:00"], "the default 20 minutes")

        let later = try desk.book(
            "A-301", "2026-12-07T10:00:00+08:00", "2026-12-07T11:00:00+08:00", ["class": "ad_hoc"])
        let laterID = try #require(later["booking"]?.stringValue)
        try desk.call("meetings.cancel", ["booking": .string(laterID), "reason": "客户取消"])
        #expect(
            try desk.callError("meetings.checkin", ["booking": .string(laterID)]).kind == .invalidState,
            "a cancelled meeting does not start")
        #expect(try desk.refills(of: laterID).isEmpty)
    }

    @Test(
        "tea_refill_minutes is 5 to 120; a value out of range or not a number is refused naming the key, as is tea_refill in a template"
    )
    func intervalConfig() throws {
        for bad: JSONValue in [4, 121, "20"] {
            let error = try refusal(["tea_refill_minutes": bad])
            #expect(error.kind == .validation)
            #expect(error.field == "[plugins.meetings].tea_refill_minutes", "\(error.field ?? "no field")")
            #expect(error.message.hasPrefix("[plugins.meetings] tea_refill_minutes must be"), "\(error.message)")
        }
        #expect(try refusal(["tea_refill_minutes": 121]).message.contains("between 5 and 120"))
        let template = try refusal(["templates": ["major": ["tea", "tea_refill"]]])
        #expect(template.field == "[plugins.meetings.templates].major", "refills follow tea, they are not listed")
        let desk = try MeetingsHarness.meetings(config: ["tea_refill_minutes": 5, "teams": ["tea_refill": "catering"]])
        let booking = try desk.book("A-301", "2026-12-06T10:00:00+08:00", "2026-12-06T11:00:00+08:00")
        let id = try #require(booking["booking"]?.stringValue)
        try desk.call("meetings.checkin", ["booking": .string(id)])
        let refill = try desk.refills(of: id)
        #expect(refill.map(\.due) == ["2026-12-06T10:05:00.000+08:00"] && refill.map(\.team) == ["catering"])
    }

    /// The error of building the department with `config`; fails the test when it loads.
    private func refusal(_ config: JSONValue) throws -> RPCError {
        do {
            _ = try MeetingsHarness(MeetingsPlugin.self, config: config)
        } catch let error as RPCError {
            return error
        }
        throw LoadedAnyway(config: config)
    }

    /// The department loaded with a config it should have refused.
    private struct LoadedAnyway: Error {
        /// The config.
        let config: JSONValue
    }
}

extension PluginHarness where Plugin == MeetingsPlugin {
    /// The `tea_refill` tasks of `booking` in the order they were made.
    func refills(of booking: String) throws -> [(task: String, due: String, status: String, team: String)] {
        try query(
            "SELECT task, due_at, status, team FROM meetings_tasks WHERE booking = ? AND kind = 'tea_refill' ORDER BY id",
            [booking]
        ).map {
            ($0.string("task") ?? "", $0.string("due_at") ?? "", $0.string("status") ?? "", $0.string("team") ?? "")
        }
    }
}
