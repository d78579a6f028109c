import ReceptionPluginSDK

/// `parcels.receive` and `parcels.receiveBatch`: signing for items.
enum Receive {
    /// Items in one `parcels.receiveBatch`.
    static let maxBatch = 200

    /// How `daemon.methods` suggests showing one item.
    static let itemDisplay = DisplayHints(
        title: "code", columns: ["code", "kind", "recipient", "unit", "shelf", "status", "receivedAt"])

    /// `parcels.receive`.
    static let receiveMethod: Method<ParcelsPlugin> = .write(
        "parcels.receive", "Signs for one item and gives it a pickup code.", zh: "签收一件邮件或包裹，给出取件码。",
        display: itemDisplay,
        result: ParcelItem.self
    ) { (plugin, params: ReceiveParams, context) in
        // The item is written as JSON once, for its event and for the reply.
        try receive(params, at: "", plugin: plugin, context: context).json
    }

    /// `parcels.receiveBatch`: all or nothing.
    static let receiveBatchMethod: Method<ParcelsPlugin> = .write(
        "parcels.receiveBatch", "Signs for many items at once (all or nothing).",
        zh: "一次签收多件（要么全部签收，要么一件不签）。",
        display: DisplayHints(title: "code", list: "items", columns: itemDisplay.columns), result: ParcelItem.self
    ) { (plugin, params: BatchParams, context) in
        // Every item was read and checked before this runs: the first bad one named its index.
        var items: [JSONValue] = []
        for (index, item) in params.items.enumerated() {
            // A failure here (a double scan) throws, and the daemon rolls the whole batch back.
            items.append(try receive(item, at: "items[\(index)].", plugin: plugin, context: context).json.value)
        }
        return ["items": .array(items)] as JSONValue
    }

    /// Stores one item, emits `parcels.received`, returns it. `field` prefixes the field in errors.
    static func receive(
        _ params: ReceiveParams, at field: String, plugin: ParcelsPlugin, context: WriteContext<ParcelsPlugin>
    ) throws -> (item: ParcelItem, json: RawJSON) {
        let db = context.db
        if let tracking = params.tracking,
            let held = try db.queryOne(
                """
                SELECT code FROM parcels_items
                WHERE coalesce(carrier, '') = ? AND tracking = ? AND \(ParcelStatus.heldSQL)
                """, [params.carrier ?? "", tracking])
        {
            let code = held.string("code") ?? ""
            let carrier = params.carrier.map { "\($0) " } ?? ""
            throw RPCError(
                .conflict, "\(carrier)\(tracking) is already held as \(code) (scanned twice?)",
                field: field + "tracking", details: ["code": .string(code)]
            ).localized("zh", "\(carrier)\(tracking) 已签收在柜，取件码 \(code)（是否重复扫描？）")
        }
        var item = ParcelItem()
        item.kind = params.kind.rawValue
        item.recipient = params.recipient
        item.unit = params.unit
        item.unitKey = try DeskText.requiredUnitKey(params.unit, field: field + "unit")
        item.carrier = params.carrier
        item.tracking = params.tracking
        item.condition = params.resolvedCondition.rawValue
        item.damageNote = params.damageNote
        item.shelf = params.shelf
        item.note = params.note
        item.status = ParcelStatus.held.rawValue
        item.receivedAt = context.stamp.time
        item.receivedMs = context.stamp.ms
        item.receivedBy = context.stamp.by
        for _ in 0..<3 {
            item.code = try PickupCode.unused(
                length: plugin.config.codeLength, memory: plugin.config.codeLengths, in: db)
            // The code was free a moment ago on this same writer; if the UNIQUE index disagrees, draw again.
            guard let id = try insertUnlessCodeTaken(item, in: db) else { continue }
            item.id = id
            let json = item.json
            try context.emit(.received, json)
            return (item, json)
        }
        throw RPCError.internalError("no pickup code could be stored")
    }

    /// Inserts the item; `nil` when its code turned out to be taken.
    static func insertUnlessCodeTaken(_ item: ParcelItem, in db: SQLiteConnection) throws -> Int64? {
        do {
            return try item.insert(into: db)
        } catch {
            if error.isConstraint, error.message.contains("parcels_items.code") { return nil }
            throw error
        }
    }
}

/// The params of `parcels.receive` (and of each `receiveBatch` item).
struct ReceiveParams: MethodParams {
    @Param("What it is") var kind: ParcelKind
    @Param("Who it is for (resident or tenant name)", zh: "收件人姓名（业主或租户）", maxLength: 100) var recipient: String
    @Param(
        "The recipient's unit, e.g. 3-2-1201 or 3栋2单元1201", zh: "收件人房号，如 3-2-1201 或 3栋2单元1201", maxLength: 64,
        format: .unit) var unit: String
    @Param("Courier or post (SF, EMS, China Post...)", zh: "快递公司或邮政，如顺丰、EMS、中国邮政", maxLength: 64) var carrier: String?
    @Param("Tracking number, when there is one", zh: "运单号（有就填）", maxLength: 64) var tracking: String?
    @Param("Condition on arrival (default intact)", zh: "到件时的包装状况（默认完好）") var condition: ParcelCondition?
    @Param("What is damaged (required when damaged)", zh: "哪里破损（包装破损时必填）", maxLength: 500) var damageNote: String?
    @Param("Where it is kept", zh: "放在哪个货架", maxLength: 32) var shelf: String?
    @Param("Anything else", maxLength: 500, text: .note) var note: String?

    /// A damage note alone says the item is damaged.
    var resolvedCondition: ParcelCondition { condition ?? (damageNote == nil ? .intact : .damaged) }

    func validate() throws(RPCError) {
        if resolvedCondition == .damaged, damageNote == nil {
            throw RPCError.validation(field: "damageNote", "damageNote is required when condition is damaged")
                .localized("zh", "包装破损的物品须写明哪里破损（破损说明）")
        }
        // An explicit "intact" with a damage note is a contradiction.
        if resolvedCondition == .intact, damageNote != nil {
            throw RPCError.validation(
                field: "damageNote", "damageNote is only for damaged items (condition is intact)"
            ).localized("zh", "已注明包装完好，不能再填破损说明；破损请把包装状况选为破损")
        }
    }
}

/// The params of `parcels.receiveBatch`.
struct BatchParams: MethodParams {
    @Param("The items, as for parcels.receive", zh: "要签收的各件，每件填法同单件签收", maxItems: Receive.maxBatch) var items:
        [ReceiveParams]

    func validate() throws(RPCError) {
        guard !items.isEmpty else {
            throw RPCError.validation(field: "items", "items must not be empty").localized("zh", "至少要签收一件")
        }
        // The same tracking number twice in one batch: name both items, not a code the refusal
        // rolls back.
        var first: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let tracking = item.tracking else { continue }
            let key = (item.carrier ?? "") + "\u{0}" + tracking
            if let earlier = first[key] {
                let carrier = item.carrier.map { "\($0) " } ?? ""
                throw RPCError(
                    .conflict,
                    "\(carrier)\(tracking) is listed twice in this batch: items[\(earlier)] and items[\(index)] (scanned twice?)",
                    field: "items[\(index)].tracking", details: ["index": .int(Int64(earlier))]
                ).localized("zh", "\(carrier)\(tracking) 在这一批里出现了两次：第 \(earlier + 1) 件和第 \(index + 1) 件（是否重复扫描？）")
            }
            first[key] = index
        }
    }
}
