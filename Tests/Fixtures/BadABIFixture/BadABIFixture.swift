import CReceptionABI

/// A test fixture: a plugin built against a future ABI version. The daemon must refuse it with a
/// clear message instead of calling into a table it does not understand.

/// The entry point: returns a table that claims ABI version 999.
@_cdecl("receptiond_plugin_entry")
public func receptiondPluginEntry(_ hostTable: UnsafeRawPointer?) -> UnsafeRawPointer? {
    let table = UnsafeMutablePointer<rcp_plugin>.allocate(capacity: 1)
    table.initialize(
        to: rcp_plugin(
            abi_version: 999, size: UInt32(MemoryLayout<rcp_plugin>.size), context: nil,
            describe: { _, _ in RCP_ERROR }, configure: { _, _, _ in RCP_ERROR }, handle: { _, _, _ in RCP_ERROR },
            release: { _, _ in }, shutdown: { _ in }, committed: nil, stop: nil, started: nil))
    return UnsafeRawPointer(table)
}
