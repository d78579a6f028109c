import ReceptionPluginSDK

/// The `[plugins.cases]` config section, read strictly (an unknown key stops the plugin from
/// loading with a message naming it). Money is integer fen; due times are minutes.
///
/// ```toml
/// [plugins.cases]
/// report_day = 28            # cases.report's period ends on this day (1-28): 29th to 28th
/// services_report_day = 30   # the special services' period ends on this day (1-31, the month's last at most)
/// categories = ["after_sales", "repair", "complaint", "service", "praise", "suggestion", "other"]
/// areas = ["security", "cleaning", "landscaping", "maintenance", "mail", "renovation", "staff_attitude", "other"]
/// departments = ["engineering", "security", "cleaning", "landscaping", "after_sales"]
///
/// [plugins.cases.due_minutes.repair]     # a work order's due time after dispatch, by urgency
/// normal = 1440
/// urgent = 240
/// emergency = 30
///
/// [plugins.cases.services.housekeeping]  # this table replaces the default price list
/// price = 8000
/// en = "Housekeeping (2 hours)"
/// zh = "家政保洁（2小时）"
/// ```
struct CasesConfig: Sendable {
    /// A special service on the price list.
    struct Service: Sendable, Equatable {
        /// Its wire name (`housekeeping`).
        let name: String
        /// Its price in fen.
        let price: Int64
        /// Its English label.
        let english: String
        /// Its Chinese label.
        let chinese: String
    }

    /// The categories of a case when none are configured (售后 报修 投诉 服务 表扬 建议 其它).
    static let defaultCategories = ["after_sales", "repair", "complaint", "service", "praise", "suggestion", "other"]
    /// The areas of a complaint when none are configured.
    static let defaultAreas = [
        "security", "cleaning", "landscaping", "maintenance", "mail", "renovation", "staff_attitude", "other",
    ]
    /// The departments a work order goes to when none are configured.
    static let defaultDepartments = ["engineering", "security", "cleaning", "landscaping", "after_sales"]
    /// The price list when none is configured.
    static let defaultServices = [
        Service(name: "carpet_cleaning", price: 15_000, english: "Carpet cleaning", chinese: "地毯清洗"),
        Service(name: "housekeeping", price: 8_000, english: "Housekeeping", chinese: "家政保洁"),
        Service(name: "window_cleaning", price: 6_000, english: "Window cleaning", chinese: "擦玻璃"),
    ]
    /// Minutes from dispatch to due by urgency, for a category with no entry of its own.
    static let standardDue: [Urgency: Int64] = [.normal: 24 * 60, .urgent: 4 * 60, .emergency: 30]
    /// Minutes from dispatch to due by urgency, per category, when none are configured (after-sales
    /// defects go to the developer's team: three days).
    static let defaultDue: [String: [Urgency: Int64]] = [
        "repair": standardDue, "after_sales": [.normal: 3 * 24 * 60, .urgent: 24 * 60, .emergency: 30],
    ]
    /// The most entries of a configured list.
    static let maxListEntries = 50
    /// The largest price of a service: 100,000.00.
    static let maxPrice: Int64 = 10_000_000

    /// The categories, in the configured order.
    let categories: [String]
    /// The complaint areas, in the configured order.
    let areas: [String]
    /// The departments, in the configured order.
    let departments: [String]
    /// The price list, by name.
    let services: [Service]
    /// Due minutes by category and urgency (configured over the defaults).
    let due: [String: [Urgency: Int64]]
    /// The last day of a report period.
    let reportDay: Int
    /// The last day of a special services period (a month's last day when it has fewer).
    let servicesReportDay: Int
    /// The property's zone.
    let zone: LocalTime

    /// Reads the section; a bad value or an unknown key is a validation error naming it.
    init(_ config: PluginConfig) throws(RPCError) {
        reportDay = Int(try config.int("report_day", default: 28, in: 1...28))
        servicesReportDay = Int(try config.int("services_report_day", default: 30, in: 1...31))
        zone = LocalTime(zone: config.timeZone)
        categories = try Self.names(config, "categories", default: Self.defaultCategories)
        areas = try Self.names(config, "areas", default: Self.defaultAreas)
        departments = try Self.names(config, "departments", default: Self.defaultDepartments)
        services = try Self.services(config)
        var due = Self.defaultDue
        if let table = try config.table("due_minutes") {
            for category in table.keys.sorted() {
                let section = "[plugins.cases.due_minutes.\(category)]"
                guard categories.contains(category) else {
                    throw RPCError.validation(
                        field: section,
                        "\(section): \(category) is not a category (categories: \(categories.joined(separator: ", ")))")
                }
                guard let minutes = try table.table(category) else { continue }
                var entry = due[category] ?? Self.standardDue
                for urgency in Urgency.allCases {
                    entry[urgency] = try minutes.int(
                        urgency.rawValue, default: entry[urgency] ?? 24 * 60, in: 1...(90 * 24 * 60))
                }
                try minutes.finish()
                due[category] = entry
            }
            try table.finish()
        }
        self.due = due
        try config.finish()
    }

