import ReceptionPluginSDK

/// Where a request is in its life: `at_desk` → `with_agent` → `ready` → `collected`, and
/// `at_desk` → `cancelled`. A failed purchase is `ready` with `failed` set.
enum RequestStatus: String, ParamChoice {
    case atDesk = "at_desk"
    case withAgent = "with_agent"
    case ready, collected, cancelled

    /// The Chinese label.
    var label: String {
        switch self {
        case .atDesk: return "在柜"
        case .withAgent: return "代办中"
        case .ready: return "待领取"
        case .collected: return "已领取"
        case .cancelled: return "已取消"
        }
    }

    /// How an `invalid_state` message names the state in English.
    var english: String {
        switch self {
        case .atDesk: return "at the desk"
        case .withAgent: return "with the agent"
        case .ready: return "ready for collection"
        case .collected: return "collected"
        case .cancelled: return "cancelled"
        }
    }
}

/// What the desk holds for the resident while the credit is bought.
enum Medium: String, ParamChoice {
    /// The electricity remote or card (遥控板).
    case remote
    /// The smart gas card (智能气卡).
    case gasCard = "gas_card"
    /// A prepaid meter card (电卡).
    case meterCard = "meter_card"
    /// No card: the credit goes to an account with the utility.
    case account

    /// The Chinese label.
    var label: String {
        switch self {
        case .remote: return "遥控板"
        case .gasCard: return "智能气卡"
        case .meterCard: return "电卡"
        case .account: return "账户"
        }
    }

    /// The English label.
    var englishLabel: String {
        switch self {
        case .remote: return "remote"
        case .gasCard: return "smart gas card"
        case .meterCard: return "meter card"
        case .account: return "account"
        }
    }
}

/// One prepurchase request, as stored and as sent on the wire.
///
/// The wire names of issue 13 (`number`, `unit`, `payer`, `utility`, `quantity`, `cash`, `medium`,
/// `mediumRef`, `note`, `status`, `batch`, `spent`, `credited`, `utilityReceipt`, `failed`,
/// `failureReason`, `owed`, `paidOut`, `requestedAt`, `requestedBy`, `collectedAt`,
/// `collectedBy`, `proxy`, `cancelledAt`) are a contract; every member is always present, `null`
/// when it does not apply.
struct UtilityRequest: Record {
    static let table = "utilities_requests"

    @Column(wire: .hidden) var id: Int64
    @Column("UT20261205-0001: UT, the day, its number of the day") var number: String
    @Column("The resident's unit", format: .unit) var unit: String
    /// The unit's canonical key (``DeskText/unitKey(_:)``), what lookups by unit match.
    @Column(wire: .hidden) var unitKey: String
    @Column("Who paid") var payer: String
    @Column("electricity, gas, water or a configured utility") var utility: String
    @Column("Asked for, in the utility's unit (kWh, m³); null when the resident asked for an amount of money")
    var quantity: String?
    @Column(wire: .hidden) var quantityMilli: Int64?
    @Column("Cash received from the resident", format: .money) var cash: Int64
    @Column("remote, gas_card, meter_card or account") var medium: String
    @Column("The card or meter number") var mediumRef: String?
    @Column var note: String?
    @Column("at_desk, with_agent, ready, collected or cancelled") var status: String
    @Column("The batch it went to the agent in") var batch: Int64?
    @Column("Money the agent spent on it", format: .money) var spent: Int64?
    @Column("Quantity credited, in the utility's unit") var credited: String?
    @Column(wire: .hidden) var creditedMilli: Int64?
    @Column("The utility's receipt number") var utilityReceipt: String?
    @Column("Whether the purchase failed") var failed: Bool
    @Column var failureReason: String?
    @Column("What the desk owes the resident now", format: .money) var owed: Int64
    @Column("What was handed back to the resident", format: .money) var paidOut: Int64
    @Column(format: .dateTime) var requestedAt: String
    @Column(wire: .hidden) var requestedMs: Int64
    @Column var requestedBy: String
    @Column(format: .dateTime) var batchedAt: String?
    @Column(format: .dateTime) var returnedAt: String?
    @Column(wire: .hidden) var returnedMs: Int64?
    @Column(format: .dateTime) var collectedAt: String?
    @Column(wire: .hidden) var collectedMs: Int64?
    @Column("Who signed for the card") var collectedBy: String?
    @Column("Collected by someone other than the payer") var proxy: Bool?
    @Column var handedOutBy: String?
    @Column(format: .dateTime) var cancelledAt: String?
    @Column(wire: .hidden) var cancelledMs: Int64?
    @Column var cancelledBy: String?
    @Column var cancelReason: String?

