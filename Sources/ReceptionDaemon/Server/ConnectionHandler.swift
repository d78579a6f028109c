import Logging
import NIOCore
import ReceptionProtocol

/// The per-connection request loop: lines in, replies out in request order.
///
/// A `ChannelHandler` rather than an `NIOAsyncChannel` loop so that pipelined requests are
/// dispatched as they arrive (reads run in parallel, writes queue for the writer) while replies
/// still leave in request order, and so answers that need no database (`daemon.ping`,
/// `daemon.status`) are written without a task hop. Backpressure: once a connection has
/// `maxInFlight` requests outstanding, or its socket buffer is full, the handler stops reading
/// from it until it catches up.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = LineFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let dispatcher: Dispatcher
    private let connection: ConnectionState
    private let maxInFlight: Int
    private let logger: Logger

    /// Sequence number of the next request read.
    private var nextSequence = 0
    /// Sequence number of the next reply to write.
    private var nextToWrite = 0
    /// Replies that finished before an earlier one.
    private var parked: [Int: String?] = [:]
    private var inFlight = 0
    /// Requests read and not yet answered on the wire: deferred ones and immediate replies
    /// parked behind them. This, not `inFlight`, is what the limit bounds, so a slow request
    /// followed by a flood of pings cannot park replies without end.
    private var unanswered: Int { nextSequence - nextToWrite }
    /// Lines read while `maxInFlight` requests were outstanding.
    private var backlog: [LineFrame] = []
    private var readHeld = false
    private var wroteSinceFlush = false
    /// The client shut down its sending side (`echo ... | nc -U`): answer what was asked, then close.
    private var inputClosed = false
    /// The daemon is stopping: finish what is in flight, write the replies, then close.
    private var stopping = false

    init(dispatcher: Dispatcher, connection: ConnectionState, maxInFlight: Int, logger: Logger) {
        self.dispatcher = dispatcher
        self.connection = connection
        self.maxInFlight = maxInFlight
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        // A hard limit: lines already read past the limit wait here, in order, rather than being
        // dispatched (the socket itself is no longer read, see `read(context:)`).
        if unanswered >= maxInFlight || !backlog.isEmpty {
            backlog.append(frame)
            return
        }
        dispatch(frame, context: context)
    }

    /// Dispatches lines held back by the in-flight limit, as far as the limit allows.
    private func drainBacklog(context: ChannelHandlerContext) {
        while unanswered < maxInFlight, !backlog.isEmpty {
            dispatch(backlog.removeFirst(), context: context)
        }
    }

    private func dispatch(_ frame: LineFrame, context: ChannelHandlerContext) {
        let sequence = nextSequence
        switch frame {
        case .oversize(let limit):
            nextSequence += 1
            let error = RPCError(
                .limit, "request line longer than \(limit) bytes was discarded", details: ["limit": .int(Int64(limit))])
            logger.notice("oversize request line discarded", metadata: connection.metadata())
            complete(sequence, RPCResponse.failure(id: .null, error: error), context: context)
        case .line(let line):
            if line.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            nextSequence += 1
            switch dispatcher.handle(line: line, connection: connection) {
            case .immediate(let reply):
                complete(sequence, reply, context: context)
            case .pending(let outcome, let frame):
                let promise = context.eventLoop.makePromise(of: Outcome.self)
                outcome.whenComplete { promise.succeed($0) }
                send(promise.futureResult.map(frame), sequence, context: context)
            case .deferred(let work):
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
            let line: String?
            switch result {
            case .success(let value): line = value
            case .failure(let error): line = RPCResponse.failure(id: .null, error: .internalError("\(error)"))
            }
            self.complete(sequence, line, context: context)
            self.drainBacklog(context: context)
            self.flushIfNeeded(context: context)
            self.resumeReadingIfPossible(context: context)
            self.closeIfFinished(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    /// Stores a finished reply and writes every reply that is now next in order.
    private func complete(_ sequence: Int, _ reply: String?, context: ChannelHandlerContext) {
        if sequence != nextToWrite {
            parked[sequence] = .some(reply)
            return
        }
        write(reply, context: context)
        nextToWrite += 1
        while let next = parked.removeValue(forKey: nextToWrite) {
            write(next, context: context)
            nextToWrite += 1
        }
    }

    private func write(_ reply: String?, context: ChannelHandlerContext) {
        guard let reply else { return }
        var buffer = context.channel.allocator.buffer(capacity: reply.utf8.count + 1)
        buffer.writeString(reply)
        buffer.writeInteger(UInt8(ascii: "\n"))
        context.write(wrapOutboundOut(buffer), promise: nil)
        wroteSinceFlush = true
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        if wroteSinceFlush {
            wroteSinceFlush = false
            context.flush()
        }
    }

    // MARK: Backpressure

    func read(context: ChannelHandlerContext) {
        if stopping { return }
        if unanswered >= maxInFlight || !backlog.isEmpty || !context.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReadingIfPossible(context: context)
        context.fireChannelWritabilityChanged()
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        if readHeld, !stopping, unanswered < maxInFlight, backlog.isEmpty, context.channel.isWritable {
            readHeld = false
            context.read()
        }
    }

    // MARK: Lifecycle

    private func closeIfFinished(context: ChannelHandlerContext) {
        guard inputClosed || stopping, inFlight == 0, backlog.isEmpty || stopping, nextToWrite == nextSequence else {
            return
        }
        // `watch` keeps listening after closing its input; only a stopping daemon ends it.
        if connection.isSubscribed, !stopping { return }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DaemonStoppingEvent {
            stopping = true
            readHeld = true  // read nothing more
            flushIfNeeded(context: context)
            closeIfFinished(context: context)
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            flushIfNeeded(context: context)
            closeIfFinished(context: context)
            return
        }
        if event is IdleStateHandler.IdleStateEvent {
            if connection.isSubscribed || inFlight > 0 { return }
            logger.info("closing idle connection", metadata: connection.metadata())
            let notice = RPCResponse.notification(
                method: "daemon.closing", params: ["reason": "idle timeout: no request for a while"])
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: notice + "\n")))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error: \(error)", metadata: connection.metadata())
        context.close(promise: nil)
    }
}

/// Sent down every connection's pipeline when the daemon stops: the handler closes the
/// connection once its requests in flight are answered.
struct DaemonStoppingEvent {}
