import Foundation
import Logging
import NIOCore
import NIOPosix
import ReceptionProtocol
import ReceptionSystemd

/// The Unix socket listener: binds (or adopts systemd's socket), and sets up each connection's
/// pipeline: connection limit, peer credentials, idle timeout, bounded line framing, dispatch.
final class SocketServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The path clients connect to.
    let path: String
    /// Whether systemd passed the socket in (then systemd owns the file).
    let activated: Bool

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, path: String, activated: Bool) {
        self.group = group
        self.channel = channel
        self.path = path
        self.activated = activated
    }

    /// Starts listening. Throws a readable ``RPCError`` when the socket cannot be had.
    static func start(
        config: DaemonConfig, dispatcher: Dispatcher, connections: ConnectionRegistry, settings: SettingsBox,
        logger: Logger
    ) async throws(RPCError) -> SocketServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        let memory = dispatcher.replyMemory
        let fairShares = FairShares(group: group)
        // The connection handler keeps its own account of unread replies and the event hub its
        // own of unsent events; NIO's writability is not used for either.
        let highWater = config.limits.replyBufferBytes + config.limits.subscriberBufferBytes
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: highWater / 2, high: highWater))
            // One read of at most 16 KiB per connection per event-loop turn: a client pipelining
            // thousands of requests gets through them in turn with every other connection on
            // its loop, instead of holding the loop for a whole megabyte of them.
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelOption(
                .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 16384)
            )
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                Self.initialize(
                    channel, dispatcher: dispatcher, connections: connections, settings: settings, memory: memory,
                    fairShare: fairShares.of(channel.eventLoop), logger: logger)
            }
        let activatedFDs = SocketActivation.listeningSockets()
        do {
            if let fd = activatedFDs.first {
                guard SocketActivation.isUnixStreamListener(fd) else {
                    throw RPCError(
                        .internal, "socket passed by systemd (fd \(fd)) is not a listening Unix stream socket")
                }
                let channel = try await bootstrap.withBoundSocket(fd).get()
                logger.info("serving the socket passed by systemd (fd \(fd))")
                return SocketServer(group: group, channel: channel, path: config.socketPath, activated: true)
            }
            try prepare(path: config.socketPath)
            // Bind under a temporary name, set mode and group, then rename into place: clients can
            // only reach the socket once it has its final owner group and 0660 mode.
            let temporaryPath = Self.temporaryPath(for: config.socketPath)
            unlink(temporaryPath)
            let previousMask = umask(0o117)
            let channel: any Channel
            do {
                channel = try await bootstrap.bind(unixDomainSocketPath: temporaryPath).get()
                umask(previousMask)
            } catch {
                umask(previousMask)
                throw RPCError(.internal, "cannot listen on \(config.socketPath): \(error)")
            }
            func abandon(_ message: String) async -> RPCError {
                _ = try? await channel.close().get()
                unlink(temporaryPath)
                return RPCError(.internal, message)
            }
            if let groupName = config.socketGroup {
                guard let gid = RoleResolver.gid(of: groupName) else {
                    throw await abandon("socket_group \"\(groupName)\" does not exist")
                }
                guard chown(temporaryPath, UInt32.max, gid_t(gid)) == 0 else {
                    let reason = String(cString: strerror(errno))
                    throw await abandon("cannot give \(config.socketPath) to group \(groupName): \(reason)")
                }
            }
            guard rename(temporaryPath, config.socketPath) == 0 else {
                let reason = String(cString: strerror(errno))
                throw await abandon("cannot move the socket into place at \(config.socketPath): \(reason)")
            }
            logger.info("listening on \(config.socketPath)")
            return SocketServer(group: group, channel: channel, path: config.socketPath, activated: false)
        } catch let error as RPCError {
            try? await group.shutdownGracefully()
            throw error
        } catch {
            try? await group.shutdownGracefully()
            throw RPCError(.internal, "cannot listen on \(config.socketPath): \(error)")
        }
    }

    /// Makes room for the socket file: creates the directory, replaces a stale socket left by a
    /// crash, and refuses to steal one a live daemon is listening on.
    static func prepare(path: String) throws(RPCError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            } catch {
                throw RPCError(.internal, "cannot create socket directory \(directory): \(error.localizedDescription)")
            }
        }
        guard path.utf8.count < 108 else {
            throw RPCError(.internal, "socket path \(path) is \(path.utf8.count) bytes; Unix sockets allow at most 107")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw RPCError(.internal, "\(path) exists and is not a socket; refusing to replace it")
        }
        if isListening(path) {
            throw RPCError(
                .internal, "another daemon is already listening on \(path); stop it first or choose another --socket")
        }
        guard unlink(path) == 0 else {
            throw RPCError(.internal, "cannot remove stale socket \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// A sibling name for binding before the socket is moved into place. Kept short: socket
    /// paths are limited to 107 bytes.
    static func temporaryPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = ".rd-\(getpid()).tmp"
        return directory.isEmpty ? name : directory + "/" + name
    }

    /// Whether something accepts connections on the socket file at `path`.
    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    private static func initialize(
        _ channel: any Channel, dispatcher: Dispatcher, connections: ConnectionRegistry, settings: SettingsBox,
        memory: ReplyMemory, fairShare: FairShare, logger: Logger
    ) -> EventLoopFuture<Void> {
        let config = settings.current
        guard let id = connections.reserve(limit: config.limits.maxConnections) else {
            let error = RPCError(
                .limit, "too many connections (limit \(config.limits.maxConnections)); try again shortly",
                details: ["limit": .int(Int64(config.limits.maxConnections))])
            logger.warning("connection refused: limit of \(config.limits.maxConnections) reached")
            return refuse(channel, error)
        }
        return PeerIdentity.of(channel).flatMapError { error in
            logger.warning("cannot read peer credentials: \(error)")
            return channel.eventLoop.makeSucceededFuture(PeerIdentity(uid: -1, gid: -1, pid: 0))
        }.flatMap { peer in
            let role = peer.uid < 0 ? "operator" : RoleResolver(adminGroup: config.adminGroup).role(for: peer)
            let perUID = config.limits.maxConnectionsPerUID
            // One account cannot take every slot: admins are exempt, so they can always get in.
            guard role == "admin" || connections.claim(uid: peer.uid, limit: perUID) else {
                let error = RPCError(
                    .limit,
                    "too many connections from uid \(peer.uid) (limit \(perUID) per user); close some and try again",
                    details: ["limit": .int(Int64(perUID)), "uid": .int(Int64(peer.uid))])
                logger.warning(
                    "connection refused: uid \(peer.uid) has \(perUID) connections open",
                    metadata: ["peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)"])
                // A refused connection holds no slot while its error line goes out.
                connections.release(id)
                return refuse(channel, error)
            }
            channel.closeFuture.whenComplete { _ in connections.release(id) }
            if role != "admin" { channel.closeFuture.whenComplete { _ in connections.unclaim(uid: peer.uid) } }
            return channel.eventLoop.makeCompletedFuture {
                let connection = ConnectionState(id: id, peer: peer, role: role, channel: channel)
                connections.add(connection)
                channel.closeFuture.whenComplete { _ in dispatcher.hub.unsubscribe(connection) }
                logger.debug("connection opened as \(role)", metadata: connection.metadata())
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(ByteToMessageHandler(BoundedLineDecoder(maxLength: config.limits.maxLineBytes)))
                try sync.addHandler(
                    ConnectionHandler(
                        dispatcher: dispatcher, connection: connection, budget: ConnectionBudget(config.limits),
                        memory: memory, fairShare: fairShare, logger: logger))
            }
        }
    }

    /// Answers a connection that may not stay with one error line, then closes it.
    private static func refuse(_ channel: any Channel, _ error: RPCError) -> EventLoopFuture<Void> {
        let line = RPCResponse.failure(id: .null, error: error) + "\n"
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RefuseHandler(line: line))
        }
    }

    /// Stops accepting connections; open ones are left to finish.
    func stopAccepting() async {
        _ = try? await channel.close().get()
        if !activated { unlink(path) }
    }

    /// Asks every connection to close once its requests in flight are answered, waits up to
    /// `grace` for them, then closes what is left.
    func closeConnections(_ connections: ConnectionRegistry, grace: Duration) async {
        for connection in connections.all {
            connection.channel?.pipeline.fireUserInboundEventTriggered(DaemonStoppingEvent())
        }
        let deadline = ContinuousClock.now + grace
        while connections.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for connection in connections.all {
            _ = try? await connection.channel?.close().get()
        }
    }

    /// Stops the event loops. Call after the writer has drained: its completions hop onto them.
    func stopEventLoops() async {
        try? await group.shutdownGracefully()
    }
}
