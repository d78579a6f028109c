import Foundation

/// A real `NOTIFY_SOCKET`: a Unix datagram socket the test owns, recording every sd_notify
/// message the daemon sends, with the time it arrived.
public final class NotifyListener: @unchecked Sendable {
    /// The socket path to put in `NOTIFY_SOCKET`.
    public let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [(time: ContinuousClock.Instant, text: String)] = []

    /// Binds a new datagram socket in a temporary directory.
    public init() throws {
        path = FileManager.default.temporaryDirectory.path + "/rn-" + String(UUID().uuidString.prefix(8)) + ".sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestDaemonError("socket(AF_UNIX, SOCK_DGRAM) failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw TestDaemonError("bind \(path) failed: errno \(errno)") }
    }

    /// Environment for the daemon: `NOTIFY_SOCKET` and, optionally, the watchdog interval.
    public func environment(watchdog: Duration? = nil) -> [String: String] {
        var env = ["NOTIFY_SOCKET": path]
        if let watchdog {
            let micros = watchdog.components.seconds * 1_000_000 + watchdog.components.attoseconds / 1_000_000_000_000
            env["WATCHDOG_USEC"] = String(micros)
        }
        return env
    }

    /// Reads datagrams until one contains `line` (as a whole line) or the timeout passes.
    /// Returns the arrival time of the matching message.
    @discardableResult
    public func waitFor(_ line: String, timeout: Duration = .seconds(30)) throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let match = lock.withLock({
                received.first(where: { $0.text.split(separator: "\n").contains(Substring(line)) })
            }) {
                return match.time
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw TestDaemonError("no \(line) within \(timeout); received: \(messages)")
            }
            receiveOne(timeout: min(remaining, .milliseconds(100)))
        }
    }

    /// Receives for `duration`, recording everything.
    public func collect(for duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            receiveOne(timeout: min(deadline - ContinuousClock.now, .milliseconds(100)))
        }
    }

    /// Every message so far, in arrival order.
    public var messages: [String] { lock.withLock { received.map(\.text) } }

    /// Arrival times of messages containing `line`.
    public func times(of line: String) -> [ContinuousClock.Instant] {
        lock.withLock { received.filter { $0.text.split(separator: "\n").contains(Substring(line)) }.map(\.time) }
    }

    private func receiveOne(timeout: Duration) {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let millis = Int32(
            max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        guard poll(&poller, 1, millis) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        lock.withLock { received.append((ContinuousClock.now, text)) }
    }

    deinit {
        close(fd)
        unlink(path)
    }
}
