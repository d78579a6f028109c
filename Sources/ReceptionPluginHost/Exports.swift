/// The host speaks the plugin contract: its types (manifest, method descriptors, roles, the
/// params validator) are the host's vocabulary for everyone who imports it.
@_exported import ReceptionPluginContract
