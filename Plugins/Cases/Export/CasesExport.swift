import CasesPlugin
import ReceptionPluginSDK

/// The library's one exported symbol: the daemon looks it up with dlsym. It lives in a target of
/// its own so that tests can link the department (CasesPlugin) without it.
@_cdecl("receptiond_plugin_entry")
public func receptiondPluginEntry(_ host: UnsafeRawPointer?) -> UnsafeRawPointer? {
    PluginExport.entry(CasesPlugin.self, host: host)
}
