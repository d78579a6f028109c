import ReceptionPluginSDK

/// One handover to the agent, as stored. On the wire it also carries its `requests`
/// (``json(requests:)``).
///
/// The wire names of issue 13 (`batch`, `agent`, `status`, `requests`, `cashOut`, `createdAt`,
/// `createdBy`, `returnedAt`, `cashBack`, `spent`) are a contract.
struct UtilityBatch: Record {
    static let table = "utilities_batches"

    @Column("The batch's number", column: "id") var batch: Int64
    @Column("The agent (代办人) who took it") var agent: String
    @Column("out or returned") var status: String
    @Column("The utility it was limited to, if any") var utility: String?
    @Column("How many requests it holds", column: "request_count") var count: Int64
    @Column("Cash handed to the agent", format: .money) var cashOut: Int64
    @Column(format: .dateTime) var createdAt: String
    @Column(wire: .hidden) var createdMs: Int64
    @Column var createdBy: String
    @Column(format: .dateTime) var returnedAt: String?
    @Column(wire: .hidden) var returnedMs: Int64?
    @Column var returnedBy: String?
    @Column("Cash the agent handed back", format: .money) var cashBack: Int64?
    @Column("Money the agent spent, all requests together", format: .money) var spent: Int64?

    /// The wire form, with its requests.
    func json(requests: [UtilityRequest]) -> JSONValue {
        jsonValue(replacing: ["requests": .array(requests.map { $0.jsonValue() })])
    }
}

/// Finding batches.
enum BatchLookup {
    /// The batch `batch` names, or `not_found`.
    static func existing(_ batch: Int64, in db: SQLiteConnection) throws -> UtilityBatch {
        guard
            let row = try db.queryOne("SELECT \(UtilityBatch.columns) FROM utilities_batches WHERE id = ?", [batch])
        else {
            throw RPCError.notFound("no batch \(batch)", details: ["batch": .int(batch)])
                .localized("zh", "没有第 \(batch) 批代办")
        }
        return UtilityBatch(row: row)
    }

    /// The batch and its requests, as the wire shows them.
    static func json(_ batch: Int64, in db: SQLiteConnection) throws -> JSONValue {
        try existing(batch, in: db).json(requests: try RequestLookup.ofBatch(batch, in: db))
    }
}
