import ReceptionPluginSDK

/// Access badges and key custody: the passes the desk issues (resident, tenant, contractor and
/// configured kinds), the money they take and give back, and the keys the desk holds in trust.
///
/// Methods (`protocol.md`, section "access", has requests and replies):
/// `access.badges.issue`, `.renew`, `.return`, `.reportLost`, `.revoke`, `.get`, `.list`,
/// `.verify`; `access.ledger`; `access.kinds`; `access.keys.register`, `.retire`, `.checkout`,
/// `.checkin`, `.list`, `.reconcile`, `.reconciliations`. Every change emits an event under
/// `access.`. Identity numbers are stored in full but shown in full only in replies to admins:
/// events, log lines, audit records and operators' replies carry the last four characters.
public struct AccessPlugin: DepartmentPlugin {
    /// `access`: the prefix of every method and event topic.
    public static let name = "access"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary = "Access badges and key custody: issue passes, keep the deposit ledger, lend keys."
    /// One event per change.
    public static let topics = [
        "access.badge.issued", "access.badge.renewed", "access.badge.returned", "access.badge.lost",
        "access.badge.revoked", "access.key.registered", "access.key.retired", "access.key.out", "access.key.in",
        "access.key.reconciled",
    ]
    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = AccessMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<AccessPlugin>] = [
        BadgeIssue.method,
        BadgeLifecycle.renewMethod,
        BadgeLifecycle.returnMethod,
        BadgeLifecycle.reportLostMethod,
        BadgeLifecycle.revokeMethod,
        BadgeQueries.getMethod,
        BadgeQueries.listMethod,
        BadgeQueries.verifyMethod,
        BadgeQueries.kindsMethod,
        Ledger.method,
        KeyRegister.registerMethod,
        KeyRegister.retireMethod,
        KeyLending.checkoutMethod,
        KeyLending.checkinMethod,
        KeyRegister.listMethod,
        Reconcile.reconcileMethod,
        Reconcile.listMethod,
    ]

    /// The `[plugins.access]` section.
    let config: AccessConfig

    /// Reads `[plugins.access]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try AccessConfig(config)
    }
}
