import CReceptionABI
import Foundation
import Logging
import ReceptionProtocol

/// Finds plugin libraries and loads them through the versioned C entry point.
///
/// A library that cannot be opened, lacks the entry symbol, speaks another ABI version, or
/// describes itself wrongly is reported as a ``PluginLoadError``; it never takes the daemon down.
public struct PluginLoader: Sendable {
    /// The file name pattern of plugin libraries in the plugin directory: `libreceptiond-<name>.so`.
    public static let filePrefix = "libreceptiond-"
    /// The file name suffix of plugin libraries.
    public static let fileSuffix = ".so"

    private let logger: Logger

    /// Creates a loader that logs through `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The plugin libraries in `directory`, sorted by name; an explicit `names` list
    /// (`["parcels", "access"]`) selects `libreceptiond-<name>.so` files instead.
    public static func candidates(in directory: String, names: [String]?) throws(PluginLoadError) -> [String] {
        if let names {
            return names.map { "\(directory)/\(filePrefix)\($0)\(fileSuffix)" }
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PluginLoadError("cannot read plugin directory \(directory): \(error.localizedDescription)")
        }
        return entries.filter { $0.hasPrefix(filePrefix) && $0.hasSuffix(fileSuffix) }.sorted()
            .map { "\(directory)/\($0)" }
    }

    /// Opens one library and asks it to describe itself.
    public func load(path: String) -> Result<PluginLibrary, PluginLoadError> {
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(PluginLoadError("\(path): no such file"))
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            return .failure(PluginLoadError("cannot load \(path): \(reason)"))
        }
        // Never dlclose: Swift libraries cannot be unloaded, and a failed plugin costs only its mapping.
        guard let symbol = dlsym(handle, RECEPTION_PLUGIN_ENTRY_SYMBOL) else {
            return .failure(PluginLoadError("\(path) is not a receptiond plugin: no \(RECEPTION_PLUGIN_ENTRY_SYMBOL) symbol"))
        }
        let entry = unsafeBitCast(symbol, to: rcp_entry_fn.self)
        guard let table = entry(HostTable.shared.pointer) else {
            return .failure(PluginLoadError("\(path): the plugin refused host ABI version \(RECEPTION_PLUGIN_ABI_VERSION)"))
        }
        guard table.pointee.abi_version == RECEPTION_PLUGIN_ABI_VERSION else {
            return .failure(
                PluginLoadError(
                    "\(path) was built for plugin ABI version \(table.pointee.abi_version); this daemon speaks version \(RECEPTION_PLUGIN_ABI_VERSION). Rebuild it against the matching ReceptionPluginSDK."
                ))
        }
        guard table.pointee.size >= UInt32(MemoryLayout<rcp_plugin>.size) else {
            return .failure(PluginLoadError("\(path): plugin table is too small (\(table.pointee.size) bytes)"))
        }
        var out = rcp_owned_bytes(data: nil, len: 0)
        guard table.pointee.describe(table.pointee.context, &out) == RCP_OK, let data = out.data else {
            return .failure(PluginLoadError("\(path): the plugin could not describe itself"))
        }
        let bytes = Array(UnsafeBufferPointer(start: data, count: out.len))
        table.pointee.release(table.pointee.context, out)
        let manifest: PluginManifest
        do {
            manifest = try PluginManifest(json: try JSONValue.parse(bytes))
        } catch let error as PluginLoadError {
            return .failure(PluginLoadError("\(path): \(error.message)"))
        } catch {
            return .failure(PluginLoadError("\(path): manifest is not valid JSON: \(error)"))
        }
        logger.debug("plugin library opened", metadata: ["plugin": "\(manifest.name)", "path": "\(path)"])
        return .success(PluginLibrary(path: path, table: table, manifest: manifest))
    }
}

/// The single host table handed to every plugin; it routes plugin-wide log lines to swift-log.
final class HostTable: @unchecked Sendable {
    // Written once at first use, then only read.
    static let shared = HostTable()
    let pointer: UnsafeMutablePointer<rcp_host>

    private init() {
        pointer = UnsafeMutablePointer<rcp_host>.allocate(capacity: 1)
        pointer.initialize(
            to: rcp_host(
                abi_version: RECEPTION_PLUGIN_ABI_VERSION, size: UInt32(MemoryLayout<rcp_host>.size), context: nil,
                log: { _, level, message in
                    let text = String(decoding: UnsafeBufferPointer(start: message.data, count: message.len), as: UTF8.self)
                    Logger(label: "receptiond.plugin").log(level: LogLevelMapping.level(level), "\(text)")
                }))
    }
}
