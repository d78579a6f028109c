import Foundation
import NIOCore

/// The open connections: counted for limits and `daemon.status`, listed so shutdown can close them.
final class ConnectionRegistry: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var open: [Int: ConnectionState] = [:]
    /// Reserved slots, including connections still being set up.
    private var live = 0
    private var nextID = 0
    private var accepted = 0
    private var refused = 0
    /// Open connections per user id (admins not counted: they are exempt from the limit).
    private var perUID: [Int: Int] = [:]

    /// Reserves a connection number if under `limit`; `nil` when full.
    func reserve(limit: Int) -> Int? {
        lock.withLock {
            guard live < limit else {
                refused += 1
                return nil
            }
            live += 1
            nextID += 1
            accepted += 1
            return nextID
        }
    }

    /// Counts one more connection of `uid` if it has fewer than `limit`; `false` (and counted as
    /// refused) when it has them all.
    func claim(uid: Int, limit: Int) -> Bool {
        lock.withLock {
            let open = perUID[uid, default: 0]
            guard open < limit else {
                refused += 1
                return false
            }
            perUID[uid] = open + 1
            return true
        }
    }

    /// Gives back one connection of `uid` (once per successful ``claim(uid:limit:)``).
    func unclaim(uid: Int) {
        lock.withLock {
            let open = perUID[uid, default: 0] - 1
            perUID[uid] = open > 0 ? open : nil
        }
    }

    /// The users with the most connections open, most first (for `daemon.status`).
    func busiestUsers(_ count: Int) -> [(uid: Int, connections: Int)] {
        lock.withLock { perUID.sorted { $0.value > $1.value }.prefix(count).map { ($0.key, $0.value) } }
    }

    func add(_ connection: ConnectionState) { lock.withLock { open[connection.id] = connection } }
    /// Frees the slot of connection `id` (call exactly once per successful ``reserve(limit:)``).
    func release(_ id: Int) {
        lock.withLock {
            open.removeValue(forKey: id)
            live -= 1
        }
    }

    var count: Int { lock.withLock { live } }
    var all: [ConnectionState] { lock.withLock { Array(open.values) } }
    var totals: (accepted: Int, refused: Int) { lock.withLock { (accepted, refused) } }
}
