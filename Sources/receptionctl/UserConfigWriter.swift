import Foundation
import ReceptionTOML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Changes keys of the per-user config file (``UserConfig``) the way a person would: the line of
/// each key is replaced or removed in place, new keys go at the end, and every other line
/// (comments, blank lines, other keys) stays as written.
///
/// The file is replaced atomically (a temporary file in the same directory, synced, then
/// renamed), mode 0600; its directory is created mode 0700. A file that does not read as a valid
/// config is left alone: the change is refused with the error naming its line.
enum UserConfigWriter {
    /// Sets (a value) or removes (`nil`) each key in `changes`, and returns the new file's values.
    static func apply(_ changes: [(key: String, value: String?)], to path: String) throws(ConfigError) -> [String:
        String]
    {
        var text = ""
        if FileManager.default.fileExists(atPath: path) {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError(file: path, line: nil, key: nil, "cannot read: \(error.localizedDescription)")
            }
            _ = try UserConfig.parse(text, file: path)
        }
        let updated = edited(text, changes)
        let values = try UserConfig.parse(updated, file: path)
        try write(updated, to: path)
        return values
    }

    /// `text` with `changes` made line by line.
    static func edited(_ text: String, _ changes: [(key: String, value: String?)]) -> String {
        var lines = TOMLText.lines(text)
        if lines.last == "" { lines.removeLast() }
        for (key, value) in changes {
            let newLine = value.map { "\(key) = \(quoted($0))" }
            if let number = TOMLText.line(of: key, in: "", lines: lines) {
                if let newLine {
                    lines[number - 1] = newLine
                } else {
                    lines.remove(at: number - 1)
                }
            } else if let newLine {
                lines.append(newLine)
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string: `"li.na"`, with `\` `"` and control characters escaped.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Writes `text` to `path` atomically, mode 0600, creating its directory mode 0700.
    private static func write(_ text: String, to path: String) throws(ConfigError) {
        func fail(_ what: String, _ code: Int32 = errno) -> ConfigError {
            ConfigError(file: path, line: nil, key: nil, "\(what): \(String(cString: strerror(code)))")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ConfigError(
                    file: path, line: nil, key: nil, "cannot create \(directory): \(error.localizedDescription)")
            }
            _ = chmod(directory, 0o700)
        }
        let temporary = "\(directory)/.config.toml.\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("cannot write \(temporary)") }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Foundation.write(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                _ = close(fd)
                _ = unlink(temporary)
                throw fail("cannot write \(temporary)", code)
            }
            offset += written
        }
        _ = fchmod(fd, 0o600)
        if fsync(fd) != 0 {
            let code = errno
            _ = close(fd)
            _ = unlink(temporary)
            throw fail("cannot sync \(temporary)", code)
        }
        _ = close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            _ = unlink(temporary)
            throw fail("cannot replace the file", code)
        }
    }
}
