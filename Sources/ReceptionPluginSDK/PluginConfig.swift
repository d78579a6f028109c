import Foundation

/// A plugin's config section, read strictly: every key read is marked, and ``finish()``
/// rejects the keys nobody read, so a typo in `/etc/receptiond/receptiond.conf` stops the
/// plugin from loading with a message naming the key instead of being silently ignored.
public final class PluginConfig {
    private let values: [String: JSONValue]
    private let section: String
    private var read: Set<String> = []
    /// The property's time zone: the daemon's `[daemon] time_zone` (the process's zone), or the
    /// zone a test gave the testing kit. Days, opening hours and curfews are read in it.
    public let timeZone: TimeZone

    /// Wraps a config section (`section` is how errors name it, e.g. `[plugins.parcels]`) of a
    /// plugin that runs in `timeZone`.
    public init(_ values: [String: JSONValue], section: String, timeZone: TimeZone = .current) {
        self.values = values
        self.section = section
        self.timeZone = timeZone
    }

    /// A string, or `defaultValue` when absent.
    public func string(_ key: String, default defaultValue: String) throws(RPCError) -> String {
        try optionalString(key) ?? defaultValue
    }

    /// A string, or `nil` when absent.
    public func optionalString(_ key: String) throws(RPCError) -> String? {
        read.insert(key)
        guard let value = values[key] else { return nil }
        guard let string = value.stringValue else { throw bad(key, "must be a string, got \(value.typeName)") }
        return string
    }

    /// An integer within `range`, or `defaultValue` when absent.
    public func int(_ key: String, default defaultValue: Int64, in range: ClosedRange<Int64>) throws(RPCError) -> Int64
    {
        read.insert(key)
        guard let value = values[key] else { return defaultValue }
        guard case .int(let number) = value else { throw bad(key, "must be an integer, got \(value.typeName)") }
        guard range.contains(number) else {
            throw bad(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// A boolean, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool) throws(RPCError) -> Bool {
        read.insert(key)
        guard let value = values[key] else { return defaultValue }
        guard let flag = value.boolValue else { throw bad(key, "must be true or false, got \(value.typeName)") }
        return flag
    }

    /// A nested table (`[plugins.access.kinds.parking]`), or `nil` when absent.
    public func table(_ key: String) throws(RPCError) -> PluginConfig? {
        read.insert(key)
        guard let value = values[key] else { return nil }
        guard let members = value.objectValue else { throw bad(key, "must be a table, got \(value.typeName)") }
        return PluginConfig(members, section: "\(section).\(key)", timeZone: timeZone)
    }

    /// The keys present in the section (for tables whose keys are names the operator chooses).
    public var keys: [String] { Array(values.keys) }

    /// The raw value of a key, marked as read.
    public func raw(_ key: String) -> JSONValue? {
        read.insert(key)
        return values[key]
    }

    /// Rejects every key that was not read.
    public func finish() throws(RPCError) {
        let unknown = Set(values.keys).subtracting(read).sorted()
        if let first = unknown.first {
            let known = read.sorted().joined(separator: ", ")
            throw RPCError(
                .validation, "\(section): unknown key \"\(first)\" (known keys: \(known.isEmpty ? "none" : known))",
                field: "\(section).\(first)")
        }
    }

    private func bad(_ key: String, _ rule: String) -> RPCError {
        RPCError(.validation, "\(section) \(key) \(rule)", field: "\(section).\(key)")
    }
}
