import ReceptionPluginSDK

/// The `[plugins.utilities]` config section, read strictly (an unknown key stops the plugin from
/// loading with a message naming it). Money is integer fen.
///
/// ```toml
/// [plugins.utilities]
/// report_day = 28          # utilities.report's month ends on this day (1-28): 29th to 28th
/// max_batch = 500          # most requests one batch hands to the agent
/// max_cash = 1000000       # largest cash of one request (fen): 10,000.00
///
/// [plugins.utilities.utilities.electricity]   # this table replaces the default list
/// unit = "kWh"
/// en = "Electricity"
/// zh = "电"
///
/// [plugins.utilities.utilities.gas]
/// unit = "m³"
/// en = "Gas"
/// zh = "燃气"
/// ```
struct UtilitiesConfig: Sendable {
    /// A utility the desk buys credit for.
    struct Utility: Sendable, Equatable {
        /// Its wire name (`electricity`).
        let name: String
        /// The unit of its quantities (`kWh`, `m³`).
        let unit: String
        /// Its English label.
        let english: String
        /// Its Chinese label (`电`).
        let chinese: String
    }

    /// The utilities when none are configured.
    static let defaultUtilities = [
        Utility(name: "electricity", unit: "kWh", english: "Electricity", chinese: "电"),
        Utility(name: "gas", unit: "m³", english: "Gas", chinese: "燃气"),
        Utility(name: "water", unit: "m³", english: "Water", chinese: "水"),
    ]

    /// The utilities, in name order (the default list in its own order).
    let utilities: [Utility]
    /// The last day of a report period (the period runs from the day after it in the month before).
    let reportDay: Int
    /// Most requests in one batch.
    let maxBatch: Int
    /// Largest cash of one request, in fen.
    let maxCash: Int64

    /// The largest `max_cash` a desk may configure: 1,000,000.00.
    static let maxCashCeiling: Int64 = 100_000_000

    /// Reads the section; a bad value or an unknown key is a validation error naming it.
    init(_ config: PluginConfig) throws(RPCError) {
        reportDay = Int(try config.int("report_day", default: 28, in: 1...28))
        maxBatch = Int(try config.int("max_batch", default: 500, in: 1...5000))
        maxCash = try config.int("max_cash", default: 1_000_000, in: 1...Self.maxCashCeiling)
        if let raw = config.raw("utilities") {
            guard let tables = raw.objectValue, !tables.isEmpty else {
                throw RPCError.validation(
                    field: "[plugins.utilities].utilities",
                    "[plugins.utilities] utilities must be tables: write [plugins.utilities.utilities.<name>]")
            }
            var utilities: [Utility] = []
            for name in tables.keys.sorted() {
                let section = "[plugins.utilities.utilities.\(name)]"
                guard Self.isValidName(name) else {
                    throw RPCError.validation(
                        field: section,
                        "\(section): a utility's name is a lowercase letter then up to 31 lowercase letters, digits or _"
                    )
                }
                guard let members = tables[name]?.objectValue else {
                    throw RPCError.validation(field: section, "\(section) must be a table")
                }
                let table = PluginConfig(members, section: section)
                let known = Self.defaultUtilities.first { $0.name == name }
                let unit = try table.string("unit", default: known?.unit ?? "")
                guard !unit.isEmpty, unit.count <= 16 else {
                    throw RPCError.validation(
                        field: section + ".unit", "\(section) unit must be 1 to 16 characters (kWh, m³)")
                }
                let english = try table.string("en", default: known?.english ?? name)
                let chinese = try table.string("zh", default: known?.chinese ?? name)
                try table.finish()
                utilities.append(Utility(name: name, unit: unit, english: english, chinese: chinese))
            }
            self.utilities = utilities
        } else {
            utilities = Self.defaultUtilities
        }
        try config.finish()
    }

    /// Whether `name` may name a utility.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The utility `name` names, or a validation error on `field` listing the configured ones.
    func utility(_ name: String, field: String = "utility") throws(RPCError) -> Utility {
        guard let utility = utilities.first(where: { $0.name == name }) else {
            let names = utilities.map(\.name)
            throw RPCError(
                .validation, "\(field) must be one of \(names.joined(separator: ", ")), got \"\(name)\"", field: field,
                details: ["rule": "configured_utility", "utilities": .array(names.map { .string($0) })]
            ).localized(
                "zh", "没有“\(name)”这项代缴，可办的有：" + utilities.map { "\($0.chinese)（\($0.name)）" }.joined(separator: "、"))
        }
        return utility
    }
}
