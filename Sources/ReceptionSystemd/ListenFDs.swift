import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Socket activation: sockets the service manager opened and passed to the daemon (`sd_listen_fds(3)`).
public enum SocketActivation {
    /// The file descriptors passed by the service manager, in order, starting at `SD_LISTEN_FDS_START` (3).
    ///
    /// Empty when the process was not socket-activated, or when `$LISTEN_PID` names another process.
    /// The descriptors are marked close-on-exec, and `$LISTEN_PID`, `$LISTEN_FDS` and `$LISTEN_FDNAMES` are
    /// removed from the environment so child processes do not inherit them. Consequently only the first call
    /// returns the descriptors; later calls return an empty array.
    public static func listeningSockets() -> [Int32] {
        let count = sd_listen_fds(1)
        guard count > 0 else { return [] }
        let start = Int32(SD_LISTEN_FDS_START)
        return Array(start..<(start + count))
    }

    /// Whether `fd` is an `AF_UNIX` `SOCK_STREAM` socket in the listening state, of any address.
    ///
    /// - Parameter fd: A file descriptor, for example one returned by ``listeningSockets()``.
    /// - Returns: `false` for any other kind of descriptor, or when `fd` is invalid.
    public static func isUnixStreamListener(_ fd: Int32) -> Bool {
        sd_is_socket_unix(fd, socketStream, 1, nil, 0) > 0
    }

    #if canImport(Glibc)
        private static let socketStream = Int32(SOCK_STREAM.rawValue)
    #else
        private static let socketStream = Int32(SOCK_STREAM)
    #endif
}
