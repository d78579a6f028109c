import Foundation
import Histogram

/// The result of one run: throughput, latency percentiles (microseconds) and errors by kind,
/// as a table for people or as JSON (`--json`) for scripts.
struct Report: Codable, Sendable {
    /// Latency percentiles in microseconds.
    struct Latency: Codable, Sendable {
        /// Median.
        let p50: Double
        /// 90th percentile.
        let p90: Double
        /// 99th percentile.
        let p99: Double
        /// 99.9th percentile.
        let p999: Double
        /// The slowest reply.
        let max: Double
        /// The mean.
        let mean: Double
    }

    /// The workload (`ping`, `counter`, ...).
    let workload: String
    /// Connections used.
    let connections: Int
    /// Requests outstanding per connection.
    let pipeline: Int
    /// Client threads (each with its own epoll).
    let clientThreads: Int
    /// `--requests`, when given.
    let requested: Int?
    /// `--duration` in seconds, when given.
    let durationSeconds: Double?
    /// Warm-up in seconds (not measured).
    let warmupSeconds: Double
    /// Measured requests that finished: answered, or lost (`connection_closed`, `timeout`).
    let completed: Int
    /// Measured requests answered with a result.
    let ok: Int
    /// Measured requests that failed.
    let errors: Int
    /// Failures by `error.data.kind` (and `connection_closed`, `timeout`, `no_item_to_pick_up`).
    let errorsByKind: [String: Int]
    /// Measured requests per method.
    let requestsByMethod: [String: Int]
    /// Seconds from the first measured request to the last measured reply.
    let elapsedSeconds: Double
    /// Measured replies per second.
    let throughput: Double
    /// Latency of the measured replies (errors included), in microseconds.
    let latencyMicroseconds: Latency
    /// Things the reader should know (a method the daemon does not serve, items running out).
    let notes: [String]

    /// Merges what the loops measured.
    init(
        workload: WorkloadKind, settings: LoadSettings, clientThreads: Int, requested: Int?, outcome: LoadOutcome,
        notes: [String]
    ) {
        var histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: LoopRecorder.highest,
            numberOfSignificantValueDigits: .three)
        var ok = 0
        var errorsByKind: [String: Int] = [:]
        var byMethod: [String: Int] = [:]
        var firstSend = UInt64.max
        var lastReply: UInt64 = 0
        var exhausted = false
        for loop in outcome.loops {
            histogram.add(loop.latencies)
            ok += loop.ok
            errorsByKind.merge(loop.errors, uniquingKeysWith: +)
            byMethod.merge(loop.perOperation, uniquingKeysWith: +)
            firstSend = min(firstSend, loop.firstSend)
            lastReply = max(lastReply, loop.lastReply)
            exhausted = exhausted || loop.exhausted
        }
        let errors = errorsByKind.values.reduce(0, +)
        let elapsed = lastReply > firstSend ? Double(lastReply - firstSend) / 1e9 : 0
        let answered = Int(histogram.totalCount)
        let maximum = histogram.totalCount > 0 ? histogram.maxRecorded : 0
        func micros(_ percentile: Double) -> Double {
            guard histogram.totalCount > 0 else { return 0 }
            return Double(min(histogram.valueAtPercentile(percentile), maximum)) / 1000
        }
        self.workload = workload.rawValue
        connections = settings.connections
        pipeline = settings.pipeline
        self.clientThreads = clientThreads
        self.requested = requested
        durationSeconds = settings.duration.map { Double($0) / 1e9 }
        warmupSeconds = Double(settings.warmup) / 1e9
        completed = ok + errors
        self.ok = ok
        self.errors = errors
        self.errorsByKind = errorsByKind
        requestsByMethod = byMethod
        elapsedSeconds = elapsed
        throughput = elapsed > 0 ? Double(answered) / elapsed : 0
        latencyMicroseconds = Latency(
            p50: micros(50), p90: micros(90), p99: micros(99), p999: micros(99.9), max: Double(maximum) / 1000,
            mean: histogram.totalCount > 0 ? histogram.mean / 1000 : 0)
        var allNotes = notes
        if exhausted {
            allNotes.append(
                workload == .book
                    ? "bookings ran out of free slots: give fewer --requests or a shorter --duration"
                    : "pickups ran out of held items: seed more (--held), give --state-dir, or raise --prepare")
        }
        self.notes = allNotes
    }

    /// The report as pretty JSON with sorted keys.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The report as a table.
    var table: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        let methods = requestsByMethod.keys.sorted().joined(separator: ", ")
        row("workload", "\(workload)" + (methods.isEmpty ? "" : " (\(methods))"))
        row("connections", "\(connections) × pipeline \(pipeline), client threads \(clientThreads)")
        let window =
            durationSeconds.map { "duration \(Self.number($0, digits: 1)) s" }
            ?? "requested \(Self.grouped(requested ?? 0))"
        row(
            "measured",
            "\(Self.grouped(completed)) requests in \(Self.number(elapsedSeconds, digits: 2)) s (\(window), warm-up \(Self.number(warmupSeconds, digits: 1)) s)"
        )
        row("throughput", "\(Self.grouped(Int(throughput.rounded()))) req/s")
        let latency = latencyMicroseconds
        row(
            "latency µs",
            "p50 \(Self.number(latency.p50))  p90 \(Self.number(latency.p90))  p99 \(Self.number(latency.p99))  "
                + "p99.9 \(Self.number(latency.p999))  max \(Self.number(latency.max))  mean \(Self.number(latency.mean))"
        )
        row("ok", Self.grouped(ok))
        if errorsByKind.isEmpty {
            row("errors", "0")
        } else {
            row("errors", Self.grouped(errors))
            for (kind, count) in errorsByKind.sorted(by: { $0.value > $1.value }) {
                row("", "\(kind.padding(toLength: 20, withPad: " ", startingAt: 0)) \(Self.grouped(count))")
            }
        }
        for note in notes { row("note", note) }
        return lines.joined(separator: "\n")
    }

    /// `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A number with `digits` decimals (none above 100 unless asked).
    static func number(_ value: Double, digits: Int? = nil) -> String {
        let places = digits ?? (value >= 100 ? 0 : 1)
        if places == 0 { return grouped(Int(value.rounded())) }
        return String(format: "%.\(places)f", value)
    }
}
