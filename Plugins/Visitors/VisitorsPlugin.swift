import Foundation
import ReceptionPluginSDK

/// The visitors' desk (访客登记): every visitor to a resident registers with an identity
/// document, waits for the resident's consent at the intercom or by phone, and leaves by the
/// curfew (23:00) unless the resident registers them for the night with a state-issued
/// document. Residents announce visitors, leave messages and keys for them; a resident who is
/// away may have a visitor let in with the security office's spare key, on a signed letter.
///
/// Methods (`protocol.md`, section "visitors", has requests and replies): `visitors.register`,
/// `visitors.contact`, `visitors.leaveMessage`, `visitors.messages`, `visitors.deliverMessage`,
/// `visitors.expect`, `visitors.signOut`, `visitors.get`, `visitors.onSite`, `visitors.overstays`,
/// `visitors.overnight`, `visitors.overnightList`, `visitors.documents`,
/// `visitors.spareKey.request`, `.letter`, `.escort`, `.lockUp`, `visitors.keys.deposit`,
/// `visitors.keys.handOver` (on the access plugin's key register), and `visitors.sweep` (role
/// system: the minute job that marks overstays once).
///
/// Identity numbers never leave the call that reads them: a document is stored as its type and
/// last four characters, with the facts that it was seen and copied.
public struct VisitorsPlugin: DepartmentPlugin {
    /// `visitors`: the prefix of every method and event topic.
    public static let name = "visitors"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary =
        "Visitors: register them with a document, reach the host, see them out by the curfew or register the night."

    /// One event per change; `visitors.overstay` once per visit still on site at its curfew.
    public enum Topic: String, EventTopic {
        case registered = "visitors.registered"
        case noAnswer = "visitors.noAnswer"
        case admitted = "visitors.admitted"
        case refused = "visitors.refused"
        case signedOut = "visitors.signedOut"
        case overstay = "visitors.overstay"
        case overnight = "visitors.overnight"
        case message = "visitors.message"
        case messageDelivered = "visitors.messageDelivered"
        case expected = "visitors.expected"
        case spareKeyRequested = "visitors.spareKey.requested"
        case spareKeyLetter = "visitors.spareKey.letter"
        case spareKeyEscorted = "visitors.spareKey.escorted"
        case spareKeyLockedUp = "visitors.spareKey.lockedUp"
        case keyDeposited = "visitors.key.deposited"
        case keyHandedOver = "visitors.key.handedOver"

