/// Bytes read from a stream, split into `\n`-terminated lines.
///
/// Appending is amortised O(1) and each byte is scanned for a newline once, so a line that
/// arrives in many small reads costs no more than one that arrives whole.
public struct LineBuffer: Sendable {
    /// The longest line accepted, in bytes, not counting the `\n`.
    public let maxLineLength: Int
    private var storage: [UInt8] = []
    /// Where the unread bytes start.
    private var start = 0
    /// Bytes before this index (and at or after `start`) are known to hold no newline.
    private var scanned = 0

    /// A line longer than ``LineBuffer/maxLineLength`` arrived.
    public struct LineTooLong: Error, Sendable, Hashable {
        /// The limit that was exceeded.
        public let limit: Int
    }

    /// Creates an empty buffer accepting lines up to `maxLineLength` bytes.
    public init(maxLineLength: Int = 64 * 1024 * 1024) {
        self.maxLineLength = maxLineLength
    }

    /// The number of bytes received but not yet returned as a line.
    public var pendingByteCount: Int { storage.count - start }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    /// Removes and returns the next complete line without its `\n`, or `nil` if none is complete.
    /// Throws when a line (complete or not) is longer than ``maxLineLength``.
    public mutating func nextLine() throws(LineTooLong) -> [UInt8]? {
        let from = Swift.max(start, scanned)
        guard let newline = storage[from...].firstIndex(of: 0x0A) else {
            scanned = storage.count
            if storage.count - start > maxLineLength { throw LineTooLong(limit: maxLineLength) }
            return nil
        }
        if newline - start > maxLineLength { throw LineTooLong(limit: maxLineLength) }
        let line = Array(storage[start..<newline])
        start = newline + 1
        scanned = start
        if start == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
            start = 0
            scanned = 0
        }
        return line
    }

    /// Drops consumed bytes from the front once they are the larger part of the storage.
    private mutating func compactIfWorthwhile() {
        guard start > 0, start >= storage.count / 2 else { return }
        storage.removeFirst(start)
        scanned -= start
        start = 0
    }
}
