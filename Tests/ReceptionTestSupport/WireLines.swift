import Foundation
import ReceptionClient
import ReceptionProtocol

/// Raw-line helpers for protocol tests: write exactly these bytes, read exactly the next line.
///
/// They sit on top of ``RPCConnection/send(line:)`` and ``RPCConnection/readLine(timeout:)``, so
/// nothing is reordered, queued or interpreted on the way: what a test sees is what the daemon wrote.
extension RPCConnection {
    /// The next line from the daemon, parsed as JSON. Fails when the daemon closed the connection
    /// or wrote something that is not JSON.
    public func readJSONLine(timeout: Duration = .seconds(15)) throws -> JSONValue {
        guard let line = try readLine(timeout: timeout) else {
            throw TestDaemonError("the daemon closed the connection instead of answering")
        }
        do {
            return try JSONValue.parse(line)
        } catch {
            throw TestDaemonError("the daemon wrote a line that is not JSON (\(error)): \(line)")
        }
    }

    /// Sends one raw line and returns the next line from the daemon, parsed.
    public func exchangeLine(_ line: String, timeout: Duration = .seconds(15)) throws -> JSONValue {
        try send(line: line)
        return try readJSONLine(timeout: timeout)
    }

    /// Whether no complete line arrives within `duration` (the connection staying open).
    /// `false` when a line arrives or the daemon closes the connection.
    public func staysSilent(for duration: Duration) throws -> Bool {
        do {
            _ = try readLine(timeout: duration)
            return false
        } catch ClientError.timeout {
            return true
        }
    }

    /// Reads lines until the daemon closes the connection; returns what was read before the end.
    /// Fails if the connection is still open after `timeout`.
    public func readUntilClosed(timeout: Duration = .seconds(15)) throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var lines: [String] = []
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw TestDaemonError("the connection is still open after \(timeout)") }
            guard let line = try readLine(timeout: remaining) else { return lines }
            lines.append(line)
        }
    }

    /// Calls `method` and returns the JSON-RPC error it answers with, or `nil` when it succeeds.
    public func callError(_ method: String, _ params: JSONValue = [:]) throws -> RPCError? {
        do {
            _ = try call(method, params)
            return nil
        } catch ClientError.rpc(let error) {
            return error
        }
    }
}

/// A JSON-RPC request line as a client would write it (`id` omitted for a notification).
public func requestLine(id: JSONValue?, _ method: String, _ params: JSONValue? = nil) -> String {
    var members: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
    if let id { members["id"] = id }
    if let params { members["params"] = params }
    return JSONValue.object(members).serialized()
}

extension JSONValue {
    /// `error.code` of a response.
    public var errorCode: Int64? { self["error"]?["code"]?.intValue }
    /// `error.data.kind` of a response.
    public var errorKind: String? { self["error"]?["data"]?["kind"]?.stringValue }
    /// `error.data.field` of a response.
    public var errorField: String? { self["error"]?["data"]?["field"]?.stringValue }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
/// For liveness only ("eventually"), never to measure how long something took.
public func pollUntil(timeout: Duration = .seconds(15), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        usleep(50_000)
    }
}

/// Runs `body(0)`, …, `body(count - 1)` each on its own new `Thread` (not the cooperative pool,
/// so blocking socket I/O is fine) and waits for all of them. Results are in index order.
public func runOnThreads<T: Sendable>(
    _ count: Int, _ body: @escaping @Sendable (Int) throws -> T
) -> [Result<T, any Error>] {
    let results = ThreadResults<T>()
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            let outcome = Result { try body(index) }
            results.lock.withLock { results.values[index] = outcome }
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
    return results.lock.withLock { (0..<count).map { results.values[$0]! } }
}

/// The results of ``runOnThreads(_:_:)``, filled in from several threads.
private final class ThreadResults<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    let lock = NSLock()
    var values: [Int: Result<T, any Error>] = [:]
}
