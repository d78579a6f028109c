import Foundation
import ReceptionPluginSDK

/// The front-desk cases (业主接待记录): everything residents report — a leaking pipe, a dirty
/// stairwell, a rude guard, a compliment — entered in the reception register, classified
/// (售后 报修 投诉 服务 表扬 建议 其它), sent out on work orders (派工单) that the desk chases to
/// their due time, special services paid when ordered, every closed complaint, repair and
/// service called back (回访), and the month's figures for management.
///
/// Methods (`protocol.md`, section "cases", has requests and replies): `cases.open`,
/// `cases.update`, `cases.close`, `cases.get`, `cases.list`, `cases.dispatch`,
/// `cases.workorders.ack`, `.done`, `.delay`, `.reopen`, `cases.workorders`, `cases.callback`,
/// `cases.report`, and `cases.workorders.sweep` (role system: the minute job that announces
/// overdue orders once).
///
/// Residents' data stays with the desk: events carry no contact details, log lines name cases
/// by number only, and the audit log keeps the last four characters of a contact.
public struct CasesPlugin: DepartmentPlugin {
    /// `cases`: the prefix of every method and event topic.
    public static let name = "cases"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary =
        "Reception register: residents' reports, complaints, repairs and work orders, paid services, callbacks, the monthly report."

    /// One event per change; `cases.emergency` at once for an emergency, and
    /// `cases.workorder.overdue` once per order that passes its due time open.
    public enum Topic: String, EventTopic {
        case opened = "cases.opened"
        case emergency = "cases.emergency"
        case updated = "cases.updated"
        case closed = "cases.closed"
        case reopened = "cases.reopened"
        case dispatched = "cases.dispatched"
        case acknowledged = "cases.workorder.acknowledged"
        case done = "cases.workorder.done"
        case delayed = "cases.workorder.delayed"
        case orderReopened = "cases.workorder.reopened"
        case workOrderOverdue = "cases.workorder.overdue"
        case callbackRecorded = "cases.callback.recorded"

        /// What `receptionctl watch` prints for each event.
        public var line: EventLine {
            switch self {
            case .opened:
                EventLine(
                    "{case} {category} ({urgency}) from {unit}: {description}[ by {openedBy}]",
                    zh: "{case} {unit} {category}（{urgency}）：{description}[，经办 {openedBy}]")
            case .emergency:
                EventLine(
                    "EMERGENCY {case} at {unit}: {description} — send security or engineering now",
                    zh: "【突发】{case} {unit}：{description}——请保安或工程人员立即到场")
            case .updated:
                EventLine("{case} updated: {category}, {urgency}", zh: "{case} 已更新：{category}，{urgency}")
            case .closed:
                EventLine("{case} closed: {outcome}[ by {closedBy}]", zh: "{case} 已结案：{outcome}[，经办 {closedBy}]")
            case .reopened:
                EventLine("{case} reopened: the resident is dissatisfied", zh: "{case} 已重开：业主回访不满意")
            case .dispatched:
                EventLine(
                    "work order {order} for {case} sent to {department}, due {due}",
                    zh: "派工单 {order}（{case}）已派往{department}，时限 {due}")
            case .acknowledged:
                EventLine("work order {order} signed for by {ackBy}", zh: "派工单 {order} 已由 {ackBy} 签收")
            case .done:
                EventLine(
                    "work order {order} done by {doneBy}: {work}", zh: "派工单 {order} 已由 {doneBy} 完成：{work}")
            case .delayed:
                EventLine(
                    "work order {order} delayed (the resident was told)", zh: "派工单 {order} 已延期（已向业主致歉说明）")
            case .orderReopened:
                EventLine(
                    "work order {order} sent out again: {reopenReason}, due {due}",
                    zh: "派工单 {order} 返工：{reopenReason}，时限 {due}")
            case .workOrderOverdue:
                EventLine(
                    "work order {order} ({department}, {case}) overdue since {due}",
                    zh: "派工单 {order}（{department}，{case}）已超时，时限为 {due}")
            case .callbackRecorded:
                EventLine("{case} called back", zh: "{case} 已回访")
            }
        }
    }

    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = CasesMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<CasesPlugin>] = [
        Cases.openMethod,
        Cases.updateMethod,
        Cases.closeMethod,
        Cases.getMethod,
        CaseList.method,
        WorkOrders.dispatchMethod,
        WorkOrders.ackMethod,
        WorkOrders.doneMethod,
        WorkOrders.delayMethod,
        WorkOrders.reopenMethod,
        WorkOrders.listMethod,
        WorkOrders.sweepMethod,
        Callbacks.method,
        Report.method,
    ]

    /// The `[plugins.cases]` section.
    let config: CasesConfig
    /// The minute job's timer (see ``started(background:)``).
    let ticker = RecurringWork(method: "cases.workorders.sweep")

    /// Reads `[plugins.cases]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try CasesConfig(config)
    }

    /// Starts the minute job when the daemon is ready: `cases.workorders.sweep` at once (what
    /// fell overdue while the daemon was down is announced) and then every minute.
    public func started(background: BackgroundWork) {
        ticker.start(background)
    }

    /// Stops the minute job.
    public func shutdown(within grace: Duration) { ticker.stop() }
}

/// A write call of this department.
typealias CasesWrite = WriteContext<CasesPlugin>

/// Money members of cases results, for display hints.
enum Money {
    /// A case's payment.
    static let payment = ["amount", "tendered", "change", "price"]
    /// `cases.report`.
    static let report = ["amount", "revenue"]
}
