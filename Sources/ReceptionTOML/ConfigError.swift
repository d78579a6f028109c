/// A config file problem: which file, where, which key, and which rule.
///
/// Shared by the daemon's `receptiond.conf` and receptionctl's per-user `config.toml`, so both
/// word a bad file the same way: `file:line: key: rule`.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public let file: String
    /// The line, when known.
    public let line: Int?
    /// The key, `section.key`, when known.
    public let key: String?
    /// The rule broken.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int?, key: String?, _ message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { return "\(place): \(key): \(message)" }
        return "\(place): \(message)"
    }
}
