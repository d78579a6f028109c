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
