import Foundation
import ReceptionClient
import ReceptionProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-connection Unix socket server on a thread, scripted by each test.
final class TestServer: @unchecked Sendable {
    let path: String
    private let listenFD: Int32
    private let finished = DispatchSemaphore(value: 0)

    struct SetupFailed: Error {}

    init() throws {
        path = "/tmp/rc-test-\(UInt32.random(in: 0...UInt32.max)).sock"
        unlink(path)
        #if canImport(Darwin)
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw SetupFailed() }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw SetupFailed()
        }
        listenFD = fd
    }

    deinit {
        close(listenFD)
        unlink(path)
    }

    /// Accepts one connection on a thread and runs `script` with it, then closes it.
    func serve(_ script: @escaping @Sendable (Peer) -> Void) {
        let fd = listenFD
        let done = finished
        Thread {
            let peerFD = accept(fd, nil, nil)
            if peerFD >= 0 {
                let peer = Peer(fd: peerFD)
                script(peer)
                peer.close()
            }
            done.signal()
        }.start()
    }

    /// Waits for the script to finish.
    func waitUntilFinished() {
        finished.wait()
    }
}

/// The server's end of one connection.
final class Peer: @unchecked Sendable {
    let fd: Int32
    private var buffer = LineBuffer()

    init(fd: Int32) { self.fd = fd }

    /// The next line from the client, `nil` at end of stream.
    func readLine() -> String? {
        while true {
            if let line = try? buffer.nextLine() { return String(decoding: line, as: UTF8.self) }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// The id of a request line.
    func id(of line: String?) -> Int64 {
        guard let line, let value = try? JSONValue.parse(line) else { return -1 }
        return value["id"]?.intValue ?? -1
    }

    /// Writes text as is.
    func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                #if canImport(Darwin)
                    Darwin.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                #else
                    Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                #endif
            }
            if count <= 0 { return }
            offset += count
        }
    }

    func close() {
        #if canImport(Darwin)
            _ = Darwin.close(fd)
        #else
            _ = Glibc.close(fd)
        #endif
    }
}
