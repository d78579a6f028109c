import Foundation
import ReceptionProtocol

/// Request counters for `daemon.status`.
final class RequestStats: @unchecked Sendable {
    // Everything is guarded by `lock`.
    private let lock = NSLock()
    private var total = 0
    private var errors = 0
    private var inFlight = 0
    private var byKind: [String: Int] = [:]

    func started() {
        lock.withLock {
            total += 1
            inFlight += 1
        }
    }

    func finished(error: ErrorKind?) {
        lock.withLock {
            inFlight -= 1
            if let error {
                errors += 1
                byKind[error.rawValue, default: 0] += 1
            }
        }
    }

    /// Requests currently being handled.
    var current: Int { lock.withLock { inFlight } }

    var jsonValue: JSONValue {
        lock.withLock {
            [
                "total": .int(Int64(total)), "errors": .int(Int64(errors)), "inFlight": .int(Int64(inFlight)),
                "errorsByKind": .object(byKind.mapValues { .int(Int64($0)) }),
            ]
        }
    }
}
