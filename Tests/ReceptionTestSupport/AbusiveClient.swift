import Foundation
import ReceptionClient

/// A client that misbehaves on purpose: a non-blocking Unix socket that writes as much as the
/// daemon takes and reads only when told to, for tests of the daemon's limits under abuse.
///
/// ```swift
/// let abuser = try AbusiveClient(path: daemon.socketPath)
/// let taken = abuser.flood(pingLines, for: .seconds(2))   // never reads a reply
/// ```
public final class AbusiveClient: @unchecked Sendable {
    /// The socket (closed by ``close()`` or deinit).
    public private(set) var fd: Int32

    /// Connects to the daemon's socket; the socket is then non-blocking.
    public init(path: String) throws {
        fd = try UnixSocket.connect(path: path, timeout: .seconds(10))
    }

    deinit { close() }

    /// Closes the socket.
    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Writes `chunk` again and again for `duration` without reading anything, as far as the
    /// daemon takes it. Returns the bytes the kernel accepted.
    @discardableResult
    public func flood(_ chunk: [UInt8], for duration: Duration) -> Int {
        let deadline = ContinuousClock.now + duration
        var accepted = 0
        var offset = 0
        while ContinuousClock.now < deadline {
            let written = chunk.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, chunk.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                accepted += written
                offset = (offset + written) % chunk.count
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                usleep(2000)
            } else {
                break
            }
        }
        return accepted
    }

    /// One non-blocking attempt to write the rest of `chunk` from `offset` (which it advances,
    /// wrapping round). Returns the bytes accepted: 0 when the socket is full, -1 once closed.
    public func offer(_ chunk: [UInt8], offset: inout Int) -> Int {
        let written = chunk.withUnsafeBytes { raw in
            send(fd, raw.baseAddress.map { $0 + offset }, chunk.count - offset, Int32(MSG_NOSIGNAL))
        }
        if written > 0 {
            offset = (offset + written) % chunk.count
            return written
        }
        return written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1
    }

    /// Writes `bytes` once, waiting while the socket is full; `false` if the daemon closed it.
    @discardableResult
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count, ContinuousClock.now < deadline {
            let written = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                usleep(1000)
            } else {
                return false
            }
        }
        return offset == bytes.count
    }

    /// Reads whatever arrives until the daemon closes the connection or `timeout` passes.
    /// Returns the bytes read and whether the connection was closed (EOF or reset).
    public func drain(timeout: Duration) -> (bytes: [UInt8], closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                collected.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                return (collected, true)
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                usleep(2000)
            } else {
                return (collected, true)
            }
        }
        return (collected, false)
    }

    /// The lines in `bytes` (split on `\n`, a trailing fragment dropped).
    public static func lines(_ bytes: [UInt8]) -> [String] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        lines.removeLast()
        return lines
    }
}

extension AbusiveClient {
    /// `count` copies of one request line for `method` (id 1), to flood a connection with.
    public static func requestLines(_ method: String, count: Int, params: String = "{}") -> [UInt8] {
        Array(
            String(
                repeating: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(method)\",\"params\":\(params)}\n",
                count: count
            ).utf8)
    }

    /// Config that lets the example plugin take notes of up to 100,000 characters (its default is
    /// 500), for tests that need large read results.
    public static let longNotesConfig = "[plugins.example]\nmax_note_length = 100000\n"
}
