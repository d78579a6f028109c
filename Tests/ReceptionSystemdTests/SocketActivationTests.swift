import ReceptionSystemd
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct UnixListenerDetectionTests {
    /// A Unix socket of `type` bound to a fresh path, listening if asked; closed and unlinked by `body`'s end.
    private func withUnixSocket(type: Int32, listen shouldListen: Bool, _ body: (Int32) -> Void) throws {
        let path = "/tmp/receptiond-listen-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let fd = socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(bound == 0)
        if shouldListen { try #require(listen(fd, 8) == 0) }
        body(fd)
    }

    @Test func listeningStreamSocketIsRecognised() throws {
        try withUnixSocket(type: Int32(SOCK_STREAM.rawValue), listen: true) {
            #expect(SocketActivation.isUnixStreamListener($0))
        }
    }

    @Test func otherDescriptorsAreRejected() throws {
        try withUnixSocket(type: Int32(SOCK_STREAM.rawValue), listen: false) {
            #expect(!SocketActivation.isUnixStreamListener($0))
        }
        try withUnixSocket(type: Int32(SOCK_DGRAM.rawValue), listen: false) {
            #expect(!SocketActivation.isUnixStreamListener($0))
        }
        let (readEnd, writeEnd) = try makePipe()
        #expect(!SocketActivation.isUnixStreamListener(readEnd))
        close(readEnd)
        close(writeEnd)
        #expect(!SocketActivation.isUnixStreamListener(-1))
    }
}

extension ProcessEnvironmentTests {
    @Suite struct SocketActivationEnvironmentTests {
        @Test func nothingWhenNotActivated() {
            withEnvironment("LISTEN_PID", nil) {
                withEnvironment("LISTEN_FDS", nil) {
                    #expect(SocketActivation.listeningSockets() == [])
                }
            }
        }

        @Test func socketsForAnotherProcessAreIgnoredAndTheEnvironmentIsCleared() {
            withEnvironment("LISTEN_PID", String(getpid() + 1)) {
                withEnvironment("LISTEN_FDS", "1") {
                    #expect(SocketActivation.listeningSockets() == [])
                    #expect(getenv("LISTEN_PID") == nil)
                    #expect(getenv("LISTEN_FDS") == nil)
                }
            }
        }
    }
}
