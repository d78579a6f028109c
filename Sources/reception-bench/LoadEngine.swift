import CBenchEpoll
import Foundation
import NIOCore
import ReceptionProtocol

/// The load connections of one client thread, on plain non-blocking sockets and `epoll`.
///
/// The client shares the machine with the daemon it measures, so every microsecond it spends
/// per request is taken from the daemon: on SwiftNIO (a channel pipeline, futures, a
/// `ByteBuffer` per read) it cost about 8 µs per `ping`, and the daemon answered 55,000–69,000
/// of them per second; on bare `read`/`write`/`epoll_wait`, as a C client does, it costs a few.
/// `ByteBuffer` is still used, as a plain byte container for lines and requests.
final class LoadEngine {
    /// One connection's state; touched only by its engine's thread.
    struct Connection {
        /// The socket.
        let fd: Int32
        /// The connection's number in the run (from 0): names its workstation and seeds it.
        let index: Int
        /// Reply bytes not yet split into lines.
        var lines = LineAccumulator()
        /// The connection's own random choices.
        var random: SeededRandom
        /// Request bytes the socket has not taken yet (then `EPOLLOUT` is watched).
        var unsent: ByteBuffer?
        /// Whether `EPOLLOUT` is registered.
        var watchingWritable = false
        /// No more requests are sent (the run's end, the budget spent, or given up).
        var stopped = false
        /// The socket failed or closed: what was outstanding is counted lost; nothing more is read.
        var gaveUp = false
        /// Stopped with nothing outstanding: done, and out of `epoll`.
        var finished = false
        /// The next request id.
        var nextID = 1
        /// Requests made so far (tracking numbers use it).
        var sequence = 0
        /// When each outstanding request was sent, oldest first, in a ring of `pipeline` slots.
        var sentAt: [UInt64]
        /// Whether each outstanding request is measured (sent after the warm-up).
        var measured: [Bool]
        /// What each outstanding request was.
        var operations: [Operation]
        /// The ring slot of the oldest outstanding request.
        var head = 0
        /// Requests sent and not yet answered.
        var outstanding = 0
    }

    private let settings: LoadSettings
    private let data: WorkloadData
    private let recorder = LoopRecorder()
    private var connections: [Connection] = []
    private let poll: Int32
    private var scratch = [UInt8](repeating: 0, count: 65_536)

    /// An engine for `settings` with no connection yet.
    init(settings: LoadSettings, data: WorkloadData) throws {
        self.settings = settings
        self.data = data
        poll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard poll >= 0 else { throw BenchError("epoll_create1: \(String(cString: strerror(errno)))") }
    }

    deinit {
        for connection in connections { close(connection.fd) }
        close(poll)
    }

    /// Connects connection `index` (blocking), says `daemon.hello` and waits for the answer;
    /// throws with the daemon's words if it refuses.
    func connect(index: Int) throws {
        let fd = try Self.connectSocket(settings.socket)
        let hello =
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"daemon.hello\",\"params\":{\"workstation\":\"bench-\(index)\","
            + "\"operator\":\"bench\"}}\n"
        var lines = LineAccumulator()
        do {
            // A daemon at its connection limit answers with an error line and closes at once, so
            // the hello may not be taken: its answer is read either way.
            let written = Result { try Self.writeAll(fd, Array(hello.utf8)) }
            var reply: ReplyLine
            var line: ByteBuffer
            repeat {  // the answer, past any notification
                guard let next = try Self.readLine(fd, into: &lines, scratch: &scratch) else {
                    try written.get()
                    throw BenchError("the daemon closed connection \(index + 1) before answering daemon.hello")
                }
                line = next
                reply = ReplyLine.classify(line)
            } while reply == .notification
            if case .error = reply {
                throw BenchError(line.getString(at: line.readerIndex, length: line.readableBytes) ?? "refused")
            }
        } catch {
            close(fd)
            throw error
        }
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
            close(fd)
            throw BenchError("fcntl: \(String(cString: strerror(errno)))")
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        event.data.u64 = UInt64(connections.count)
        guard epoll_ctl(poll, EPOLL_CTL_ADD, fd, &event) == 0 else {
            close(fd)
            throw BenchError("epoll_ctl: \(String(cString: strerror(errno)))")
        }
        let pipeline = settings.pipeline
        connections.append(
            Connection(
                fd: fd, index: index, lines: lines,
                random: SeededRandom(seed: settings.seed &+ UInt64(index) &* 0x9E37_79B9),
                sentAt: Array(repeating: 0, count: pipeline), measured: Array(repeating: false, count: pipeline),
                operations: Array(repeating: .ping, count: pipeline)))
    }

