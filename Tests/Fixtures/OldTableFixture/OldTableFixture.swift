import COldReceptionABI

#if canImport(Glibc)
    import Glibc
#endif

/// A test fixture: a plugin built against the ABI header as it was before `stop` was appended
/// (its `rcp_plugin` is 16 bytes shorter than today's), written without the SDK. Loaded before the
/// plugins of today's header, it must neither lose its own calls (`oldtable.ping`) nor, through
/// the Swift runtime's uniquing of imported C struct metadata by name, cut the newer plugins'
/// tables short.
///
/// The plugin table's layout did not change with ABI version 2 (only the call record did, which
/// this fixture never reads), so it says version 2 by default: a table of today's version that
/// ends before its newest members. With `FIXTURE_OLDTABLE_ABI=1` in the daemon's environment it
/// says version 1, as a plugin built before version 2 does, and the daemon must refuse it.

/// The entry point: a table with no `stop` or `started` member.
@_cdecl("receptiond_plugin_entry")
public func receptiondPluginEntry(_ hostTable: UnsafeRawPointer?) -> UnsafeRawPointer? {
    let version: UInt32 = getenv("FIXTURE_OLDTABLE_ABI").map { String(cString: $0) } == "1" ? 1 : 2
    let table = UnsafeMutablePointer<rcp_plugin>.allocate(capacity: 1)
    table.initialize(
        to: rcp_plugin(
            abi_version: version, size: UInt32(MemoryLayout<rcp_plugin>.size), context: nil,
            describe: { _, out in
                out.pointee = OldTableBytes.make(
                    #"{"name":"oldtable","version":"0.9","summary":"Fixture: a plugin with the table before stop.","topics":[],"migrations":[],"methods":[{"name":"oldtable.ping","description":"Answers pong.","params":{"type":"object","properties":{},"required":[],"additionalProperties":false},"access":"read","role":"operator","redact":[]}]}"#
                )
                return RCP_OK
            },
            configure: { _, _, out in
                out.pointee = rcp_owned_bytes(data: nil, len: 0)
                return RCP_OK
            },
            handle: { _, _, out in
                out.pointee = OldTableBytes.make(#"{"pong":"old"}"#)
                return RCP_OK
            },
            release: { _, bytes in free(bytes.data) },
            shutdown: { _ in },
            committed: nil))
    return UnsafeRawPointer(table)
}

/// Bytes handed to the host, released through `release`.
enum OldTableBytes {
    static func make(_ text: String) -> rcp_owned_bytes {
        let bytes = Array(text.utf8)
        guard let memory = malloc(bytes.count)?.assumingMemoryBound(to: UInt8.self) else {
            return rcp_owned_bytes(data: nil, len: 0)
        }
        memory.initialize(from: bytes, count: bytes.count)
        return rcp_owned_bytes(data: memory, len: bytes.count)
    }
}
