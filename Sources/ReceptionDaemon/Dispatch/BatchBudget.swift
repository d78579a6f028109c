import Foundation
import ReceptionProtocol

/// The bytes one batch's reply may take: `max_reply_bytes` for the whole batch, within the
/// daemon-wide ``ReplyMemory``.
///
/// Each element's result is admitted as it arrives (on the reader that made it). A read result
/// that would take the batch past its limit, or the daemon past its memory budget, is replaced
/// by a `limit` error for that element (its id kept) and freed at once; from then on the batch's
/// remaining reads are not run at all. Write results are always kept: their change is committed,
/// and a client must learn that. So a batch of a thousand large lists answers with the results
/// that fit and a short error for each of the rest, never with a reply of hundreds of megabytes.
final class BatchBudget: Sendable {
    private struct State {
        var used = 0
        var reserved = 0
        var refusal: RPCError?
    }

    /// Per-element framing around a result (`{"jsonrpc":"2.0","id":…,"result":…}`), counted with it.
    static let elementOverhead = 64
    private let limit: Int
    private let memory: ReplyMemory
    private let state = LockedBox(State())

    /// A budget of `limit` bytes for one batch, drawn from `memory`.
    init(limit: Int, memory: ReplyMemory) {
        self.limit = limit
        self.memory = memory
    }

    /// The error every later read of this batch gets, once one was refused.
    var refusal: RPCError? { state.withLock { $0.refusal } }

    /// `outcome` if it fits, else a `limit` error. Results given as a value are serialized here,
    /// once, so their size is known.
    func admit(_ outcome: Outcome, isRead: Bool) -> Outcome {
        let text: String
        switch outcome {
        case .success(.raw(let raw)): text = raw
        case .success(.value(let value)): text = value.serialized()
        case .failure:
            count(Self.elementOverhead + 256, force: true)
            return outcome
        }
        let size = text.utf8.count + Self.elementOverhead
        if !isRead {
            count(size, force: true)
            return .success(.raw(text))
        }
        if let refusal = count(size, force: false) { return .failure(refusal) }
        return .success(.raw(text))
    }

    /// Counts `size` bytes; unless `force`, refuses (and returns the error) when they do not fit.
    @discardableResult
    private func count(_ size: Int, force: Bool) -> RPCError? {
        state.withLock { state in
            if !force {
                if let refusal = state.refusal { return refusal }
                if state.used + size > limit {
                    state.refusal = Self.tooLarge(bytes: state.used + size, limit: limit, batch: true)
                    return state.refusal
                }
                if !memory.reserve(size) {
                    state.refusal = RPCError(
                        .limit,
                        "the daemon is holding its limit of \(memory.limit) bytes of unread replies; this batch element was not run. Retry shortly, or read the replies already sent",
                        details: ["limit": .int(Int64(memory.limit))])
                    return state.refusal
                }
            } else {
                memory.add(size)
            }
            state.used += size
            state.reserved += size
            return nil
        }
    }

    /// Gives the batch's share of ``ReplyMemory`` back (the connection counts the joined reply).
    func finish() {
        let reserved = state.withLock { state in
            let reserved = state.reserved
            state.reserved = 0
            return reserved
        }
        memory.release(reserved)
    }

    /// The `limit` error for a reply of `bytes` over `limit`.
    static func tooLarge(bytes: Int, limit: Int, batch: Bool) -> RPCError {
        let what = batch ? "this batch's replies would be" : "the reply would be"
        let advice =
            batch
            ? "this element and the batch's remaining reads were not run; send fewer requests per batch or ask for smaller pages"
            : "ask for a smaller page (limit) or narrower filters"
        return RPCError(
            .limit, "\(what) at least \(bytes) bytes, over max_reply_bytes (\(limit)); \(advice)",
            details: ["limit": .int(Int64(limit))])
    }
}