    /// Runs the load on this thread until every connection is done or `clock.giveUpAt`; returns
    /// what it measured.
    func run(clock: RunClock) -> LoopResult {
        var active = connections.count
        for slot in connections.indices {
            sendMore(slot, clock: clock)
            if finishIfDone(slot) { active -= 1 }
        }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while active > 0 {
            let now = monotonicNanoseconds()
            if now >= clock.giveUpAt {
                for slot in connections.indices where !connections[slot].finished { giveUp(slot, kind: "timeout") }
                break
            }
            let wait = Int32(min((clock.giveUpAt - now) / 1_000_000 + 1, 1_000))
            let ready = epoll_wait(poll, &events, Int32(events.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                for slot in connections.indices where !connections[slot].finished { giveUp(slot, kind: "io") }
                break
            }
            for event in events.prefix(Int(ready)) {
                let slot = Int(event.data.u64)
                guard !connections[slot].finished else { continue }
                // Replies first: what arrived before a close is timed, not lost.
                if event.events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue)
                    != 0
                {
                    readReplies(slot)
                }
                if event.events & EPOLLOUT.rawValue != 0 { flush(slot) }
                sendMore(slot, clock: clock)
                if finishIfDone(slot) { active -= 1 }
            }
        }
        return recorder.snapshot
    }

    /// Closes every connection.
    func closeAll() {
        for connection in connections { close(connection.fd) }
        connections.removeAll()
    }

    // MARK: Replies

