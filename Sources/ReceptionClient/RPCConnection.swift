import Foundation
import ReceptionProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One blocking connection to the daemon, speaking line-delimited JSON-RPC 2.0 over its Unix
/// socket or over another byte stream (``RPCTransport``: `ssh … receptionctl dial-stdio`).
///
/// ```swift
/// let connection = try RPCConnection(socketPath: SocketPath.resolve(explicit: nil))
/// defer { connection.close() }
/// let status = try connection.call("daemon.status")
/// ```
///
/// **Threads.** The class is `Sendable`: every operation takes an internal lock, so calls from
/// several threads are serialised (one request/response at a time on the wire). For parallel
/// load, open one connection per task. ``close()`` may be called from any thread while another
/// is blocked reading: it shuts the socket down, which wakes the reader with
/// ``ClientError/closed``.
///
/// **Timeouts.** `call`, `send` and the no-argument read methods use the connection's
/// ``defaultTimeout``; the `timeout:` variants take an explicit one, where `nil` waits without
/// limit. A timed-out request's late response is recognised by its id and discarded.
///
/// **Notifications.** Notifications (`event`, `events.dropped`) that arrive while a call waits
/// for its response are queued; ``nextNotification(timeout:)`` returns queued ones first.
/// ``readLine(timeout:)`` bypasses all of this and returns raw lines (for framing tests).
public final class RPCConnection: @unchecked Sendable {
    /// The path this connection was opened to; for a remote daemon, its `ssh://` address.
    public let socketPath: String
    /// The timeout used when an operation is not given one.
    public let defaultTimeout: Duration
    /// The longest line accepted from the daemon: 64 MiB.
    public static let maxLineLength = 64 * 1024 * 1024

    private let transport: RPCTransport
    /// Guards `isClosedFlag`; never held while blocking.
    private let stateLock = NSLock()
    private var isClosedFlag = false
    /// Guards everything below; held for the whole of each operation.
    private let ioLock = NSLock()
    private var buffer = LineBuffer(maxLineLength: RPCConnection.maxLineLength)
    private var readChunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var reachedEnd = false
    private var nextID: Int64 = 1
    private var outstanding: Set<Int64> = []
    private var stashed: [Int64: Result<RPCReply, RPCError>] = [:]
    private var notifications: [RPCNotification] = []
    private var notificationHead = 0

    /// Connects to the daemon's socket at `socketPath`.
    ///
    /// - Parameters:
    ///   - socketPath: The socket file; see ``SocketPath/resolve(explicit:)``.
    ///   - timeout: How long connecting, and later each operation without its own timeout, may take.
    /// - Throws: ``ClientError/cannotConnect(path:reason:)`` with a readable reason (no such socket,
    ///   refused, permission denied, path longer than `sun_path` allows).
    public init(socketPath: String, timeout: Duration = .seconds(30)) throws(ClientError) {
        self.socketPath = socketPath
        self.defaultTimeout = timeout
        self.transport = try RPCTransport.socket(path: socketPath, timeout: timeout)
    }

    /// Speaks the protocol over `transport` (a socket, or a child process's pipes).
    public init(transport: RPCTransport, timeout: Duration = .seconds(30)) {
        self.socketPath = transport.endpoint
        self.defaultTimeout = timeout
        self.transport = transport
    }

    deinit {
        close()
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return isClosedFlag
    }

    /// Closes the connection. Safe to call more than once and from any thread; a thread blocked
    /// in a read on this connection wakes with ``ClientError/closed``.
    public func close() {
        stateLock.lock()
        if isClosedFlag {
            stateLock.unlock()
            return
        }
        isClosedFlag = true
        stateLock.unlock()
        transport.interrupt()
        ioLock.lock()
        transport.release()
        ioLock.unlock()
    }

    // MARK: Requests

    /// Calls `method` with `params` and returns its result, waiting up to ``defaultTimeout``.
    ///
    /// - Throws: ``ClientError/rpc(_:)`` when the daemon answers with an error; ``ClientError/timeout``,
    ///   ``ClientError/closed``, ``ClientError/io(_:)`` or ``ClientError/protocolError(_:)`` otherwise.
    @discardableResult
    public func call(_ method: String, _ params: JSONValue = [:]) throws(ClientError) -> JSONValue {
        try callReply(method, params, timeout: defaultTimeout).result
    }

    /// Calls `method` with `params` and returns its result, waiting up to `timeout`.
    @discardableResult
    public func call(_ method: String, _ params: JSONValue = [:], timeout: Duration?) throws(ClientError) -> JSONValue {
        try callReply(method, params, timeout: timeout).result
    }

    /// Like ``call(_:_:)`` but returns the whole reply: the result and its raw text.
    public func callReply(_ method: String, _ params: JSONValue = [:]) throws(ClientError) -> RPCReply {
        try callReply(method, params, timeout: defaultTimeout)
    }

