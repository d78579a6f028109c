import ReceptionProtocol

/// What a plugin declares about itself through `describe`, checked by the host before use.
public struct PluginManifest: Sendable {
    /// The plugin's name, the prefix of its methods and topics.
    public let name: String
    /// Its version.
    public let version: String
    /// One sentence on what it does.
    public let summary: String
    /// Event topics it emits.
    public let topics: [String]
    /// Methods it serves.
    public let methods: [MethodDescriptor]
    /// Schema migrations, in order.
    public let migrations: [MigrationDescriptor]
    /// The department's words in each language, for clients (see ``PluginLabels``).
    public let labels: PluginLabels
    /// The readable line of each topic that declares one, by topic (`"events"` in the JSON).
    public let eventLines: [String: EventLine]
    /// The topics whose committed events the plugin's `committed` hook wants (`"committed"` in
    /// the JSON); `nil`: all of its topics. The daemon hands it nothing else, so a plugin that
    /// watches one rare event does not have every commit written out and parsed for it.
    public let committedTopics: [String]?

    /// Creates a manifest (the SDK builds one from a plugin's declarations).
    public init(
        name: String, version: String, summary: String, topics: [String], methods: [MethodDescriptor],
        migrations: [MigrationDescriptor], labels: PluginLabels = PluginLabels(),
        eventLines: [String: EventLine] = [:], committedTopics: [String]? = nil
    ) {
        self.committedTopics = committedTopics
        self.labels = labels
        self.eventLines = eventLines
        self.name = name
        self.version = version
        self.summary = summary
        self.topics = topics
        self.methods = methods
        self.migrations = migrations
    }

    /// The manifest as `describe` hands it over the ABI. Event lines travel as
    /// `"events": [{"topic": "parcels.received", "line": {"en": "…", "zh": "…"}}]`.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "version": .string(version), "summary": .string(summary),
            "topics": .array(topics.map { .string($0) }), "methods": .array(methods.map(\.manifestEntry)),
            "migrations": .array(migrations.map { ["id": .string($0.id), "sql": .string($0.sql)] }),
        ]
        if !labels.isEmpty { members["i18n"] = labels.jsonValue }
        if let committedTopics { members["committed"] = .array(committedTopics.map { .string($0) }) }
        if !eventLines.isEmpty {
            members["events"] = .array(
                eventLines.sorted { $0.key < $1.key }.map { ["topic": .string($0.key), "line": $0.value.jsonValue] })
        }
        return .object(members)
    }

    /// Reads and checks a manifest; the error says which rule it broke.
    public init(json: JSONValue) throws(PluginLoadError) {
        guard let name = json["name"]?.stringValue, PluginManifest.isValidName(name) else {
            throw PluginLoadError("manifest: \"name\" must be lowercase letters, digits and _ (starting with a letter)")
        }
        self.name = name
        version = json["version"]?.stringValue ?? "0"
        summary = json["summary"]?.stringValue ?? ""
        topics = (json["topics"]?.arrayValue ?? []).compactMap(\.stringValue)
        for topic in topics where !topic.hasPrefix(name + ".") {
            throw PluginLoadError("manifest: topic \"\(topic)\" must start with \"\(name).\"")
        }
        var methods: [MethodDescriptor] = []
        for entry in json["methods"]?.arrayValue ?? [] {
            let method = try MethodDescriptor(json: entry, plugin: name)
            if methods.contains(where: { $0.name == method.name }) {
                throw PluginLoadError("manifest: method \(method.name) is declared twice")
            }
            methods.append(method)
        }
        self.methods = methods
        var migrations: [MigrationDescriptor] = []
        for entry in json["migrations"]?.arrayValue ?? [] {
            guard let id = entry["id"]?.stringValue, !id.isEmpty, let sql = entry["sql"]?.stringValue else {
                throw PluginLoadError("manifest: every migration needs an \"id\" and \"sql\"")
            }
            if migrations.contains(where: { $0.id == id }) {
                throw PluginLoadError("manifest: migration \(id) is declared twice")
            }
            migrations.append(MigrationDescriptor(id: id, sql: sql))
        }
        self.migrations = migrations
        labels =
            try json["i18n"].map { value throws(PluginLoadError) in try PluginLabels(json: value) } ?? PluginLabels()
        var eventLines: [String: EventLine] = [:]
        for entry in json["events"]?.arrayValue ?? [] {
            guard let topic = entry["topic"]?.stringValue, topics.contains(topic) else {
                throw PluginLoadError("manifest: an event line names a topic the plugin does not declare")
            }
            eventLines[topic] = try EventLine(json: entry["line"] ?? .null, topic: topic)
        }
        self.eventLines = eventLines
        if let committed = json["committed"] {
            guard let list = committed.arrayValue?.compactMap(\.stringValue), list.count == committed.arrayValue?.count
            else { throw PluginLoadError("manifest: \"committed\" must be a list of the plugin's topics") }
            for topic in list where !topics.contains(topic) {
                throw PluginLoadError("manifest: \"committed\" names \(topic), which is not one of the plugin's topics")
            }
            committedTopics = list
        } else {
            committedTopics = nil
        }
    }

    /// Whether `name` can name a plugin: a lowercase letter, then up to 31 lowercase letters,
    /// digits or `_`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// One method as `daemon.methods` lists it, for plugin methods and built-ins alike.
