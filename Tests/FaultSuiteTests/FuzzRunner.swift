import Foundation
import ReceptionProtocol
import ReceptionTestSupport

/// Sends fuzz lines to a live daemon on one raw connection and checks every line that comes back.
///
/// Each input is followed by a sentinel `daemon.ping` with id `"sentinel-<n>"`: replies come back
/// in request order, so the lines read between two sentinel replies are exactly the replies to
/// the input between them. A writer thread sends while the calling thread reads, so large
/// replies never stall the daemon's reading. The connection ends with `events.unsubscribe` (a
/// subscriber stays open after closing its input), half a request and no `\n`, then
/// `shutdown(SHUT_WR)`: the daemon must answer the fragment with `parse` and close.
struct FuzzRunner {
    /// What one chunk found.
    struct Findings {
        /// Lines that were not well-formed JSON-RPC (not JSON, wrong envelope).
        var malformed = 0
        /// Inputs whose replies did not match protocol.md (count, ids, error codes).
        var unexpected = 0
        /// Server notifications seen between replies (events of the fuzzer's own writes).
        var notifications = 0
        /// The first few problems, each with its input.
        var reports: [String] = []
        /// Whether the daemon stopped answering this connection.
        var hung = false
    }

    let socketPath: String
    /// How long a chunk may take before it counts as a hang.
    var timeout: Duration = .seconds(30)

    /// Sends `inputs` and checks the replies.
    func run(_ inputs: [FuzzInput], seed: UInt64, chunk: Int) throws -> Findings {
        let fd = try RawUnixSocket.connect(to: socketPath)
        defer { close(fd) }
        let sendFailure = SendFailure()
        let writer = Thread {
            var out: [UInt8] = []
            for (index, input) in inputs.enumerated() {
                out += input.bytes
                out.append(0x0A)
                out += Array("{\"jsonrpc\":\"2.0\",\"id\":\"sentinel-\(index)\",\"method\":\"daemon.ping\"}\n".utf8)
                if out.count > 256 * 1024 || index == inputs.count - 1 {
                    do {
                        try RawUnixSocket.writeAll(fd, out)
                    } catch {
                        sendFailure.set("\(error)")
                        return
                    }
                    out.removeAll(keepingCapacity: true)
                }
            }
            // A subscribed connection stays open after SHUT_WR (`watch`), so end the fuzzer's
            // possible subscription first.
            let ending = "{\"jsonrpc\":\"2.0\",\"id\":\"unsubscribe\",\"method\":\"events.unsubscribe\"}\n"
            _ = try? RawUnixSocket.writeAll(fd, Array((ending + "{\"jsonrpc\":\"2.0\",\"id\":1,\"meth").utf8))
            shutdown(fd, Int32(SHUT_WR))
        }
        writer.stackSize = 1 << 20
        writer.start()

        var findings = Findings()
        func report(_ index: Int, _ problem: String, _ lines: [String]) {
            guard findings.reports.count < 10 else { return }
            let input = index < inputs.count ? inputs[index] : nil
            let shown = input.map { Self.excerpt($0.bytes) } ?? "the final half line"
            findings.reports.append(
                "seed \(seed) chunk \(chunk) input \(index) (\(input?.family ?? "final fragment")): \(problem)\n  sent: \(shown)\n  got: \(lines.map { String($0.prefix(300)) })"
            )
        }

        var reader = LineReader(fd: fd)
        let deadline = ContinuousClock.now + timeout
        var index = 0
        var replies: [JSONValue] = []
        var rawReplies: [String] = []
        while true {
            let next: [UInt8]?
            do {
                next = try reader.next(deadline: deadline)
            } catch {
                findings.unexpected += 1
                findings.hung = true
                report(index, "no reply within \(timeout) (\(error)); \(sendFailure.value ?? "all sent")", rawReplies)
                break
            }
            guard let line = next else {
                if index < inputs.count {
                    report(index, "the daemon closed the connection (\(sendFailure.value ?? "sent all"))", rawReplies)
                    findings.unexpected += 1
                }
                break
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let json = try? JSONValue.parse(line) else {
                findings.malformed += 1
                report(index, "a line that is not JSON", [text])
                continue
            }
            if ReplyCheck.isNotification(json) {
                findings.notifications += 1
                if let problem = ReplyCheck.problem(inNotification: json) {
                    findings.malformed += 1
                    report(index, problem, [text])
                }
                continue
            }
            if index < inputs.count, json["id"] == .string("sentinel-\(index)") {
                if json["result"]?["pong"] != .bool(true) {
                    findings.unexpected += 1
                    report(index, "the sentinel ping was not answered with pong", [text])
                }
                if let problem = ReplyCheck.mismatch(replies, inputs[index].expect) {
                    if problem.hasPrefix("malformed") || problem.contains(": malformed") {
                        findings.malformed += 1
                    } else {
                        findings.unexpected += 1
                    }
                    report(index, problem, rawReplies)
                }
                index += 1
                replies.removeAll()
                rawReplies.removeAll()
                continue
            }
            replies.append(json)
            rawReplies.append(text)
        }
        // After the last sentinel: the unsubscribe's result, the fragment's parse error, the end.
        if index == inputs.count {
            if let first = replies.first, first["id"] == .string("unsubscribe"), first["result"] != nil {
                replies.removeFirst()
                rawReplies.removeFirst()
            } else {
                findings.unexpected += 1
                report(index, "events.unsubscribe was not answered first", rawReplies)
            }
            let fragment = FuzzInput(family: "final fragment", bytes: [], expect: .reply(.null, .error(-32700)))
            if let problem = ReplyCheck.mismatch(replies, fragment.expect) {
                findings.unexpected += 1
                report(index, "the half line before SHUT_WR: \(problem)", rawReplies)
            }
        }
        return findings
    }

    /// The first 300 bytes of an input, printable.
    static func excerpt(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(300).map { byte -> String in
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
        }.joined()
        return bytes.count > 300 ? shown + "…(\(bytes.count) bytes)" : shown
    }
}

/// The writer thread's first send failure.
private final class SendFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: String?
    func set(_ text: String) { lock.withLock { if failure == nil { failure = text } } }
    var value: String? { lock.withLock { failure } }
}

/// Splits a raw socket's bytes into lines (without `\n`).
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    init(fd: Int32) {
        self.fd = fd
    }

    /// The next line; `nil` at the end of the stream. Throws when `deadline` passes first.
    mutating func next(deadline: ContinuousClock.Instant) throws -> [UInt8]? {
        var scanFrom = start
        while true {
            if let newline = buffer[scanFrom...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                if start > 1 << 20 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            scanFrom = buffer.count
            if ended { return nil }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw TestDaemonError(
                    "no complete reply line before the deadline; \(buffer.count - start) bytes pending")
            }
            guard let chunk = try RawUnixSocket.readSome(fd, timeout: min(remaining, .seconds(1))) else { continue }
            if chunk.isEmpty { ended = true } else { buffer += chunk }
        }
    }
}
