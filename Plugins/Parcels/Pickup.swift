import ReceptionPluginSDK

/// `parcels.pickup`: handing items out against a signature.
enum Pickup {
    /// Codes in one pickup.
    static let maxCodes = 50
    /// Longest name of the person collecting.
    static let maxName = 100
    /// Longest identity document type (`id_card`, `passport`, ...).
    static let maxIDType = 32

    /// `parcels.pickup`.
    static let method: Method<ParcelsPlugin> = .write(
        "parcels.pickup", "Hands out one or several items (all or nothing) and records who collected them.",
        params: Schema.object(
            [
                "codes": Schema.annotate(
                    Schema.array(
                        "Pickup codes", items: Schema.string("A pickup code", maxLength: PickupCode.maxInputLength),
                        maxItems: maxCodes),
                    positional: true),
                "collectedBy": Schema.annotate(
                    Schema.string("Who collected: the recipient, or the proxy's name", maxLength: maxName),
                    aliases: ["by"]),
                "proxy": Schema.boolean("Collected by someone other than the recipient (default false)"),
                "idType": Schema.string("Identity document checked (id_card, passport, ...)", maxLength: maxIDType),
                "idLast4": Schema.string(
                    "The document number's last four characters (only these are stored)", maxLength: 4),
            ], required: ["codes", "collectedBy", "idType", "idLast4"]),
        // Only four characters can pass the schema, but a refused call is audited with what was
        // sent: a whole identity number typed into idLast4 must not land in the audit log.
        redact: ["idLast4"]
    ) { (_, params: PickupParams, context) in
        try handOut(params, context)
    }

    static func handOut(_ params: PickupParams, _ context: WriteContext) throws -> JSONValue {
        let collectedBy = DeskText.normalize(params.collectedBy)
        guard !collectedBy.isEmpty else {
            throw RPCError.validation(field: "collectedBy", "collectedBy must not be empty")
        }
        let idType = DeskText.normalize(params.idType)
        guard !idType.isEmpty else { throw RPCError.validation(field: "idType", "idType must not be empty") }
        // Counted in Unicode scalars after NFC, as the column's CHECK (length(id_last4) = 4) counts.
        let idLast4 = DeskText.normalize(params.idLast4)
        guard idLast4.unicodeScalars.count == 4, idLast4.unicodeScalars.allSatisfy(DeskText.isLetterOrDigit) else {
            throw RPCError.validation(
                field: "idLast4", "idLast4 must be exactly the last 4 letters or digits of the document number")
        }
        guard !params.codes.isEmpty else {
            throw RPCError.validation(field: "codes", "codes must name at least one item")
        }
        // Look every code up first: if one is not held, nothing is handed out.
        var seen: Set<String> = []
        var items: [ParcelItem] = []
        for (index, raw) in params.codes.enumerated() {
            let code = PickupCode.normalize(raw)
            guard seen.insert(code).inserted else {
                throw RPCError.validation(field: "codes[\(index)]", "codes[\(index)]: \(code) is listed twice")
            }
            do {
                items.append(try ParcelLookup.held(code: code, for: "hand out", in: context.db))
            } catch var error as RPCError {
                error.details["index"] = .int(Int64(index))
                throw error
            }
        }
        let now = context.now
        let handedOutBy = Actor.name(context.caller)
        var collected: [JSONValue] = []
        for item in items {
            try context.db.execute(
                """
                UPDATE parcels_items SET status = 'collected', collected_at = ?, collected_ms = ?, collected_by = ?,
                    proxy = ?, id_type = ?, id_last4 = ?, handed_out_by = ?
                WHERE id = ? AND \(ParcelStatus.heldSQL)
                """,
                [
                    Timestamp.format(now), EpochMillis.of(now), collectedBy, params.proxy ?? false, idType, idLast4,
                    handedOutBy, item.id,
                ])
            guard context.db.changes == 1, let stored = try ParcelLookup.item(id: item.id, in: context.db) else {
                throw RPCError.internalError("item \(item.code) changed under the writer")
            }
            try context.emit("parcels.collected", stored.raw)
            collected.append(stored.json)
        }
        return ["items": .array(collected)] as JSONValue
    }
}

/// The params of `parcels.pickup`.
struct PickupParams: Decodable, Sendable {
    let codes: [String]
    let collectedBy: String
    let proxy: Bool?
    let idType: String
    let idLast4: String
}
