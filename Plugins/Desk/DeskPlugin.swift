import Foundation
import ReceptionPluginSDK

/// The desk's own books (前台日志): the shift handover book (交接班记录表), the lost-and-found book
/// (失物招领登记表) and the major-incident book (重大(突发)事件处理记录表).
///
/// Methods (`protocol.md`, section "desk", has requests and replies): `desk.handover`,
/// `desk.handover.ack`, `desk.handovers`, `desk.found`, `desk.claim`, `desk.lostAndFound`,
/// `desk.incident`, `desk.incidents`.
///
/// A handover's snapshot is what the other departments say is open, read through calls between
/// departments (`context.call`): a department that is not loaded is left out, named.
public struct DeskPlugin: DepartmentPlugin {
    /// `desk`: the prefix of every method and event topic.
    public static let name = "desk"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary = "The desk log: shift handovers with what is open, lost and found, major incidents."

    /// One event per entry in a book.
    public enum Topic: String, EventTopic {
        case handover = "desk.handover"
        case handoverAcknowledged = "desk.handover.acknowledged"
        case found = "desk.found"
        case claimed = "desk.claimed"
        case incident = "desk.incident"

        /// What `receptionctl watch` prints for each event.
        public var line: EventLine {
            switch self {
            case .handover:
                EventLine(
                    "{handover} shift handed over by {outgoing} to {incoming}",
                    zh: "{handover} 交班：{outgoing} 交给 {incoming}")
            case .handoverAcknowledged:
                EventLine("{handover} taken over by {ackedBy}", zh: "{handover} 已由 {ackedBy} 接班确认")
            case .found:
                EventLine(
                    "{found} found: {item} at {foundWhere}, kept at {storedWhere}",
                    zh: "{found} 拾到：{item}（{foundWhere}），存放于{storedWhere}")
            case .claimed:
                EventLine("{found} {item} claimed by {claimant}", zh: "{found} {item} 已由 {claimant} 认领")
            case .incident:
                EventLine("{incident} {kind}: {what} at {where}", zh: "{incident} {kind}：{what}（{where}）")
            }
        }
    }

    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = DeskMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<DeskPlugin>] = [
        Handovers.handoverMethod,
        Handovers.ackMethod,
        Handovers.listMethod,
        LostAndFound.foundMethod,
        LostAndFound.claimMethod,
        LostAndFound.listMethod,
        Incidents.recordMethod,
        Incidents.listMethod,
    ]

    /// The `[plugins.desk]` section.
    let config: DeskConfig

    /// Reads `[plugins.desk]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try DeskConfig(config)
    }
}

/// A write call of this department.
typealias DeskWrite = WriteContext<DeskPlugin>
/// A read call of this department.
typealias DeskRead = ReadContext<DeskPlugin>
