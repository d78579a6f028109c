import Foundation
import GRDB
import Logging
import ReceptionProtocol

/// Refused writes, counted per method and error kind with a few samples of who tried what,
/// instead of one durable audit row each.
///
/// Every refused write used to add a row to `daemon_audit`: one fuzz run left 36,897 of them,
/// and a script retrying a forbidden call could grow the table without bound. A refusal (a
/// forbidden or malformed call, a business rule, a storage failure) is now counted in memory
/// under its method and kind, keeping the first refusal and the ``recentSamples`` most recent
/// ones (who, when, the redacted params, the error). ``flushDelay`` seconds after the first
/// unsaved refusal (later while the WAL is at its limit), and at shutdown, the counts are added
/// to `daemon_audit_refusals`, one row per method and kind, so they survive a restart and the
/// table stays as small as the list of write methods.
/// Successful writes keep their row in `daemon_audit`, written in their own transaction.
///
/// Threads: ``record(_:error:)`` runs on event loops (refused before the writer) and on the
/// writer's thread (refused by the plugin, or failed storage); the flush runs on a queue of its
/// own and writes through the pool's writer connection; ``tallies(method:_:)`` runs on a
/// reader. `flushLock` makes a flush's commit and its removal from memory one step for a
/// query, so a refusal is never counted twice or missed.
public final class RefusalLedger: @unchecked Sendable {
    /// Recent refusals kept per method and kind, besides the first.
    public static let recentSamples = 3
    /// Seconds between the first unsaved refusal and the flush that saves it.
    public let flushDelay: TimeInterval
    /// Serialized params longer than this are kept as an excerpt in a sample.
    static let paramsLimit = 4096
    /// Error messages longer than this are cut in a sample.
    static let messageLimit = 1024

    private let pool: DatabasePool
    private let mayWrite: @Sendable () -> Bool
    private let logger: Logger
    private let queue = DispatchQueue(label: "receptiond.refusals")
    /// Held across a flush's commit and by queries: see the type's comment.
    private let flushLock = NSLock()
    // `pending`, `scheduled` and `closed` are guarded by `stateLock`.
    private let stateLock = NSLock()
    private var pending: [Key: Tally] = [:]
    private var scheduled = false
    private var closed = false

    /// A method and an error kind (`validation`, `forbidden`, `storage`, …).
    struct Key: Hashable {
        let method: String
        let kind: String
    }

    /// One refusal as kept: when the request arrived, and who tried what.
    struct Sample {
        let time: Date
        let json: JSONValue
    }

    /// Refusals of one method and kind.
    struct Tally {
        var count: Int64
        var firstAt: Date
        var lastAt: Date
        var first: Sample
        /// Newest first.
        var recent: [Sample]

        /// `self` and the refusals of `other` together. Samples go by the time their requests
        /// arrived, not by when they were counted (a refusal by the plugin is counted after the
        /// writer ran it, one by the schema at once).
        func merged(with other: Tally) -> Tally {
            let recent = (other.recent + recent).sorted { $0.time > $1.time }
            return Tally(
                count: count + other.count, firstAt: min(firstAt, other.firstAt), lastAt: max(lastAt, other.lastAt),
                first: other.first.time < first.time ? other.first : first,
                recent: Array(recent.prefix(RefusalLedger.recentSamples)))
        }
    }

    /// A ledger saving to `pool`; a flush waits while `mayWrite` says no (the WAL at its limit).
    init(
        pool: DatabasePool, flushDelay: TimeInterval = 2, mayWrite: @escaping @Sendable () -> Bool = { true },
        logger: Logger
    ) {
        self.pool = pool
        self.flushDelay = flushDelay
        self.mayWrite = mayWrite
        self.logger = logger
    }

    /// Counts a refused write: `audit` says who tried what (params already redacted), `error`
    /// why it was refused.
    public func record(_ audit: AuditRecord, error: RPCError) {
        let sample = Sample(time: audit.time, json: Self.sample(audit, error: error))
        let tally = Tally(count: 1, firstAt: audit.time, lastAt: audit.time, first: sample, recent: [sample])
        let key = Key(method: audit.method, kind: error.kind.rawValue)
        let schedule: Bool = stateLock.withLock {
            pending[key] = pending[key].map { $0.merged(with: tally) } ?? tally
            guard !scheduled, !closed else { return false }
            scheduled = true
            return true
        }
        if schedule { queue.asyncAfter(deadline: .now() + flushDelay) { [weak self] in self?.flush() } }
    }

    /// Adds the counts held in memory to `daemon_audit_refusals`. On failure they stay in
    /// memory and another flush is scheduled.
    func flush(force: Bool = false) {
        flushLock.lock()
        defer { flushLock.unlock() }
        // Taken out of memory while `flushLock` keeps queries away; put back if not saved.
        let batch: [Key: Tally] = stateLock.withLock {
            scheduled = false
            defer { pending = [:] }
            return pending
        }
        guard !batch.isEmpty else { return }
        guard force || mayWrite() else {
            restore(batch)
            return
        }
        do {
            try pool.write { db in
                for (key, tally) in batch {
                    let stored = try Self.fetch(db, method: key.method, kind: key.kind).first
                    try Self.save(db, key: key, tally: stored.map { $0.tally.merged(with: tally) } ?? tally)
                }
            }
        } catch {
            if force {
                logger.warning("the counts of \(batch.count) refused methods could not be saved: \(error)")
            } else {
                logger.debug("saving refusal counts failed, kept in memory: \(error)")
            }
            restore(batch)
        }
    }

