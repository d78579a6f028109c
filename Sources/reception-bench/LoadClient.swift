import Foundation
import Histogram
import NIOCore
import NIOPosix
import ReceptionProtocol

/// When a run's connections send and what counts: set once every connection is open and has
/// said hello, so connecting is never measured.
struct RunClock: Sendable {
    /// Requests sent from here on are measured (before: warm-up).
    let measureFrom: UInt64
    /// No request is sent from here on (`--duration` mode); `nil` in `--requests` mode.
    let stopAt: UInt64?
    /// Replies still missing at this time are given up as `timeout`.
    let giveUpAt: UInt64
}

/// The monotonic clock the latencies are measured on, in nanoseconds.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    NIODeadline.now().uptimeNanoseconds
}

/// What the connections of one event loop measured; only touched on that loop (the
/// connections of one loop share it, so 1,000 connections do not need 1,000 histograms).
final class LoopRecorder {
    /// Latencies in nanoseconds, 3 significant digits, up to ``highest``.
    var latencies = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: LoopRecorder.highest, numberOfSignificantValueDigits: .three)
    /// Successful replies to measured requests.
    var ok = 0
    /// Failed measured requests by `error.data.kind` (plus `connection_closed`, `timeout`).
    var errors: [String: Int] = [:]
    /// Measured requests per operation.
    var perOperation: [Operation: Int] = [:]
    /// The earliest send of a measured request.
    var firstSend: UInt64 = .max
    /// The latest reply to a measured request.
    var lastReply: UInt64 = 0
    /// Whether some connection stopped early because no held item was left to pick up.
    var exhausted = false

    /// The largest latency the histogram tracks (100 s); longer ones are recorded as this.
    static let highest: UInt64 = 100_000_000_000

    /// Records one measured reply.
    @inline(__always)
    func record(sentAt: UInt64, repliedAt: UInt64, operation: Operation, errorKind: String?) {
        latencies.record(min(repliedAt &- sentAt, Self.highest))
        if let errorKind {
            errors[errorKind, default: 0] += 1
        } else {
            ok += 1
        }
        perOperation[operation, default: 0] += 1
        if repliedAt > lastReply { lastReply = repliedAt }
    }

    /// Records a measured request that got no reply.
    func lost(_ count: Int, kind: String) {
        guard count > 0 else { return }
        errors[kind, default: 0] += count
    }

    /// A copy to send to the main task.
    var snapshot: LoopResult {
        LoopResult(
            latencies: latencies, ok: ok, errors: errors,
            perOperation: Dictionary(uniqueKeysWithValues: perOperation.map { ($0.key.method, $0.value) }),
            firstSend: firstSend, lastReply: lastReply, exhausted: exhausted)
    }
}

/// What one event loop's connections measured.
struct LoopResult: Sendable {
    /// Latencies in nanoseconds.
    var latencies: Histogram<UInt64>
    /// Successful measured replies.
    var ok: Int
    /// Failed measured requests by kind.
    var errors: [String: Int]
    /// Measured requests per method.
    var perOperation: [String: Int]
    /// The earliest send of a measured request.
    var firstSend: UInt64
    /// The latest reply to a measured request.
    var lastReply: UInt64
    /// Whether pickups ran out of held items.
    var exhausted: Bool
}

/// The user event that starts a connection's load.
struct StartLoad: Sendable {
    /// The run's clock.
    let clock: RunClock
}

/// The reply to the connection's `daemon.hello`: it is open and the daemon accepted it.
enum HelloOutcome: Sendable {
    /// The daemon answered the hello.
    case accepted
    /// The daemon answered with an error (too many connections: `limit`) or closed the connection.
    case refused(String)
}

/// One load connection: says hello, then on ``StartLoad`` keeps up to `pipeline` requests
/// outstanding (closed loop: each reply sends the next request), timing each from its write to
/// its reply. Replies on one connection come back in request order, so each reply belongs to the
/// oldest request outstanding.
final class LoadConnectionHandler: ChannelInboundHandler {
    /// Reply bytes from the daemon.
    typealias InboundIn = ByteBuffer
    /// Request lines to the daemon.
    typealias OutboundOut = ByteBuffer

