import Logging
import NIOCore
import ReceptionProtocol

/// The per-connection request loop: lines in, replies out in request order.
///
/// A `ChannelHandler` rather than an `NIOAsyncChannel` loop so that pipelined requests are
/// dispatched as they arrive (reads run in parallel, writes queue for the writer) while replies
/// still leave in request order, and so answers that need no database (`daemon.ping`,
/// `daemon.status`) are written without a task hop.
///
/// Memory is bounded whatever the client does (see ``ConnectionBudget``): a line is dispatched
/// only while the connection has fewer than `max_in_flight_per_connection` requests unanswered
/// (a batch counts each of its elements, and one batch runs at a time) and fewer than
/// `reply_buffer_bytes` of replies unread; otherwise it waits, and the socket is not read until
/// the client catches up. A client that reads nothing for `drain_timeout_seconds` while its
/// replies are stuck is closed. Past the daemon-wide `reply_memory_bytes`, the connections holding
/// more than their share stop being read first (``ReplyMemory``).
///
/// Deadlines: a request line must be complete `line_timeout_seconds` after its first byte (a
/// trickle of bytes does not extend it), and a connection with no complete request for
/// `idle_timeout_seconds` and nothing in flight is closed (subscribers excepted).
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = LineFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: Dispatcher
    private let connection: ConnectionState
    private let budget: ConnectionBudget
    private let memory: ReplyMemory
    private let logger: Logger

    /// Sequence number of the next request read.
    private var nextSequence = 0
    /// Sequence number of the next reply to write.
    private var nextToWrite = 0
    /// Replies that finished before an earlier one.
    private var parked: [Int: String?] = [:]
    /// Requests running on a task, a reader or the writer.
    private var inFlight = 0
    /// Requests read and not yet answered on the wire, a batch counting one per element: what
    /// `max_in_flight_per_connection` bounds, so that neither a slow request followed by a flood
    /// of pings nor one huge batch can park replies without end.
    private var unanswered = 0
    /// The weight of each unanswered batch, by sequence number (plain requests weigh 1).
    private var batchWeights: [Int: Int] = [:]
    /// Whether a batch is unanswered: batches run one at a time per connection.
    private var batchInFlight = false
    /// Lines read but not yet dispatched because a limit was reached or the turn's slice is used.
    private var backlog = CircularBuffer<LineFrame>()
    /// Lines this connection may still dispatch straight from the current read.
    private var readSliceRemaining = ConnectionHandler.readSliceLines
    /// Whether the connection waits in its loop's ``FairShare`` for its next slice.
    private var queued = false
    /// Most lines dispatched straight from one read; the rest wait for ``FairShare``.
    static let readSliceLines = 4
    /// Most lines one connection dispatches in each of its turns in ``FairShare``. A client
    /// pipelining thousands of requests gets through them a slice at a time, in turn with every
    /// other busy connection on its loop, while a desk sending one request is served straight
    /// from its read.
    static let sliceLines = 16
    private let fairShare: FairShare
    private var readHeld = false
    /// Replies framed since the last flush, written as one buffer.
    private var outgoing: ByteBuffer?
    /// Bytes of replies parked or in ``outgoing`` (not yet handed to the channel).
    private var unwrittenBytes = 0
    /// Bytes handed to the channel and not yet taken by the kernel.
    private var channelBytes = 0
    /// Whether this connection is registered in ``ReplyMemory`` as holding replies.
    private var holding = false
    /// Whether ``ReplyMemory`` paused this connection.
    private var pausedByMemory = false
    /// The client shut down its sending side (`echo ... | nc -U`): answer what was asked, then close.
    private var inputClosed = false
    /// The daemon is stopping: finish what is in flight, write the replies, then close.
    private var stopping = false
    /// The channel is gone: completions that arrive later are dropped.
    private var closed = false
    /// Every reply is written and the close is on its way.
    private var finishing = false

    // MARK: Deadlines
    /// When the last complete request line was read (or the connection opened).
    private var lastRequest = NIODeadline.now()
    /// When the line now arriving started; `nil` between lines.
    private var partialSince: NIODeadline?
    /// When the client last took replies off the socket (or the connection opened).
    private var lastDrain = NIODeadline.now()
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(
        dispatcher: Dispatcher, connection: ConnectionState, budget: ConnectionBudget, memory: ReplyMemory,
        fairShare: FairShare, logger: Logger
    ) {
        self.fairShare = fairShare
        self.dispatcher = dispatcher
        self.connection = connection
        self.budget = budget
        self.memory = memory
        self.logger = logger
    }

    private var heldBytes: Int { unwrittenBytes + channelBytes }

    func handlerAdded(context: ChannelHandlerContext) {
        rearmTimer(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if closed { return }
        let frame = unwrapInboundIn(data)
        switch frame {
        case .partial:
            if partialSince == nil { partialSince = .now() }
            rearmTimer(context: context)
            return
        case .discardEnded:
            partialSince = nil
            return
        case .line, .oversize:
            break
        }
        partialSince = nil
        // Lines already read past a limit wait here, in order, rather than being dispatched
        // (the socket itself is no longer read, see `read(context:)`).
        if !backlog.isEmpty || !admits(frame) || readSliceRemaining == 0 {
            backlog.append(frame)
            drainBacklog(context: context)
            return
        }
        readSliceRemaining -= 1
        dispatch(frame, context: context)
    }

    /// Dispatches up to ``sliceLines`` lines of the backlog (this connection's turn in
    /// ``FairShare``); whether it has more to do now.
    private func runSlice(context: ChannelHandlerContext) -> Bool {
        guard !closed else {
            queued = false
            return false
        }
        var slice = Self.sliceLines
        while slice > 0, let first = backlog.first, admits(first) {
            slice -= 1
            dispatch(backlog.removeFirst(), context: context)
        }
        let more = backlog.first.map(admits) ?? false
        if !more { queued = false }
        flushIfNeeded(context: context)
        if backlog.isEmpty {
            // Caught up: the next read is served straight away again.
            readSliceRemaining = Self.readSliceLines
            resumeReadingIfPossible(context: context)
        } else if !more {
            checkMemory(context: context)
        }
        closeIfFinished(context: context)
        rearmTimer(context: context)
        return more
    }

    /// Whether `frame` may be dispatched now.
    private func admits(_ frame: LineFrame) -> Bool {
        guard unanswered < budget.maxInFlight, heldBytes < budget.replyBufferBytes, !pausedByMemory,
            !memory.mustPause(holding: heldBytes)
        else {
            return false
        }
        if batchInFlight, case .line(let line) = frame, Self.isBatch(line) { return false }
        return true
    }

    /// Whether the next line may be read at all (nothing waits and no budget is exhausted).
    private var acceptsMore: Bool {
        !stopping && backlog.isEmpty && unanswered < budget.maxInFlight && heldBytes < budget.replyBufferBytes
            && !pausedByMemory && !memory.mustPause(holding: heldBytes)
    }

    private static func isBatch(_ line: ByteBuffer) -> Bool {
        for byte in line.readableBytesView where byte != 0x20 && byte != 0x09 && byte != 0x0D {
            return byte == UInt8(ascii: "[")
        }
        return false
    }

    /// Queues the connection in ``FairShare`` when lines wait and the limits let one go.
    private func drainBacklog(context: ChannelHandlerContext) {
        guard !queued, !closed, let first = backlog.first else { return }
        guard admits(first) else {
            checkMemory(context: context)
            return
        }
        queued = true
        fairShare.enqueue { self.runSlice(context: context) }
    }

    private func dispatch(_ frame: LineFrame, context: ChannelHandlerContext) {
        let sequence = nextSequence
        switch frame {
        case .partial, .discardEnded:
            return
        case .oversize(let limit):
            nextSequence += 1
            unanswered += 1
            lastRequest = .now()
            let error = RPCError(
                .limit, "request line longer than \(limit) bytes was discarded", details: ["limit": .int(Int64(limit))])
            logger.notice("oversize request line discarded", metadata: connection.metadata())
            complete(sequence, RPCResponse.failure(id: .null, error: error), context: context)
        case .line(let line):
            if line.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            nextSequence += 1
            lastRequest = .now()
            let reply = dispatcher.handle(line: line, connection: connection)
            let weight = max(1, reply.weight)
            unanswered += weight
            if reply.weight > 0 {
                batchWeights[sequence] = weight
                batchInFlight = true
            }
            switch reply {
            case .immediate(let reply):
                complete(sequence, reply, context: context)
            case .pending(let outcome, let frame):
                let promise = context.eventLoop.makePromise(of: Outcome.self)
                outcome.whenComplete { promise.succeed($0) }
                send(promise.futureResult.map(frame), sequence, context: context)
            case .deferred(let work, _):
                let promise = context.eventLoop.makePromise(of: String?.self)
                promise.completeWithTask(work)
                send(promise.futureResult, sequence, context: context)
            }
        }
    }

    /// Writes the reply of request `sequence` when `reply` completes (on this event loop).
    private func send(_ reply: EventLoopFuture<String?>, _ sequence: Int, context: ChannelHandlerContext) {
        inFlight += 1
        reply.assumeIsolated().whenComplete { result in
            self.inFlight -= 1
            if self.closed { return }
            let line: String?
            switch result {
            case .success(let value): line = value
            case .failure(let error): line = RPCResponse.failure(id: .null, error: .internalError("\(error)"))
            }
            self.complete(sequence, line, context: context)
            self.afterProgress(context: context)
        }
    }

    /// Everything that may follow a reply or a drained write: dispatch what waits, flush,
    /// read again, close when finished.
    private func afterProgress(context: ChannelHandlerContext) {
        // Paused by the daemon-wide budget, but its client has since read what it held.
        if pausedByMemory, !memory.mustPause(holding: heldBytes) {
            pausedByMemory = false
            memory.forget(connection.id)
        }
        drainBacklog(context: context)
        flushIfNeeded(context: context)
        resumeReadingIfPossible(context: context)
        closeIfFinished(context: context)
        rearmTimer(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // The next read starts a new slice (a backlog left now goes on in ``FairShare``).
        if backlog.isEmpty { readSliceRemaining = Self.readSliceLines }
        flushIfNeeded(context: context)
        rearmTimer(context: context)
        context.fireChannelReadComplete()
    }

    /// Stores a finished reply and frames every reply that is now next in order.
    private func complete(_ sequence: Int, _ reply: String?, context: ChannelHandlerContext) {
        if let reply { account(reply.utf8.count + 1) }
        if sequence != nextToWrite {
            parked[sequence] = .some(reply)
            return
        }
        frameReply(reply, sequence: sequence, context: context)
        while let next = parked.removeValue(forKey: nextToWrite) {
            frameReply(next, sequence: nextToWrite, context: context)
        }
    }

    private func frameReply(_ reply: String?, sequence: Int, context: ChannelHandlerContext) {
        nextToWrite += 1
        if let weight = batchWeights.removeValue(forKey: sequence) {
            unanswered -= weight
            batchInFlight = false
        } else {
            unanswered -= 1
        }
        guard let reply else { return }
        let size = reply.utf8.count + 1
        if outgoing == nil { outgoing = context.channel.allocator.buffer(capacity: max(size, 512)) }
        outgoing?.writeString(reply)
        outgoing?.writeInteger(UInt8(ascii: "\n"))
    }

    /// Counts `bytes` of a finished reply against this connection and the daemon.
    private func account(_ bytes: Int) {
        unwrittenBytes += bytes
        memory.add(bytes)
        if !holding {
            holding = true
            memory.holderChanged(holding: true)
        }
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard let chunk = outgoing, !closed else { return }
        outgoing = nil
        let size = chunk.readableBytes
        unwrittenBytes -= size
        // The client has `drain_timeout_seconds` from the moment its replies start to queue.
        if channelBytes == 0 { lastDrain = .now() }
        channelBytes += size
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(chunk), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { result in
            self.channelBytes -= size
            self.memory.release(size)
            self.updateHolding()
            if case .failure = result {
                // The peer is gone (or the channel closed): what it sent but we have not yet
                // read must not be run, since nobody would get the replies.
                if !self.closed {
                    self.closed = true
                    context.close(promise: nil)
                }
                return
            }
            self.lastDrain = .now()
            if !self.closed { self.afterProgress(context: context) }
        }
    }

    private func updateHolding() {
        if holding, heldBytes == 0 {
            holding = false
            memory.holderChanged(holding: false)
        }
    }

    // MARK: Backpressure

    func read(context: ChannelHandlerContext) {
        if acceptsMore {
            context.read()
        } else {
            readHeld = true
            checkMemory(context: context)
            rearmTimer(context: context)
        }
    }

    /// Registers with ``ReplyMemory`` when the daemon-wide budget says this connection must wait.
    private func checkMemory(context: ChannelHandlerContext) {
        guard !pausedByMemory, memory.mustPause(holding: heldBytes) else { return }
        pausedByMemory = true
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let resume: @Sendable () -> Void = {
            loop.execute {
                let (handler, context) = bound.value
                guard handler.pausedByMemory else { return }
                handler.pausedByMemory = false
                if !handler.closed { handler.afterProgress(context: context) }
            }
        }
        memory.pause(connection.id, resume: resume)
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        if !pausedByMemory, memory.mustPause(holding: heldBytes) { checkMemory(context: context) }
        if readHeld, acceptsMore {
            readHeld = false
            // A line the client could not finish while it was not read gets its full time again.
            if partialSince != nil { partialSince = .now() }
            context.read()
        }
    }

    // MARK: Deadlines

    /// The earliest deadline that applies now, and what happens when it passes.
    private func nextDeadline() -> (NIODeadline, Expiry)? {
        var next: (NIODeadline, Expiry)?
        func consider(_ deadline: NIODeadline, _ expiry: Expiry) {
            if let current = next, current.0 <= deadline { return }
            next = (deadline, expiry)
        }
        if let partialSince, !readHeld {
            consider(partialSince + budget.lineTimeout, .line)
        }
        // Only bytes the client has not taken from the socket: replies parked behind a slow
        // request are the daemon's doing, not the client's.
        if channelBytes >= budget.replyBufferBytes || (readHeld && channelBytes > 0) {
            consider(lastDrain + budget.drainTimeout, .drain)
        }
        if inFlight == 0, unanswered == 0, heldBytes == 0, !connection.isSubscribed, !stopping {
            consider(lastRequest + budget.idleTimeout, .idle)
        }
        return next
    }

    private enum Expiry {
        case line, drain, idle
    }

    /// Schedules the timer for the earliest deadline, unless one at least as early is set.
    private func rearmTimer(context: ChannelHandlerContext) {
        guard !closed, let (deadline, _) = nextDeadline() else { return }
        if let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        timerDeadline = nil
        guard !closed else { return }
        guard let (deadline, expiry) = nextDeadline() else { return }
        guard deadline <= .now() else {
            rearmTimer(context: context)
            return
        }
        switch expiry {
        case .line:
            let seconds = budget.lineTimeout.nanoseconds / 1_000_000_000
            logger.notice(
                "closing connection: a request line was not completed within \(seconds) s",
                metadata: connection.metadata())
            closeWithNotice("line timeout: a request line was not completed within \(seconds) s", context: context)
        case .drain:
            let seconds = budget.drainTimeout.nanoseconds / 1_000_000_000
            logger.warning(
                "closing connection: \(heldBytes) bytes of replies unread for \(seconds) s",
                metadata: connection.metadata())
            closed = true
            context.close(promise: nil)
        case .idle:
            logger.info("closing idle connection", metadata: connection.metadata())
            closeWithNotice("idle timeout: no request for a while", context: context)
        }
    }

    private func closeWithNotice(_ reason: String, context: ChannelHandlerContext) {
        let notice = RPCResponse.notification(method: "daemon.closing", params: ["reason": .string(reason)])
        closed = true
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: notice + "\n")))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        // A client that does not read is not waited for.
        let channel = context.channel
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
    }

    // MARK: Lifecycle

    private func closeIfFinished(context: ChannelHandlerContext) {
        guard !finishing, inputClosed || stopping, inFlight == 0, backlog.isEmpty || stopping,
            nextToWrite == nextSequence
        else {
            return
        }
        // `watch` keeps listening after closing its input; only a stopping daemon ends it.
        if connection.isSubscribed, !stopping { return }
        finishing = true
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DaemonStoppingEvent {
            stopping = true
            readHeld = true  // read nothing more
            flushIfNeeded(context: context)
            closeIfFinished(context: context)
            rearmTimer(context: context)
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            partialSince = nil
            flushIfNeeded(context: context)
            closeIfFinished(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    /// Gives back what the connection held but never handed to the channel (writes handed to it
    /// give theirs back as they fail).
    private func release() {
        guard !closedAccounted else { return }
        closedAccounted = true
        closed = true
        timer?.cancel()
        timer = nil
        memory.forget(connection.id)
        parked.removeAll()
        outgoing = nil
        backlog.removeAll()
        memory.release(unwrittenBytes)
        unwrittenBytes = 0
        updateHolding()
    }
    private var closedAccounted = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error: \(error)", metadata: connection.metadata())
        context.close(promise: nil)
    }
}

/// One connection's limits, fixed when it opens (a reload applies to new connections).
struct ConnectionBudget: Sendable {
    /// `max_in_flight_per_connection`.
    var maxInFlight: Int
    /// `reply_buffer_bytes`.
    var replyBufferBytes: Int
    /// `line_timeout_seconds`.
    var lineTimeout: TimeAmount
    /// `drain_timeout_seconds`.
    var drainTimeout: TimeAmount
    /// `idle_timeout_seconds`.
    var idleTimeout: TimeAmount

    /// The budget the config's limits give.
    init(_ limits: DaemonConfig.Limits) {
        maxInFlight = limits.maxInFlightPerConnection
        replyBufferBytes = limits.replyBufferBytes
        lineTimeout = .seconds(Int64(limits.lineTimeoutSeconds))
        drainTimeout = .seconds(Int64(limits.drainTimeoutSeconds))
        idleTimeout = .seconds(Int64(limits.idleTimeoutSeconds))
    }
}

/// Sent down every connection's pipeline when the daemon stops: the handler closes the
/// connection once its requests in flight are answered.
struct DaemonStoppingEvent {}
