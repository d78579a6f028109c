import NIOCore

/// Splits a stream of bytes into `\n`-terminated lines without copying complete lines: each
/// line is a slice of the buffer the bytes arrived in. A partial line waits for the rest.
struct LineAccumulator {
    private var pending: ByteBuffer?

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
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var length = newline - buffer.readerIndex
        let line = buffer.getSlice(at: buffer.readerIndex, length: length)
        buffer.moveReaderIndex(forwardBy: length + 1)
        pending = buffer.readableBytes > 0 ? buffer : nil
        guard var line else { return nil }
        if length > 0, line.getInteger(at: line.readerIndex + length - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            length -= 1
            line.moveWriterIndex(to: line.readerIndex + length)
        }
        return line
    }

    /// Bytes of an unfinished line.
    var partialBytes: Int { pending?.readableBytes ?? 0 }
}
