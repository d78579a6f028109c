import ReceptionPluginSDK

/// The utility prepurchase desk (预购电/预购气): residents prepay electricity, gas or water at the
/// counter and leave their card; once a week an agent (代办人) takes the batch to the utility's
/// office and brings back cards, receipts and the leftover cash, which residents then collect.
/// The books balance to the fen at every handover.
///
/// Methods (`protocol.md`, section "utilities", has requests and replies):
/// `utilities.request`, `utilities.cancel`, `utilities.batches.create`, `utilities.batches.return`,
/// `utilities.collect`, `utilities.cashOnHand`, `utilities.get`, `utilities.list`,
/// `utilities.batches.get`, `utilities.batches.list`, `utilities.report`. Every change emits an
/// event under `utilities.`.
public struct UtilitiesPlugin: DepartmentPlugin {
    /// `utilities`: the prefix of every method and event topic.
    public static let name = "utilities"
    /// Shown by `daemon.status`.
    public static let version = "1.0.0"
    /// Shown by `daemon.status`.
    public static let summary =
        "Utility prepurchase: take residents' cash and cards, hand batches to the agent, give back cards and leftovers."

    /// One event per change; `utilities.returned` once per request of a returned batch.
    public enum Topic: String, EventTopic {
        case requested = "utilities.requested"
        case batched = "utilities.batched"
        case returned = "utilities.returned"
        case collected = "utilities.collected"
        case cancelled = "utilities.cancelled"

        /// What `receptionctl watch` prints for each event. `utilities.returned` says "bought" or
        /// "failed" through which members are set (a bracketed part needs all its members), so
        /// the words are the template's own in both languages.
        public var line: EventLine {
            switch self {
            case .requested:
                EventLine(
                    "{number} {utility} for {unit} ({payer}): {cash} received[ for {quantity}][ by {operator}]",
                    zh: "{number} {unit} {payer} 预购{utility}，收现金 {cash}[，数量 {quantity}][，经办 {operator}]")
            case .batched:
                EventLine(
                    "batch {batch}: {count} requests and {cashOut} in cash handed to {agent}[ by {operator}]",
                    zh: "第 {batch} 批：{count} 笔、现金 {cashOut} 已交代办人{agent}[，经办 {operator}]")
            case .returned:
                EventLine(
                    "{number} back from the agent[: bought {credited} for {spent}][: failed ({failureReason})][ by {operator}]",
                    zh: "{number} 代办回来[：已购 {credited}，花费 {spent}][：代办失败（{failureReason}）][，经办 {operator}]")
            case .collected:
                EventLine(
                    "{request.number} collected by {request.collectedBy}, {handOver} handed over[ by {operator}]",
                    zh: "{request.number} 已由{request.collectedBy}领取，退还现金 {handOver}[，经办 {operator}]")
            case .cancelled:
                EventLine(
                    "{number} cancelled, {paidOut} paid back to {payer}[ by {operator}]",
                    zh: "{number} 已取消，退还{payer}现金 {paidOut}[，经办 {operator}]")
            }
        }
    }

    /// The tables and indexes (see `Migrations.swift`).
    public static let migrations = UtilitiesMigrations.all

    /// Every method, in the order `daemon.methods` lists them.
    public static let methods: [Method<UtilitiesPlugin>] = [
        Requests.requestMethod,
        Requests.cancelMethod,
        Batches.createMethod,
        Batches.returnMethod,
        Requests.collectMethod,
        CashOnHand.method,
        Queries.getMethod,
        Queries.listMethod,
        Queries.batchGetMethod,
        Queries.batchListMethod,
        Report.method,
    ]

    /// The `[plugins.utilities]` section.
    let config: UtilitiesConfig

    /// Reads `[plugins.utilities]` strictly.
    public init(config: PluginConfig) throws(RPCError) {
        self.config = try UtilitiesConfig(config)
    }
}

/// A write call of this department.
typealias UtilitiesWrite = WriteContext<UtilitiesPlugin>
/// A read call of this department.
typealias UtilitiesRead = ReadContext<UtilitiesPlugin>

/// Money members of utilities results, for display hints.
enum Money {
    /// A request.
    static let request = ["cash", "spent", "owed", "paidOut"]
    /// A batch and its requests.
    static let batch = ["cashOut", "cashBack", "spent", "cash", "owed", "paidOut"]
    /// `utilities.collect`.
    static let collect = request + ["handOver"]
    /// `utilities.cashOnHand`.
    static let cashOnHand = ["cash", "atDesk", "owed"]
    /// `utilities.report`.
    static let report = ["cash", "spent", "paidOut", "refunded", "owed"]
}
