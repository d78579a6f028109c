#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the socket system calls, kept apart so ``RPCConnection`` reads as protocol
/// logic. All functions take and return raw file descriptors.
public enum UnixSocket {
    /// The text of `errno` (`strerror`).
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// The longest socket path `sockaddr_un` holds, in bytes (107 on Linux, 103 on macOS).
    static var maxPathLength: Int {
        MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
    }

    /// Opens a stream socket and connects it to `path`; on success the descriptor is non-blocking
    /// and close-on-exec.
    public static func connect(path: String, timeout: Duration) throws(ClientError) -> Int32 {
        let pathBytes = Array(path.utf8)
        guard !pathBytes.isEmpty else { throw .cannotConnect(path: path, reason: "the socket path is empty") }
        guard !pathBytes.contains(0) else {
            throw .cannotConnect(path: path, reason: "the socket path contains a NUL byte")
        }
        guard pathBytes.count <= maxPathLength else {
            throw .cannotConnect(
                path: path,
                reason: "the socket path is \(pathBytes.count) bytes long; Unix sockets allow at most \(maxPathLength) "
                    + "(use a shorter path, e.g. a relative one or a symlink)")
        }

        #if canImport(Darwin)
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard fd >= 0 else {
            throw .cannotConnect(path: path, reason: "cannot create a socket: \(errorText(errno))")
        }
        #if canImport(Darwin)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif

        // Bound a blocking connect (a daemon whose accept backlog is full).
        let (seconds, attoseconds) = timeout.components
        var sendTimeout = timeval()
        sendTimeout.tv_sec = .init(clamping: max(0, seconds))
        sendTimeout.tv_usec = .init(clamping: max(0, attoseconds / 1_000_000_000_000))
        if seconds <= 0 && attoseconds <= 0 { sendTimeout.tv_usec = 1 }
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connectCall(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result != 0 {
            let code = errno
            _ = closeDescriptor(fd)
            throw .cannotConnect(path: path, reason: connectFailureReason(code))
        }

        var noTimeout = timeval()
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &noTimeout, socklen_t(MemoryLayout<timeval>.size))
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        return fd
    }

    /// Why `connect` failed, worded for whoever has to fix it.
    static func connectFailureReason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such socket (the daemon is not running, or this is the wrong path)"
        case ECONNREFUSED: return "connection refused (the socket file exists but no daemon is listening on it)"
        case EACCES, EPERM: return "permission denied (this user may not use the daemon's socket)"
        case ENOTDIR: return "a part of the path is not a directory"
        case EAGAIN, ETIMEDOUT, EINPROGRESS: return "the daemon is not accepting connections (timed out)"
        default: return errorText(code)
        }
    }

    /// `connect(2)`, named apart from ``connect(path:timeout:)``.
    private static func connectCall(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
            return Glibc.connect(fd, address, length)
        #elseif canImport(Musl)
            return Musl.connect(fd, address, length)
        #else
            return Darwin.connect(fd, address, length)
        #endif
    }

    /// `close(2)`.
    static func closeDescriptor(_ fd: Int32) -> Int32 {
        close(fd)
    }

    /// `shutdown(fd, SHUT_RDWR)`: wakes any thread blocked polling the descriptor.
    static func shutdownBoth(_ fd: Int32) {
        #if canImport(Darwin)
            _ = shutdown(fd, SHUT_RDWR)
        #else
            _ = shutdown(fd, Int32(SHUT_RDWR))
        #endif
    }

    /// Outcome of one non-blocking transfer.
    enum Transfer {
        case bytes(Int)
        case endOfStream
        case wouldBlock
        case failed(Int32)
    }

    /// One `send(2)` of `buffer`, never raising SIGPIPE.
    static func send(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Transfer {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        #if canImport(Darwin)
            let flags: Int32 = 0
        #else
            let flags = Int32(MSG_NOSIGNAL)
        #endif
        let count = sendCall(fd, base, buffer.count, flags)
        if count >= 0 { return .bytes(count) }
        let code = errno
        switch code {
        case EAGAIN, EWOULDBLOCK, EINTR: return .wouldBlock
        case EPIPE, ECONNRESET: return .endOfStream
        default: return .failed(code)
        }
    }

    private static func sendCall(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
        #if canImport(Glibc)
            return Glibc.send(fd, base, count, flags)
        #elseif canImport(Musl)
            return Musl.send(fd, base, count, flags)
        #else
            return Darwin.send(fd, base, count, flags)
        #endif
    }

    /// One `write(2)` of `buffer`, for a pipe (where `send` does not apply). SIGPIPE must be
    /// ignored by the caller; a reader gone is reported as the end of the stream.
    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Transfer {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        #if canImport(Glibc)
            let count = Glibc.write(fd, base, buffer.count)
        #elseif canImport(Musl)
            let count = Musl.write(fd, base, buffer.count)
        #else
            let count = Darwin.write(fd, base, buffer.count)
        #endif
        if count >= 0 { return .bytes(count) }
        let code = errno
        switch code {
        case EAGAIN, EWOULDBLOCK, EINTR: return .wouldBlock
        case EPIPE, ECONNRESET: return .endOfStream
        default: return .failed(code)
        }
    }

    /// One `read(2)` into `buffer`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Transfer {
        guard let base = buffer.baseAddress else { return .bytes(0) }
        #if canImport(Glibc)
            let count = Glibc.read(fd, base, buffer.count)
        #elseif canImport(Musl)
            let count = Musl.read(fd, base, buffer.count)
        #else
            let count = Darwin.read(fd, base, buffer.count)
        #endif
        if count > 0 { return .bytes(count) }
        if count == 0 { return .endOfStream }
        let code = errno
        switch code {
        case EAGAIN, EWOULDBLOCK, EINTR: return .wouldBlock
        case ECONNRESET: return .endOfStream
        default: return .failed(code)
        }
    }

    /// Waits until `fd` is ready for `events` (`POLLIN`/`POLLOUT`) or the deadline passes.
    /// Returns normally when ready (or hung up: the next read or write reports it).
    static func wait(
        _ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant?
    ) throws(ClientError) {
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline - ContinuousClock.now
                if remaining <= .zero { throw .timeout }
                milliseconds = Self.milliseconds(rounding: remaining)
            }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return }
            if ready == 0 { continue }  // loop re-checks the deadline
            let code = errno
            if code == EINTR { continue }
            throw .io("poll failed: \(errorText(code))")
        }
    }

    /// `duration` in whole milliseconds, rounded up, clamped to what `poll` takes.
    static func milliseconds(rounding duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        if seconds >= Int64(Int32.max / 1000) { return Int32.max }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: seconds * 1000 + fraction)
    }
}