    /// Minutes from dispatch to due for a case of `category` and `urgency`.
    func dueMinutes(_ category: String, _ urgency: Urgency) -> Int64 {
        due[category]?[urgency] ?? Self.standardDue[urgency] ?? 24 * 60
    }

    /// The service `name` names, or a validation error on `service` listing the price list.
    func service(_ name: String) throws(RPCError) -> Service {
        guard let service = services.first(where: { $0.name == name }) else {
            let names = services.map(\.name)
            throw RPCError(
                .validation, "service must be one of \(names.joined(separator: ", ")), got \"\(name)\"",
                field: "service", details: ["rule": "price_list", "services": .array(names.map { .string($0) })]
            ).localized(
                "zh", "价目表上没有“\(name)”这项服务，可选：" + services.map { "\($0.chinese)（\($0.name)）" }.joined(separator: "、"))
        }
        return service
    }

    /// `value` when `list` has it, else a validation error on `field` naming the list.
    static func member(_ value: String, of list: [String], field: String, chinese: String) throws(RPCError) -> String {
        guard list.contains(value) else {
            throw RPCError(
                .validation, "\(field) must be one of \(list.joined(separator: ", ")), got \"\(value)\"", field: field,
                details: ["rule": .string("configured_\(field)"), "allowed": .array(list.map { .string($0) })]
            ).localized("zh", "\(chinese)只能是 \(list.joined(separator: "、")) 之一，收到的是“\(value)”")
        }
        return value
    }

    /// A configured list of names, or `defaults` when absent.
    private static func names(_ config: PluginConfig, _ key: String, default defaults: [String]) throws(RPCError)
        -> [String]
    {
        guard let raw = config.raw(key) else { return defaults }
        let field = "[plugins.cases].\(key)"
        guard let elements = raw.arrayValue, !elements.isEmpty, elements.count <= maxListEntries else {
            throw RPCError.validation(field: field, "\(field) must be a list of 1 to \(maxListEntries) names")
        }
        var names: [String] = []
        for element in elements {
            guard let name = element.stringValue, isValidName(name), !names.contains(name) else {
                throw RPCError.validation(
                    field: field,
                    "\(field): each name is a lowercase letter then up to 31 lowercase letters, digits or _, once; got \(element.serialized())"
                )
            }
            names.append(name)
        }
        return names
    }

    /// The configured price list, or the default one.
    private static func services(_ config: PluginConfig) throws(RPCError) -> [Service] {
        guard let raw = config.raw("services") else { return defaultServices }
        guard let tables = raw.objectValue, !tables.isEmpty, tables.count <= maxListEntries else {
            throw RPCError.validation(
                field: "[plugins.cases].services",
                "[plugins.cases] services must be tables: write [plugins.cases.services.<name>] with price, en, zh")
        }
        var services: [Service] = []
        for name in tables.keys.sorted() {
            let section = "[plugins.cases.services.\(name)]"
            guard isValidName(name) else {
                throw RPCError.validation(
                    field: section,
                    "\(section): a service's name is a lowercase letter then up to 31 lowercase letters, digits or _")
            }
            guard let members = tables[name]?.objectValue else {
                throw RPCError.validation(field: section, "\(section) must be a table")
            }
            let table = PluginConfig(members, section: section, timeZone: config.timeZone)
            let known = defaultServices.first { $0.name == name }
            let price = try table.int("price", default: known?.price ?? -1, in: -1...maxPrice)
            guard price > 0 else {
                throw RPCError.validation(field: section + ".price", "\(section) price must be 1 to \(maxPrice) fen")
            }
            let english = try table.string("en", default: known?.english ?? name)
            let chinese = try table.string("zh", default: known?.chinese ?? name)
            try table.finish()
            services.append(Service(name: name, price: price, english: english, chinese: chinese))
        }
        return services
    }

    /// Whether `name` may name a category, area, department or service.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
