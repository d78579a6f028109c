import Foundation
import ReceptionProtocol

/// One generated line for the protocol fuzzer and what protocol.md says must come back for it.
struct FuzzInput: Sendable {
    /// What the generator made (for the failure message and the figures).
    let family: String
    /// The line's bytes, without the final `\n` (never containing one).
    let bytes: [UInt8]
    /// What must come back.
    let expect: Expectation

    /// The replies a line must get, before the fuzzer's sentinel ping.
    enum Expectation: Sendable {
        /// No reply: a notification, a batch of only notifications, a blank line.
        case nothing
        /// One reply object with this id.
        case reply(IDRule, Outcome = .either)
        /// One batch reply array: one element per rule, in order.
        case batch([IDRule])
        /// One reply line, an object or an array (a batch whose shape depends on how deep the
        /// parser goes), ids null or as sent.
        case objectOrBatch
        /// Random bytes: one reply with a null id, or none when the line is blank to the parser.
        case atMostOne
    }

    /// Whether the reply must be an error, a result, or may be either.
    enum Outcome: Sendable, Equatable {
        case either
        /// An error with exactly this code.
        case error(Int64)
        /// An error of any code.
        case anyError
    }

    /// The id a reply must carry.
    enum IDRule: Sendable, CustomStringConvertible {
        /// Exactly this id (numbers compared by value, `1` and `1.0` alike).
        case exactly(JSONValue)
        /// `null`: the request had no readable id.
        case null
        /// This id, or `null` (protocol.md: "`id` echoed when readable").
        case exactlyOrNull(JSONValue)

        var description: String {
            switch self {
            case .exactly(let id): return id.serialized()
            case .null: return "null"
            case .exactlyOrNull(let id): return "\(id.serialized()) or null"
            }
        }

        /// Whether `id` satisfies the rule.
        func accepts(_ id: JSONValue) -> Bool {
            switch self {
            case .exactly(let expected): return Self.same(expected, id)
            case .null: return id == .null
            case .exactlyOrNull(let expected): return id == .null || Self.same(expected, id)
            }
        }

        private static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
            switch (a, b) {
            case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y && y.sign == .plus
            case (.double(let x), .double(let y)): return x == y && x.sign == y.sign
            default: return a == b
            }
        }
    }
}

/// What protocol.md says about one request element: the reply it gets, if any.
enum RequestRules {
    /// The id a request element must be answered with, or `nil` when it is a notification
    /// (an object with no `id` member that is otherwise a valid JSON-RPC 2.0 request) and gets
    /// no reply at all.
    static func replyID(for element: JSONValue) -> FuzzInput.IDRule? {
        guard case .object(let members) = element else { return .null }
        let readable: JSONValue? = members["id"].flatMap { id in
            switch id {
            case .string, .null: return id
            case .int: return id
            case .double(let value): return value.rounded() == value && abs(value) >= 9.2e18 ? nil : id
            default: return nil
            }
        }
        if isValid(members) {
            guard let id = members["id"] else { return nil }
            // A fraction was echoed until issue 10; now it is refused with a null id. Either is
            // an exact answer, so either passes.
            if case .double = id { return .exactlyOrNull(id) }
            return readable.map { .exactly($0) } ?? .null
        }
        if members["id"] == nil { return .null }
        return readable.map { .exactlyOrNull($0) } ?? .null
    }

    /// Whether an object is a well-formed request: `"jsonrpc": "2.0"`, a string `method`,
    /// `params` absent or an object or array, an id (when present) that can be echoed, and no
    /// other members.
    static func isValid(_ members: [String: JSONValue]) -> Bool {
        guard members["jsonrpc"] == .string("2.0"), case .string? = members["method"] else { return false }
        if let params = members["params"] {
            switch params {
            case .object, .array: break
            default: return false
            }
        }
        if let id = members["id"] {
            switch id {
            case .string, .null, .int: break
            case .double(let value): if value.rounded() == value && abs(value) >= 9.2e18 { return false }
            default: return false
            }
        }
        return Set(members.keys).isSubset(of: ["jsonrpc", "id", "method", "params"])
    }

    /// The expectation for a line holding `value` (a request or a batch), serialized as is.
    static func expectation(for value: JSONValue, maxBatch: Int = 1000) -> FuzzInput.Expectation {
        guard case .array(let elements) = value else {
            guard let id = replyID(for: value) else { return .nothing }
            return .reply(id)
        }
        if elements.isEmpty { return .reply(.null, .error(-32600)) }
        if elements.count > maxBatch { return .reply(.null, .error(-32008)) }
        let ids = elements.compactMap { replyID(for: $0) }
        return ids.isEmpty ? .nothing : .batch(ids)
    }
}
