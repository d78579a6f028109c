import Glibc
import NIOCore

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
/// bytes of one line. The limit counts the line without its terminator, `\n` or `\r\n`.
///
/// NIO's `LineBasedFrameDecoder` has no limit, so a client that never sends `\n` could make the
/// daemon buffer without end. Here an overlong line is reported once and then skipped up to its
/// newline, so the connection resynchronises on the next request.
struct BoundedLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = LineFrame

    let maxLength: Int
    /// True while skipping the rest of an overlong line.
    private var discarding = false
    /// How far the buffer has already been searched for `\n`.
    private var scanned = 0
    /// Whether the line now being received was reported as ``LineFrame/partial``.
    private var partialReported = false

    init(maxLength: Int) {
        self.maxLength = maxLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        // memchr, not `firstIndex(of:)`: a closing client's whole unread backlog is decoded at
        // once (NIO reads to EOF on a hang-up), and a byte loop is slow for that.
        let found: Int? = buffer.withUnsafeReadableBytes { raw in
            guard raw.count > scanned, let base = raw.baseAddress else { return nil }
            guard let hit = memchr(base + scanned, Int32(UInt8(ascii: "\n")), raw.count - scanned) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        if let offset = found {
            let newline = view.startIndex + offset
            let length = newline - view.startIndex
            scanned = 0
            partialReported = false
            if discarding {
                buffer.moveReaderIndex(forwardBy: length + 1)
                discarding = false
                context.fireChannelRead(wrapInboundOut(.discardEnded))
                return .continue
            }
            let carriageReturn = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
            if length - (carriageReturn ? 1 : 0) > maxLength {
                buffer.moveReaderIndex(forwardBy: length + 1)
                context.fireChannelRead(wrapInboundOut(.oversize(limit: maxLength)))
                return .continue
            }
            guard var line = buffer.readSlice(length: length) else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == UInt8(ascii: "\r") {
                line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1) ?? line
            }
            context.fireChannelRead(wrapInboundOut(.line(line)))
            return .continue
        }
        // No newline yet.
        if discarding {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            scanned = 0
            reportPartial(context: context)
            return .needMoreData
        }
        // A `\r` may be the first half of the terminator: it does not count against the limit.
        let allowed = maxLength + (view.last == UInt8(ascii: "\r") ? 1 : 0)
        if buffer.readableBytes > allowed {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            scanned = 0
            discarding = true
            context.fireChannelRead(wrapInboundOut(.oversize(limit: maxLength)))
            reportPartial(context: context)
            return .needMoreData
        }
        scanned = buffer.readableBytes
        if buffer.readableBytes > 0 { reportPartial(context: context) }
        return .needMoreData
    }

    private mutating func reportPartial(context: ChannelHandlerContext) {
        guard !partialReported else { return }
        partialReported = true
        context.fireChannelRead(wrapInboundOut(.partial))
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // A final line without `\n` at EOF is still a request (`printf '{...}' | nc -U` works).
        while try decode(context: context, buffer: &buffer) == .continue {}
        if !discarding, buffer.readableBytes > 0, let line = buffer.readSlice(length: buffer.readableBytes) {
            scanned = 0
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        return .needMoreData
    }
}
