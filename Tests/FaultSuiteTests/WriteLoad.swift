import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport

/// Desks writing to the parcels plugin from several connections at once, each recording what
/// the daemon acknowledged: a `parcels.receive` counts once its reply (the item) arrived, a
/// `parcels.pickup` once its reply did. Writes whose reply never came (the daemon was killed in
/// between) are not acknowledged and may or may not have been committed; acknowledged ones must
/// all survive whatever happens to the daemon afterwards.
final class WriteLoad: @unchecked Sendable {
    /// An acknowledged `parcels.receive`: its tracking number (unique across the whole run) and code.
    struct Received: Sendable, Hashable {
        let tracking: String
        let code: String
    }

    /// What a load run ended with.
    struct Outcome: Sendable {
        /// Receives acknowledged.
        var received: [Received]
        /// Trackings of items whose pickup was acknowledged.
        var collected: [String]
        /// Why each connection stopped (a closed connection when the daemon died).
        var endings: [String]
        /// Error replies, by `data.kind`: none are expected, the load only asks for valid writes.
        var errors: [String: Int]
    }

    private let socketPath: String
    private let label: String
    private let receivers: Int
    private let lock = NSLock()
    // Guarded by `lock`.
    private var stopping = false
    private var received: [Received] = []
    private var toCollect: [Received] = []
    private var collected: [String] = []
    private var endings: [String] = []
    private var errors: [String: Int] = [:]
    private var threadsLeft = 0
    private let allDone = DispatchSemaphore(value: 0)

    /// Prepares `receivers` receiving connections plus one picking up, on `socketPath`; `label`
    /// makes the tracking numbers of this run unique (`<label>-<connection>-<n>`).
    init(socketPath: String, label: String, receivers: Int) {
        self.socketPath = socketPath
        self.label = label
        self.receivers = receivers
    }

    /// Starts the connections, each on its own thread; returns once all are connected.
    func start() throws {
        var connections: [RPCConnection] = []
        for index in 0...receivers {
            let connection = try RPCConnection(socketPath: socketPath, timeout: .seconds(30))
            try connection.call(
                "daemon.hello", ["workstation": .string("desk-\(index)"), "operator": .string("load.\(index)")])
            connections.append(connection)
        }
        lock.withLock { threadsLeft = connections.count }
        for (index, connection) in connections.enumerated() {
            let thread = Thread { [self] in
                let ending: String
                do {
                    if index == receivers {
                        try pickUp(on: connection)
                    } else {
                        try receive(on: connection, index: index)
                    }
                    ending = "stopped"
                } catch {
                    ending = "\(error)"
                }
                connection.close()
                lock.withLock {
                    endings.append(ending)
                    threadsLeft -= 1
                    if threadsLeft == 0 { allDone.signal() }
                }
            }
            thread.start()
        }
    }

    /// How many receives were acknowledged so far.
    var acknowledgedCount: Int { lock.withLock { received.count } }

    /// Asks the connections to stop after their current request, and waits for them (also what
    /// happens on its own when the daemon dies: every connection ends with an error).
    func finish(timeout: Duration = .seconds(60)) throws -> Outcome {
        lock.withLock { stopping = true }
        let seconds = Double(timeout.components.seconds)
        guard allDone.wait(timeout: .now() + seconds) == .success else {
            throw TestDaemonError("the write load did not stop within \(timeout)")
        }
        return lock.withLock { Outcome(received: received, collected: collected, endings: endings, errors: errors) }
    }

    private var shouldStop: Bool { lock.withLock { stopping } }

    private func note(_ error: RPCError) {
        lock.withLock { errors[error.kind.rawValue, default: 0] += 1 }
    }

    private func receive(on connection: RPCConnection, index: Int) throws {
        var count = 0
        while !shouldStop {
            count += 1
            let tracking = "\(label)-\(index)-\(count)"
            let outcome = try connection.attempt(
                "parcels.receive",
                [
                    "kind": "parcel", "recipient": .string("李娜 \(index)"), "unit": .string("3-2-\(1200 + index)"),
                    "carrier": "SF", "tracking": .string(tracking),
                ])
            switch outcome {
            case .success(let item):
                let done = Received(tracking: tracking, code: item["code"]?.stringValue ?? "")
                lock.withLock {
                    received.append(done)
                    // Every fourth item is collected by the picking-up desk.
                    if count % 4 == 0 { toCollect.append(done) }
                }
            case .failure(let error):
                note(error)
            }
        }
    }

    private func pickUp(on connection: RPCConnection) throws {
        while !shouldStop {
            let next: Received? = lock.withLock { toCollect.isEmpty ? nil : toCollect.removeFirst() }
            guard let next else {
                usleep(2_000)
                continue
            }
            let outcome = try connection.attempt(
                "parcels.pickup",
                // A proxy pickup: the items are for other residents.
                [
                    "codes": [.string(next.code)], "collectedBy": "李娜", "proxy": true, "idType": "id_card",
                    "idLast4": "1234",
                ])
            switch outcome {
            case .success: lock.withLock { collected.append(next.tracking) }
            case .failure(let error): note(error)
            }
        }
    }
}

extension RPCConnection {
    /// Calls `method`: its result, or the error the daemon answered with. Anything else (a
    /// timeout, a closed connection) throws.
    func attempt(_ method: String, _ params: JSONValue, timeout: Duration = .seconds(30)) throws
        -> Result<JSONValue, RPCError>
    {
        let result: JSONValue
        do {
            result = try call(method, params, timeout: timeout)
        } catch {
            if case .rpc(let refusal) = error { return .failure(refusal) }
            throw error
        }
        return .success(result)
    }

    /// Every parcels item, as `tracking → status`, read page by page through `parcels.list`
    /// (what a desk sees, not what the file holds).
    func parcelStatusByTracking() throws -> [String: String] {
        var statuses: [String: String] = [:]
        var cursor: JSONValue = .null
        repeat {
            var params: [String: JSONValue] = ["limit": 500]
            if cursor != .null { params["cursor"] = cursor }
            let page = try call("parcels.list", .object(params), timeout: .seconds(60))
            for item in page["items"]?.arrayValue ?? [] {
                if let tracking = item["tracking"]?.stringValue {
                    statuses[tracking] = item["status"]?.stringValue ?? ""
                }
            }
            cursor = page["nextCursor"] ?? .null
        } while cursor != .null
        return statuses
    }
}
