import Foundation
import Histogram
import NIOCore
import ReceptionProtocol

/// When a run's connections send and what counts: set once every connection is open and has
/// said hello, so connecting is never measured.
struct RunClock: Sendable {
    /// Requests sent from here on are measured (before: warm-up).
    let measureFrom: UInt64
    /// No request is sent from here on (`--duration` mode); `nil` in `--requests` mode.
    let stopAt: UInt64?
    /// Replies still missing at this time are given up as `timeout`.
    let giveUpAt: UInt64
}

/// The monotonic clock the latencies are measured on, in nanoseconds.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    NIODeadline.now().uptimeNanoseconds
}

/// What the connections of one client thread measured; only touched on that thread (the
/// connections of one thread share it, so 1,000 connections do not need 1,000 histograms).
final class LoopRecorder {
    /// Latencies in nanoseconds, 3 significant digits, up to ``highest``.
    var latencies = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: LoopRecorder.highest, numberOfSignificantValueDigits: .three)
    /// Successful replies to measured requests.
    var ok = 0
    /// Failed measured requests by `error.data.kind` (plus `connection_closed`, `timeout`).
    var errors: [String: Int] = [:]
    /// Measured requests per operation.
    var perOperation: [Operation: Int] = [:]
    /// The earliest send of a measured request.
    var firstSend: UInt64 = .max
    /// The latest reply to a measured request.
    var lastReply: UInt64 = 0
    /// Whether some connection stopped early because no held item was left to pick up.
    var exhausted = false

    /// The largest latency the histogram tracks (100 s); longer ones are recorded as this.
    static let highest: UInt64 = 100_000_000_000

    /// Records one measured reply.
    @inline(__always)
    func record(sentAt: UInt64, repliedAt: UInt64, operation: Operation, errorKind: String?) {
        latencies.record(min(repliedAt &- sentAt, Self.highest))
        if let errorKind {
            errors[errorKind, default: 0] += 1
        } else {
            ok += 1
        }
        perOperation[operation, default: 0] += 1
        if repliedAt > lastReply { lastReply = repliedAt }
    }

    /// Records a measured request that got no reply.
    func lost(_ count: Int, kind: String) {
        guard count > 0 else { return }
        errors[kind, default: 0] += count
    }

    /// A copy to send to the main task.
    var snapshot: LoopResult {
        LoopResult(
            latencies: latencies, ok: ok, errors: errors,
            perOperation: Dictionary(uniqueKeysWithValues: perOperation.map { ($0.key.method, $0.value) }),
            firstSend: firstSend, lastReply: lastReply, exhausted: exhausted)
    }
}

/// What one client thread's connections measured.
struct LoopResult: Sendable {
    /// Latencies in nanoseconds.
    var latencies: Histogram<UInt64>
    /// Successful measured replies.
    var ok: Int
    /// Failed measured requests by kind.
    var errors: [String: Int]
    /// Measured requests per method.
    var perOperation: [String: Int]
    /// The earliest send of a measured request.
    var firstSend: UInt64
    /// The latest reply to a measured request.
    var lastReply: UInt64
    /// Whether pickups ran out of held items.
    var exhausted: Bool
}

/// What a reply line says, read from its first member after `jsonrpc` and `id`: `"result":`,
/// `"error":` (then its `data.kind`), or `"method":` for a server notification. Whatever does
/// not look like that is parsed in full.
enum ReplyLine: Equatable {
    /// A reply's outcome.
    case success
    /// An error reply with its `error.data.kind`.
    case error(String)
    /// A server notification (no `id`).
    case notification

    private static let resultKey = Array("\"result\":".utf8)
    private static let errorKey = Array("\"error\":".utf8)
    private static let methodKey = Array("\"method\":".utf8)
    private static let kindKey = Array("\"kind\":\"".utf8)
    private static let codeKey = Array("\"code\":\"".utf8)

