import Foundation
import ReceptionPluginSDK

/// The meeting rooms (会议室): the desk books the building's rooms for tenants and management,
/// gets each room ready in time through preparation tasks, looks after the meeting, settles the
/// fees with the organiser's signature and follows the invoice up until the money arrives.
///
/// Methods (`protocol.md`, section "meetings", has requests and replies): `meetings.rooms.define`,
/// `meetings.rooms.retire`, `meetings.rooms.list`, `meetings.rooms.free`, `meetings.book`,
/// `meetings.reschedule`, `meetings.cancel`, `meetings.checkin`, `meetings.end`, `meetings.get`,
/// `meetings.agenda`, `meetings.tasks`, `meetings.tasks.done`, `meetings.settle`,
/// `meetings.invoice`, `meetings.paid`, `meetings.unpaid`, and `meetings.tasks.sweep` (role
/// system: the minute job that announces overdue tasks once and opens the day's rooms).
public struct MeetingsPlugin: DepartmentPlugin {
    /// `meetings`: the prefix of every method and event topic.
    public static let name = "meetings"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary =
        "Meeting rooms: book them, get them ready in time, settle the fees and chase the invoice."

    /// One event per change; `meetings.task.overdue` once per task that passes its due time open.
    public enum Topic: String, EventTopic {
        case booked = "meetings.booked"
        case rescheduled = "meetings.rescheduled"
        case cancelled = "meetings.cancelled"
        case started = "meetings.started"
        case ended = "meetings.ended"
        case settled = "meetings.settled"
        case invoiced = "meetings.invoiced"
        case paid = "meetings.paid"
        case taskDone = "meetings.task.done"
        case taskOverdue = "meetings.task.overdue"

        /// What `receptionctl watch` prints for each event.
        public var line: EventLine {
            switch self {
            case .booked:
                EventLine(
                    "{booking} {room} booked for {organiser}: {title}, {start} to {end}[ by {bookedBy}]",
                    zh: "{booking} 已预订{room}：{organiser}「{title}」，{start} 至 {end}[，经办 {bookedBy}]")
            case .rescheduled:
                EventLine(
                    "{booking} moved to {room}, {start} to {end}", zh: "{booking} 已改期：{room}，{start} 至 {end}")
            case .cancelled:
                EventLine(
                    "{booking} cancelled[: {cancelReason}][ by {cancelledBy}]",
                    zh: "{booking} 已取消[：{cancelReason}][，经办 {cancelledBy}]")
            case .started:
                EventLine("{booking} {title} started in {room}", zh: "{booking}「{title}」已在{room}开始")
            case .ended:
                EventLine("{booking} {title} ended in {room}", zh: "{booking}「{title}」已在{room}结束")
            case .settled:
                EventLine(
                    "{booking} settled: {fee.total} signed by {fee.signedBy}",
                    zh: "{booking} 已结算：{fee.total}，{fee.signedBy} 签字")
            case .invoiced:
                EventLine("{booking} invoiced: {invoice}", zh: "{booking} 已开票：{invoice}")
            case .paid:
                EventLine("{booking} paid", zh: "{booking} 已收款")
            case .taskDone:
                EventLine(
                    "task {task} ({kind}) done[ by {doneBy}][: {note}]", zh: "任务 {task}（{kind}）已完成[，{doneBy}][：{note}]")
            case .taskOverdue:
                EventLine(
                    "task {task} ({kind}, {team}) overdue since {due}", zh: "任务 {task}（{kind}，{team}）已超时，应于 {due} 完成")
            }
        }
    }

    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = MeetingsMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<MeetingsPlugin>] = [
        Rooms.defineMethod,
        Rooms.retireMethod,
        Rooms.listMethod,
        Rooms.freeMethod,
        Bookings.bookMethod,
        Bookings.rescheduleMethod,
        Bookings.cancelMethod,
        Bookings.checkinMethod,
        Bookings.endMethod,
        Bookings.getMethod,
        Agenda.method,
        Tasks.listMethod,
        Tasks.doneMethod,
        Tasks.sweepMethod,
        Fees.settleMethod,
        Fees.invoiceMethod,
        Fees.paidMethod,
        Fees.unpaidMethod,
    ]

    /// The `[plugins.meetings]` section.
    let config: MeetingsConfig
    /// The minute job's timer (see ``started(background:)``).
    let ticker = RecurringWork(method: "meetings.tasks.sweep")

    /// Reads `[plugins.meetings]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try MeetingsConfig(config)
    }

    /// Starts the minute job when the daemon is ready: a timer of the plugin's own submits
    /// `meetings.tasks.sweep` at once (what fell overdue while the daemon was down is announced)
    /// and then every minute.
    public func started(background: BackgroundWork) {
        ticker.start(background)
    }

    /// Stops the minute job.
    public func shutdown(within grace: Duration) { ticker.stop() }
}

/// A write call of this department.
typealias MeetingsWrite = WriteContext<MeetingsPlugin>
/// A read call of this department.
typealias MeetingsRead = ReadContext<MeetingsPlugin>

/// Money members of meetings results, for display hints.
enum Money {
    /// A room.
    static let room = ["hourlyFee"]
    /// A booking and its fee.
    static let booking = ["feeTotal", "total", "unitPrice", "amount"]
}
