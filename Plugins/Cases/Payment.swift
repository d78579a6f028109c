import ReceptionPluginSDK

/// A special service is paid when it is ordered, against a receipt ("charge when you take the
/// order", never chase afterwards): the price from the configured list, the cash tendered, the
/// change counted back. All in fen.
enum Payment {
    /// The most cash one payment takes: 100,000.00.
    static let maxTendered: Int64 = 10_000_000

    /// Fills `record`'s service and payment from `params`: a validation error naming the field
    /// when the service is missing or unknown, or the cash is missing or short of the price.
    static func take(
        _ params: OpenParams, config: CasesConfig, into record: inout CaseRecord, on day: CivilDate,
        in db: SQLiteConnection
    ) throws {
        guard let name = params.service else {
            throw RPCError(
                .validation,
                "a service case names its service from the price list: \(config.services.map(\.name).joined(separator: ", "))",
                field: "service", details: ["rule": "service_required"]
            ).localized("zh", "有偿服务须选择价目表上的服务项目")
        }
        let service = try config.service(name)
        guard let tendered = params.tendered else {
            throw RPCError(
                .validation,
                "a service is paid when ordered: give the cash tendered (the price is \(MoneyText.yuan(service.price)))",
                field: "tendered", details: ["rule": "paid_when_ordered", "price": .int(service.price)]
            ).localized("zh", "有偿服务须当场收费：请填写收到的现金（价格 \(MoneyText.yuan(service.price))）")
        }
        guard tendered >= service.price else {
            throw RPCError(
                .validation,
                "\(MoneyText.yuan(tendered)) tendered is short of the price of \(service.name), \(MoneyText.yuan(service.price))",
                field: "tendered",
                details: ["rule": "tendered_short", "price": .int(service.price), "tendered": .int(tendered)]
            ).localized(
                "zh", "收到现金 \(MoneyText.yuan(tendered)) 不足 \(service.chinese) 的价格 \(MoneyText.yuan(service.price))")
        }
        record.service = service.name
        record.receipt = try Numbers.next("SR", on: day, in: db)
        record.amount = service.price
        record.tendered = tendered
        record.changeGiven = tendered - service.price
    }
}