    private let index: Int
    private let pipeline: Int
    private let data: WorkloadData
    private let recorder: LoopRecorder
    private let hello: EventLoopPromise<HelloOutcome>
    private let done: EventLoopPromise<Void>
    private var lines = LineAccumulator()
    private var random: SeededRandom
    private var clock: RunClock?
    private var helloAnswered = false
    private var stopped = false
    private var finished = false
    private var nextID = 1
    private var sequence = 0
    // The requests outstanding, oldest first, in a ring of `pipeline` slots.
    private var sentAt: [UInt64]
    private var measured: [Bool]
    private var operations: [Operation]
    private var head = 0
    private var outstanding = 0
    private var timeout: Scheduled<Void>?

    /// A connection numbered `index` (from 0), recording into its loop's `recorder`.
    init(
        index: Int, pipeline: Int, data: WorkloadData, recorder: LoopRecorder, seed: UInt64,
        hello: EventLoopPromise<HelloOutcome>, done: EventLoopPromise<Void>
    ) {
        self.index = index
        self.pipeline = pipeline
        self.data = data
        self.recorder = recorder
        self.hello = hello
        self.done = done
        random = SeededRandom(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        sentAt = Array(repeating: 0, count: pipeline)
        measured = Array(repeating: false, count: pipeline)
        operations = Array(repeating: .ping, count: pipeline)
    }

    /// Says `daemon.hello`, so the daemon's answer tells whether it accepted the connection.
    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 128)
        buffer.writeString(
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"daemon.hello\",\"params\":{\"workstation\":\"bench-\(index)\",\"operator\":\"bench\"}}\n"
        )
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    /// ``StartLoad``: starts sending.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let start = event as? StartLoad else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        clock = start.clock
        let now = monotonicNanoseconds()
        let wait = start.clock.giveUpAt > now ? start.clock.giveUpAt - now : 0
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(min(wait, UInt64(Int64.max)))))
        {
            [self] in
            giveUp(context: context, kind: "timeout")
        }
        if finished { return }
        sendMore(context: context)
        context.flush()
        finishIfDone(context: context)
    }

    /// Times each reply and sends the next requests.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lines.append(unwrapInboundIn(data))
        while let line = lines.nextLine() {
            handle(line: line, context: context)
        }
        if clock != nil, !finished {
            sendMore(context: context)
        }
    }

    /// Flushes what the replies of this read made, and finishes when nothing is left to do.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        finishIfDone(context: context)
        context.fireChannelReadComplete()
    }

    /// The daemon closed the connection: what is outstanding is lost.
    func channelInactive(context: ChannelHandlerContext) {
        if !helloAnswered {
            helloAnswered = true
            hello.succeed(.refused("the daemon closed the connection before answering daemon.hello"))
        }
        giveUp(context: context, kind: "connection_closed")
        context.fireChannelInactive()
    }

    /// A socket error: what is outstanding is lost, the connection closed.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        giveUp(context: context, kind: "io")
        context.close(promise: nil)
    }

    // MARK: Replies

    private func handle(line: ByteBuffer, context: ChannelHandlerContext) {
        let reply = ReplyLine.classify(line)
        if case .notification = reply { return }
        guard helloAnswered else {
            helloAnswered = true
            if case .error(let kind) = reply {
                let text = line.getString(at: line.readerIndex, length: line.readableBytes) ?? kind
                hello.succeed(.refused(text))
            } else {
                hello.succeed(.accepted)
            }
            return
        }
        guard outstanding > 0 else { return }
        let now = monotonicNanoseconds()
        let slot = head
        head = (head + 1) % pipeline
        outstanding -= 1
        let operation = operations[slot]
        if measured[slot] {
            var kind: String?
            if case .error(let errorKind) = reply { kind = errorKind }
            recorder.record(sentAt: sentAt[slot], repliedAt: now, operation: operation, errorKind: kind)
        }
        // In the counter mix, what was received today is picked up later today.
        if operation == .receive, data.kind == .counter, case .success = reply, let code = ReplyLine.code(in: line) {
            data.codes.put(code)
        }
    }

    // MARK: Requests

    private func sendMore(context: ChannelHandlerContext) {
        guard let clock, !stopped, outstanding < pipeline else { return }
        // Every request made now goes out in one write.
        var buffer = context.channel.allocator.buffer(capacity: 256 * (pipeline - outstanding))
        while outstanding < pipeline {
            let now = monotonicNanoseconds()
            if let stopAt = clock.stopAt, now >= stopAt {
                stopped = true
                break
            }
            let isMeasured = now >= clock.measureFrom
            if isMeasured, let budget = data.budget, !budget.take() {
                stopped = true
                break
            }
            let operation = data.pick(&random)
            sequence += 1
            guard
                data.write(
                    operation, id: nextID, connection: index, sequence: sequence, random: &random, into: &buffer)
            else {
                // No held item left to pick up: a measured request that was never sent.
                if isMeasured { recorder.lost(1, kind: "no_item_to_pick_up") }
                recorder.exhausted = true
                stopped = true
                break
            }
            nextID += 1
            let slot = (head + outstanding) % pipeline
            sentAt[slot] = now
            measured[slot] = isMeasured
            operations[slot] = operation
            outstanding += 1
            if isMeasured, now < recorder.firstSend { recorder.firstSend = now }
        }
        if buffer.readableBytes > 0 {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
    }

    private func finishIfDone(context: ChannelHandlerContext) {
        guard clock != nil, stopped, outstanding == 0, !finished else { return }
        finish()
    }

    private func finish() {
        finished = true
        timeout?.cancel()
        done.succeed(())
    }

    /// The connection is gone or the run took too long: what is still outstanding is lost.
    private func giveUp(context: ChannelHandlerContext, kind: String) {
        guard !finished else { return }
        var lost = 0
        for offset in 0..<outstanding where measured[(head + offset) % pipeline] { lost += 1 }
        recorder.lost(lost, kind: kind)
        outstanding = 0
        stopped = true
        if clock == nil {
            // Never started: it still counts as done, with nothing measured.
            finished = true
            done.succeed(())
            return
        }
        finish()
    }
}

