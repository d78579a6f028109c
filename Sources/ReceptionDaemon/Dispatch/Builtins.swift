import Foundation
import Logging
import ReceptionPluginHost
import ReceptionProtocol
import ReceptionStore

/// Shared daemon facts the built-in methods report.
final class DaemonInfo: Sendable {
    let version: String
    let startedAt: Date
    let socketPath: String
    let stateDirectory: String
    init(version: String, startedAt: Date, socketPath: String, stateDirectory: String) {
        self.version = version
        self.startedAt = startedAt
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
    }
}

/// One built-in method: its description and its handler.
struct Builtin: Sendable {
    let descriptor: MethodDescriptor
    let run: @Sendable (JSONValue, ConnectionState) -> Step
}

/// The daemon's own methods: `daemon.*`, `events.*`, `audit.query`, `admin.backup`.
final class Builtins: Sendable {
    let table: [String: Builtin]

    init(
        info: DaemonInfo, registry: PluginRegistry, store: Store, hub: EventHub, stats: RequestStats,
        connections: ConnectionRegistry, settings: SettingsBox, replyMemory: ReplyMemory,
        reload: @escaping @Sendable () async -> Result<JSONValue, RPCError>
    ) {
        var table: [String: Builtin] = [:]
        func add(
            _ name: String, _ description: String, params: JSONValue = Self.noParams, access: MethodDescriptor.Access,
            role: MethodDescriptor.Role = .operator, _ run: @escaping @Sendable (JSONValue, ConnectionState) -> Step
        ) {
            table[name] = Builtin(
                descriptor: MethodDescriptor(
                    name: name, plugin: "daemon", description: description, params: params, access: access, role: role),
                run: run)
        }

        add("daemon.ping", "Answers at once; for health checks and latency probes.", access: .read) { _, _ in
            .now(.success(.value(["pong": true, "time": .string(Timestamp.format(Date()))])))
        }

        add(
            "daemon.hello",
            "Names the counter workstation and the person at it; recorded with every change this connection makes.",
            params: Self.object([
                "workstation": [
                    "type": "string", "maxLength": 64, "description": "The counter workstation, e.g. desk-1",
                ],
                "operator": ["type": "string", "maxLength": 64, "description": "The person at the counter"],
                "locale": [
                    "type": "string", "maxLength": 32,
                    "description":
                        "The locale messages are read in, e.g. zh_CN: rule errors then come in that language",
                ],
            ]), access: .connection
        ) { params, connection in
            connection.identify(
                workstation: params["workstation"]?.stringValue, operator: params["operator"]?.stringValue,
                locale: params["locale"]?.stringValue)
            guard case .object(var identity) = connection.identityJSON else {
                return .now(.success(.value(connection.identityJSON)))
            }
            identity["currency"] = settings.current.currency.jsonValue
            identity["timeZone"] = .string(settings.current.timeZone)
            return .now(.success(.value(.object(identity))))
        }

        add("daemon.status", "Version, uptime, plugins and their state, connections, request counters.", access: .read)
        {
            _, _ in
            let uptime = Date().timeIntervalSince(info.startedAt)
            let totals = connections.totals
            let value: JSONValue = [
                "version": .string(info.version), "pid": .int(Int64(getpid())),
                "currency": settings.current.currency.jsonValue, "timeZone": .string(settings.current.timeZone),
                "startedAt": .string(Timestamp.format(info.startedAt)), "uptimeSeconds": .int(Int64(uptime)),
                "socket": .string(info.socketPath), "stateDir": .string(info.stateDirectory),
                "connections": [
                    "current": .int(Int64(connections.count)),
                    "max": .int(Int64(settings.current.limits.maxConnections)),
                    "total": .int(Int64(totals.accepted)), "refused": .int(Int64(totals.refused)),
                    "maxPerUid": .int(Int64(settings.current.limits.maxConnectionsPerUID)),
                    "busiestUsers": .array(
                        connections.busiestUsers(3).map {
                            ["uid": .int(Int64($0.uid)), "connections": .int(Int64($0.connections))]
                        }),
                ],
                "memory": [
                    "residentBytes": ProcessMemory.residentBytes.map { .int(Int64($0)) } ?? .null,
                    "replyBytes": .int(Int64(replyMemory.bytes)),
                    "replyBytesPeak": .int(Int64(replyMemory.peakBytes)),
                    "replyMemoryBytes": .int(Int64(replyMemory.limit)),
                    "pausedConnections": .int(Int64(replyMemory.pausedCount)),
                ],
                "requests": stats.jsonValue,
                "writer": ["commits": .int(Int64(store.writer.commits))],
                "storage": .object(
                    store.healthJSON.merging([
                        "synchronous": .string(store.durability.synchronous),
                        "journalMode": .string(store.durability.journalMode),
                    ]) { _, fixed in fixed }),
                "plugins": .array(registry.records.map(\.jsonValue)),
                "events": ["seq": .int(hub.currentSequence), "subscribers": .int(Int64(hub.subscriberCount))],
            ]
            return .now(.success(.value(value)))
        }

        add(
            "events.subscribe",
            "Streams committed changes on the given topic prefixes (all when empty) as `event` notifications.",
            params: Self.object([
                "topics": [
                    "type": "array", "items": ["type": "string", "maxLength": 128], "maxItems": 64,
                    "description": "Topic prefixes such as parcels or parcels.received",
                ]
            ]), access: .connection
        ) { params, connection in
            let topics = (params["topics"]?.arrayValue ?? []).compactMap(\.stringValue)
            let seq = hub.subscribe(connection, topics: topics)
            return .now(.success(.value(["topics": .array(topics.map { .string($0) }), "seq": .int(seq)])))
        }

        add("events.unsubscribe", "Stops the event stream on this connection.", access: .connection) { _, connection in
            hub.unsubscribe(connection)
            return .now(.success(.value(["topics": .array([])])))
        }

        add(
            "audit.query", "Lists audit records, newest first (admins only).",
            params: Self.object([
                "since": ["type": "string", "maxLength": 40, "description": "ISO 8601 time; records at or after it"],
                "until": ["type": "string", "maxLength": 40, "description": "ISO 8601 time; records before it"],
                "method": [
                    "type": "string", "maxLength": 128, "description": "Exact method, or a prefix ending in .",
                ],
                "uid": ["type": "integer", "minimum": 0, "maximum": 4_294_967_295, "description": "Only this user id"],
                "workstation": ["type": "string", "maxLength": 64, "description": "Only this workstation"],
                "cursor": ["type": "integer", "minimum": 0, "description": "nextCursor of the previous page"],
                "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Page size (default 100)"],
            ]), access: .read, role: .admin
        ) { params, _ in
            var query = AuditQuery(limit: Int(params["limit"]?.intValue ?? 100))
            for key in ["since", "until"] {
                guard let text = params[key]?.stringValue else { continue }
                guard let date = Timestamp.parse(text) else {
                    return .now(
                        .failure(
                            .invalidParams(field: key, "\(key) must be an ISO 8601 time with offset, got \"\(text)\"")))
                }
                if key == "since" { query.since = date } else { query.until = date }
            }
            query.method = params["method"]?.stringValue
            query.uid = params["uid"]?.intValue.map(Int.init)
            query.workstation = params["workstation"]?.stringValue
            query.before = params["cursor"]?.intValue
            return .later { [query] in
                do throws(RPCError) {
                    let page = try await store.audit(query)
                    return .success(
                        .value([
                            "records": .array(page.records), "nextCursor": page.nextCursor.map { .int($0) } ?? .null,
                        ]))
                } catch {
                    return .failure(error)
                }
            }
        }

