import Foundation
import ReceptionProtocol

/// A write already queued on the writer, whose durable outcome a task can await.
///
/// Writes are queued the moment their line is read (not when a task gets to run), so pipelined
/// writes on a connection commit in request order; reads on the same connection wait for the
/// connection's last queued write, so a client always reads its own writes.
final class WriteTicket: @unchecked Sendable {
    // `result` and `waiters` are guarded by `lock`.
    private let lock = NSLock()
    private var result: Result<String, RPCError>?
    private var waiters: [CheckedContinuation<Result<String, RPCError>, Never>] = []

    /// Records the outcome and wakes every waiter.
    func complete(_ outcome: Result<String, RPCError>) {
        let waiting: [CheckedContinuation<Result<String, RPCError>, Never>] = lock.withLock {
            result = outcome
            let current = waiters
            waiters = []
            return current
        }
        for waiter in waiting { waiter.resume(returning: outcome) }
    }

    /// The outcome, once committed (or failed).
    var outcome: Result<String, RPCError> {
        get async {
            await withCheckedContinuation { continuation in
                let ready: Result<String, RPCError>? = lock.withLock {
                    if let result { return result }
                    waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
