import ReceptionPluginSDK

/// `utilities.cashOnHand`: what the desk must physically hold right now, checked at every shift
/// handover. `atDesk` is the cash of requests still at the desk; `owed` what the desk owes
/// residents for requests back from the agent (leftovers, and whole cash after a failure);
/// `cash` = `atDesk` + `owed`. `cards` are the cards and remotes in the drawer: every request at
/// the desk or back and waiting, except `account` ones (nothing to hold).
enum CashOnHand {
    /// `utilities.cashOnHand`.
    static let method: Method<UtilitiesPlugin> = .read(
        "utilities.cashOnHand", "What the desk must hold now: the cash, and which cards, for the shift handover.",
        zh: "交接班核对：柜台此刻应有的现金（在柜预收款 + 应退住户款）和代管的卡。",
        display: DisplayHints(
            list: "cards", columns: ["number", "unit", "utility", "medium", "mediumRef", "status"],
            money: Money.cashOnHand)
    ) { (_, _: NoParams, context) in
        let db = context.db
        // Both sums and the card list come from the partial index utilities_requests_held.
        let sums = try db.queryOne(
            """
            SELECT coalesce(sum(CASE WHEN status = 'at_desk' THEN cash ELSE 0 END), 0) AS at_desk,
                   coalesce(sum(CASE WHEN status = 'ready' THEN owed ELSE 0 END), 0) AS owed
            FROM utilities_requests WHERE status IN ('at_desk','ready')
            """)
        let atDesk = sums?.int("at_desk") ?? 0
        let owed = sums?.int("owed") ?? 0
        var cards: [JSONValue] = []
        for row in try db.query(
            """
            SELECT number, unit, utility, medium, medium_ref, status FROM utilities_requests
            WHERE status IN ('at_desk','ready') AND medium <> 'account' ORDER BY id
            """)
        {
            cards.append([
                "number": .string(row.string("number") ?? ""), "unit": .string(row.string("unit") ?? ""),
                "utility": .string(row.string("utility") ?? ""), "medium": .string(row.string("medium") ?? ""),
                "mediumRef": row.string("medium_ref").map { .string($0) } ?? .null,
                "status": .string(row.string("status") ?? ""),
            ])
        }
        return ["cash": .int(atDesk + owed), "atDesk": .int(atDesk), "owed": .int(owed), "cards": .array(cards)]
            as JSONValue
    }
}
