import Foundation
import Logging
import ReceptionPluginHost
import ReceptionProtocol
import ReceptionStore

/// The loaded plugins and the ones that failed, with the reason; the source of every plugin
/// method route.
final class PluginRegistry: @unchecked Sendable {
    // Built once at start, immutable afterwards (reload only re-configures loaded plugins).

    /// One plugin as `daemon.status` reports it.
    struct Record: Sendable {
        let name: String
        let version: String
        let path: String
        let library: PluginLibrary?
        let error: String?
        let methods: [MethodDescriptor]
        let topics: Set<String>
        /// The manifest's one-sentence summary.
        var summary = ""
        /// The department's words by language (title, summary, glossary).
        var labels = PluginLabels()
        /// The readable line of each topic that declares one (published by `daemon.methods`).
        var eventLines: [String: EventLine] = [:]
        /// The topics whose committed events the plugin's `committed` hook gets.
        var committedTopics: Set<String> = []
        var isLoaded: Bool { library != nil && error == nil }

        /// The plugin as `daemon.methods` lists it under `plugins`.
        var listing: JSONValue {
            var value: [String: JSONValue] = [
                "name": .string(name), "version": .string(version), "summary": .string(summary),
                "available": .bool(isLoaded),
            ]
            if !labels.isEmpty { value["i18n"] = labels.jsonValue }
            return .object(value)
        }

        var jsonValue: JSONValue {
            var value: [String: JSONValue] = [
                "name": .string(name), "version": .string(version), "path": .string(path),
                "state": .string(isLoaded ? "loaded" : "failed"), "methods": .int(Int64(methods.count)),
            ]
            if let error { value["error"] = .string(error) }
            return .object(value)
        }
    }

    let records: [Record]
    private let byMethod: [String: (Record, MethodDescriptor)]
    private let byName: [String: Record]

    init(records: [Record]) {
        self.records = records
        var byMethod: [String: (Record, MethodDescriptor)] = [:]
        var byName: [String: Record] = [:]
        for record in records {
            byName[record.name] = record
            for method in record.methods { byMethod[method.name] = (record, method) }
        }
        self.byMethod = byMethod
        self.byName = byName
    }

    /// The plugin and descriptor serving `method`, if a plugin declared it.
    func route(_ method: String) -> (Record, MethodDescriptor)? { byMethod[method] }

    /// A failed plugin whose name is the method's first component (its methods are unknown
    /// because it never described itself): its calls answer `unavailable`, not "not found".
    func failedOwner(of method: String) -> Record? {
        guard let prefix = method.split(separator: ".").first.map(String.init), let record = byName[prefix],
            !record.isLoaded
        else { return nil }
        return record
    }

    /// Names the daemon's own methods use: no plugin may take them.
    static let reservedNames: Set<String> = ["daemon", "events", "audit", "admin"]

    /// Loads every plugin, configures it, and runs its migrations. Never throws: each failure is
    /// logged and recorded, and the other plugins go on.
    static func load(config: DaemonConfig, store: Store, logger: Logger) -> PluginRegistry {
        let loader = PluginLoader(logger: logger)
        var records: [Record] = []
        let paths: [String]
        do {
            paths = try PluginLoader.candidates(in: config.pluginDirectory, names: config.plugins)
        } catch {
            logger.error("\(error.message)")
            return PluginRegistry(records: [])
        }
        var seen: Set<String> = []
        for path in paths {
            let fileName = (path as NSString).lastPathComponent
            let guessedName = String(
                fileName.dropFirst(PluginLoader.filePrefix.count).dropLast(PluginLoader.fileSuffix.count))
            func fail(_ name: String, _ message: String, manifest: PluginManifest? = nil, library: PluginLibrary? = nil)
            {
                logger.error(
                    "plugin failed to load; its methods will answer unavailable: \(message)",
                    metadata: ["plugin": "\(name)", "path": "\(path)"])
                records.append(
                    Record(
                        name: name, version: manifest?.version ?? "", path: path, library: library, error: message,
                        methods: manifest?.methods ?? [], topics: Set(manifest?.topics ?? []),
                        eventLines: manifest?.eventLines ?? [:]))
            }
            let library: PluginLibrary
            switch loader.load(path: path) {
            case .failure(let error):
                fail(guessedName, error.message)
                continue
            case .success(let loaded):
                library = loaded
            }
            let manifest = library.manifest
            guard !seen.contains(manifest.name), !reservedNames.contains(manifest.name) else {
                fail(manifest.name + "@" + fileName, "plugin name \(manifest.name) is already taken")
                continue
            }
            seen.insert(manifest.name)
            let section = config.pluginSections[manifest.name] ?? .object([:])
            if let error = library.configure(section) {
                fail(
                    manifest.name,
                    "bad config in [plugins.\(manifest.name)] of \(config.configFile ?? "the embedded defaults"): \(error.message)",
                    manifest: manifest)
                continue
            }
            do {
                let applied = try store.migrate(
                    plugin: manifest.name, migrations: manifest.migrations.map { ($0.id, $0.sql) })
                if !applied.isEmpty {
                    logger.notice(
                        "applied migrations \(applied.joined(separator: ", "))",
                        metadata: ["plugin": "\(manifest.name)"])
                }
            } catch {
                fail(manifest.name, error.message, manifest: manifest)
                continue
            }
            logger.info(
                "plugin loaded: \(manifest.name) \(manifest.version), \(manifest.methods.count) methods",
                metadata: ["plugin": "\(manifest.name)", "path": "\(path)"])
            records.append(
                Record(
                    name: manifest.name, version: manifest.version, path: path, library: library, error: nil,
                    methods: manifest.methods, topics: Set(manifest.topics), summary: manifest.summary,
                    labels: manifest.labels, eventLines: manifest.eventLines,
                    committedTopics: Set(manifest.committedTopics ?? manifest.topics)))
        }
        for name in config.pluginSections.keys where !records.contains(where: { $0.name == name }) {
            logger.warning("config has a [plugins.\(name)] section but no such plugin is loaded")
        }
        return PluginRegistry(records: records)
    }

    /// Hands each loaded plugin the committed events on its own topics.
    func deliverCommitted(_ events: [EventHub.Published]) {
        for record in records where record.isLoaded {
            guard let library = record.library else { continue }
            let mine = events.filter { record.committedTopics.contains($0.topic) }
            if mine.isEmpty { continue }
            library.committed(
                CommittedEventRecord.json(
                    mine.map { CommittedEventRecord(topic: $0.topic, seq: $0.seq, time: $0.time, data: $0.data) }))
        }
    }

    /// Re-applies config sections to the loaded plugins. All or nothing: when one plugin rejects
    /// its new section, those already changed get their old section back.
    func reconfigure(old: DaemonConfig, new: DaemonConfig) -> RPCError? {
        var done: [Record] = []
        for record in records where record.isLoaded {
            guard let library = record.library else { continue }
            let section = new.pluginSections[record.name] ?? .object([:])
            if let error = library.configure(section) {
                for previous in done {
                    _ = previous.library?.configure(old.pluginSections[previous.name] ?? .object([:]))
                }
                return RPCError(
                    .validation, "\(new.configFile ?? "config"): [plugins.\(record.name)]: \(error.message)",
                    field: error.field)
            }
            done.append(record)
        }
        return nil
    }
}
