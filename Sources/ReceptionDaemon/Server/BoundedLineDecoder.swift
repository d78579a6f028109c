import NIOCore
import ReceptionProtocol

/// What the line decoder produces: a complete line, or the news that one was too long.
enum LineFrame {
    /// One request line, without its `\n` (and without a trailing `\r`).
    case line(ByteBuffer)
    /// A line longer than the limit was discarded up to its `\n`; the connection goes on.
    case oversize(limit: Int)
    /// The first bytes of a line arrived and its `\n` has not yet: sent once per line, so the
    /// connection can give the line a deadline (`line_timeout_seconds`).
    case partial
    /// The `\n` of a line discarded as oversize arrived: the line's deadline no longer applies.
    case discardEnded
}

/// Splits the byte stream into `\n`-terminated lines, never buffering more than `maxLength`
/// bytes of one line: NIO's adapter over ``LineSplitter``, which holds the framing rules (the
/// limit does not count `\n` or `\r\n`; an overlong line is reported once and skipped up to its
/// newline, so the connection resynchronises on the next request).
///
/// NIO's `LineBasedFrameDecoder` has no limit, so a client that never sends `\n` could make the
/// daemon buffer without end. Each line is a slice of the buffer it arrived in, not a copy.
struct BoundedLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = LineFrame

    private var splitter: LineSplitter

    init(maxLength: Int) {
        splitter = LineSplitter(maxLength: maxLength)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let step = buffer.withUnsafeReadableBytes { splitter.next(in: $0) }
        deliver(step, from: &buffer, context: context)
        return step.needsMoreBytes ? .needMoreData : .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // A final line without `\n` at EOF is still a request (`printf '{...}' | nc -U` works).
        while try decode(context: context, buffer: &buffer) == .continue {}
        deliver(buffer.withUnsafeReadableBytes { splitter.finish(in: $0) }, from: &buffer, context: context)
        return .needMoreData
    }

    /// Takes the step's line (a slice) and drops its consumed bytes, then passes on what it reports.
    private func deliver(_ step: LineSplitter.Step, from buffer: inout ByteBuffer, context: ChannelHandlerContext) {
        switch step.frame {
        case .line(let length)?:
            let line = buffer.readSlice(length: length)
            buffer.moveReaderIndex(forwardBy: step.consumed - length)
            if let line { context.fireChannelRead(wrapInboundOut(.line(line))) }
        case .oversize?:
            buffer.moveReaderIndex(forwardBy: step.consumed)
            context.fireChannelRead(wrapInboundOut(.oversize(limit: splitter.maxLength)))
        case .discardEnded?:
            buffer.moveReaderIndex(forwardBy: step.consumed)
            context.fireChannelRead(wrapInboundOut(.discardEnded))
        case nil:
            buffer.moveReaderIndex(forwardBy: step.consumed)
        }
        if step.lineStarted { context.fireChannelRead(wrapInboundOut(.partial)) }
    }
}