        add(
            "audit.refusals",
            "Refused writes counted per method and error kind, with the first and latest few (admins only).",
            params: Self.object([
                "method": ["type": "string", "maxLength": 128, "description": "Exact method, or a prefix ending in ."]
            ]), access: .read, role: .admin
        ) { params, _ in
            let method = params["method"]?.stringValue
            return .later {
                do throws(RPCError) {
                    return .success(.value(["refusals": .array(try await store.refusals(method: method))]))
                } catch {
                    return .failure(error)
                }
            }
        }

        add(
            "admin.backup", "Writes a consistent online snapshot of all state to a file (admins only).",
            params: Self.object(
                [
                    "path": [
                        "type": "string", "maxLength": 4096,
                        "description": "A file name under <state>/backups (subdirectories allowed, no ..)",
                    ]
                ],
                required: ["path"]), access: .read, role: .admin
        ) { params, _ in
            guard let requested = params["path"]?.stringValue, !requested.isEmpty else {
                return .now(.failure(.invalidParams(field: "path", "path must not be empty")))
            }
            // A file name ends at the first NUL for the system: "nul\u0000.sqlite" would write "nul".
            if requested.utf8.contains(0) {
                return .now(.failure(.invalidParams(field: "path", "path must not contain a NUL character (\\u0000)")))
            }
            // Named relative to <state>/backups only: under systemd an absolute path lands in the
            // service's private /tmp (deleted at the next restart) or in a read-only tree.
            let components = requested.split(separator: "/", omittingEmptySubsequences: false)
            if requested.hasPrefix("/") {
                return .now(
                    .failure(
                        .invalidParams(
                            field: "path",
                            "path \"\(requested)\" is absolute; backups are named relative to \(info.stateDirectory)/backups (e.g. \"nightly.sqlite\" or \"2026/12-06.sqlite\"), then copied elsewhere from there"
                        )))
            }
            if components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                return .now(
                    .failure(
                        .invalidParams(
                            field: "path",
                            "path \"\(requested)\" must stay under \(info.stateDirectory)/backups: no \"..\", \".\" or empty parts"
                        )))
            }
            let path = info.stateDirectory + "/backups/" + requested
            if FileManager.default.fileExists(atPath: path) {
                return .now(
                    .failure(RPCError(.conflict, "\(path) already exists; backups never overwrite", field: "path")))
            }
            let directory = (path as NSString).deletingLastPathComponent
            return .later {
                do {
                    try FileManager.default.createDirectory(
                        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                } catch {
                    return .failure(
                        RPCError(.storage, "cannot create \(directory): \(error.localizedDescription)", field: "path"))
                }
                let start = Date()
                do throws(RPCError) {
                    let bytes = try await store.backup(to: path)
                    return .success(
                        .value([
                            "path": .string(path), "bytes": .int(bytes),
                            "durationMs": .int(Int64(Date().timeIntervalSince(start) * 1000)),
                            "time": .string(Timestamp.format(Date())),
                        ]))
                } catch {
                    return .failure(error)
                }
            }
        }

