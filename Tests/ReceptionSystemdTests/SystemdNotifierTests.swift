import ReceptionSystemd
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension ProcessEnvironmentTests {
    @Suite struct SystemdNotifierTests {
        /// A bound `AF_UNIX` datagram socket standing in for systemd's notification socket.
        final class NotifySocket {
            let fd: Int32
            /// The value for `$NOTIFY_SOCKET`.
            let address: String
            private let path: String?

            /// A socket bound to a fresh path under /tmp, or to an abstract name.
            init(abstract: Bool = false) throws {
                let name = "receptiond-notify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                try #require(fd >= 0)
                // Abstract addresses start with NUL and are not NUL-terminated; paths are.
                let sunPath: [UInt8] = abstract ? [0] + Array(name.utf8) : Array("/tmp/\(name).sock".utf8) + [0]
                address = abstract ? "@" + name : "/tmp/\(name).sock"
                path = abstract ? nil : address

                var sockaddr = sockaddr_un()
                sockaddr.sun_family = sa_family_t(AF_UNIX)
                withUnsafeMutableBytes(of: &sockaddr.sun_path) { raw in
                    for (index, byte) in sunPath.enumerated() { raw[index] = byte }
                }
                let length = socklen_t(MemoryLayout<sa_family_t>.size + sunPath.count)
                let bound = withUnsafePointer(to: &sockaddr) {
                    $0.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) { bind(fd, $0, length) }
                }
                try #require(bound == 0)
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                try #require(
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0)
            }

            deinit {
                close(fd)
                if let path { unlink(path) }
            }

            /// The next datagram, or `nil` after the two-second timeout.
            func receive() -> String? {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count >= 0 else { return nil }
                return String(decoding: buffer[0..<count], as: UTF8.self)
            }
        }

        @Test func sendsExactPayloadsToAPathSocket() throws {
            let socket = try NotifySocket()
            try withEnvironment("NOTIFY_SOCKET", socket.address) {
                let notifier = SystemdNotifier()
                #expect(notifier.isEnabled)

                #expect(notifier.ready())
                #expect(socket.receive() == "READY=1")
                #expect(notifier.status("x"))
                #expect(socket.receive() == "STATUS=x")
                notifier.status("two\nlines")
                #expect(socket.receive() == "STATUS=two lines")
                notifier.stopping()
                #expect(socket.receive() == "STOPPING=1")
                notifier.watchdog()
                #expect(socket.receive() == "WATCHDOG=1")
                notifier.extendTimeout(by: .seconds(90))
                #expect(socket.receive() == "EXTEND_TIMEOUT_USEC=90000000")
                notifier.send("READY=1\nSTATUS=Serving")
                #expect(socket.receive() == "READY=1\nSTATUS=Serving")

                var before = timespec()
                clock_gettime(CLOCK_MONOTONIC, &before)
                notifier.reloading()
                var after = timespec()
                clock_gettime(CLOCK_MONOTONIC, &after)
                let reload = try #require(socket.receive())
                let prefix = "RELOADING=1\nMONOTONIC_USEC="
                #expect(reload.hasPrefix(prefix))
                let usec = try #require(UInt64(reload.dropFirst(prefix.count)))
                #expect(usec >= UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec / 1_000))
                #expect(usec <= UInt64(after.tv_sec) * 1_000_000 + UInt64(after.tv_nsec / 1_000))
                // The notifier never unsets the environment.
                #expect(getenv("NOTIFY_SOCKET").map { String(cString: $0) } == socket.address)
            }
        }

        @Test func sendsToAnAbstractSocket() throws {
            let socket = try NotifySocket(abstract: true)
            withEnvironment("NOTIFY_SOCKET", socket.address) {
                #expect(SystemdNotifier().ready())
                #expect(socket.receive() == "READY=1")
                #expect(getenv("NOTIFY_SOCKET").map { String(cString: $0) } == socket.address)
            }
        }

        @Test func isANoOpWithoutNotifySocket() {
            withEnvironment("NOTIFY_SOCKET", nil) {
                let notifier = SystemdNotifier()
                #expect(!notifier.isEnabled)
                #expect(!notifier.ready())
                #expect(!notifier.status("x"))
            }
            withEnvironment("NOTIFY_SOCKET", "") {
                #expect(!SystemdNotifier().isEnabled)
            }
        }

        @Test func watchdogIntervalIsHalfOfWatchdogUsec() {
            withEnvironment("WATCHDOG_USEC", "30000000") {
                withEnvironment("WATCHDOG_PID", String(getpid())) {
                    #expect(SystemdNotifier.watchdogInterval() == .seconds(15))
                }
                withEnvironment("WATCHDOG_PID", nil) {
                    #expect(SystemdNotifier.watchdogInterval() == .seconds(15))
                }
                withEnvironment("WATCHDOG_PID", String(getpid() + 1)) {
                    #expect(SystemdNotifier.watchdogInterval() == nil)
                }
            }
            withEnvironment("WATCHDOG_USEC", nil) {
                #expect(SystemdNotifier.watchdogInterval() == nil)
            }
            withEnvironment("WATCHDOG_USEC", "garbage") {
                #expect(SystemdNotifier.watchdogInterval() == nil)
            }
            withEnvironment("WATCHDOG_USEC", "0") {
                #expect(SystemdNotifier.watchdogInterval() == nil)
            }
        }
    }
}
