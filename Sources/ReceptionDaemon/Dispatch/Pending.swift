import Foundation
import ReceptionProtocol

/// A value that another thread will produce once: a queued write's durable outcome, a plugin
/// read running on a reader thread, a reply that depends on one of those.
///
/// Waiters attach a callback (``whenComplete(_:)``, the hot path: no Swift task, the callback
/// runs on the completing thread) or `await` ``value``. Writes are queued the moment their line is
/// read, not when a task gets to run, so pipelined writes on a connection commit in request
/// order; reads on the same connection wait for the connection's last queued write, so a client
/// always reads its own writes.
final class Pending<Value: Sendable>: @unchecked Sendable {
    // `result` and `waiters` are guarded by `lock`.
    private let lock = NSLock()
    private var result: Value?
    private var waiters: [@Sendable (Value) -> Void] = []

    /// A value still to come.
    init() {}

    /// Records the value and runs every waiter, on this thread. Only the first call counts.
    func complete(_ value: Value) {
        let waiting: [@Sendable (Value) -> Void]? = lock.withLock {
            if result != nil { return nil }
            result = value
            let current = waiters
            waiters = []
            return current
        }
        for waiter in waiting ?? [] { waiter(value) }
    }

    /// Runs `body` with the value: now, on this thread, if it is already there, else on the
    /// thread that completes it.
    func whenComplete(_ body: @escaping @Sendable (Value) -> Void) {
        let ready: Value? = lock.withLock {
            if let result { return result }
            waiters.append(body)
            return nil
        }
        if let ready { body(ready) }
    }

    /// A pending value derived from this one by `transform`, run on the completing thread.
    func map<Other: Sendable>(_ transform: @escaping @Sendable (Value) -> Other) -> Pending<Other> {
        let mapped = Pending<Other>()
        whenComplete { mapped.complete(transform($0)) }
        return mapped
    }

    /// The value, once there.
    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                whenComplete { continuation.resume(returning: $0) }
            }
        }
    }
}

/// A write already queued on the writer; completes with its durable outcome.
typealias WriteTicket = Pending<Result<String, RPCError>>