    /// Classifies one line.
    static func classify(_ line: ByteBuffer) -> ReplyLine {
        let bytes = line.readableBytesView
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            if bytes[index] == UInt8(ascii: "\""), index + 1 < end {
                switch bytes[index + 1] {
                case UInt8(ascii: "r") where matches(resultKey, in: bytes, at: index):
                    return .success
                case UInt8(ascii: "e") where matches(errorKey, in: bytes, at: index):
                    return .error(string(after: kindKey, in: bytes[(index + errorKey.count)...]) ?? "unknown")
                case UInt8(ascii: "m") where matches(methodKey, in: bytes, at: index):
                    return .notification
                default:
                    break
                }
            }
            index += 1
        }
        // Not the daemon's usual shape: read it properly.
        guard let value = try? JSONValue.parse(bytes) else { return .error("unparsable_reply") }
        if value["id"] == nil { return .notification }
        if let error = value["error"] { return .error(error["data"]?["kind"]?.stringValue ?? "unknown") }
        return .success
    }

    private static func matches(_ key: [UInt8], in bytes: ByteBufferView, at index: Int) -> Bool {
        index + key.count <= bytes.endIndex && bytes[index..<(index + key.count)].elementsEqual(key)
    }

    /// The item's pickup code in a `parcels.receive` reply.
    static func code(in line: ByteBuffer) -> String? {
        let bytes = line.readableBytesView
        return string(after: codeKey, in: bytes[...])
    }

    /// The string value following the first `key` (`"kind":"`) in `bytes`.
    private static func string(after key: [UInt8], in bytes: ByteBufferView.SubSequence) -> String? {
        guard let first = key.first, bytes.count > key.count else { return nil }
        var index = bytes.startIndex
        let end = bytes.endIndex - key.count
        while index < end {
            if bytes[index] == first, bytes[index..<(index + key.count)].elementsEqual(key) {
                let start = index + key.count
                guard let close = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return String(decoding: bytes[start..<close], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}

/// The settings of one load run.
struct LoadSettings: Sendable {
    /// The daemon's socket.
    let socket: String
    /// Connections to open.
    let connections: Int
    /// Requests outstanding per connection.
    let pipeline: Int
    /// Warm-up before measuring, in nanoseconds.
    let warmup: UInt64
    /// How long to measure (`--duration`), in nanoseconds; `nil` in `--requests` mode.
    let duration: UInt64?
    /// Replies missing this long after the start (plus warm-up and duration) are given up.
    let timeout: UInt64
    /// Keep the connections open and idle this long after the run (to measure the daemon's memory).
    let hold: BenchDuration?
    /// Seed of every connection's random choices.
    let seed: UInt64
}

/// What the connections of one run measured, merged.
struct LoadOutcome: Sendable {
    /// Every loop's results.
    let loops: [LoopResult]
    /// Nanoseconds from the start signal to the last reply.
    let wallTime: UInt64
}

/// Opens the run's connections, spread over `threads` client threads (each with its own
/// `epoll`, see ``LoadEngine``), starts them together, waits for all to finish, and gathers
/// what each thread measured.
enum LoadClient {
    /// Runs the load and returns what was measured.
    static func run(settings: LoadSettings, data: WorkloadData, threads: Int) async throws -> LoadOutcome {
        var engines: [LoadEngine] = []
        for _ in 0..<max(1, min(threads, settings.connections)) {
            engines.append(try LoadEngine(settings: settings, data: data))
        }
        for index in 0..<settings.connections {
            do {
                try engines[index % engines.count].connect(index: index)
            } catch {
                for engine in engines { engine.closeAll() }
                throw BenchError(
                    "the daemon refused connection \(index + 1) of \(settings.connections): \(error)"
                        + "\n(for many connections raise [daemon] max_connections in the daemon's config; the default is 256)"
                )
            }
        }

        let start = monotonicNanoseconds()
        let measureFrom = start + settings.warmup
        let stopAt = settings.duration.map { measureFrom + $0 }
        let clock = RunClock(
            measureFrom: measureFrom, stopAt: stopAt, giveUpAt: (stopAt ?? measureFrom) + settings.timeout)
        let results = await withTaskGroup(of: LoopResult.self) { group in
            for engine in engines {
                let handed = EngineHandOff(engine: engine)
                group.addTask { await handed.runOnOwnThread(clock: clock) }
            }
            var results: [LoopResult] = []
            for await result in group { results.append(result) }
            return results
        }
        let end = monotonicNanoseconds()

        if let hold = settings.hold, hold.nanoseconds > 0 {
            FileHandle.standardError.write(
                Data("holding \(settings.connections) idle connections for \(hold)\n".utf8))
            try await Task.sleep(nanoseconds: UInt64(hold.nanoseconds))
        }
        for engine in engines { engine.closeAll() }
        return LoadOutcome(loops: results, wallTime: end - start)
    }
}

/// Hands an engine to a thread of its own for the run: the engine is used by one thread at a
/// time (connected on the caller's, run on its own, closed on the caller's after the run).
private struct EngineHandOff: @unchecked Sendable {
    let engine: LoadEngine

    /// Runs the engine on a new thread (not a cooperative one: it blocks in `epoll_wait`).
    func runOnOwnThread(clock: RunClock) async -> LoopResult {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: engine.run(clock: clock))
            }
            thread.name = "reception-bench.load"
            thread.start()
        }
    }
}
