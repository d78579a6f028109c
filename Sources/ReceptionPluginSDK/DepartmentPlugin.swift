@_exported import ReceptionPluginContract
@_exported import ReceptionProtocol

/// A department plugin: what a plugin author implements.
///
/// A name and version, the methods it serves (each one params type, one handler, usually one
/// record type), its event topics as a type, its schema migrations, and an initializer that
/// takes its config section. Export it from the shared library with one line (see
/// ``PluginExport``):
///
/// ```swift
/// @_cdecl("receptiond_plugin_entry")
/// public func receptiondPluginEntry(_ host: UnsafeRawPointer?) -> UnsafeRawPointer? {
///     PluginExport.entry(ParcelsPlugin.self, host: host)
/// }
/// ```
///
/// Handlers may run on several threads at once (reads run in parallel on their own SQLite
/// connections; writes run one at a time on the writer), so a plugin is `Sendable`.
/// `ReceptionPluginTesting` runs a plugin in-process through the same contract code.
public protocol DepartmentPlugin: Sendable {
    /// The event topics the plugin emits (see ``EventTopic``).
    associatedtype Topic: EventTopic = NoTopics

    /// The plugin's name: the first component of its method names and event topics (`parcels`).
    static var name: String { get }
    /// The plugin's version, shown by `daemon.status`.
    static var version: String { get }
    /// One sentence on what the department does.
    static var summary: String { get }
    /// Schema migrations, applied in order, each exactly once, at daemon start.
    static var migrations: [Migration] { get }
    /// The methods the plugin serves, in the order `daemon.methods` lists them.
    static var methods: [Method<Self>] { get }
    /// The department's name in English and Chinese (`Mail and parcels`, `邮件包裹`), for help.
    static var title: Words? { get }
    /// ``summary`` in Chinese.
    static var chineseSummary: String? { get }
    /// The titles of the members of its params and records in both languages, and the labels of
    /// their values, by member name: declared once, published with every schema that has the member.
    static var glossary: [String: Words] { get }

    /// Builds the plugin from its config section (`[plugins.<name>]`). Read every key through
    /// `config`; keys nobody read are refused after this returns.
    init(config: PluginConfig) throws(RPCError)

    /// The topics whose events ``committed(_:background:)`` wants; `nil` (the default): every
    /// topic of the plugin. Naming only those it acts on spares every other commit the events
    /// written out and read back for it.
    static var committedTopics: [Topic]? { get }

    /// Called after each commit that emitted events on this plugin's topics (those in
    /// ``committedTopics``), in commit order, once the commit is on disk, one commit at a time, on
    /// the daemon thread that answers it: return quickly (the commit's callers wait for it), and
    /// run slow work (a command, a network call) on a thread of your own, reporting back through
    /// `background`.
    func committed(_ events: [CommittedEvent], background: BackgroundWork)

    /// Called once when the daemon is ready (every plugin loaded, configured and migrated, the
    /// socket listening), and by the testing kit's `start()`: start the plugin's own timers here
    /// (a minute sweep that submits a system method through `background`). Return quickly.
    func started(background: BackgroundWork)

    /// Called once when the daemon stops, after its last request, while background writes
    /// still commit: finish the plugin's own queued work (the parcels notifier runs what is
    /// queued) within `grace`, then return. Nothing is called after it.
    func shutdown(within grace: Duration)
}

extension DepartmentPlugin {
    /// No migrations by default.
    public static var migrations: [Migration] { [] }
    /// Every topic's committed events go to ``committed(_:background:)`` by default.
    public static var committedTopics: [Topic]? { nil }
    /// Ignores committed events by default.
    public func committed(_ events: [CommittedEvent], background: BackgroundWork) {}
    /// Nothing to start by default.
    public func started(background: BackgroundWork) {}
    /// Nothing to finish by default.
    public func shutdown(within grace: Duration) {}
    /// No title by default (clients show the name).
    public static var title: Words? { nil }
    /// No Chinese summary by default.
    public static var chineseSummary: String? { nil }
    /// No glossary by default.
    public static var glossary: [String: Words] { [:] }

    /// The topics, as the manifest lists them.
    public static var topics: [String] { Topic.allCases.map(\.rawValue) }

    /// What the plugin declares, as the daemon reads it.
    public static var manifest: PluginManifest {
        let terms = glossary.mapValues(\.term)
        var labels = PluginLabels(glossary: terms)
        if let title { labels.title = ["en": title.en, "zh": title.zh] }
        if let chineseSummary { labels.summary = ["zh": chineseSummary] }
        return PluginManifest(
            name: name, version: version, summary: summary, topics: topics,
            methods: methods.map { $0.descriptor.annotated(with: terms) },
            migrations: migrations.map { MigrationDescriptor(id: $0.id, sql: $0.sql) }, labels: labels,
            eventLines: Topic.declaredLines, committedTopics: committedTopics?.map(\.rawValue))
    }
}

/// One schema migration: an identifier that never changes once shipped, and its SQL.
public struct Migration: Sendable {
    /// Stable identifier, recorded in the daemon's migration table (`1-create-items`).
    public let id: String
    /// One or more SQL statements, run in the migration's own transaction.
    public let sql: String

    /// Creates a migration.
    public init(_ id: String, sql: String) {
        self.id = id
        self.sql = sql
    }
}