        add(
            "daemon.reload",
            "Re-reads the config file; on any error keeps the running config and says why (admins only).",
            access: .connection, role: .admin
        ) { _, _ in
            .later { await reload().map { .value($0) } }
        }

        // The list never changes in a daemon's life (plugins load once, at start): serialized
        // once, on first use, so a client asking for it again and again costs a copy, not a
        // 24 KB JSON build on the event loop each time.
        let methodsCache = LockedBox<String?>(nil)
        let methodsBuiltin: @Sendable (JSONValue, ConnectionState) -> Step = { [table] _, _ in
            if let cached = methodsCache.withLock({ $0 }) { return .now(.success(.raw(cached))) }
            var list: [JSONValue] = table.values.map { $0.descriptor.jsonValue(available: true) }
            list.append(Self.methodsDescriptor.jsonValue(available: true))
            for record in registry.records {
                for method in record.methods where method.role != .system {
                    list.append(method.jsonValue(available: record.isLoaded))
                }
            }
            list.sort { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
            // The readable line of each event topic that declares one, for `receptionctl watch`.
            var events: [JSONValue] = []
            for record in registry.records {
                for (topic, line) in record.eventLines.sorted(by: { $0.key < $1.key }) {
                    events.append(["topic": .string(topic), "plugin": .string(record.name), "line": line.jsonValue])
                }
            }
            let plugins = registry.records.map(\.listing)
            let text = JSONValue.object(["methods": .array(list), "events": .array(events), "plugins": .array(plugins)])
                .serialized()
            methodsCache.withLock { $0 = text }
            return .now(.success(.raw(text)))
        }
        // Made last, so that the table it lists holds every other built-in.
        table["daemon.methods"] = Builtin(descriptor: Self.methodsDescriptor, run: methodsBuiltin)
        self.table = table
    }

    static let methodsDescriptor = MethodDescriptor(
        name: "daemon.methods", plugin: "daemon",
        description:
            "Every method with its description, params schema, access and role, and the readable line of each event topic.",
        params: noParams,
        access: .read, role: .operator)

    static let noParams: JSONValue = object([:])

    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        [
            "type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ]
    }
}
