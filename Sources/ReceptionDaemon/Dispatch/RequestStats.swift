import Foundation
import ReceptionProtocol
import Synchronization

/// Request counters for `daemon.status`: atomics on the hot path (two per request, from every
/// event loop and reader thread), a lock only for the per-kind error counts.
final class RequestStats: Sendable {
    private let total = Atomic<Int>(0)
    private let errors = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)
    private let byKind = Mutex<[String: Int]>([:])

    func started() {
        total.add(1, ordering: .relaxed)
        inFlight.add(1, ordering: .relaxed)
    }

    func finished(error: ErrorKind?) {
        inFlight.subtract(1, ordering: .relaxed)
        if let error {
            errors.add(1, ordering: .relaxed)
            byKind.withLock { $0[error.rawValue, default: 0] += 1 }
        }
    }

    /// Requests currently being handled.
    var current: Int { inFlight.load(ordering: .relaxed) }

    var jsonValue: JSONValue {
        let kinds = byKind.withLock { $0 }
        return [
            "total": .int(Int64(total.load(ordering: .relaxed))),
            "errors": .int(Int64(errors.load(ordering: .relaxed))),
            "inFlight": .int(Int64(inFlight.load(ordering: .relaxed))),
            "errorsByKind": .object(kinds.mapValues { .int(Int64($0)) }),
        ]
    }
}
