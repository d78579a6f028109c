import Foundation
import GRDB
import ReceptionProtocol

/// Who did what, recorded in the same transaction as the change itself.
public struct AuditRecord: Sendable {
    /// When the call was made.
    public var time: Date
    /// Peer credentials.
    public var uid: Int
    /// Peer group id.
    public var gid: Int
    /// Peer process id.
    public var pid: Int
    /// `admin` or `operator`.
    public var role: String
    /// From `daemon.hello`.
    public var workstation: String?
    /// From `daemon.hello`.
    public var `operator`: String?
    /// The request id as logged.
    public var requestID: String?
    /// The method called.
    public var method: String
    /// The params, with private members already redacted.
    public var params: String

    /// Creates a record.
    public init(
        time: Date, uid: Int, gid: Int, pid: Int, role: String, workstation: String?, operator: String?,
        requestID: String?, method: String, params: String
    ) {
        self.time = time
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.role = role
        self.workstation = workstation
        self.operator = `operator`
        self.requestID = requestID
        self.method = method
        self.params = params
    }

    func insert(_ db: Database, outcome: Result<String, RPCError>) throws {
        var kind: String?
        var message: String?
        if case .failure(let error) = outcome {
            kind = error.kind.rawValue
            message = error.message
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO daemon_audit (time, time_ms, uid, gid, pid, role, workstation, operator, request_id,
                    method, params, outcome, error_kind, error_message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                Timestamp.format(time), Int64(time.timeIntervalSince1970 * 1000), uid, gid, pid, role, workstation,
                `operator`, requestID, method, params, kind == nil ? "ok" : "error", kind, message,
            ])
    }
}

/// Filters for `audit.query`.
public struct AuditQuery: Sendable {
    /// Records at or after this time.
    public var since: Date?
    /// Records before this time.
    public var until: Date?
    /// Only this method (exact) or methods under this prefix when it ends with `.`.
    public var method: String?
    /// Only this uid.
    public var uid: Int?
    /// Only this workstation.
    public var workstation: String?
    /// Only records with an id below this (the previous page's `nextCursor`).
    public var before: Int64?
    /// Page size.
    public var limit: Int

    /// Creates a query.
    public init(
        since: Date? = nil, until: Date? = nil, method: String? = nil, uid: Int? = nil, workstation: String? = nil,
        before: Int64? = nil, limit: Int = 100
    ) {
        self.since = since
        self.until = until
        self.method = method
        self.uid = uid
        self.workstation = workstation
        self.before = before
        self.limit = limit
    }
}

extension Store {
    /// Audit records matching `query`, newest first, and the cursor of the next page.
    public func audit(_ query: AuditQuery) async throws(RPCError) -> (records: [JSONValue], nextCursor: Int64?) {
        try await read { _, db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let since = query.since {
                clauses.append("time_ms >= ?")
                arguments += [Int64(since.timeIntervalSince1970 * 1000)]
            }
            if let until = query.until {
                clauses.append("time_ms < ?")
                arguments += [Int64(until.timeIntervalSince1970 * 1000)]
            }
            if let method = query.method {
                if method.hasSuffix(".") {
                    clauses.append("substr(method, 1, ?) = ?")
                    arguments += [method.count, method]
                } else {
                    clauses.append("method = ?")
                    arguments += [method]
                }
            }
            if let uid = query.uid {
                clauses.append("uid = ?")
                arguments += [uid]
            }
            if let workstation = query.workstation {
                clauses.append("workstation = ?")
                arguments += [workstation]
            }
            if let before = query.before {
                clauses.append("id < ?")
                arguments += [before]
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let rows = try GRDB.Row.fetchAll(
                db, sql: "SELECT * FROM daemon_audit \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments: arguments + [query.limit + 1])
            var records: [JSONValue] = []
            for row in rows.prefix(query.limit) {
                let params: String = row["params"] ?? "{}"
                var record: [String: JSONValue] = [
                    "id": .int(row["id"] ?? 0), "time": .string(row["time"] ?? ""), "uid": .int(row["uid"] ?? 0),
                    "gid": .int(row["gid"] ?? 0), "pid": .int(row["pid"] ?? 0), "role": .string(row["role"] ?? ""),
                    "method": .string(row["method"] ?? ""), "params": (try? JSONValue.parse(params)) ?? .string(params),
                    "outcome": .string(row["outcome"] ?? ""),
                ]
                let workstation: String? = row["workstation"]
                let operatorName: String? = row["operator"]
                let requestID: String? = row["request_id"]
                let kind: String? = row["error_kind"]
                let message: String? = row["error_message"]
                record["workstation"] = workstation.map { .string($0) } ?? .null
                record["operator"] = operatorName.map { .string($0) } ?? .null
                record["requestId"] = requestID.map { .string($0) } ?? .null
                record["error"] = kind.map { ["kind": .string($0), "message": .string(message ?? "")] } ?? .null
                records.append(.object(record))
            }
            let next: Int64? = rows.count > query.limit ? records.last?["id"]?.intValue : nil
            return (records, next)
        }
    }
}