    /// The request's state.
    var state: RequestStatus { RequestStatus(rawValue: status) ?? .atDesk }

    /// Where the request is, for `invalid_state` messages: `with the agent (batch 3)`.
    var stateDescription: String {
        switch state {
        case .withAgent: return "with the agent (batch \(batch ?? 0))"
        case .collected: return "collected by \(collectedBy ?? "?") at \(collectedAt ?? "?")"
        case .cancelled: return "cancelled at \(cancelledAt ?? "?")"
        default: return state.english
        }
    }

    /// ``stateDescription`` in Chinese: `代办中（第 3 批）`.
    var chineseStateDescription: String {
        switch state {
        case .withAgent: return "代办中（第 \(batch ?? 0) 批）"
        case .collected: return "已由 \(collectedBy ?? "?") 于 \(collectedAt ?? "?") 领取"
        case .cancelled: return "已于 \(cancelledAt ?? "?") 取消"
        default: return state.label
        }
    }

    /// `error.data` of an `invalid_state` about this request.
    var stateDetails: [String: JSONValue] {
        var details: [String: JSONValue] = ["number": .string(number), "status": .string(status)]
        if let batch { details["batch"] = .int(batch) }
        return details
    }
}

/// Finding requests by number.
enum RequestLookup {
    /// The request `number` names, or `not_found` naming it (`field` is the param it came from).
    static func existing(_ number: String, in db: SQLiteConnection) throws -> UtilityRequest {
        guard
            let row = try db.queryOne(
                "SELECT \(UtilityRequest.columns) FROM utilities_requests WHERE number = ?", [number])
        else {
            throw RPCError.notFound("no utilities request numbered \(number)", details: ["number": .string(number)])
                .localized("zh", "没有编号为 \(number) 的代缴预购登记")
        }
        return UtilityRequest(row: row)
    }

    /// The request `number` names, which must be in `wanted`; `invalid_state` naming its state
    /// when it is not (`action`/`chineseAction` say what was refused: "cancel", "取消").
    static func inState(
        _ number: String, _ wanted: RequestStatus, to action: String, chinese chineseAction: String,
        in db: SQLiteConnection
    ) throws -> UtilityRequest {
        let request = try existing(number, in: db)
        guard request.state == wanted else {
            var details = request.stateDetails
            details["expected"] = .string(wanted.rawValue)
            throw RPCError.invalidState(
                "cannot \(action) \(number): it is \(request.stateDescription), not \(wanted.english)",
                details: details
            ).localized(
                "zh", "\(number) 无法\(chineseAction)：当前状态为\(request.chineseStateDescription)，须为“\(wanted.label)”")
        }
        return request
    }

    /// The request with row id `id` (just written on this writer).
    static func stored(id: Int64, in db: SQLiteConnection) throws -> UtilityRequest {
        guard let row = try db.queryOne("SELECT \(UtilityRequest.columns) FROM utilities_requests WHERE id = ?", [id])
        else { throw RPCError.internalError("request \(id) vanished") }
        return UtilityRequest(row: row)
    }

    /// The requests of batch `batch`, in the order they were requested.
    static func ofBatch(_ batch: Int64, in db: SQLiteConnection) throws -> [UtilityRequest] {
        UtilityRequest.rows(
            try db.query(
                "SELECT \(UtilityRequest.columns) FROM utilities_requests WHERE batch = ? ORDER BY id", [batch]))
    }
}
