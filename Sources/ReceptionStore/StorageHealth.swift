import Foundation
import ReceptionProtocol

/// How the storage is doing, for `daemon.status` and systemd's `STATUS=` line: whether writes
/// are being refused and why, the WAL's size against its limit, and the causes of failed writes
/// and checkpoints with their counts (from the two ``RepeatingErrorLog``s).
extension Store {
    /// The WAL's size after the last commit (frames × frame size, as SQLite's WAL hook gives it).
    public var walBytes: Int64 { checkpointer.walBytes }

    /// The WAL size at which writes are refused until a checkpoint succeeds.
    public var maxWALBytes: Int64 { checkpointer.limitBytes }

    /// Whether writes are being refused: the last write group failed and none succeeded since,
    /// unless all it failed for was the WAL limit and a checkpoint has lifted it meanwhile.
    public var writesRefused: Bool {
        guard writer.failures.isFailing else { return false }
        let current = writer.failures.causes.filter { $0.recoveredAt == nil }
        if current.allSatisfy({ $0.key == WriteQueue.walLimitCause }) { return checkpointer.overLimit }
        return true
    }

    /// The members `daemon.status` adds to `storage`: `writesRefused`, `writesRefusedCount`
    /// (writes refused since the last success),
    /// `walBytes`, `maxWalBytes`, and `failures` (each cause of failed writes or checkpoints,
    /// current ones first: `source` `writes` or `checkpoint`, `cause`, `message`, `count`,
    /// `firstAt`, `lastAt`, `current`, `recoveredAt`).
    public var healthJSON: [String: JSONValue] {
        var failures: [JSONValue] = []
        for (source, log) in [("writes", writer.failures), ("checkpoint", checkpointer.failures)] {
            for cause in log.causes {
                guard case .object(var members) = cause.jsonValue else { continue }
                members["source"] = .string(source)
                failures.append(.object(members))
            }
        }
        return [
            "writesRefused": .bool(writesRefused),
            "writesRefusedCount": .int(Int64(writer.failures.failureCount)),
            "walBytes": .int(walBytes), "maxWalBytes": .int(maxWALBytes), "failures": .array(failures),
            // How a commit gets to disk before its reply: the WAL fdatasynced after the commit,
            // overlapping the next group ("wal-sync"), or inside the commit ("commit").
            "commitSync": .string(writer.walSync == nil || writer.walSync?.isDegraded == true ? "commit" : "wal-sync"),
            "walSyncs": .int(Int64(writer.walSync?.syncs ?? 0)),
        ]
    }

    /// A clause for the status line while something fails: "storage failing: disk full (1,204
    /// writes refused)", or "WAL checkpoints failing: disk I/O error (WAL 96.0 MiB of 1.0 GiB)";
    /// `nil` when all is well.
    public var statusClause: String? {
        if writesRefused, let cause = writer.failures.causes.first(where: { $0.recoveredAt == nil }) {
            let count = writer.failures.failureCount
            return
                "storage failing: \(cause.summary) (\(RepeatingErrorLog.grouped(count)) write\(count == 1 ? "" : "s") refused)"
        }
        if checkpointer.failures.isFailing,
            let cause = checkpointer.failures.causes.first(where: { $0.recoveredAt == nil })
        {
            return
                "WAL checkpoints failing: \(cause.summary) (WAL \(Checkpointer.describe(bytes: walBytes)) of \(Checkpointer.describe(bytes: maxWALBytes)))"
        }
        return nil
    }
}
