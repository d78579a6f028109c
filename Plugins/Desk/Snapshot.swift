import ReceptionPluginSDK

/// What is open at a handover, as the departments that are loaded say it, read through calls
/// between departments (`context.call`, inside the handover's own write, so one consistent view):
///
/// - `cases`: the open cases (not closed) and the overdue work orders (`cases.list {"open": true}`,
///   `cases.workorders {"overdue": true}`);
/// - `parcels`: items held at the desk and those held too long (`parcels.list`, `parcels.overdue`);
/// - `keys`: keys out and overdue (`access.keys.list`);
/// - `cash`: what each department says the desk holds: the access ledger's cash since the
///   previous handover's day (`access.ledger`), and utilities' `cashOnHand` (with the cards);
///   `total` is their sum, in fen.
///
/// A department that is not loaded (or that refuses the call) is left out and named in
/// `leftOut` with the reason; `departments` lists those that answered.
enum Snapshot {
    /// Money members of a handover, for display hints.
    static let money = ["total", "access", "utilities", "cash", "atDesk", "owed"]
    /// Most items of each kind listed by name in a snapshot (the counts are always whole).
    static let listed = 50
    /// Most pages of open cases counted (200 cases a page, the most `cases.list` gives).
    static let casePages = 20
    /// Most pages of held parcels counted (500 items a page, the most `parcels.list` gives).
    static let parcelPages = 40

    /// The snapshot now; the access ledger counts from `since`.
    static func take(_ context: DeskWrite, since: CivilDate) -> JSONValue {
        var snapshot: [String: JSONValue] = ["takenAt": .string(context.stamp.time)]
        var answered: [String] = []
        var leftOut: [JSONValue] = []
        /// Runs `body`, which asks `department`; a refusal leaves the department out.
        func ask(_ department: String, _ body: () throws(RPCError) -> JSONValue) {
            do {
                snapshot[department] = try body()
                answered.append(department)
            } catch {
                leftOut.append(["department": .string(department), "reason": .string(error.message)])
            }
        }
        ask("cases") { () throws(RPCError) -> JSONValue in
            // Every open case is counted (200 a page, up to 4,000); the first 50 listed.
            let open = try paged(
                context, "cases.list", ["open": true], key: "cases", limit: 200, pages: casePages, keep: listed)
            let overdue = try context.call("cases.workorders", ["overdue": true])["orders"]?.arrayValue ?? []
            return [
                "open": .int(Int64(open.count)), "openMore": .bool(open.more),
                "cases": .array(
                    open.first.map {
                        pick($0, ["case", "category", "unit", "urgency", "status", "openedAt"])
                    }),
                "overdueOrders": .int(Int64(overdue.count)),
                "orders": .array(
                    overdue.prefix(listed).map { pick($0, ["order", "case", "department", "due", "status"]) }),
            ]
        }
        ask("parcels") { () throws(RPCError) -> JSONValue in
            // Counted in the parcels plugin's held-only index; paging through the items (as a
            // parcels plugin without parcels.counts needs) held the writer for half a second.
            if let counts = try? context.call("parcels.counts", [:]) {
                return [
                    "held": counts["atDesk"] ?? .int(0), "heldMore": false, "overdue": counts["overdue"] ?? .int(0),
                    "overdueMore": false, "overdueDays": counts["days"] ?? .null,
                ]
            }
            let held = try paged(
                context, "parcels.list", ["status": "at_desk"], key: "items", limit: 500, pages: parcelPages, keep: 0)
            let overdue = try context.call("parcels.overdue", ["limit": 1000])
            return [
                "held": .int(Int64(held.count)), "heldMore": .bool(held.more),
                "overdue": .int(Int64(overdue["items"]?.arrayValue?.count ?? 0)),
                "overdueMore": .bool(overdue["more"] == true), "overdueDays": overdue["days"] ?? .null,
            ]
        }
        var cash: [String: JSONValue] = [:]
        var total: Int64 = 0
        ask("access") { () throws(RPCError) -> JSONValue in
            let out = try context.call("access.keys.list", ["status": "out"])["keys"]?.arrayValue ?? []
            let late = try context.call("access.keys.list", ["status": "overdue"])["keys"]?.arrayValue ?? []
            let ledger = try context.call(
                "access.ledger", ["from": .string(since.description), "to": .string(context.today.description)])
            let taken = ledger["totals"]?["cash"]?.intValue ?? 0
            cash["access"] = .int(taken)
            cash["accessSince"] = .string(since.description)
            total += taken
            return [
                "keysOut": .int(Int64(out.count)), "keysOverdue": .int(Int64(late.count)),
                "keys": .array(out.prefix(listed).map { pick($0, ["tag", "borrower", "dueBack", "unit", "room"]) }),
                "cash": .int(taken), "cashSince": .string(since.description),
            ]
        }
        ask("utilities") { () throws(RPCError) -> JSONValue in
            let onHand = try context.call("utilities.cashOnHand", [:])
            let held = onHand["cash"]?.intValue ?? 0
            cash["utilities"] = .int(held)
            total += held
            return [
                "cash": .int(held), "atDesk": onHand["atDesk"] ?? .null, "owed": onHand["owed"] ?? .null,
                "cards": .int(Int64(onHand["cards"]?.arrayValue?.count ?? 0)),
            ]
        }
        cash["total"] = .int(total)
        snapshot["cash"] = .object(cash)
        snapshot["departments"] = .array(answered.map { .string($0) })
        snapshot["leftOut"] = .array(leftOut)
        return .object(snapshot)
    }

    /// Pages through the list `method` answers (`params`, `limit` a page, following its
    /// `nextCursor`) at most `pages` times: how many rows under `key`, the first `keep` of them,
    /// and whether more were left.
    static func paged(
        _ context: DeskWrite, _ method: String, _ params: [String: JSONValue], key: String, limit: Int64, pages: Int,
        keep: Int
    ) throws(RPCError) -> (count: Int, first: [JSONValue], more: Bool) {
        var count = 0
        var first: [JSONValue] = []
        var cursor: JSONValue = .null
        var read = 0
        repeat {
            var page = params
            page["limit"] = .int(limit)
            if case .string = cursor { page["cursor"] = cursor }
            let reply = try context.call(method, .object(page))
            let rows = reply[key]?.arrayValue ?? []
            count += rows.count
            if first.count < keep { first += rows.prefix(keep - first.count) }
            cursor = reply["nextCursor"] ?? .null
            read += 1
        } while cursor.stringValue != nil && read < pages
        return (count, first, cursor.stringValue != nil)
    }

    /// The members `names` of `record` (absent ones as null).
    static func pick(_ record: JSONValue, _ names: [String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: names.map { ($0, record[$0] ?? .null) }))
    }
}
