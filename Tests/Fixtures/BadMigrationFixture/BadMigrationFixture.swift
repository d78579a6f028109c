import ReceptionPluginSDK

/// A test fixture: a plugin whose second migration is broken SQL. The daemon must report it as
/// failed, answer `unavailable` for its methods, and keep serving everything else.
public struct BadMigrationFixture: DepartmentPlugin {
    public static let name = "badmigration"
    public static let version = "0.0.1"
    public static let summary = "Fixture: a plugin whose migration fails."
    public static let migrations = [
        Migration("1-ok", sql: "CREATE TABLE badmigration_ok (id INTEGER PRIMARY KEY);"),
        Migration("2-broken", sql: "CREATE TABLE badmigration_broken (id INTEGER PRIMARY KEY; -- syntax error"),
    ]
    public static let methods: [Method<BadMigrationFixture>] = [
        .read("badmigration.ping", "Would answer if the plugin had loaded.") {
            (_, _: NoParams, _) in
            ["pong": true] as JSONValue
        }
    ]

    public init(config: PluginConfig) throws(RPCError) {}
}

/// The entry point.
@_cdecl("receptiond_plugin_entry")
public func receptiondPluginEntry(_ host: UnsafeRawPointer?) -> UnsafeRawPointer? {
    PluginExport.entry(BadMigrationFixture.self, host: host)
}
