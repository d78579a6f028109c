import NIOCore

/// Answers a connection that may not stay (over `max_connections` or `max_connections_per_uid`)
/// with one error line, then ends it.
///
/// The line is followed by a half-close (no more output), not a close: a client that writes its
/// request before reading (as `receptionctl` does) would otherwise get EPIPE on that write and
/// never see why. What the client sends is discarded; the connection closes when the client
/// closes its side, or after ``grace``.
final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let line: String
    /// How long a refused client may keep its side open: enough for a request it wrote right
    /// after connecting to arrive, short enough that refused connections cannot pile up.
    static let grace = TimeAmount.milliseconds(500)

    init(line: String) { self.line = line }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: line)))
            .assumeIsolated().whenComplete { _ in context.close(mode: .output, promise: nil) }
        let channel = context.channel
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.grace) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
