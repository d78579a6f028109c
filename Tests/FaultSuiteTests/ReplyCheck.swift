import Foundation
import ReceptionProtocol

/// The checks every line the daemon writes must pass (protocol.md, "Requests, replies, batches,
/// notifications" and "Errors"), and the match of a line's replies against what its input expects.
enum ReplyCheck {
    /// Why `reply` is not a well-formed JSON-RPC 2.0 reply object, or `nil` when it is one:
    /// `"jsonrpc": "2.0"`, an `id` member, exactly one of `result` and `error`, no other members;
    /// an error has an integer `code`, a string `message` and a string `data.kind`.
    static func problem(inReply reply: JSONValue) -> String? {
        guard case .object(let members) = reply else { return "a reply is \(reply.typeName), not an object" }
        if members["jsonrpc"] != .string("2.0") { return "\"jsonrpc\" is not \"2.0\"" }
        if members["id"] == nil { return "no \"id\" member" }
        let extra = Set(members.keys).subtracting(["jsonrpc", "id", "result", "error"])
        if !extra.isEmpty { return "unexpected members \(extra.sorted())" }
        switch (members["result"], members["error"]) {
        case (nil, nil): return "neither result nor error"
        case (.some, .some): return "both result and error"
        case (.some, nil): return nil
        case (nil, .some(let error)):
            guard case .int? = error["code"] else { return "error.code is not an integer" }
            guard case .string? = error["message"] else { return "error.message is not a string" }
            guard case .string? = error["data"]?["kind"] else { return "error.data.kind is not a string" }
            return nil
        }
    }

    /// Why a server notification (a line with `method` and no `id`) is malformed, or `nil`.
    static func problem(inNotification message: JSONValue) -> String? {
        guard message["jsonrpc"] == .string("2.0") else { return "notification without \"jsonrpc\": \"2.0\"" }
        guard let method = message["method"]?.stringValue,
            ["event", "events.dropped", "daemon.closing"].contains(method)
        else { return "unknown server notification \(message["method"]?.serialized() ?? "nil")" }
        guard case .object? = message["params"] else { return "notification params are not an object" }
        return nil
    }

    /// Whether `line` is a server notification rather than a reply.
    static func isNotification(_ line: JSONValue) -> Bool {
        line["method"] != nil && line["id"] == nil
    }

    /// Why `lines` (the replies read for one input, notifications removed) do not match
    /// `expect`, or `nil` when they do. Each line must already have parsed as JSON.
    static func mismatch(_ lines: [JSONValue], _ expect: FuzzInput.Expectation) -> String? {
        switch expect {
        case .nothing:
            return lines.isEmpty ? nil : "expected no reply, got \(lines.count)"
        case .reply(let rule, let outcome):
            guard lines.count == 1, let reply = lines.first else { return "expected one reply, got \(lines.count)" }
            return replyMismatch(reply, rule, outcome)
        case .batch(let rules):
            guard lines.count == 1, let reply = lines.first else {
                return "expected one batch reply, got \(lines.count)"
            }
            guard case .array(let elements) = reply else {
                return "expected a batch reply (array) of \(rules.count), got \(reply.typeName)"
            }
            guard elements.count == rules.count else {
                return "expected \(rules.count) replies in the batch, got \(elements.count)"
            }
            for (index, (element, rule)) in zip(elements, rules).enumerated() {
                if let problem = replyMismatch(element, rule, .either) { return "batch element \(index): \(problem)" }
            }
            return nil
        case .objectOrBatch:
            guard lines.count == 1, let reply = lines.first else {
                return "expected one reply line, got \(lines.count)"
            }
            if case .array(let elements) = reply {
                if elements.isEmpty { return "an empty batch reply" }
                return elements.lazy.compactMap { replyMismatch($0, .null, .anyError) }.first
            }
            return replyMismatch(reply, .null, .anyError)
        case .atMostOne:
            guard lines.count <= 1 else { return "expected at most one reply, got \(lines.count)" }
            guard let reply = lines.first else { return nil }
            if case .array(let elements) = reply {
                return elements.lazy.compactMap { replyMismatch($0, .null, .anyError) }.first
            }
            return replyMismatch(reply, .null, .anyError)
        }
    }

    private static func replyMismatch(_ reply: JSONValue, _ rule: FuzzInput.IDRule, _ outcome: FuzzInput.Outcome)
        -> String?
    {
        if let problem = problem(inReply: reply) { return "malformed: \(problem)" }
        let id = reply["id"] ?? .null
        guard rule.accepts(id) else { return "id \(id.serialized()) where \(rule) was due" }
        switch outcome {
        case .either: return nil
        case .anyError: return reply["error"] == nil ? "a result where an error was due" : nil
        case .error(let code):
            let got = reply["error"]?["code"]?.intValue
            return got == code ? nil : "error code \(got.map(String.init) ?? "none (a result)") where \(code) was due"
        }
    }

    /// The raw text of a reply's top-level `id` value, as the daemon wrote it (to tell `-0.0` from
    /// `0`); `nil` when the line is not an object with an `id` member.
    static func rawID(in line: String) -> String? {
        let bytes = Array(line.utf8)
        var depth = 0
        var index = 0
        var lastString: ArraySlice<UInt8> = []
        var valueStart: Int?
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                lastString = bytes[start..<min(index, bytes.count)]
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
                if depth == 1, let start = valueStart {
                    return String(decoding: bytes[start..<index], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                }
                if byte != UInt8(ascii: ",") { depth -= 1 }
            case UInt8(ascii: ":"):
                if depth == 1, Array(lastString) == Array("id".utf8) { valueStart = index + 1 }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