    /// Puts counts that could not be saved back in memory, before those recorded meanwhile,
    /// and schedules another flush.
    private func restore(_ batch: [Key: Tally]) {
        let schedule: Bool = stateLock.withLock {
            for (key, tally) in batch {
                pending[key] = pending[key].map { tally.merged(with: $0) } ?? tally
            }
            guard !scheduled, !closed else { return false }
            scheduled = true
            return true
        }
        if schedule { queue.asyncAfter(deadline: .now() + flushDelay) { [weak self] in self?.flush() } }
    }

    /// Saves what is left and schedules no more flushes (the daemon is stopping).
    func close() {
        stateLock.withLock { closed = true }
        flush(force: true)
    }

    /// Every method and kind refused so far (those under `method`, exact or a prefix ending in
    /// `.`), saved and unsaved together, most recently refused first.
    func tallies(method: String?, _ db: Database) throws -> [JSONValue] {
        flushLock.lock()
        defer { flushLock.unlock() }
        var merged: [Key: Tally] = [:]
        for row in try Self.fetch(db, method: method) { merged[row.key] = row.tally }
        let unsaved = stateLock.withLock { pending }
        for (key, tally) in unsaved where Self.matches(key.method, method) {
            merged[key] = merged[key].map { $0.merged(with: tally) } ?? tally
        }
        return merged.sorted { $0.value.lastAt > $1.value.lastAt }.map { key, tally in
            [
                "method": .string(key.method), "kind": .string(key.kind), "count": .int(tally.count),
                "firstAt": .string(Timestamp.format(tally.firstAt)), "lastAt": .string(Timestamp.format(tally.lastAt)),
                "first": tally.first.json, "recent": .array(tally.recent.map(\.json)),
            ]
        }
    }

    private static func matches(_ candidate: String, _ filter: String?) -> Bool {
        guard let filter else { return true }
        return filter.hasSuffix(".") ? candidate.hasPrefix(filter) : candidate == filter
    }

    /// Who tried what, when, and why it was refused: an audit record's members without `id`,
    /// `method` and `outcome`.
    static func sample(_ audit: AuditRecord, error: RPCError) -> JSONValue {
        let params: JSONValue
        if audit.params.utf8.count > paramsLimit {
            params = .string(String(audit.params.prefix(paramsLimit / 4)) + "…(\(audit.params.utf8.count) bytes)")
        } else {
            params = (try? JSONValue.parse(audit.params)) ?? .string(audit.params)
        }
        let message =
            error.message.utf8.count > messageLimit
            ? String(error.message.prefix(messageLimit / 4)) + "…" : error.message
        return [
            "time": .string(Timestamp.format(audit.time)), "uid": .int(Int64(audit.uid)),
            "gid": .int(Int64(audit.gid)), "pid": .int(Int64(audit.pid)), "role": .string(audit.role),
            "workstation": audit.workstation.map { .string($0) } ?? .null,
            "operator": audit.operator.map { .string($0) } ?? .null,
            "requestId": audit.requestID.map { .string($0) } ?? .null, "params": params,
            "error": ["kind": .string(error.kind.rawValue), "message": .string(message)],
        ]
    }

    private static func fetch(_ db: Database, method: String? = nil, kind: String? = nil) throws -> [(
        key: Key, tally: Tally
    )] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let method {
            if method.hasSuffix(".") {
                clauses.append("substr(method, 1, ?) = ?")
                arguments += [method.count, method]
            } else {
                clauses.append("method = ?")
                arguments += [method]
            }
        }
        if let kind {
            clauses.append("error_kind = ?")
            arguments += [kind]
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: "SELECT * FROM daemon_audit_refusals \(whereClause)", arguments: arguments)
            .map { row in
                let first: String = row["first_sample"] ?? "null"
                let recent: String = row["recent_samples"] ?? "[]"
                let firstMs: Int64 = row["first_time_ms"] ?? 0
                let lastMs: Int64 = row["last_time_ms"] ?? 0
                let firstAt = Date(timeIntervalSince1970: Double(firstMs) / 1000)
                return (
                    Key(method: row["method"] ?? "", kind: row["error_kind"] ?? ""),
                    Tally(
                        count: row["count"] ?? 0, firstAt: firstAt,
                        lastAt: Date(timeIntervalSince1970: Double(lastMs) / 1000),
                        first: Sample(time: firstAt, json: (try? JSONValue.parse(first)) ?? .null),
                        recent: ((try? JSONValue.parse(recent))?.arrayValue ?? []).map { json in
                            Sample(time: Timestamp.parse(json["time"]?.stringValue ?? "") ?? firstAt, json: json)
                        })
                )
            }
    }

    private static func save(_ db: Database, key: Key, tally: Tally) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO daemon_audit_refusals (method, error_kind, count, first_time, first_time_ms,
                    last_time, last_time_ms, first_sample, recent_samples)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key.method, key.kind, tally.count, Timestamp.format(tally.firstAt),
                Int64(tally.firstAt.timeIntervalSince1970 * 1000), Timestamp.format(tally.lastAt),
                Int64(tally.lastAt.timeIntervalSince1970 * 1000), tally.first.json.serialized(),
                JSONValue.array(tally.recent.map(\.json)).serialized(),
            ])
    }
}

extension Store {
    /// Counts a write refused before it reached the writer (forbidden, bad params).
    public func recordRefusal(_ audit: AuditRecord, error: RPCError) {
        refusalLedger.record(audit, error: error)
    }

    /// Refused writes per method and kind (`audit.refusals`), most recently refused first.
    public func refusals(method: String?) async throws(RPCError) -> [JSONValue] {
        let ledger = refusalLedger
        return try await read { _, db in try ledger.tallies(method: method, db) }
    }
}
