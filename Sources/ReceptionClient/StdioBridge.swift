import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `receptionctl dial-stdio`: this process's standard input and output joined to the daemon's
/// socket, byte for byte, so that `ssh clerk@server receptionctl dial-stdio` is a connection
/// to the daemon as that clerk (the daemon reads the clerk's uid with SO_PEERCRED).
///
/// **Threads.** One thread copies standard input to the socket; the calling thread copies the
/// socket to standard output. Each direction blocks only on its own side, so a daemon writing
/// replies never waits on a client that is still writing requests. When standard input ends,
/// the socket's write side is shut down (the daemon finishes its replies, then hangs up); when
/// the daemon hangs up, ``run(socketPath:timeout:)`` returns, whatever standard input is doing.
public enum StdioBridge {
    /// How the bridge ended.
    public enum End: Sendable, Equatable {
        /// The daemon closed the connection after everything was passed on.
        case daemonClosed
        /// Standard output could not be written (the client went away), or a read failed.
        case failed(String)
    }

    /// Connects to `socketPath` and copies bytes both ways until the daemon closes the
    /// connection or standard output fails.
    ///
    /// - Throws: ``ClientError/cannotConnect(path:reason:)`` when the socket cannot be reached.
    public static func run(socketPath: String, timeout: Duration) throws(ClientError) -> End {
        _ = signal(SIGPIPE, SIG_IGN)
        let socket = try UnixSocket.connect(path: socketPath, timeout: timeout)
        let upstream = Thread {
            copyInput(to: socket)
        }
        upstream.start()
        let end = copyOutput(from: socket)
        UnixSocket.shutdownBoth(socket)
        return end
    }

    /// Standard input to the socket, then a half close at end of input.
    private static func copyInput(to socket: Int32) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in Foundation.read(0, raw.baseAddress, raw.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let sent = chunk.withUnsafeBytes { raw in
                sendAll(UnsafeRawBufferPointer(rebasing: raw[0..<count]), to: socket)
            }
            guard sent else { return }
        }
        #if canImport(Darwin)
            _ = shutdown(socket, SHUT_WR)
        #else
            _ = shutdown(socket, Int32(SHUT_WR))
        #endif
    }

    /// The socket to standard output, until the daemon hangs up.
    private static func copyOutput(from socket: Int32) -> End {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                try UnixSocket.wait(socket, for: Int16(POLLIN), until: nil)
            } catch {
                return .failed(error.description)
            }
            switch chunk.withUnsafeMutableBytes({ UnixSocket.read(socket, $0) }) {
            case .bytes(let count):
                var offset = 0
                while offset < count {
                    let written = chunk.withUnsafeBytes { raw in
                        Foundation.write(1, raw.baseAddress.map { $0 + offset }, count - offset)
                    }
                    if written < 0 {
                        if errno == EINTR { continue }
                        return .failed("cannot write to standard output: \(UnixSocket.errorText(errno))")
                    }
                    offset += written
                }
            case .endOfStream:
                return .daemonClosed
            case .wouldBlock:
                continue
            case .failed(let code):
                return .failed("cannot read from the daemon: \(UnixSocket.errorText(code))")
            }
        }
    }

    /// Sends all of `buffer` on the non-blocking socket; `false` when the daemon is gone.
    private static func sendAll(_ buffer: UnsafeRawBufferPointer, to socket: Int32) -> Bool {
        var offset = 0
        while offset < buffer.count {
            switch UnixSocket.send(socket, UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
            case .bytes(let count):
                offset += count
            case .wouldBlock:
                do {
                    try UnixSocket.wait(socket, for: Int16(POLLOUT), until: nil)
                } catch {
                    return false
                }
            case .endOfStream, .failed:
                return false
            }
        }
        return true
    }
}
