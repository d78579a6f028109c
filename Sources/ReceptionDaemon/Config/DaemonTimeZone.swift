import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's time zone, `[daemon] time_zone`: the zone every department reads "today", "that
/// day's start" and "days waiting" in, and the one clients read dates typed by people in.
///
/// It is applied to the whole process at start-up (`TZ`, then `tzset`), before any plugin is
/// loaded: the SDK's calendar dates (`localtime_r`/`mktime`) and the offsets of wire timestamps
/// (`TimeZone.current`) then all agree without each plugin being told. Changing it needs a
/// restart: `setenv` is not safe while other threads read the environment.
public enum DaemonTimeZone {
    /// The system's zone as an IANA name: `TZ` (`:Asia/Shanghai`, or a path under `zoneinfo/`),
    /// else the target of `/etc/localtime` when it is a link, else Debian's `/etc/timezone`; `nil`
    /// when none of them names a zone Foundation knows (a POSIX `TZ` such as `CST-8`, an
    /// `/etc/localtime` copied as a plain file). Then the daemon takes Foundation's reading
    /// (``fallbackIdentifier``), applies it so that the C library and Foundation agree, and warns.
    public static func systemIdentifier(
        environment: [String: String] = startupEnvironment, localtime: String = "/etc/localtime",
        timezoneFile: String = "/etc/timezone"
    ) -> String? {
        if let raw = environment["TZ"] {
            // A TZ the C library reads but that names no IANA zone: leave it to the C library.
            guard let name = identifier(fromTZ: raw), TimeZone(identifier: name) != nil else { return nil }
            return name
        }
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: localtime) {
            if let name = identifier(fromPath: target), TimeZone(identifier: name) != nil { return name }
        }
        if let text = try? String(contentsOfFile: timezoneFile, encoding: .utf8) {
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !name.isEmpty, TimeZone(identifier: name) != nil { return name }
        }
        return nil
    }

    /// The environment as the process started, before ``apply(_:)`` set `TZ`: what a reload
    /// compares against, so that removing `time_zone` is reported as needing a restart.
    public static let startupEnvironment = ProcessInfo.processInfo.environment

    /// What the daemon uses when the system names no zone: Foundation's idea of the local zone.
    public static var fallbackIdentifier: String { TimeZone.current.identifier }

    /// The IANA name in a `TZ` value: `Asia/Shanghai`, `:Asia/Shanghai`, or a zoneinfo path.
    static func identifier(fromTZ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix(":") { text.removeFirst() }
        guard !text.isEmpty else { return nil }
        return text.hasPrefix("/") ? identifier(fromPath: text) : text
    }

    /// `Asia/Shanghai` from `/usr/share/zoneinfo/Asia/Shanghai` (or `../usr/share/zoneinfo/...`).
    static func identifier(fromPath path: String) -> String? {
        guard let range = path.range(of: "zoneinfo/") else { return nil }
        let name = String(path[range.upperBound...])
        return name.isEmpty ? nil : name
    }

    /// Whether `name` is a zone this machine knows (its tz database has it).
    public static func isKnown(_ name: String) -> Bool { TimeZone(identifier: name) != nil }

    /// Makes `identifier` the process's local zone. Call once, before threads and plugins start.
    public static func apply(_ identifier: String) {
        setenv("TZ", identifier, 1)
        tzset()
        NSTimeZone.resetSystemTimeZone()
    }
}
