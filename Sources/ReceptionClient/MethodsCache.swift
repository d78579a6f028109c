import Foundation
import ReceptionProtocol

/// The last `daemon.methods` result receptionctl saw, kept so help and completion work when the
/// daemon cannot be reached (stopped, restarting, a desk off the network).
///
/// The file is `$XDG_CACHE_HOME/receptionctl/methods.json` (default `~/.cache/receptionctl/…`)
/// and holds the result exactly as the daemon wrote it. It is rewritten atomically (a temporary
/// file renamed over it) after each successful `daemon.methods`, so a reader never sees half a
/// list. The cache is best effort: a home that cannot be written (a system user without one)
/// only means there is no fallback; no command fails because of it.
public struct MethodsCache: Sendable, Hashable {
    /// The cache file.
    public var path: String

    /// A cache kept at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The cache file for `environment`: under `XDG_CACHE_HOME` when it is an absolute path,
    /// else under `HOME/.cache`; `nil` when neither is set.
    /// A daemon reached over ssh has a file of its own (`methods-li@desk-server_2222.json`), so
    /// that help and completion for one host never show another's departments.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment, daemon: DaemonAddress? = nil
    ) -> MethodsCache? {
        let base: String
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            base = cache
        } else if let home = environment["HOME"], !home.isEmpty {
            base = home + "/.cache"
        } else {
            return nil
        }
        guard case .ssh(let user, let host, let port)? = daemon else {
            return MethodsCache(path: base + "/receptionctl/methods.json")
        }
        let key = ((user.map { $0 + "@" } ?? "") + host + (port.map { "_\($0)" } ?? "")).map { character -> Character in
            character.isLetter || character.isNumber || "@._-".contains(character) ? character : "_"
        }
        return MethodsCache(path: base + "/receptionctl/methods-" + String(key.prefix(120)) + ".json")
    }

    /// A method list read from the cache.
    public struct Entry: Sendable {
        /// The `daemon.methods` result (`{"methods":[…], …}`).
        public var result: JSONValue
        /// When it was written (the file's modification time).
        public var savedAt: Date

        /// The methods it lists.
        public var methods: [MethodInfo] { MethodInfo.list(from: result) }
    }

    /// Writes `rawResult` (a `daemon.methods` result as the daemon sent it) atomically; returns
    /// whether it was written.
    @discardableResult
    public func save(rawResult: String) -> Bool {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(rawResult.utf8).write(to: url, options: .atomic)
            return true
        } catch {
            return false
        }
    }

    /// The cached list, or `nil` when there is none or it does not read as a method list.
    public func load() -> Entry? {
        guard let data = FileManager.default.contents(atPath: path),
            let result = try? JSONValue.parse(data),
            result["methods"]?.arrayValue != nil
        else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let savedAt = (attributes?[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return Entry(result: result, savedAt: savedAt)
    }

    /// The line help prints when it falls back to the cache: "the daemon is not reachable; this
    /// help is from the method list cached at 12-06 07:04" (local time).
    public static func notice(savedAt: Date, timeZone: TimeZone = .current) -> String {
        "the daemon is not reachable; this help is from the method list cached at "
            + shortTime(savedAt, timeZone: timeZone)
    }

    /// `12-06 07:04`: month-day and hour:minute in `timeZone`.
    static func shortTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        return "\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }
}