/// What a reply line says, read from its first member after `jsonrpc` and `id`: `"result":`,
/// `"error":` (then its `data.kind`), or `"method":` for a server notification. Whatever does
/// not look like that is parsed in full.
enum ReplyLine {
    /// A reply's outcome.
    case success
    /// An error reply with its `error.data.kind`.
    case error(String)
    /// A server notification (no `id`).
    case notification

    private static let resultKey = Array("\"result\":".utf8)
    private static let errorKey = Array("\"error\":".utf8)
    private static let methodKey = Array("\"method\":".utf8)
    private static let kindKey = Array("\"kind\":\"".utf8)
    private static let codeKey = Array("\"code\":\"".utf8)

    /// Classifies one line.
    static func classify(_ line: ByteBuffer) -> ReplyLine {
        let bytes = line.readableBytesView
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            if bytes[index] == UInt8(ascii: "\""), index + 1 < end {
                switch bytes[index + 1] {
                case UInt8(ascii: "r") where matches(resultKey, in: bytes, at: index):
                    return .success
                case UInt8(ascii: "e") where matches(errorKey, in: bytes, at: index):
                    return .error(string(after: kindKey, in: bytes[(index + errorKey.count)...]) ?? "unknown")
                case UInt8(ascii: "m") where matches(methodKey, in: bytes, at: index):
                    return .notification
                default:
                    break
                }
            }
            index += 1
        }
        // Not the daemon's usual shape: read it properly.
        guard let value = try? JSONValue.parse(bytes) else { return .error("unparsable_reply") }
        if value["id"] == nil { return .notification }
        if let error = value["error"] { return .error(error["data"]?["kind"]?.stringValue ?? "unknown") }
        return .success
    }

    private static func matches(_ key: [UInt8], in bytes: ByteBufferView, at index: Int) -> Bool {
        index + key.count <= bytes.endIndex && bytes[index..<(index + key.count)].elementsEqual(key)
    }

    /// The item's pickup code in a `parcels.receive` reply.
    static func code(in line: ByteBuffer) -> String? {
        let bytes = line.readableBytesView
        return string(after: codeKey, in: bytes[...])
    }

    /// The string value following the first `key` (`"kind":"`) in `bytes`.
    private static func string(after key: [UInt8], in bytes: ByteBufferView.SubSequence) -> String? {
        guard let first = key.first, bytes.count > key.count else { return nil }
        var index = bytes.startIndex
        let end = bytes.endIndex - key.count
        while index < end {
            if bytes[index] == first, bytes[index..<(index + key.count)].elementsEqual(key) {
                let start = index + key.count
                guard let close = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return String(decoding: bytes[start..<close], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}

/// The settings of one load run.
struct LoadSettings: Sendable {
    /// The daemon's socket.
    let socket: String
    /// Connections to open.
    let connections: Int
    /// Requests outstanding per connection.
    let pipeline: Int
    /// Warm-up before measuring, in nanoseconds.
    let warmup: UInt64
    /// How long to measure (`--duration`), in nanoseconds; `nil` in `--requests` mode.
    let duration: UInt64?
    /// Replies missing this long after the start (plus warm-up and duration) are given up.
    let timeout: UInt64
    /// Keep the connections open and idle this long after the run (to measure the daemon's memory).
    let hold: BenchDuration?
    /// Seed of every connection's random choices.
    let seed: UInt64
}

/// What the connections of one run measured, merged.
struct LoadOutcome: Sendable {
    /// Every loop's results.
    let loops: [LoopResult]
    /// Nanoseconds from the start signal to the last reply.
    let wallTime: UInt64
}

/// Opens the run's connections on an event loop group, starts them together, waits for all to
/// finish, and gathers what each loop measured.
enum LoadClient {
    /// Connections opened at once: the daemon's listen backlog is 256.
    static let connectWave = 64

    /// Runs the load and returns what was measured.
    static func run(settings: LoadSettings, data: WorkloadData, group: MultiThreadedEventLoopGroup) async throws
        -> LoadOutcome
    {
        var loops: [any EventLoop] = []
        for loop in group.makeIterator() { loops.append(loop) }
        var recorders: [NIOLoopBound<LoopRecorder>] = []
        for loop in loops {
            recorders.append(try await loop.submit { NIOLoopBound(LoopRecorder(), eventLoop: loop) }.get())
        }

        var channels: [any Channel] = []
        var finished: [EventLoopFuture<Void>] = []
        do {
            var first = 0
            while first < settings.connections {
                let wave = first..<min(settings.connections, first + connectWave)
                var hellos: [EventLoopFuture<HelloOutcome>] = []
                for index in wave {
                    let loop = loops[index % loops.count]
                    let recorder = recorders[index % loops.count]
                    let hello = loop.makePromise(of: HelloOutcome.self)
                    let done = loop.makePromise(of: Void.self)
                    let channel = try await connect(socket: settings.socket, on: loop) { channel in
                        let handler = LoadConnectionHandler(
                            index: index, pipeline: settings.pipeline, data: data, recorder: recorder.value,
                            seed: settings.seed, hello: hello, done: done)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    channels.append(channel)
                    hellos.append(hello.futureResult)
                    finished.append(done.futureResult)
                }
                for (offset, future) in hellos.enumerated() {
                    if case .refused(let reason) = try await future.get() {
                        throw BenchError(
                            "the daemon refused connection \(wave.lowerBound + offset + 1) of \(settings.connections): \(reason)"
                                + "\n(for many connections raise [daemon] max_connections in the daemon's config; the default is 256)"
                        )
                    }
                }
                first = wave.upperBound
            }
        } catch {
            for channel in channels { try? await channel.close().get() }
            throw error
        }

        let start = monotonicNanoseconds()
        let measureFrom = start + settings.warmup
        let stopAt = settings.duration.map { measureFrom + $0 }
        let clock = RunClock(
            measureFrom: measureFrom, stopAt: stopAt, giveUpAt: (stopAt ?? measureFrom) + settings.timeout)
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(StartLoad(clock: clock))
        }
        for future in finished { try? await future.get() }
        let end = monotonicNanoseconds()

        var results: [LoopResult] = []
        for (loop, recorder) in zip(loops, recorders) {
            results.append(try await loop.submit { recorder.value.snapshot }.get())
        }
        if let hold = settings.hold, hold.nanoseconds > 0 {
            FileHandle.standardError.write(
                Data("holding \(channels.count) idle connections for \(hold)\n".utf8))
            try await Task.sleep(nanoseconds: UInt64(hold.nanoseconds))
        }
        for channel in channels { try? await channel.close().get() }
        return LoadOutcome(loops: results, wallTime: end - start)
    }

    /// Connects one channel, retrying while the daemon's accept queue is full.
    private static func connect(
        socket: String, on loop: any EventLoop,
        initializer: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        var attempt = 0
        while true {
            do {
                return try await ClientBootstrap(group: loop)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try initializer(channel) }
                    }
                    .connect(unixDomainSocketPath: socket).get()
            } catch {
                attempt += 1
                guard attempt < 50 else { throw BenchError("cannot connect to \(socket): \(error)") }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
        }
    }
}
