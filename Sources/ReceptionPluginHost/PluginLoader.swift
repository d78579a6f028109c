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
            return .failure(
                PluginLoadError("\(path) is not a receptiond plugin: no \(RECEPTION_PLUGIN_ENTRY_SYMBOL) symbol"))
        }
        let entry = unsafeBitCast(symbol, to: rcp_entry_fn.self)
        let hostContext = PluginHostContext(path: path)
        guard let table = entry(hostContext.table) else {
            return .failure(
                PluginLoadError("\(path): the plugin refused host ABI version \(RECEPTION_PLUGIN_ABI_VERSION)"))
        }
        guard table.pointee.abi_version == RECEPTION_PLUGIN_ABI_VERSION else {
            return .failure(
                PluginLoadError(
                    "\(path) was built for plugin ABI version \(table.pointee.abi_version); this daemon speaks version \(RECEPTION_PLUGIN_ABI_VERSION). Rebuild it against the matching ReceptionPluginSDK."
                ))
        }
        // Tables from plugins built before `committed` was appended are accepted without it.
        let minimumSize = MemoryLayout<rcp_plugin>.offset(of: \rcp_plugin.committed) ?? MemoryLayout<rcp_plugin>.size
        guard table.pointee.size >= UInt32(minimumSize) else {
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
        hostContext.name = manifest.name
        logger.debug("plugin library opened", metadata: ["plugin": "\(manifest.name)", "path": "\(path)"])
        return .success(PluginLibrary(path: path, table: table, manifest: manifest))
    }
}

/// Where a plugin's background writes go: set once by the daemon after every plugin is loaded,
/// configured and migrated, and before the socket listens. A write submitted before that is
/// dropped.
public enum PluginHostBridge {
    /// Receives (plugin name, method, params JSON) from `submit_write`.
    public typealias Submitter = @Sendable (String, String, [UInt8]) -> Void
    private static let box = SubmitterBox()

    /// Installs the daemon's handler for background writes.
    public static func setSubmitter(_ submitter: @escaping Submitter) { box.set(submitter) }

    static func submit(plugin: String, method: String, params: [UInt8]) { box.get()?(plugin, method, params) }
}

/// The submitter, behind a lock.
final class SubmitterBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var submitter: PluginHostBridge.Submitter?
    func set(_ value: @escaping PluginHostBridge.Submitter) { lock.withLock { submitter = value } }
    func get() -> PluginHostBridge.Submitter? { lock.withLock { submitter } }
}

/// The host table of one plugin: routes its log lines to swift-log and its background writes to
/// the daemon, tagged with the plugin's name. Lives for the life of the process.
final class PluginHostContext: @unchecked Sendable {
    // `name` is written once, right after the plugin describes itself, before any callback can use it.
    let path: String
    var name: String?
    let table: UnsafeMutablePointer<rcp_host>

    init(path: String) {
        self.path = path
        table = UnsafeMutablePointer<rcp_host>.allocate(capacity: 1)
        let unmanaged = Unmanaged.passRetained(self)
        table.initialize(
            to: rcp_host(
                abi_version: RECEPTION_PLUGIN_ABI_VERSION, size: UInt32(MemoryLayout<rcp_host>.size),
                context: unmanaged.toOpaque(),
                log: { context, level, message in
                    let text = String(
                        decoding: UnsafeBufferPointer(start: message.data, count: message.len), as: UTF8.self)
                    var logger = Logger(label: "receptiond.plugin")
                    if let context {
                        let host = Unmanaged<PluginHostContext>.fromOpaque(context).takeUnretainedValue()
                        logger[metadataKey: "plugin"] = "\(host.name ?? host.path)"
                    }
                    logger.log(level: LogLevelMapping.level(level), "\(text)")
                },
                submit_write: { context, method, params in
                    guard let context else { return }
                    let host = Unmanaged<PluginHostContext>.fromOpaque(context).takeUnretainedValue()
                    guard let name = host.name else { return }
                    let methodText = String(
                        decoding: UnsafeBufferPointer(start: method.data, count: method.len), as: UTF8.self)
                    let paramsBytes = params.data.map { Array(UnsafeBufferPointer(start: $0, count: params.len)) } ?? []
                    PluginHostBridge.submit(plugin: name, method: methodText, params: paramsBytes)
                },
                call: { _, callContext, method, params, out in
                    let methodText = String(
                        decoding: UnsafeBufferPointer(start: method.data, count: method.len), as: UTF8.self)
                    let paramsBytes = params.data.map { Array(UnsafeBufferPointer(start: $0, count: params.len)) } ?? []
                    let result: Result<String, RPCError>
                    if let callContext {
                        let call = Unmanaged<CallContext>.fromOpaque(callContext).takeUnretainedValue()
                        result = call.callNeighbour(methodText, paramsBytes)
                    } else {
                        result = .failure(RPCError(.unavailable, "\(methodText) can be called only from inside a call"))
                    }
                    switch result {
                    case .success(let text):
                        out.pointee = MallocBytes.make(text)
                        return RCP_OK
                    case .failure(let error):
                        out.pointee = MallocBytes.make(error.jsonValue.serialized())
                        return RCP_ERROR
                    }
                }))
    }
}

/// Bytes the host hands a plugin that the plugin frees with `free()` (the `call` reply).
enum MallocBytes {
    static func make(_ text: String) -> rcp_owned_bytes {
        var text = text
        return text.withUTF8 { buffer in
            guard let memory = malloc(max(buffer.count, 1))?.assumingMemoryBound(to: UInt8.self) else {
                return rcp_owned_bytes(data: nil, len: 0)
            }
            if let base = buffer.baseAddress { memory.initialize(from: base, count: buffer.count) }
            return rcp_owned_bytes(data: memory, len: buffer.count)
        }
    }
}
