import ReceptionPluginSDK

/// The mail and parcels desk: signs for what couriers and the post bring, keeps it on a shelf
/// under a short pickup code, tells the recipient, and hands it out against a signature.
///
/// Methods (`protocol.md`, section "parcels", has requests and replies):
/// `parcels.receive`, `parcels.receiveBatch`, `parcels.get`, `parcels.pending`, `parcels.list`,
/// `parcels.notify`, `parcels.remind`, `parcels.pickup`, `parcels.return`, `parcels.amend`,
/// `parcels.overdue`, `parcels.stats`. Every change emits an event under `parcels.`.
public struct ParcelsPlugin: DepartmentPlugin {
    /// `parcels`: the prefix of every method and event topic.
    public static let name = "parcels"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary = "Mail and parcels: sign for items, notify recipients, hand out against a signature."

    /// One event per change, carrying the item (`parcels.amended` adds `changes`).
    public enum Topic: String, EventTopic {
        case received = "parcels.received"
        case notified = "parcels.notified"
        case reminded = "parcels.reminded"
        case collected = "parcels.collected"
        case returned = "parcels.returned"
        case amended = "parcels.amended"

        /// What `receptionctl watch` prints for each event (the item's members, and who made the change).
        public var line: EventLine {
            switch self {
            case .received:
                EventLine(
                    "{code} {kind} for {recipient} received[ at {workstation}][ by {operator}]",
                    zh: "{code} {recipient}的{kind}已签收[，{workstation}][，经办 {operator}]")
            case .notified:
                EventLine(
                    "{code} {kind} for {recipient}: recipient notified[ via {notifyChannel}][ by {operator}]",
                    zh: "{code} 已通知{recipient}领取{kind}[（{notifyChannel}）][，经办 {operator}]")
            case .reminded:
                EventLine(
                    "{code} {kind} for {recipient}: reminder sent[ via {notifyChannel}][ by {operator}]",
                    zh: "{code} 已提醒{recipient}领取{kind}[（{notifyChannel}）][，经办 {operator}]")
            case .collected:
                EventLine(
                    "{code} {kind} for {recipient} collected by {collectedBy}[ at {workstation}][, handed out by {operator}]",
                    zh: "{code} {recipient}的{kind}已由{collectedBy}领取[，{workstation}][，经办 {operator}]")
            case .returned:
                EventLine(
                    "{code} {kind} for {recipient} returned to sender[ ({returnReason})][ by {operator}]",
                    zh: "{code} {recipient}的{kind}已退回[（{returnReason}）][，经办 {operator}]")
            case .amended:
                EventLine(
                    "{code} {kind} for {recipient} corrected[ at {workstation}][ by {operator}]",
                    zh: "{code} {recipient}的{kind}已更正[，{workstation}][，经办 {operator}]")
            }
        }
    }

    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = ParcelsMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<ParcelsPlugin>] = [
        Receive.receiveMethod,
        Receive.receiveBatchMethod,
        Lookup.getMethod,
        Lookup.pendingMethod,
        RecipientSearch.method,
        Lookup.listMethod,
        Lookup.overdueMethod,
        Counts.countsMethod,
        Lifecycle.notifyMethod,
        Lifecycle.remindMethod,
        Pickup.method,
        Lifecycle.returnMethod,
        Lifecycle.amendMethod,
        Stats.method,
        Notifier.recordMethod,
    ]

    /// The `[plugins.parcels]` section.
    let config: ParcelsConfig

    /// Reads `[plugins.parcels]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try ParcelsConfig(config)
    }

    /// Runs the configured notifier for each committed notification or reminder.
    /// Only notifications and reminders run the notifier: no other commit is handed over.
    public static let committedTopics: [Topic]? = [.notified, .reminded]

    public func committed(_ events: [CommittedEvent], background: BackgroundWork) {
        guard let command = config.notifier else { return }
        for event in events where event.topic == Topic.notified.rawValue || event.topic == Topic.reminded.rawValue {
            Notifier.run(command, event: event, background: background)
        }
    }

    /// Lets the notifier finish the runs already queued, so their outcomes are recorded.
    public func shutdown(within grace: Duration) {
        Notifier.drain(within: grace)
    }
}