    /// Like ``call(_:_:timeout:)`` but returns the whole reply. `nil` waits without limit.
    public func callReply(_ method: String, _ params: JSONValue = [:], timeout: Duration?) throws(ClientError)
        -> RPCReply
    {
        let deadline = Self.deadline(after: timeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        let id = try sendRequestLocked(method, params, deadline: deadline)
        return try awaitReplyLocked(id: id, deadline: deadline)
    }

    /// Sends a request without waiting for its response, and returns its id. Use with
    /// ``awaitReply(id:)`` to pipeline several requests.
    public func sendRequest(_ method: String, _ params: JSONValue = [:]) throws(ClientError) -> Int64 {
        let deadline = Self.deadline(after: defaultTimeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        return try sendRequestLocked(method, params, deadline: deadline)
    }

    /// Sends a JSON-RPC notification (a request without an id, which gets no response).
    public func sendNotification(_ method: String, _ params: JSONValue = [:]) throws(ClientError) {
        let deadline = Self.deadline(after: defaultTimeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        try checkOpen()
        var line = RPCRequest(id: nil, method: method, params: params).serialized()
        line += "\n"
        try writeAll(Array(line.utf8), deadline: deadline)
    }

    /// Waits up to ``defaultTimeout`` for the response to the request with `id` (from
    /// ``sendRequest(_:_:)``) and returns it; responses to other pipelined requests are kept.
    public func awaitReply(id: Int64) throws(ClientError) -> RPCReply {
        try awaitReply(id: id, timeout: defaultTimeout)
    }

    /// Waits up to `timeout` (`nil`: without limit) for the response to the request with `id`.
    public func awaitReply(id: Int64, timeout: Duration?) throws(ClientError) -> RPCReply {
        let deadline = Self.deadline(after: timeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        return try awaitReplyLocked(id: id, deadline: deadline)
    }

    // MARK: Raw access

    /// Sends one raw line; a `\n` is appended unless `line` already ends with one.
    public func send(line: String) throws(ClientError) {
        var bytes = Array(line.utf8)
        if bytes.last != 0x0A { bytes.append(0x0A) }
        try send(bytes: bytes)
    }

    /// Sends raw bytes exactly as given (no newline added), e.g. half a line.
    public func send(bytes: [UInt8]) throws(ClientError) {
        let deadline = Self.deadline(after: defaultTimeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        try checkOpen()
        try writeAll(bytes, deadline: deadline)
    }

    /// The next raw line from the daemon (without its `\n`), waiting up to ``defaultTimeout``;
    /// `nil` when the daemon has closed the connection.
    public func readLine() throws(ClientError) -> String? {
        try readLine(timeout: defaultTimeout)
    }

    /// The next raw line from the daemon (without its `\n`), waiting up to `timeout` (`nil`: without
    /// limit); `nil` when the daemon has closed the connection (a final unterminated fragment is
    /// dropped). Lines go straight to the caller: notifications queued by earlier calls are not
    /// returned here, and lines read here are not seen by ``call(_:_:)``.
    ///
    /// - Throws: ``ClientError/timeout`` when no complete line arrives in time.
    public func readLine(timeout: Duration?) throws(ClientError) -> String? {
        let deadline = Self.deadline(after: timeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        try checkOpen()
        return try nextLineLocked(deadline: deadline).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Notifications

    /// The number of notifications received and not yet taken.
    public var queuedNotificationCount: Int {
        ioLock.lock()
        defer { ioLock.unlock() }
        return notifications.count - notificationHead
    }

    /// The next notification as a whole message (`{"jsonrpc","method","params"}`), waiting up to
    /// ``defaultTimeout``. See ``nextNotification(timeout:)``.
    public func nextNotification() throws(ClientError) -> JSONValue? {
        try nextNotification(timeout: defaultTimeout)
    }

    /// The next notification as a whole message (`{"jsonrpc","method","params"}`): a queued one if
    /// any, else the next to arrive within `timeout` (`nil`: without limit).
    ///
    /// - Returns: `nil` when the daemon has closed the connection and nothing is queued.
    /// - Throws: ``ClientError/timeout`` when none arrives in time.
    public func nextNotification(timeout: Duration?) throws(ClientError) -> JSONValue? {
        try nextNotificationMessage(timeout: timeout)?.message
    }

    /// Like ``nextNotification(timeout:)`` but returns the notification with its params in written
    /// order and as raw text.
    public func nextNotificationMessage(timeout: Duration?) throws(ClientError) -> RPCNotification? {
        let deadline = Self.deadline(after: timeout)
        ioLock.lock()
        defer { ioLock.unlock() }
        while true {
            if let queued = dequeueNotificationLocked() { return queued }
            try checkOpen()
            guard let line = try nextLineLocked(deadline: deadline) else { return nil }
            try handleLocked(IncomingMessage.decode(line: line), awaiting: nil)
        }
    }

    // MARK: Internals (callers hold ioLock)

    private static func deadline(after timeout: Duration?) -> ContinuousClock.Instant? {
        timeout.map { ContinuousClock.now.advanced(by: $0) }
    }

    private func checkOpen() throws(ClientError) {
        stateLock.lock()
        defer { stateLock.unlock() }
        if isClosedFlag { throw .closed }
    }

    private func sendRequestLocked(
        _ method: String, _ params: JSONValue, deadline: ContinuousClock.Instant?
    ) throws(ClientError) -> Int64 {
        try checkOpen()
        let id = nextID
        nextID += 1
        var line = RPCRequest(id: .int(id), method: method, params: params).serialized()
        line += "\n"
        outstanding.insert(id)
        do {
            try writeAll(Array(line.utf8), deadline: deadline)
        } catch {
            outstanding.remove(id)
            throw error
        }
        return id
    }

    private func awaitReplyLocked(id: Int64, deadline: ContinuousClock.Instant?) throws(ClientError) -> RPCReply {
        if let early = stashed.removeValue(forKey: id) {
            outstanding.remove(id)
            switch early {
            case .success(let reply): return reply
            case .failure(let error): throw .rpc(error)
            }
        }
        guard outstanding.contains(id) else {
            throw .protocolError("no request with id \(id) is waiting for a response")
        }
        do throws(ClientError) {
            while true {
                try checkOpen()
                guard let line = try nextLineLocked(deadline: deadline) else { throw ClientError.closed }
                if let outcome = try handleLocked(IncomingMessage.decode(line: line), awaiting: id) {
                    outstanding.remove(id)
                    return try outcome.get()
                }
            }
        } catch {
            // A late response to this id will be discarded.
            outstanding.remove(id)
            throw error
        }
    }

    /// Files one incoming message; returns the outcome when it answers `awaiting`.
    @discardableResult
    private func handleLocked(
        _ message: IncomingMessage, awaiting: Int64?
    ) throws(ClientError) -> Result<RPCReply, ClientError>? {
        switch message {
        case .notification(let notification):
            notifications.append(notification)
            return nil
        case .reply(let reply):
            guard case .int(let id) = reply.id else { return nil }
            if id == awaiting { return .success(reply) }
            if outstanding.contains(id) { stashed[id] = .success(reply) }
            return nil
        case .failure(let id, let error):
            switch id {
            case .int(let number):
                if number == awaiting { return .failure(.rpc(error)) }
                if outstanding.contains(number) { stashed[number] = .failure(error) }
                return nil
            case .null:
                // Responses come in request order, so an error without an id arriving while we
                // wait is the daemon refusing what we sent (unparseable, too long).
                if awaiting != nil { return .failure(.rpc(error)) }
                return nil
            default:
                return nil
            }
        }
    }

    private func dequeueNotificationLocked() -> RPCNotification? {
        guard notificationHead < notifications.count else { return nil }
        let notification = notifications[notificationHead]
        notificationHead += 1
        if notificationHead == notifications.count {
            notifications.removeAll(keepingCapacity: true)
            notificationHead = 0
        } else if notificationHead > 1024 && notificationHead * 2 > notifications.count {
            notifications.removeFirst(notificationHead)
            notificationHead = 0
        }
        return notification
    }

    /// The next complete line, reading as needed; `nil` at end of stream.
    private func nextLineLocked(deadline: ContinuousClock.Instant?) throws(ClientError) -> [UInt8]? {
        while true {
            do {
                if let line = try buffer.nextLine() { return line }
            } catch {
                throw .protocolError("a line longer than \(error.limit) bytes (the client accepts up to 64 MiB)")
            }
            if reachedEnd { return nil }
            try fillLocked(deadline: deadline)
        }
    }

    /// Reads whatever is available (at least one byte, or end of stream).
    private func fillLocked(deadline: ContinuousClock.Instant?) throws(ClientError) {
        while true {
            try UnixSocket.wait(transport.readDescriptor, for: Int16(POLLIN), until: deadline)
            let outcome = readChunk.withUnsafeMutableBytes { transport.read($0) }
            switch outcome {
            case .bytes(let count):
                buffer.append(contentsOf: readChunk[0..<count])
                return
            case .endOfStream:
                reachedEnd = true
                if let failure = transport.failureAtEnd() { throw failure }
                return
            case .wouldBlock:
                continue
            case .failed(let code):
                throw .io("read failed: \(UnixSocket.errorText(code))")
            }
        }
    }

    private func writeAll(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let outcome = bytes.withUnsafeBytes { raw in
                transport.write(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            switch outcome {
            case .bytes(let count):
                offset += count
            case .wouldBlock:
                try UnixSocket.wait(transport.writeDescriptor, for: Int16(POLLOUT), until: deadline)
            case .endOfStream:
                throw transport.failureAtEnd() ?? .closed
            case .failed(let code):
                throw .io("write failed: \(UnixSocket.errorText(code))")
            }
        }
    }
}
