import Foundation
import ReceptionPluginSDK

/// The `[plugins.access]` config section, read strictly (an unknown key stops the plugin from
/// loading with a message naming it). All money is integer minor units (fen / cents).
///
/// ```toml
/// [plugins.access]
/// refund_deposit_on_loss = false   # a lost badge's deposit is forfeited
/// receipt_prefix = "AC"            # receipts AC20261126-0001, ...
/// key_deposit_minimum = 1          # smallest deposit an external key borrower gives
///
/// [plugins.access.kinds.tenant]    # the built-in kinds take the same keys as new ones
/// fee = 500
/// deposit = 1000
/// renewal_fee = 200
/// max_validity_months = 12
///
/// [plugins.access.kinds.parking]   # a further kind
/// fee = 2000
/// deposit = 5000
/// renewal_fee = 2000
/// max_validity_days = 366
/// number_prefix = "P"
/// ```
struct AccessConfig: Sendable {
    /// The kinds of badge, by name.
    let kinds: [String: BadgeKind]
    /// Kind names: the built-in ones first, then the configured ones in name order.
    let kindNames: [String]
    /// Whether reporting a badge lost refunds its deposit (default: forfeited).
    let refundDepositOnLoss: Bool
    /// The letters before every receipt number.
    let receiptPrefix: String
    /// The smallest deposit an external key borrower may give.
    let keyDepositMinimum: Int64

    /// Largest amount of any fee or deposit: 1,000,000.00.
    static let maxAmount: Int64 = 100_000_000

    init(_ config: PluginConfig) throws(RPCError) {
        refundDepositOnLoss = try config.bool("refund_deposit_on_loss", default: false)
        let prefix = try config.string("receipt_prefix", default: "AC")
        guard (1...8).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw RPCError.validation(
                field: "[plugins.access].receipt_prefix",
                "[plugins.access] receipt_prefix must be 1 to 8 ASCII letters or digits, got \"\(prefix)\"")
        }
        receiptPrefix = prefix.uppercased()
        keyDepositMinimum = try config.int("key_deposit_minimum", default: 1, in: 1...Self.maxAmount)

        var kinds: [String: BadgeKind] = [:]
        for kind in BadgeKind.builtIn { kinds[kind.name] = kind }
        var extra: [String] = []
        if let raw = config.raw("kinds") {
            guard let tables = raw.objectValue else {
                throw RPCError.validation(
                    field: "[plugins.access].kinds",
                    "[plugins.access] kinds must be tables: write [plugins.access.kinds.<name>]")
            }
            for name in tables.keys.sorted() {
                let section = "[plugins.access.kinds.\(name)]"
                guard BadgeKind.isValidName(name) else {
                    throw RPCError.validation(
                        field: section,
                        "\(section): a kind name is a lowercase letter then up to 31 lowercase letters, digits or _")
                }
                guard let members = tables[name]?.objectValue else {
                    throw RPCError.validation(field: section, "\(section) must be a table")
                }
                let kind = try BadgeKind(
                    name: name, config: PluginConfig(members, section: section), defaults: kinds[name])
                if kinds[name] == nil { extra.append(name) }
                kinds[name] = kind
            }
        }
        self.kinds = kinds
        kindNames = BadgeKind.builtIn.map(\.name) + extra
        try config.finish()
    }

    /// The rules of `name`, or a validation error listing the kinds there are.
    func kind(_ name: String, field: String = "kind") throws(RPCError) -> BadgeKind {
        guard let kind = kinds[name] else {
            throw RPCError(
                .validation, "\(field) must be one of \(kindNames.joined(separator: ", ")), got \"\(name)\"",
                field: field, details: ["kinds": .array(kindNames.map { .string($0) })]
            ).localized(
                "zh", "没有“\(name)”这种卡，可办的有：" + kindNames.map(AccessPlugin.kindChoiceInChinese).joined(separator: "、"))
        }
        return kind
    }
}

/// How long a badge of a kind may be valid, counted from the day it is issued or renewed.
enum MaxValidity: Sendable, CustomStringConvertible {
    /// Calendar months (a tenant pass: 12, "never more than one year").
    case months(Int)
    /// Days.
    case days(Int)

    /// The last allowed `validUntil` for a badge issued or renewed on `today`.
    func latest(from today: CivilDate) -> CivilDate {
        let date: CivilDate?
        switch self {
        case .months(let months): date = today.adding(months: months)
        case .days(let days): date = today.adding(days: days)
        }
        return date ?? today
    }

    /// `12 months`, `90 days`.
    var description: String {
        switch self {
        case .months(let months): return months == 1 ? "1 month" : "\(months) months"
        case .days(let days): return days == 1 ? "1 day" : "\(days) days"
        }
    }

