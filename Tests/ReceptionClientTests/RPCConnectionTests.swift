import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The client against a scripted in-process server: framing, ids, notifications, timeouts.
@Suite("RPCConnection")
struct RPCConnectionTests {
    @Test func callReturnsResultAndQueuesNotifications() throws {
        let server = try TestServer()
        server.serve { peer in
            let request = peer.readLine()
            peer.write(#"{"jsonrpc":"2.0","method":"event","params":{"topic":"parcels.received","seq":12}}"# + "\n")
            peer.write(#"{"jsonrpc":"2.0","id":\#(peer.id(of: request)),"result":{"z":1, "a":"李娜"}}"# + "\n")
            _ = peer.readLine()
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        let reply = try connection.callReply("daemon.ping")
        #expect(reply.rawResult == #"{"z":1, "a":"李娜"}"#)
        #expect(reply.result == ["z": 1, "a": "李娜"])
        #expect(connection.queuedNotificationCount == 1)
        let event = try connection.nextNotification(timeout: .seconds(1))
        #expect(event?["method"] == "event")
        #expect(event?["params"]?["seq"] == 12)
        connection.close()
        server.waitUntilFinished()
    }

    @Test func sendsWellFormedRequestsWithIncreasingIDs() throws {
        let server = try TestServer()
        let seen = LinesSeen()
        server.serve { peer in
            for _ in 0..<2 {
                let line = peer.readLine()
                seen.append(line ?? "")
                peer.write(#"{"jsonrpc":"2.0","id":\#(peer.id(of: line)),"result":{}}"# + "\n")
            }
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        try connection.call("example.note.add", ["text": "hi"])
        try connection.call("daemon.ping")
        server.waitUntilFinished()
        #expect(
            seen.lines == [
                #"{"id":1,"jsonrpc":"2.0","method":"example.note.add","params":{"text":"hi"}}"#,
                #"{"id":2,"jsonrpc":"2.0","method":"daemon.ping","params":{}}"#,
            ])
    }

    @Test func reassemblesAResponseSentByteByByte() throws {
        let server = try TestServer()
        server.serve { peer in
            let request = peer.readLine()
            let text = #"{"jsonrpc":"2.0","id":\#(peer.id(of: request)),"result":{"guest":"王小明"}}"# + "\n"
            for byte in Array(text.utf8) {
                let single = [byte]
                _ = single.withUnsafeBytes { write(peer.fd, $0.baseAddress, 1) }
            }
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        #expect(try connection.call("x") == ["guest": "王小明"])
        server.waitUntilFinished()
    }

    @Test func errorRepliesThrowRPCErrors() throws {
        let server = try TestServer()
        server.serve { peer in
            let request = peer.readLine()
            peer.write(
                #"{"jsonrpc":"2.0","id":\#(peer.id(of: request)),"error":{"code":-32001,"message":"no such parcel","data":{"kind":"not_found","field":"code"}}}"#
                    + "\n")
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        do {
            try connection.call("parcels.get", ["code": "P-9"])
            Issue.record("expected an error")
        } catch {
            guard case .rpc(let rpcError) = error else {
                Issue.record("expected .rpc, got \(error)")
                return
            }
            #expect(rpcError.kind == .notFound)
            #expect(rpcError.field == "code")
            #expect(rpcError.message == "no such parcel")
            #expect(error.description == "no such parcel [not_found, code]")
        }
        server.waitUntilFinished()
    }

    @Test func timesOutAndDiscardsTheLateReply() throws {
        let server = try TestServer()
        server.serve { peer in
            let first = peer.readLine()
            usleep(300_000)
            peer.write(#"{"jsonrpc":"2.0","id":\#(peer.id(of: first)),"result":"late"}"# + "\n")
            let second = peer.readLine()
            peer.write(#"{"jsonrpc":"2.0","id":\#(peer.id(of: second)),"result":"second"}"# + "\n")
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        let started = ContinuousClock.now
        #expect(throws: ClientError.timeout) { try connection.call("slow", [:], timeout: .milliseconds(100)) }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(100) && waited < .seconds(3))
        #expect(try connection.call("next") == "second")
        server.waitUntilFinished()
    }

    @Test func pipelinedRepliesAreMatchedByID() throws {
        let server = try TestServer()
        server.serve { peer in
            for _ in 0..<3 {
                let line = peer.readLine()
                let id = peer.id(of: line)
                peer.write(#"{"jsonrpc":"2.0","id":\#(id),"result":\#(id * 10)}"# + "\n")
            }
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        let ids = try (0..<3).map { _ in try connection.sendRequest("n") }
        #expect(try connection.awaitReply(id: ids[2]).result == .int(ids[2] * 10))
        #expect(try connection.awaitReply(id: ids[0]).result == .int(ids[0] * 10))
        #expect(try connection.awaitReply(id: ids[1]).result == .int(ids[1] * 10))
        server.waitUntilFinished()
    }

    @Test func halfLinesAndRawLines() throws {
        let server = try TestServer()
        let seen = LinesSeen()
        server.serve { peer in
            seen.append(peer.readLine() ?? "<eof>")
            peer.write("first\nsecond\n")
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        try connection.send(bytes: Array(#"{"jsonrpc":"2.0","#.utf8))
        try connection.send(line: #""method":"x"}"#)
        #expect(try connection.readLine() == "first")
        #expect(try connection.readLine() == "second")
        #expect(try connection.readLine(timeout: .seconds(2)) == nil)  // server closed
        server.waitUntilFinished()
        #expect(seen.lines == [#"{"jsonrpc":"2.0","method":"x"}"#])
    }

    @Test func serverHangingUpMeansClosed() throws {
        let server = try TestServer()
        server.serve { peer in _ = peer.readLine() }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        #expect(throws: ClientError.closed) { try connection.call("x") }
        #expect(try connection.nextNotification(timeout: .seconds(1)) == nil)
        server.waitUntilFinished()
    }

    @Test func anErrorWithoutAnIDAnswersTheWaitingCall() throws {
        let server = try TestServer()
        server.serve { peer in
            _ = peer.readLine()
            peer.write(
                #"{"jsonrpc":"2.0","id":null,"error":{"code":-32008,"message":"line too long","data":{"kind":"limit"}}}"#
                    + "\n")
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        #expect(throws: ClientError.rpc(RPCError(.limit, "line too long"))) { try connection.call("x") }
        server.waitUntilFinished()
    }

    @Test func garbageFromTheServerIsAProtocolError() throws {
        let server = try TestServer()
        server.serve { peer in
            _ = peer.readLine()
            peer.write("not json\n")
        }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        do {
            try connection.call("x")
            Issue.record("expected a protocol error")
        } catch {
            guard case .protocolError = error else {
                Issue.record("expected .protocolError, got \(error)")
                return
            }
        }
        server.waitUntilFinished()
    }

    @Test func closeWakesABlockedReader() async throws {
        let server = try TestServer()
        server.serve { peer in _ = peer.readLine() }
        let connection = try RPCConnection(socketPath: server.path, timeout: .seconds(5))
        let waiter = Task.detached { () -> ClientError? in
            do throws(ClientError) {
                _ = try connection.nextNotification(timeout: nil)
                return nil
            } catch {
                return error
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        connection.close()
        let outcome = await waiter.value
        #expect(outcome == .closed || outcome == nil)
        #expect(connection.isClosed)
        #expect(throws: ClientError.closed) { try connection.call("x") }
        server.waitUntilFinished()
    }

    @Test func cannotConnectExplainsWhy() throws {
        #expect(throws: ClientError.self) { try RPCConnection(socketPath: "/tmp/no-such-dir-rc/x.sock") }
        do {
            _ = try RPCConnection(socketPath: "/tmp/" + String(repeating: "x", count: 200))
            Issue.record("expected a failure")
        } catch {
            guard case .cannotConnect(_, let reason) = error else {
                Issue.record("expected .cannotConnect, got \(error)")
                return
            }
            #expect(reason.contains("at most"))
        }
    }
}

/// Lines a server script saw, shared with the test.
final class LinesSeen: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
