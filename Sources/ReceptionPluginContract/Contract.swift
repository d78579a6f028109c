@_exported import ReceptionProtocol

/// The plugin contract: what the daemon (through `ReceptionPluginHost`) and a department plugin
/// (through `ReceptionPluginSDK`) agree on, written once and used by both sides.
///
/// - ``PluginManifest``: what a plugin declares about itself (name, version, topics, methods,
///   migrations), checked when it loads.
/// - ``MethodDescriptor``: one method as `daemon.methods` lists it, with its ``MethodAccess``,
///   ``MethodRole``, params schema and ``DisplayHints``.
/// - ``SchemaSubset``: the JSON Schema keywords the daemon enforces; any other keyword in a
///   plugin's params schema stops the plugin from loading.
/// - ``ParamsValidator``: the check of params against a schema, run before every call.
/// - ``Redaction``: what audit records and logs keep of private params.
/// - ``CallerRecord``: the caller object the daemon hands every call.
/// - ``CommittedEventRecord``: an event as a plugin's `committed` hook receives it.
///
/// The C ABI (`CReceptionABI`) moves these as JSON bytes; this module is the only place that
/// writes or reads them. The in-process testing kit (`ReceptionPluginTesting`) runs the same code,
/// so a test that passes there passes over the socket.
public enum PluginContract {
    /// The version of the C ABI this contract travels over (`RECEPTION_PLUGIN_ABI_VERSION`).
    public static let abiVersion: UInt32 = 1
}
