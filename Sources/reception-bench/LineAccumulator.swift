import NIOCore
import ReceptionProtocol

/// Splits a stream of bytes into lines by the wire's rules (``LineSplitter``, without a length
/// limit) without copying complete lines: each line is a slice of the buffer the bytes arrived
/// in. A partial line waits for the rest.
struct LineAccumulator {
    private var pending: ByteBuffer?
    private var splitter = LineSplitter()

    /// Bytes that arrived from the socket.
    mutating func append(_ incoming: ByteBuffer) {
        guard var existing = pending, existing.readableBytes > 0 else {
            pending = incoming
            return
        }
        // Drop our reference first so that the append does not copy the storage.
        pending = nil
        var incoming = incoming
        existing.writeBuffer(&incoming)
        pending = existing
    }

    /// The next complete line (without its `\n`, nor a trailing `\r`), or `nil` when none is complete.
    mutating func nextLine() -> ByteBuffer? {
        guard var buffer = pending else { return nil }
        let step = buffer.withUnsafeReadableBytes { splitter.next(in: $0) }
        // Without a limit, the only frame is a line.
        guard case .line(let length)? = step.frame else { return nil }
        let line = buffer.getSlice(at: buffer.readerIndex, length: length)
        buffer.moveReaderIndex(forwardBy: step.consumed)
        pending = buffer.readableBytes > 0 ? buffer : nil
        return line
    }

    /// Bytes of an unfinished line.
    var partialBytes: Int { pending?.readableBytes ?? 0 }
}
