import ReceptionPluginSDK

/// `parcels.pickup`: handing items out against a signature.
enum Pickup {
    /// Codes in one pickup.
    static let maxCodes = 50

    /// `parcels.pickup`.
    static let method: Method<ParcelsPlugin> = .write(
        "parcels.pickup", "Hands out one or several items (all or nothing) and records who collected them.",
        zh: "凭取件码发放一件或多件（要么全部发放，要么一件不发），核对证件并登记领取人。",
        display: DisplayHints(
            title: "code", list: "items",
            columns: ["code", "kind", "recipient", "unit", "status", "collectedBy", "proxy", "collectedAt"]),
        result: ParcelItem.self
    ) { (plugin, params: PickupParams, context) in
        guard let idType = plugin.config.idType(params.idType) else {
            let known = plugin.config.idTypes
            throw RPCError(
                .validation,
                "idType \"\(params.idType)\" is not a document this desk accepts: one of "
                    + known.map { "\($0.value) (\($0.label))" }.joined(separator: ", "),
                field: "idType",
                details: [
                    "rule": "known_id_type", "idTypes": .array(known.map { .string($0.value) }),
                ]
            ).localized(
                "zh",
                "本前台不收“\(params.idType)”这种证件，可用的有："
                    + known.map { "\($0.label)（\($0.value)）" }.joined(separator: "、"))
        }
        // Look every code up first: if one is not held, nothing is handed out.
        var seen: Set<String> = []
        var items: [ParcelItem] = []
        for (index, code) in params.codes.enumerated() {
            guard seen.insert(code).inserted else {
                throw RPCError.validation(field: "codes[\(index)]", "codes[\(index)]: \(code) is listed twice")
                    .localized("zh", "取件码 \(code) 填了两次（第 \(index + 1) 个）")
            }
            let item: ParcelItem
            do {
                item = try ParcelLookup.held(code: code, for: "hand out", in: context.db)
            } catch var error as RPCError {
                error.details["index"] = .int(Int64(index))
                throw error
            }
            // Someone other than the recipient collects only as a proxy, said so at the counter.
            if params.proxy != true, item.recipient != params.collectedBy {
                throw RPCError(
                    .validation,
                    "\(code) is for \(item.recipient), not \(params.collectedBy): a pickup by someone else is a proxy pickup (give proxy: true)",
                    field: "proxy",
                    details: [
                        "rule": "proxy_required", "code": .string(code), "recipient": .string(item.recipient),
                        "index": .int(Int64(index)),
                    ]
                ).localized(
                    "zh",
                    "\(code) 的收件人是 \(item.recipient)，不是 \(params.collectedBy)：他人领取须按代领办理（proxy: true）")
            }
            items.append(item)
        }
        let stamp = context.stamp
        var collected: [JSONValue] = []
        for item in items {
            try context.db.execute(
                """
                UPDATE parcels_items SET status = 'collected', collected_at = ?, collected_ms = ?, collected_by = ?,
                    proxy = ?, id_type = ?, id_last4 = ?, handed_out_by = ?
                WHERE id = ? AND \(ParcelStatus.heldSQL)
                """,
                [
                    stamp.time, stamp.ms, params.collectedBy, params.proxy ?? false, idType, params.last4,
                    stamp.by, item.id,
                ])
            guard context.db.changes == 1 else {
                throw RPCError.internalError("item \(item.code) changed under the writer")
            }
            let stored = try ParcelLookup.stored(id: item.id, in: context.db)
            try context.emit(.collected, stored)
            collected.append(stored.jsonValue())
        }
        return ["items": .array(collected)] as JSONValue
    }
}

/// The params of `parcels.pickup`.
struct PickupParams: MethodParams {
    @Param(
        "Pickup codes", zh: "要领取的取件码，可以一次多个", maxItems: Pickup.maxCodes, positional: true,
        element: ParamSpec("A pickup code", maxLength: PickupCode.maxInputLength, text: .code))
    var codes: [String]
    @Param(
        "Who collected: the recipient, or the proxy's name", zh: "领取人：收件人本人，或代领人姓名", maxLength: 100,
        aliases: ["by"])
    var collectedBy: String
    @Param("Collected by someone other than the recipient (default false)", zh: "是否由他人代领（默认否）") var proxy: Bool?
    @Param(
        "Identity document checked: id_card (身份证), passport (护照), ... (the configured list)",
        zh: "核对的证件类型：身份证、护照……（按本前台配置的列表）", maxLength: 32)
    var idType: String
    // Only four characters can pass the schema, but a refused call is audited with what was
    // sent: a whole identity number typed into idLast4 must not land in the audit log.
    @Param(
        "The document number's last four characters (only these are stored)", zh: "证件号码后四位（只存这四位）",
        maxLength: 4, text: .verbatim,
        private: true)
    var idLast4: String

    /// `idLast4` as stored: normalized and upper-cased (`071x` is `071X`), checked by ``validate()``.
    var last4: String { DeskText.normalize(idLast4).uppercased() }

    func validate() throws(RPCError) {
        // Counted in Unicode scalars after NFC, as the column's CHECK (length(id_last4) = 4) counts.
        guard last4.unicodeScalars.count == 4, last4.unicodeScalars.allSatisfy(DeskText.isLetterOrDigit) else {
            throw RPCError.validation(
                field: "idLast4", "idLast4 must be exactly the last 4 letters or digits of the document number"
            ).localized("zh", "证件号后四位须正好是证件号码最后 4 位字母或数字")
        }
        guard !codes.isEmpty else {
            throw RPCError.validation(field: "codes", "codes must name at least one item")
                .localized("zh", "请至少给出一个取件码")
        }
    }
}
