import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The byte stream an ``RPCConnection`` speaks over: the daemon's Unix socket, or the pipes of a
/// child process that carries the bytes elsewhere (`ssh clerk@server receptionctl dial-stdio`).
///
/// Both kinds are non-blocking descriptors polled the same way, so ``RPCConnection`` keeps one
/// read loop and one write loop. What differs is kept here: how bytes are written (`send` with
/// `MSG_NOSIGNAL` on a socket, `write` on a pipe), how a blocked reader is woken, and what the
/// end of the stream means (a child that exited with an error could not reach the daemon).
public final class RPCTransport: @unchecked Sendable {
    /// What to show for the other end in messages: the socket path, or the `ssh://` host.
    public let endpoint: String
    let readDescriptor: Int32
    let writeDescriptor: Int32
    private let kind: Kind
    /// Guards `writeClosed` and `exitStatus` (``interrupt()`` runs on any thread).
    private let lock = NSLock()
    private var writeClosed = false
    private var exitStatus: ChildProcessStatus?

    private enum Kind {
        case socket
        case process(pid_t, command: String)
    }

    private init(endpoint: String, read: Int32, write: Int32, kind: Kind) {
        self.endpoint = endpoint
        self.readDescriptor = read
        self.writeDescriptor = write
        self.kind = kind
    }

    /// Connects to the daemon's socket at `path` (see ``UnixSocket/connect(path:timeout:)``).
    public static func socket(path: String, timeout: Duration) throws(ClientError) -> RPCTransport {
        let fd = try UnixSocket.connect(path: path, timeout: timeout)
        return RPCTransport(endpoint: path, read: fd, write: fd, kind: .socket)
    }

    /// Starts `arguments` (looked up on `PATH`) with its standard input and output as the stream;
    /// its standard error stays this process's, so ssh's own messages reach the person.
    ///
    /// SIGPIPE is ignored from here on in this process: a write to a child that has gone then
    /// fails with `EPIPE` (reported as ``ClientError/closed``) instead of killing the caller.
    ///
    /// - Throws: ``ClientError/cannotConnect(path:reason:)`` naming `endpoint` when the command
    ///   cannot be started (not installed, not executable).
    public static func command(_ arguments: [String], endpoint: String) throws(ClientError) -> RPCTransport {
        _ = signal(SIGPIPE, SIG_IGN)
        let child: SpawnedChild
        do {
            child = try SpawnedChild.start(arguments)
        } catch {
            throw .cannotConnect(
                path: endpoint, reason: "cannot run \(arguments.first ?? "the command"): \(error.text)")
        }
        for fd in [child.output, child.input] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return RPCTransport(
            endpoint: endpoint, read: child.output, write: child.input,
            kind: .process(child.pid, command: arguments.joined(separator: " ")))
    }

    /// One non-blocking write of `buffer`.
    func write(_ buffer: UnsafeRawBufferPointer) -> UnixSocket.Transfer {
        switch kind {
        case .socket:
            return UnixSocket.send(writeDescriptor, buffer)
        case .process:
            return UnixSocket.write(writeDescriptor, buffer)
        }
    }

    /// One non-blocking read into `buffer`.
    func read(_ buffer: UnsafeMutableRawBufferPointer) -> UnixSocket.Transfer {
        UnixSocket.read(readDescriptor, buffer)
    }

    /// Wakes a thread blocked reading or writing, from any thread, without closing a descriptor
    /// another thread may be using (its number could be reused by an unrelated file): a socket is
    /// shut down; a child is asked to end (SIGTERM), so its pipes reach their end. The descriptors
    /// are closed only by ``release()``, under the connection's I/O lock.
    func interrupt() {
        switch kind {
        case .socket:
            UnixSocket.shutdownBoth(readDescriptor)
        case .process(let pid, _):
            lock.lock()
            let reaped = exitStatus != nil
            lock.unlock()
            if !reaped { _ = kill(pid, SIGTERM) }
        }
    }

    /// Releases the descriptors; a child is given two seconds to finish after its input closes,
    /// then terminated, and always reaped.
    func release() {
        switch kind {
        case .socket:
            _ = UnixSocket.closeDescriptor(readDescriptor)
        case .process(let pid, _):
            closeWriteSide()
            if status(of: pid, waitingUpTo: .seconds(2)) == nil {
                _ = kill(pid, SIGTERM)
                if status(of: pid, waitingUpTo: .seconds(2)) == nil {
                    _ = kill(pid, SIGKILL)
                    _ = status(of: pid, waitingUpTo: nil)
                }
            }
            _ = UnixSocket.closeDescriptor(readDescriptor)
        }
    }

    /// What the end of the stream means beyond "closed": for a child that exited with an error
    /// (ssh could not log in, the remote receptionctl could not reach its daemon), that the daemon
    /// could not be reached; `nil` for a socket or a child that exited cleanly.
    func failureAtEnd() -> ClientError? {
        guard case .process(let pid, let command) = kind else { return nil }
        guard let status = status(of: pid, waitingUpTo: .seconds(3)) else { return nil }
        switch status {
        case .exited(0): return nil
        case .exited(let code):
            return .cannotConnect(
                path: endpoint, reason: "`\(command)` exited with status \(code) (its own message, if any, is above)")
        case .signalled(let number):
            return .cannotConnect(path: endpoint, reason: "`\(command)` was killed by signal \(number)")
        }
    }

    private func closeWriteSide() {
        lock.lock()
        defer { lock.unlock() }
        guard !writeClosed else { return }
        writeClosed = true
        _ = UnixSocket.closeDescriptor(writeDescriptor)
    }

    /// The child's exit status, reaping it; waits up to `limit` (`nil`: without limit).
    private func status(of pid: pid_t, waitingUpTo limit: Duration?) -> ChildProcessStatus? {
        lock.lock()
        if let exitStatus {
            lock.unlock()
            return exitStatus
        }
        lock.unlock()
        let deadline = limit.map { ContinuousClock.now.advanced(by: $0) }
        while true {
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, deadline == nil ? 0 : WNOHANG)
            if result == pid {
                let status = ChildProcessStatus(waitStatus: raw)
                lock.lock()
                exitStatus = status
                lock.unlock()
                return status
            }
            if result < 0 && errno != EINTR { return nil }
            if let deadline, ContinuousClock.now >= deadline { return nil }
            if deadline != nil { usleep(5_000) }
        }
    }
}

/// How a child process ended.
enum ChildProcessStatus: Sendable, Equatable {
    case exited(Int32)
    case signalled(Int32)

    /// Decodes a `waitpid` status word.
    init(waitStatus raw: Int32) {
        if raw & 0x7f == 0 {
            self = .exited((raw >> 8) & 0xff)
        } else {
            self = .signalled(raw & 0x7f)
        }
    }
}
