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
    public static let name = "access"
    public static let version = "1.0.0"
    public static let summary = "Access badges and key custody: issue passes, keep the deposit ledger, lend keys."

    /// One event per change.
    public enum Topic: String, EventTopic {
        case badgeIssued = "access.badge.issued"
        case badgeRenewed = "access.badge.renewed"
        case badgeReturned = "access.badge.returned"
        case badgeLost = "access.badge.lost"
        case badgeRevoked = "access.badge.revoked"
        case keyRegistered = "access.key.registered"
        case keyRetired = "access.key.retired"
        case keyOut = "access.key.out"
        case keyIn = "access.key.in"
        case keyReconciled = "access.key.reconciled"
    }

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

/// The context of a state-changing access call.
typealias AccessWrite = WriteContext<AccessPlugin>

/// Money members of access results, for display hints: badges, receipts, loans, ledger totals.
enum Money {
    /// A badge (`fee`, `deposit`, `feesPaid`) with its receipt.
    static let badge = ["fee", "deposit", "feesPaid", "refund", "forfeited", "total"]
    /// A key (its loan's `deposit`) with its receipt.
    static let key = ["deposit", "fee", "refund", "forfeited", "total"]
}
