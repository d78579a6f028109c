#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The wire's framing rules in one place: lines end in `\n`, a `\r` before it is dropped, a line
/// may hold at most ``maxLength`` bytes not counting its terminator (`\n` or `\r\n`), and a
/// longer line is reported once and skipped up to its `\n`, so the stream resynchronises on the
/// next line.
///
/// The splitter holds no bytes. Its owner keeps them (a NIO `ByteBuffer` in the daemon's
/// `BoundedLineDecoder` and in the benchmark's `LineAccumulator`, an array in the client's
/// `LineBuffer`), shows it the unread ones on each ``next(in:)``, and drops
/// ``Step/consumed`` bytes from the front before the next call. Bytes already searched are not
/// searched again, so a line that arrives in many reads costs no more than one that arrives whole;
/// the search is `memchr` (a closing client's whole backlog can be split at once, and a byte
/// loop is slow for that).
public struct LineSplitter: Sendable {
    /// What completed in the bytes shown.
    public enum Frame: Sendable, Hashable {
        /// A line: the first `length` bytes, without its `\n` or `\r\n`.
        case line(length: Int)
        /// A line longer than ``LineSplitter/maxLength`` was dropped (reported once per line).
        case oversize
        /// The `\n` of a line dropped as oversize arrived: the line is over.
        case discardEnded
    }

    /// The outcome of one ``LineSplitter/next(in:)``.
    public struct Step: Sendable, Hashable {
        /// What completed, if anything.
        public var frame: Frame?
        /// Bytes at the front to drop (after taking the line out of them) before the next call.
        public var consumed: Int
        /// The first bytes of a line arrived and its `\n` has not: true once per line, so the
        /// owner can give the line a deadline.
        public var lineStarted: Bool
        /// The bytes left hold no complete line: call again when more arrive. When false, call
        /// again at once, as more lines may be waiting.
        public var needsMoreBytes: Bool

        /// Creates a step.
        public init(frame: Frame?, consumed: Int, lineStarted: Bool, needsMoreBytes: Bool) {
            self.frame = frame
            self.consumed = consumed
            self.lineStarted = lineStarted
            self.needsMoreBytes = needsMoreBytes
        }
    }

    /// The longest line accepted, in bytes, not counting its terminator.
    public let maxLength: Int
    /// True while skipping the rest of an oversize line.
    private var discarding = false
    /// How many of the unread bytes have been searched for `\n` already.
    private var scanned = 0
    /// Whether the line now arriving was reported as started.
    private var startReported = false

    /// A splitter for lines of at most `maxLength` bytes (no limit by default).
    public init(maxLength: Int = .max) {
        self.maxLength = maxLength
    }

    /// Looks at the unread bytes (those left after dropping every earlier step's ``Step/consumed``)
    /// and says what completed.
    public mutating func next(in bytes: UnsafeRawBufferPointer) -> Step {
        let count = bytes.count
        if let length = newline(in: bytes) {
            scanned = 0
            startReported = false
            if discarding {
                discarding = false
                return Step(frame: .discardEnded, consumed: length + 1, lineStarted: false, needsMoreBytes: false)
            }
            let content = length > 0 && bytes[length - 1] == UInt8(ascii: "\r") ? length - 1 : length
            let frame: Frame = content > maxLength ? .oversize : .line(length: content)
            return Step(frame: frame, consumed: length + 1, lineStarted: false, needsMoreBytes: false)
        }
        // No newline yet.
        if discarding {
            scanned = 0
            return Step(frame: nil, consumed: count, lineStarted: reportStart(), needsMoreBytes: true)
        }
        // A `\r` may be the first half of the terminator: it does not count against the limit.
        let pendingCarriageReturn = count > 0 && bytes[count - 1] == UInt8(ascii: "\r")
        if count - (pendingCarriageReturn ? 1 : 0) > maxLength {
            scanned = 0
            discarding = true
            return Step(frame: .oversize, consumed: count, lineStarted: reportStart(), needsMoreBytes: true)
        }
        scanned = count
        return Step(frame: nil, consumed: 0, lineStarted: count > 0 && reportStart(), needsMoreBytes: true)
    }

    /// At the end of the stream, after ``next(in:)`` asked for more bytes: the bytes left are a
    /// last line without `\n` (`printf '{...}' | nc -U` sends one), unless they belong to an
    /// oversize line being skipped. The line is given as it is, a trailing `\r` included.
    public mutating func finish(in bytes: UnsafeRawBufferPointer) -> Step {
        scanned = 0
        guard !discarding, bytes.count > 0 else {
            return Step(frame: nil, consumed: 0, lineStarted: false, needsMoreBytes: true)
        }
        return Step(frame: .line(length: bytes.count), consumed: bytes.count, lineStarted: false, needsMoreBytes: true)
    }

    /// The offset of the first `\n` in `bytes`, searching only what was not searched before.
    private func newline(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count > scanned, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + scanned, Int32(UInt8(ascii: "\n")), bytes.count - scanned) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// True the first time it is asked for the line now arriving.
    private mutating func reportStart() -> Bool {
        guard !startReported else { return false }
        startReported = true
        return true
    }
}
