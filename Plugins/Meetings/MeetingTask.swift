import Foundation
import ReceptionPluginSDK

/// A preparation task, as stored and as sent on the wire. `overdue` is not stored: it is worked
/// out at read time from the caller's `now` (open and past its due time), by ``wire(now:)``.
struct MeetingTask: Record {
    static let table = "meetings_tasks"

    @Column(wire: .hidden) var id: Int64
    @Column(
        "MT20261205-0001/tea (tea refills: MT20261205-0001/tea_refill-1, -2, …), or OPEN-20261205 for the day's opening"
    )
    var task: String
    @Column("The booking it prepares, or null for open_rooms") var booking: String?
    @Column("tea, room_check, av_sheet, av_check, materials, setup, staff_on_site, reset, tea_refill or open_rooms")
    var kind: String
    @Column("front_desk, av or facilities (configurable)") var team: String
    @Column(column: "due_at", format: .dateTime) var due: String
    @Column(wire: .hidden) var dueMs: Int64
    @Column("open, done or cancelled") var status: String
    @Column(format: .dateTime) var doneAt: String?
    @Column var doneBy: String?
    @Column var note: String?
    @Column(wire: .hidden) var overdueMs: Int64?

    /// Whether the task is open past its due time at `nowMs`.
    func isOverdue(nowMs: Int64) -> Bool { status == "open" && dueMs < nowMs }

    /// The task on the wire with `overdue` as of `nowMs`, `extra` members added.
    func wire(nowMs: Int64, adding extra: [String: JSONValue] = [:]) -> JSONValue {
        jsonValue(replacing: extra.merging(["overdue": .bool(isOverdue(nowMs: nowMs))]) { _, computed in computed })
    }
}
