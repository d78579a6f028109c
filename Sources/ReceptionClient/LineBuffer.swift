import ReceptionProtocol

/// Bytes read from a stream, split into lines by the wire's rules (``LineSplitter``): `\n`
/// ends a line, a `\r` before it is dropped, the limit does not count the terminator.
///
/// Appending is amortised O(1) and each byte is searched for a newline once, so a line that
/// arrives in many small reads costs no more than one that arrives whole.
public struct LineBuffer: Sendable {
    /// The longest line accepted, in bytes, not counting the `\n` (or `\r\n`).
    public var maxLineLength: Int { splitter.maxLength }
    private var splitter: LineSplitter
    private var storage: [UInt8] = []
    /// Where the unread bytes start.
    private var start = 0

    /// A line longer than ``LineBuffer/maxLineLength`` arrived.
    public struct LineTooLong: Error, Sendable, Hashable {
        /// The limit that was exceeded.
        public let limit: Int
    }

    /// Creates an empty buffer accepting lines up to `maxLineLength` bytes.
    public init(maxLineLength: Int = 64 * 1024 * 1024) {
        splitter = LineSplitter(maxLength: maxLineLength)
    }

    /// The number of bytes received but not yet returned as a line.
    public var pendingByteCount: Int { storage.count - start }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    /// Removes and returns the next complete line without its `\n` (or `\r\n`), or `nil` if none
    /// is complete. Throws once for a line (complete or not) longer than ``maxLineLength``; the
    /// buffer then skips that line and goes on with the next.
    public mutating func nextLine() throws(LineTooLong) -> [UInt8]? {
        while true {
            let step = storage.withUnsafeBytes { raw in
                splitter.next(in: UnsafeRawBufferPointer(rebasing: raw[start...]))
            }
            var line: [UInt8]?
            if case .line(let length)? = step.frame { line = Array(storage[start..<start + length]) }
            start += step.consumed
            if start == storage.count {
                storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
                start = 0
            }
            switch step.frame {
            case .line?: return line
            case .oversize?: throw LineTooLong(limit: maxLineLength)
            case .discardEnded?: continue
            case nil: return nil
            }
        }
    }

    /// Drops consumed bytes from the front once they are the larger part of the storage.
    private mutating func compactIfWorthwhile() {
        guard start > 0, start >= storage.count / 2 else { return }
        storage.removeFirst(start)
        start = 0
    }
}
