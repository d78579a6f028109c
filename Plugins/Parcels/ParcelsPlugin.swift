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
