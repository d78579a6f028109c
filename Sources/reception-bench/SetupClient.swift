import Foundation
import NIOCore
import NIOPosix
import ReceptionProtocol

/// A plain request/reply connection for what happens before and after a measurement:
/// `daemon.status`, `daemon.methods`, sampling units, receiving items to pick up. Not used to
/// measure anything.
final class SetupClient: Sendable {
    private let channel: any Channel
    private let ids = IDCounter()

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to the daemon's socket.
    static func connect(socket: String, group: any EventLoopGroup) async throws -> SetupClient {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SetupHandler())
                }
            }
            .connect(unixDomainSocketPath: socket).get()
        return SetupClient(channel: channel)
    }

    /// Calls `method` and returns its `result`; a JSON-RPC error reply throws ``RPCReplyError``.
    func call(_ method: String, _ params: JSONValue = [:]) async throws -> JSONValue {
        let id = ids.next()
        let request: JSONValue = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]
        var buffer = channel.allocator.buffer(capacity: 256)
        buffer.writeString(request.serialized())
        buffer.writeInteger(UInt8(ascii: "\n"))
        let promise = channel.eventLoop.makePromise(of: JSONValue.self)
        channel.writeAndFlush(SetupRequest(line: buffer, reply: promise), promise: nil)
        let reply = try await promise.futureResult.get()
        if let error = reply["error"] {
            throw RPCReplyError(
                method: method, code: error["code"]?.intValue ?? 0,
                kind: error["data"]?["kind"]?.stringValue ?? "unknown",
                message: error["message"]?.stringValue ?? error.serialized())
        }
        return reply["result"] ?? .null
    }

    /// Closes the connection.
    func close() async {
        try? await channel.close().get()
    }
}

/// Request ids of one setup connection.
private final class IDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Int64 = 0

    /// The next id.
    func next() -> Int64 {
        lock.withLock {
            last += 1
            return last
        }
    }
}

/// A JSON-RPC error reply to a setup call.
struct RPCReplyError: Error, CustomStringConvertible {
    /// The method called.
    let method: String
    /// The JSON-RPC error code.
    let code: Int64
    /// `error.data.kind`.
    let kind: String
    /// `error.message`.
    let message: String

    var description: String { "\(method): \(message) (\(kind), \(code))" }
}

/// One request line and the promise its reply fulfils.
struct SetupRequest: Sendable {
    /// The request, `\n`-terminated.
    let line: ByteBuffer
    /// Fulfilled with the whole reply object.
    let reply: EventLoopPromise<JSONValue>
}

/// Writes setup requests and matches replies to them by order (replies come back in request order).
private final class SetupHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SetupRequest
    typealias OutboundOut = ByteBuffer

    private var waiting: [EventLoopPromise<JSONValue>] = []
    private var lines = LineAccumulator()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.reply)
        context.write(wrapOutboundOut(request.line), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lines.append(unwrapInboundIn(data))
        while let line = lines.nextLine() {
            guard line.readableBytes > 0 else { continue }
            let value: JSONValue
            do {
                value = try JSONValue.parse(line.readableBytesView)
            } catch {
                fail(context: context, BenchError("the daemon sent a line that is not JSON: \(error)"))
                return
            }
            // Server notifications (events, daemon.closing) have no id.
            guard value["id"] != nil else { continue }
            guard !waiting.isEmpty else { continue }
            waiting.removeFirst().succeed(value)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(context: context, BenchError("the daemon closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
        context.close(promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        let promises = waiting
        waiting.removeAll()
        for promise in promises { promise.fail(error) }
    }
}

/// A failure of the benchmark tool itself, with a sentence for the user.
struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// An error saying `description`.
    init(_ description: String) {
        self.description = description
    }
}
