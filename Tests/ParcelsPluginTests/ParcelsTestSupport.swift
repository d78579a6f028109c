import Foundation
import ReceptionClient
import ReceptionProtocol
import ReceptionTestSupport
import Testing

/// A real daemon with the parcels plugin, and small helpers that keep the tests reading like
/// the desk's work.
enum ParcelsDesk {
    /// The plugin directory of a parcels daemon.
    static let plugins: [String: TestDaemon.PluginFile] = ["parcels": .product("libreceptiond-parcels.so")]

    /// The contract's item members (issue 4, "Wire names"): always present, `null` when not applicable.
    static let itemFields: Set<String> = [
        "code", "kind", "recipient", "unit", "carrier", "tracking", "condition", "damageNote", "shelf", "note",
        "status", "receivedAt", "notifiedAt", "collectedAt", "collectedBy", "returnedAt", "returnReason",
    ]

    /// A pickup code: letter, digit, letter, digit; never 0, 1, I or O.
    static var codeShape: Regex<Substring> { #/[A-HJ-NP-Z][2-9][A-HJ-NP-Z][2-9]/# }

    /// ISO 8601 with milliseconds and an offset.
    static var isoWithOffset: Regex<(Substring, Substring)> {
        #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})/#
    }

    /// Starts a daemon with the parcels plugin (and `config`, when given).
    static func start(config: String? = nil) throws -> TestDaemon {
        let daemon = try TestDaemon(config: config, plugins: plugins)
        try daemon.start()
        return daemon
    }
}

/// A counter that calls parcels methods: a connection to the real daemon, or the in-process
/// harness (`Rules/ParcelsHarness.swift`). The flows' shorthands are written once for both.
protocol ParcelsCounter {
    /// Calls `method` with `params`; the result.
    @discardableResult
    func call(_ method: String, _ params: JSONValue) throws -> JSONValue
}

extension RPCConnection: ParcelsCounter {}

extension ParcelsCounter {
    /// `parcels.receive` with the usual defaults; returns the item.
    @discardableResult
    func receive(
        _ kind: String = "parcel", recipient: String = "李娜", unit: String = "3-2-1201",
        with extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        var params: [String: JSONValue] = [
            "kind": .string(kind), "recipient": .string(recipient), "unit": .string(unit),
        ]
        for (key, value) in extra { params[key] = value }
        return try call("parcels.receive", .object(params))
    }

    /// `parcels.pickup` of `codes` by `name` (a proxy pickup when `proxy`: someone other than the
    /// recipient), with an identity card ending in `last4`.
    @discardableResult
    func pickup(_ codes: [String], by name: String = "李娜", proxy: Bool = false, last4: String = "1234") throws
        -> JSONValue
    {
        try call("parcels.pickup", Self.pickupParams(codes, by: name, proxy: proxy, last4: last4))
    }

    /// The params of a `parcels.pickup` of `codes` (an identity card ending in `last4`).
    static func pickupParams(_ codes: [String], by name: String = "李娜", proxy: Bool = false, last4: String = "1234")
        -> JSONValue
    {
        var params: [String: JSONValue] = [
            "codes": .array(codes.map { .string($0) }), "collectedBy": .string(name), "idType": "id_card",
            "idLast4": .string(last4),
        ]
        if proxy { params["proxy"] = true }
        return .object(params)
    }

    /// The codes of `parcels.pending` for `unit`, oldest first.
    func pendingCodes(unit: String) throws -> [String] {
        (try call("parcels.pending", ["unit": .string(unit)])["items"]?.arrayValue ?? []).compactMap {
            $0["code"]?.stringValue
        }
    }
}

extension RPCConnection {
    /// Subscribes to `topics`.
    func subscribe(_ topics: [String]) throws {
        try call("events.subscribe", ["topics": .array(topics.map { .string($0) })])
    }

    /// The next `event` notification's params (`topic`, `seq`, `time`, `data`).
    func nextEvent(timeout: Duration = .seconds(15)) throws -> JSONValue {
        while true {
            guard let message = try nextNotification(timeout: timeout) else {
                throw TestDaemonError("the daemon closed the connection before the next event")
            }
            if message["method"] == "event", let params = message["params"] { return params }
        }
    }
}

extension JSONValue {
    /// The item's pickup code (empty when missing, which fails the test's expectations).
    var code: String { self["code"]?.stringValue ?? "" }
}