    /// Reads every reply the socket holds and times each; a closed or failed socket gives up.
    private func readReplies(_ slot: Int) {
        while !connections[slot].gaveUp {
            let count = scratch.withUnsafeMutableBytes { read(connections[slot].fd, $0.baseAddress, $0.count) }
            if count > 0 {
                connections[slot].lines.append(ByteBuffer(bytes: scratch[0..<count]))
                while let line = connections[slot].lines.nextLine() { handle(line, slot: slot) }
                if count < scratch.count { return }
                continue
            }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return }
            if count < 0, errno == EINTR { continue }
            giveUp(slot, kind: count == 0 ? "connection_closed" : "io")
            return
        }
    }

    /// Matches one reply line to the oldest outstanding request and records it.
    private func handle(_ line: ByteBuffer, slot: Int) {
        let reply = ReplyLine.classify(line)
        if case .notification = reply { return }
        guard connections[slot].outstanding > 0 else { return }
        let now = monotonicNanoseconds()
        let ring = connections[slot].head
        connections[slot].head = (ring + 1) % settings.pipeline
        connections[slot].outstanding -= 1
        let operation = connections[slot].operations[ring]
        if connections[slot].measured[ring] {
            var kind: String?
            if case .error(let errorKind) = reply { kind = errorKind }
            recorder.record(
                sentAt: connections[slot].sentAt[ring], repliedAt: now, operation: operation, errorKind: kind)
        }
        // In the counter mix, what was received today is picked up later today.
        if operation == .receive, data.kind == .counter, case .success = reply, let code = ReplyLine.code(in: line) {
            data.codes.put(code)
        }
    }

    // MARK: Requests

    /// Sends requests until `pipeline` are outstanding (or the run, the budget or the held items end).
    private func sendMore(_ slot: Int, clock: RunClock) {
        let pipeline = settings.pipeline
        guard !connections[slot].finished, !connections[slot].stopped, connections[slot].outstanding < pipeline,
            connections[slot].unsent == nil
        else { return }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256 * (pipeline - connections[slot].outstanding))
        while connections[slot].outstanding < pipeline {
            let now = monotonicNanoseconds()
            if let stopAt = clock.stopAt, now >= stopAt {
                connections[slot].stopped = true
                break
            }
            let isMeasured = now >= clock.measureFrom
            if isMeasured, let budget = data.budget, !budget.take() {
                connections[slot].stopped = true
                break
            }
            let operation = data.pick(&connections[slot].random)
            connections[slot].sequence += 1
            guard
                data.write(
                    operation, id: connections[slot].nextID, connection: connections[slot].index,
                    sequence: connections[slot].sequence, random: &connections[slot].random, into: &buffer)
            else {
                // No held item left to pick up (no free slot left to book): a measured request
                // that was never sent.
                if isMeasured { recorder.lost(1, kind: operation == .book ? "no_slot_to_book" : "no_item_to_pick_up") }
                recorder.exhausted = true
                connections[slot].stopped = true
                break
            }
            connections[slot].nextID += 1
            let ring = (connections[slot].head + connections[slot].outstanding) % pipeline
            connections[slot].sentAt[ring] = now
            connections[slot].measured[ring] = isMeasured
            connections[slot].operations[ring] = operation
            connections[slot].outstanding += 1
            if isMeasured, now < recorder.firstSend { recorder.firstSend = now }
        }
        if buffer.readableBytes > 0 {
            connections[slot].unsent = buffer
            flush(slot)
        }
    }

    /// Writes what is unsent; what the socket does not take waits for `EPOLLOUT`.
    private func flush(_ slot: Int) {
        guard var buffer = connections[slot].unsent else { return }
        while buffer.readableBytes > 0 {
            let written = buffer.withUnsafeReadableBytes {
                send(connections[slot].fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                buffer.moveReaderIndex(forwardBy: written)
                continue
            }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                connections[slot].unsent = buffer
                if !watchWritable(slot, true) { giveUp(slot, kind: "io") }
                return
            }
            let error = errno
            // The daemon closed: time the replies it sent before, then count the rest lost.
            readReplies(slot)
            giveUp(slot, kind: error == EPIPE || error == ECONNRESET ? "connection_closed" : "io")
            return
        }
        connections[slot].unsent = nil
        if !watchWritable(slot, false) { giveUp(slot, kind: "io") }
    }

    /// Watches (or stops watching) the socket for room to write; `false` if epoll refused.
    private func watchWritable(_ slot: Int, _ on: Bool) -> Bool {
        guard connections[slot].watchingWritable != on else { return true }
        connections[slot].watchingWritable = on
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (on ? EPOLLOUT.rawValue : 0)
        event.data.u64 = UInt64(slot)
        return epoll_ctl(poll, EPOLL_CTL_MOD, connections[slot].fd, &event) == 0
    }

    /// Marks the connection finished once it stopped sending and has every reply; `true` when
    /// it finished just now.
    private func finishIfDone(_ slot: Int) -> Bool {
        guard !connections[slot].finished else { return false }
        if connections[slot].stopped, connections[slot].outstanding == 0 {
            connections[slot].finished = true
            // Out of epoll (level-triggered): a late close or message must not wake the loop
            // for ever. The socket stays open for `--hold`.
            if !connections[slot].gaveUp { epoll_ctl(poll, EPOLL_CTL_DEL, connections[slot].fd, nil) }
            return true
        }
        return false
    }

    /// The connection is gone or the run took too long: what is still outstanding is lost.
    private func giveUp(_ slot: Int, kind: String) {
        guard !connections[slot].finished, !connections[slot].gaveUp else { return }
        connections[slot].gaveUp = true
        var lost = 0
        let connection = connections[slot]
        for offset in 0..<connection.outstanding
        where connection.measured[(connection.head + offset) % settings.pipeline] {
            lost += 1
        }
        recorder.lost(lost, kind: kind)
        connections[slot].outstanding = 0
        connections[slot].stopped = true
        connections[slot].unsent = nil
        epoll_ctl(poll, EPOLL_CTL_DEL, connection.fd, nil)
    }

    // MARK: Sockets

    /// A connected Unix stream socket, retrying while the daemon's accept queue is full.
    private static func connectSocket(_ path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw BenchError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        var attempt = 0
        while true {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 { return fd }
            let error = errno
            close(fd)
            attempt += 1
            guard attempt < 50, error == EAGAIN || error == ECONNREFUSED || error == EINTR else {
                throw BenchError("cannot connect to \(path): \(String(cString: strerror(error)))")
            }
            usleep(20_000)
        }
    }

    /// Writes all of `bytes` on the blocking socket `fd`.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw BenchError("write: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// Reads (blocking, up to 10 s) until a whole line is there; `nil` if the daemon closed.
    private static func readLine(_ fd: Int32, into lines: inout LineAccumulator, scratch: inout [UInt8]) throws
        -> ByteBuffer?
    {
        let deadline = monotonicNanoseconds() + 10_000_000_000
        while true {
            if let line = lines.nextLine() { return line }
            let now = monotonicNanoseconds()
            guard now < deadline else { throw BenchError("no answer to daemon.hello within 10 s") }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&entry, 1, Int32((deadline - now) / 1_000_000 + 1))
            if ready < 0, errno == EINTR { continue }
            if ready < 0 { throw BenchError("poll: \(String(cString: strerror(errno)))") }
            guard ready > 0 else { continue }
            let count = scratch.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return nil }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw BenchError("read: \(String(cString: strerror(errno)))")
            }
            lines.append(ByteBuffer(bytes: scratch[0..<count]))
        }
    }
}