        /// What `receptionctl watch` prints for each event.
        public var line: EventLine {
            switch self {
            case .registered:
                EventLine(
                    "{visit} {name} ({idType} ending {idLast4}, party of {party}) to see {hostName}, {hostUnit}[ by {registeredBy}]",
                    zh: "{visit} 访客{name}（{idType}，尾号 {idLast4}，共 {party} 人）来访{hostUnit} {hostName}[，经办 {registeredBy}]"
                )
            case .noAnswer:
                EventLine(
                    "{visit.visit} {visit.hostUnit} did not answer ({channel})",
                    zh: "{visit.visit} {visit.hostUnit} 无人应答（{channel}）")
            case .admitted:
                EventLine(
                    "{visit} {name} admitted to {hostUnit} ({doorOpenedBy}), leaves by {leaveBy}",
                    zh: "{visit} 访客{name}已放行至{hostUnit}（{doorOpenedBy}），须于 {leaveBy} 前离开")
            case .refused:
                EventLine(
                    "{visit} {hostName}, {hostUnit} refused {name}", zh: "{visit} {hostUnit} {hostName}拒绝访客{name}来访")
            case .signedOut:
                EventLine(
                    "{visit} {name} left {hostUnit}[ at {signedOutAt}]",
                    zh: "{visit} 访客{name}已离开{hostUnit}[，{signedOutAt}]")
            case .overstay:
                EventLine(
                    "{visit} {name} is still at {hostUnit} past {leaveBy}: the host brings them to the desk",
                    zh: "{visit} 访客{name}超过 {leaveBy} 仍在{hostUnit}：请住户带访客到前台登记")
            case .overnight:
                EventLine(
                    "{visit} {name} stays {nights} night(s) at {hostUnit} from {nightOf} ({nightIdType} ending {nightIdLast4}), host signed",
                    zh: "{visit} 访客{name}留宿{hostUnit} {nights} 晚，自 {nightOf} 起（{nightIdType}，尾号 {nightIdLast4}），住户已签字")
            case .message:
                EventLine(
                    "{message} message from {name} for {hostName}, {hostUnit}",
                    zh: "{message} 访客{name}给{hostUnit} {hostName}留言")
            case .messageDelivered:
                EventLine(
                    "{message} handed to {deliveredTo}[ by {deliveredBy}]",
                    zh: "{message} 留言已转交{deliveredTo}[，经办 {deliveredBy}]")
            case .expected:
                EventLine(
                    "{expected} {hostName}, {hostUnit} expects {name} from {from} to {to}",
                    zh: "{expected} {hostUnit} {hostName}预约访客{name}，{from} 至 {to}")
            case .spareKeyRequested:
                EventLine(
                    "{entry} spare-key entry to {hostUnit} asked of {hostName} for visit {visit}",
                    zh: "{entry} 已向{hostName}申请用备用钥匙为访客开{hostUnit}的门（{visit}）")
            case .spareKeyLetter:
                EventLine(
                    "{entry} confirmation letter {letterRef} received ({letterVia})",
                    zh: "{entry} 已收到确认函 {letterRef}（{letterVia}）")
            case .spareKeyEscorted:
                EventLine(
                    "{entry} {staff} opened {hostUnit} with the spare key and returned it to the security office",
                    zh: "{entry} {staff}用备用钥匙打开{hostUnit}，钥匙已交回保安室")
            case .spareKeyLockedUp:
                EventLine(
                    "{entry} {hostUnit} locked up[ by {lockUpStaff}]", zh: "{entry} {hostUnit} 已锁门[，{lockUpStaff}]")
            case .keyDeposited:
                EventLine(
                    "{deposit} {hostName}, {hostUnit} left key {tag} (hook {hook}) for {name}",
                    zh: "{deposit} {hostUnit} {hostName}寄存钥匙 {tag}（挂钩 {hook}），留给{name}")
            case .keyHandedOver:
                EventLine(
                    "{deposit} key {tag} handed to {name} ({handoverIdType} ending {handoverIdLast4}), who signed",
                    zh: "{deposit} 钥匙 {tag} 已交给{name}（{handoverIdType}，尾号 {handoverIdLast4}），访客已签字")
            }
        }
    }

    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = VisitorsMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<VisitorsPlugin>] = [
        Arrivals.registerMethod,
        Arrivals.contactMethod,
        Messages.leaveMethod,
        Messages.listMethod,
        Messages.deliverMethod,
        Announcements.expectMethod,
        Arrivals.signOutMethod,
        OnSite.getMethod,
        OnSite.onSiteMethod,
        OnSite.overstaysMethod,
        Night.overnightMethod,
        Night.overnightListMethod,
        Night.sweepMethod,
        Documents.method,
        SpareKey.requestMethod,
        SpareKey.letterMethod,
        SpareKey.escortMethod,
        SpareKey.lockUpMethod,
        Keys.depositMethod,
        Keys.handOverMethod,
    ]

    /// The `[plugins.visitors]` section.
    let config: VisitorsConfig
    /// The minute job's timer (see ``started(background:)``).
    let ticker = RecurringWork(method: "visitors.sweep")

    /// Reads `[plugins.visitors]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try VisitorsConfig(config)
    }

    /// Starts the minute job when the daemon is ready: a timer of the plugin's own submits
    /// `visitors.sweep` at once and then every minute.
    public func started(background: BackgroundWork) {
        ticker.start(background)
    }

    /// Stops the minute job.
    public func shutdown(within grace: Duration) { ticker.stop() }
}

/// A write call of this department.
typealias VisitorsWrite = WriteContext<VisitorsPlugin>

/// `visitors.documents`: the identity documents the desk accepts.
enum Documents {
    /// `visitors.documents {}` → `{"documents": [{"idType", "en", "zh", "overnight"}]}`.
    static let method: Method<VisitorsPlugin> = .read(
        "visitors.documents",
        "The identity documents the desk accepts, with their labels; overnight marks the state-issued ones that count for a night's stay.",
        zh: "前台受理的证件类型及名称；overnight 为可用于留宿登记的国家签发证件。",
        display: DisplayHints(title: "idType", list: "documents", columns: ["idType", "zh", "overnight"])
    ) { (plugin, _: NoParams, _) -> JSONValue in
        ["documents": .array(plugin.config.documents.map(\.json))]
    }
}