public struct MethodDescriptor: Sendable {
    /// Whether the method reads or changes state.
    public typealias Access = MethodAccess
    /// Who may call a method.
    public typealias Role = MethodRole

    /// Full name.
    public let name: String
    /// Owning plugin, or `daemon` for built-ins.
    public let plugin: String
    /// One sentence.
    public let description: String
    /// JSON schema of params.
    public let params: JSONValue
    /// Read, write or connection.
    public let access: Access
    /// Required role.
    public let role: Role
    /// Params members kept only as their last four characters in audit records and logs.
    public let redact: [String]
    /// How a person should see the result.
    public let display: DisplayHints
    /// The schema of the record the result is (or lists), for clients; `nil` when undeclared.
    public let result: JSONValue?
    /// The method's title and description in other languages: `{"zh": {"title": "签收", "description": "…"}}`.
    public let i18n: JSONValue?

    /// Creates a descriptor.
    public init(
        name: String, plugin: String, description: String, params: JSONValue, access: Access, role: Role,
        redact: [String] = [], display: DisplayHints = DisplayHints(), result: JSONValue? = nil,
        i18n: JSONValue? = nil
    ) {
        self.i18n = i18n
        self.display = display
        self.result = result
        self.name = name
        self.plugin = plugin
        self.description = description
        self.params = params
        self.access = access
        self.role = role
        self.redact = redact
    }

    init(json: JSONValue, plugin: String) throws(PluginLoadError) {
        guard let name = json["name"]?.stringValue else { throw PluginLoadError("manifest: a method has no name") }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.first.map(String.init) == plugin, (2...3).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty })
        else {
            throw PluginLoadError("manifest: method \"\(name)\" must be \(plugin).<verb> or \(plugin).<noun>.<verb>")
        }
        guard let access = json["access"]?.stringValue.flatMap(Access.init(rawValue:)), access != .connection else {
            throw PluginLoadError("manifest: method \(name) needs \"access\": \"read\" or \"write\"")
        }
        guard let role = json["role"]?.stringValue.flatMap(Role.init(rawValue:)) else {
            throw PluginLoadError("manifest: method \(name) needs \"role\": \"operator\", \"admin\" or \"system\"")
        }
        let params = json["params"] ?? .object(["type": "object"])
        do {
            try SchemaSubset.check(params)
        } catch {
            throw PluginLoadError("manifest: method \(name): params schema: \(error.message)")
        }
        let display = try json["display"].map { value throws(PluginLoadError) in
            try DisplayHints(json: value, method: name)
        }
        if let i18n = json["i18n"] {
            do {
                try PluginLabels.checkTexts(i18n, keys: ["title", "description"], path: "method \(name): i18n")
            } catch {
                throw PluginLoadError("manifest: \(error.message)")
            }
        }
        self.init(
            name: name, plugin: plugin, description: json["description"]?.stringValue ?? "", params: params,
            access: access, role: role, redact: (json["redact"]?.arrayValue ?? []).compactMap(\.stringValue),
            display: display ?? DisplayHints(), result: json["result"], i18n: json["i18n"])
    }

    /// The method's entry in a plugin manifest.
    public var manifestEntry: JSONValue {
        var entry: JSONValue = [
            "name": .string(name), "description": .string(description), "params": params,
            "access": .string(access.rawValue), "role": .string(role.rawValue),
            "redact": .array(redact.map { .string($0) }),
        ]
        if case .object(var members) = entry {
            if !display.isEmpty { members["display"] = display.jsonValue }
            if let result { members["result"] = result }
            if let i18n { members["i18n"] = i18n }
            entry = .object(members)
        }
        return entry
    }

    /// The descriptor as `daemon.methods` shows it.
    public func jsonValue(available: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "plugin": .string(plugin), "description": .string(description), "params": params,
            "access": .string(access.rawValue), "role": .string(role.rawValue), "available": .bool(available),
        ]
        if !display.isEmpty { members["display"] = display.jsonValue }
        if let result { members["result"] = result }
        if let i18n { members["i18n"] = i18n }
        return .object(members)
    }
}

/// One schema migration of a plugin.
public struct MigrationDescriptor: Sendable {
    /// Stable identifier.
    public let id: String
    /// SQL statements.
    public let sql: String

    /// Creates a migration descriptor.
    public init(id: String, sql: String) {
        self.id = id
        self.sql = sql
    }
}

/// Why a plugin could not be loaded, in words for the log and `daemon.status`.
public struct PluginLoadError: Error, Sendable, CustomStringConvertible {
    /// The reason.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
