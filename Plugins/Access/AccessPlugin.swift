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

        /// What `receptionctl watch` prints for each event (members of its data, and who made the change).
        public var line: EventLine {
            switch self {
            case .badgeIssued:
                EventLine(
                    "pass {badge.number} ({badge.kind}) issued to {badge.holder}, {badge.unit}; receipt {receipt.number} {receipt.total}[ by {operator}]",
                    zh:
                        "已为{badge.unit} {badge.holder}办理出入证 {badge.number}（{badge.kind}），收据 {receipt.number} {receipt.total}[，经办 {operator}]"
                )
            case .badgeRenewed:
                EventLine(
                    "pass {badge.number} of {badge.holder} renewed until {badge.validUntil}; receipt {receipt.number} {receipt.total}[ by {operator}]",
                    zh:
                        "{badge.holder}的出入证 {badge.number} 已续期至 {badge.validUntil}，收据 {receipt.number} {receipt.total}[，经办 {operator}]"
                )
            case .badgeReturned:
                EventLine(
                    "pass {badge.number} of {badge.holder} returned, {refund} refunded[ by {operator}]",
                    zh: "{badge.holder}的出入证 {badge.number} 已交回，退还 {refund}[，经办 {operator}]")
            case .badgeLost:
                EventLine(
                    "pass {badge.number} of {badge.holder} reported lost, {forfeited} forfeited[ by {operator}]",
                    zh: "{badge.holder}的出入证 {badge.number} 已挂失，没收押金 {forfeited}[，经办 {operator}]")
            case .badgeRevoked:
                EventLine(
                    "pass {badge.number} of {badge.holder} revoked[: {badge.revokeReason}][ by {operator}]",
                    zh: "{badge.holder}的出入证 {badge.number} 已注销[（{badge.revokeReason}）][，经办 {operator}]")
            case .keyRegistered:
                EventLine(
                    "key {key.tag} registered on hook {key.hook}[ by {operator}]",
                    zh: "钥匙 {key.tag} 已登记，挂钩 {key.hook}[，经办 {operator}]")
            case .keyRetired:
                EventLine(
                    "key {key.tag} retired[: {key.retireReason}][ by {operator}]",
                    zh: "钥匙 {key.tag} 已停用[（{key.retireReason}）][，经办 {operator}]")
            case .keyOut:
                EventLine(
                    "key {key.tag} lent to {key.borrower}, due back {key.dueBack}[; deposit {receipt.deposit}][ by {operator}]",
                    zh: "钥匙 {key.tag} 已借给{key.borrower}，应于 {key.dueBack} 归还[，押金 {receipt.deposit}][，经办 {operator}]")
            case .keyIn:
                EventLine(
                    "key {key.tag} back from {loan.borrower}[, {refund} refunded][ by {operator}]",
                    zh: "钥匙 {key.tag} 已由{loan.borrower}归还[，退还 {refund}][，经办 {operator}]")
            case .keyReconciled:
                EventLine(
                    "key count: {matched} of {registered} keys on their hooks, {counted} counted[ by {operator}]",
                    zh: "钥匙盘点：登记 {registered} 把，在位 {matched} 把，清点 {counted} 把[，经办 {operator}]")
            }
        }
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