    /// ``description`` in Chinese: `12 个月`, `90 天`.
    var chineseDescription: String {
        switch self {
        case .months(let months): return "\(months) 个月"
        case .days(let days): return "\(days) 天"
        }
    }

    /// The wire form: `{"months": 12}` or `{"days": 90}`.
    var json: JSONValue {
        switch self {
        case .months(let months): return ["months": .int(Int64(months))]
        case .days(let days): return ["days": .int(Int64(days))]
        }
    }
}

/// A kind of badge and its money and validity rules. The rules particular to the built-in
/// kinds (a resident pass goes to the owner or on the owner's authorisation, a tenant pass needs
/// a lease, a contractor pass a sponsor) are in ``BadgeRules``; a configured kind has only fee,
/// deposit, renewal fee and maximum validity.
struct BadgeKind: Sendable {
    /// `resident`, `tenant`, `contractor`, or a configured name.
    let name: String
    /// Charged when the badge is issued.
    let fee: Int64
    /// Taken when the badge is issued, refunded when it is handed back.
    let deposit: Int64
    /// Charged for each renewal (the deposit is kept).
    let renewalFee: Int64
    /// The longest validity from the day of issue or renewal.
    let maxValidity: MaxValidity
    /// The letters of numbers assigned to this kind (`T000001`).
    let numberPrefix: String

    /// The kinds every property has, with the issue's default amounts.
    static let builtIn = [
        BadgeKind(
            name: "resident", fee: 0, deposit: 0, renewalFee: 0, maxValidity: .months(60), numberPrefix: "R"),
        BadgeKind(
            name: "tenant", fee: 500, deposit: 1000, renewalFee: 200, maxValidity: .months(12), numberPrefix: "T"),
        BadgeKind(
            name: "contractor", fee: 500, deposit: 1000, renewalFee: 500, maxValidity: .months(3), numberPrefix: "C"
        ),
    ]

    /// Whether `name` can name a kind: `^[a-z][a-z0-9_]{0,31}$`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 32,
            ("a"..."z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    init(name: String, fee: Int64, deposit: Int64, renewalFee: Int64, maxValidity: MaxValidity, numberPrefix: String) {
        self.name = name
        self.fee = fee
        self.deposit = deposit
        self.renewalFee = renewalFee
        self.maxValidity = maxValidity
        self.numberPrefix = numberPrefix
    }

    /// A kind from its config table; `defaults` are the built-in kind's values when it overrides one.
    init(name: String, config: PluginConfig, defaults: BadgeKind?) throws(RPCError) {
        self.name = name
        fee = try config.int("fee", default: defaults?.fee ?? 0, in: 0...AccessConfig.maxAmount)
        deposit = try config.int("deposit", default: defaults?.deposit ?? 0, in: 0...AccessConfig.maxAmount)
        renewalFee = try config.int("renewal_fee", default: defaults?.renewalFee ?? fee, in: 0...AccessConfig.maxAmount)
        var days: Int64?
        if config.raw("max_validity_days") != nil {
            days = try config.int("max_validity_days", default: 1, in: 1...36_600)
        }
        var months: Int64?
        if config.raw("max_validity_months") != nil {
            months = try config.int("max_validity_months", default: 1, in: 1...1200)
        }
        switch (days, months) {
        case (.some, .some):
            throw RPCError.validation(
                field: "[plugins.access.kinds.\(name)].max_validity_days",
                "[plugins.access.kinds.\(name)]: give max_validity_days or max_validity_months, not both")
        case (.some(let days), nil): maxValidity = .days(Int(days))
        case (nil, .some(let months)): maxValidity = .months(Int(months))
        case (nil, nil): maxValidity = defaults?.maxValidity ?? .days(365)
        }
        let prefix = try config.string(
            "number_prefix", default: defaults?.numberPrefix ?? String(name.prefix(1)).uppercased())
        guard (1...4).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw RPCError.validation(
                field: "[plugins.access.kinds.\(name)].number_prefix",
                "[plugins.access.kinds.\(name)] number_prefix must be 1 to 4 ASCII letters or digits")
        }
        numberPrefix = prefix.uppercased()
        try config.finish()
    }

    /// The wire form, for `access.kinds`.
    var json: JSONValue {
        [
            "name": .string(name), "fee": .int(fee), "deposit": .int(deposit), "renewalFee": .int(renewalFee),
            "maxValidity": maxValidity.json, "numberPrefix": .string(numberPrefix),
            "builtIn": .bool(BadgeKind.builtIn.contains { $0.name == name }),
        ]
    }
}
