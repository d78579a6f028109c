import Logging
import ReceptionProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A swift-log handler writing one human-readable line per record to standard error (or another descriptor).
///
/// Used when the daemon runs outside the journal, for example in a terminal or under a test harness:
///
///     2026-11-26T10:15:03.123+08:00 info receptiond: message key=value key2="value with space"
///
/// Newlines and other control characters are escaped, so every record is exactly one line, and each line is
/// written with a single `write(2)` call, so lines from concurrent loggers never interleave.
public struct StderrLogHandler: LogHandler, Sendable {
    /// The label of the `Logger` this handler belongs to.
    public let label: String
    /// The program name printed on every line, for example `receptiond`.
    public let identifier: String
    /// The descriptor lines are written to (standard error unless chosen otherwise).
    public let fileDescriptor: Int32
    /// The minimum level of records this handler emits.
    public var logLevel: Logger.Level
    /// Metadata attached to every record logged through this handler.
    public var metadata: Logger.Metadata = [:]
    /// Supplies contextual metadata (for example task-local request ids) at the moment of logging.
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - label: The `Logger` label.
    ///   - identifier: The program name printed on every line, for example `receptiond`.
    ///   - level: The minimum level to emit.
    ///   - metadataProvider: Supplies contextual metadata at the moment of logging.
    ///   - fileDescriptor: Where to write; standard error by default. The handler never closes it.
    public init(
        label: String,
        identifier: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        fileDescriptor: Int32 = STDERR_FILENO
    ) {
        self.label = label
        self.identifier = identifier
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.fileDescriptor = fileDescriptor
    }

    /// Reads or writes one metadata entry of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats the record as one line and writes it.
    public func log(event: LogEvent) {
        let merged = MetadataMerging.merged(handler: metadata, provider: metadataProvider, event: event)
        let line = Self.format(
            timestamp: Self.currentTimestamp(),
            level: event.level,
            identifier: identifier,
            message: event.message.description,
            metadata: merged)
        Self.writeLine(line, to: fileDescriptor)
    }

    // MARK: Formatting

    /// Formats one record as a single line, without the trailing newline.
    ///
    /// The layout is `<timestamp> <level> <identifier>: <message>` followed by ` key=value` for each metadata
    /// entry in key order. Line breaks and other control characters in the identifier and message are escaped
    /// (`\n`, `\r`, `\t` stays literal, others as `\xHH` or `\u{HHHH}`). Metadata values that are empty or contain
    /// spaces, quotes, `=`, backslashes or control characters are double-quoted with `\"`, `\\` and the escapes
    /// above; characters in keys that would break the `key=value` syntax become `_`. Nested values are rendered
    /// with their `description`.
    ///
    /// - Parameters:
    ///   - timestamp: The time stamp to print, usually from ``timestamp(epochSeconds:nanoseconds:utcOffsetSeconds:)``.
    ///   - level: The record's level, printed by name (`info`, `warning`, …).
    ///   - identifier: The program name, for example `receptiond`.
    ///   - message: The message text.
    ///   - metadata: The merged metadata of the record.
    /// - Returns: The line, guaranteed not to contain `\n` or `\r`.
    public static func format(
        timestamp: String,
        level: Logger.Level,
        identifier: String,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        var line = escapeControls(timestamp)
        line += " "
        line += level.rawValue
        line += " "
        line += escapeControls(identifier)
        line += ": "
        line += escapeControls(message)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " "
            line += renderKey(key)
            line += "="
            line += renderValue(value.description)
        }
        return line
    }

    /// Formats a point in time as ISO 8601 with millisecond precision and a numeric UTC offset,
    /// for example `2026-11-26T10:15:03.123+08:00`.
    ///
    /// A pure function: the offset is an input, so the result does not depend on the process's time zone.
    /// Fractions are truncated, not rounded; offset seconds beyond whole minutes are dropped.
    ///
    /// - Parameters:
    ///   - epochSeconds: Seconds since 1970-01-01T00:00:00Z.
    ///   - nanoseconds: The fraction of the second, `0..<1_000_000_000` (clamped).
    ///   - utcOffsetSeconds: The local offset from UTC, east positive (for example `28800` for `+08:00`).
    public static func timestamp(epochSeconds: Int, nanoseconds: Int, utcOffsetSeconds: Int) -> String {
        let local = epochSeconds &+ utcOffsetSeconds
        let (days, secondOfDay) = floorDivision(local, 86_400)
        let (year, month, day) = CivilDays.civil(fromDays: days)
        let millisecond = min(max(nanoseconds, 0), 999_999_999) / 1_000_000

        var text = year < 0 ? "-" + pad(-year, 4) : pad(year, 4)
        text += "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        text += "." + pad(millisecond, 3)
        let offsetMinutes = utcOffsetSeconds.magnitude / 60
        text += utcOffsetSeconds < 0 ? "-" : "+"
        text += pad(Int(offsetMinutes / 60 % 100), 2) + ":" + pad(Int(offsetMinutes % 60), 2)
        return text
    }

    /// The current wall-clock time in the process's local time zone, formatted by
    /// ``timestamp(epochSeconds:nanoseconds:utcOffsetSeconds:)``.
    static func currentTimestamp() -> String {
        var now = timespec()
        _ = clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var broken = tm()
        let offset = localtime_r(&seconds, &broken) == nil ? 0 : Int(broken.tm_gmtoff)
        return timestamp(epochSeconds: Int(now.tv_sec), nanoseconds: Int(now.tv_nsec), utcOffsetSeconds: offset)
    }

    /// Writes `line` plus a newline with one `write(2)` call (retried only on `EINTR` or a partial write).
    /// Errors are ignored: logging must never fail the caller.
    static func writeLine(_ line: String, to fd: Int32) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    // MARK: Helpers

    /// Whether a scalar must be escaped to keep the record on one line and the terminal sane.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// The escape sequence for a scalar for which `needsEscape` is true.
    private static func escapeSequence(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{\(hex)}"
        }
    }

    /// Escapes control characters (but not backslashes or quotes) in free text.
    private static func escapeControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += escapeSequence(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `text` is non-empty printable ASCII without white space, `=`, `"` or `\\`: written
    /// as it is, as a key or as a value.
    private static func isBareASCIIWord(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        for byte in text.utf8 {
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "="), byte != UInt8(ascii: "\""),
                byte != UInt8(ascii: "\\")
            else { return false }
        }
        return true
    }

    /// A metadata key with whitespace, `=`, `"` and control characters replaced by `_`.
    private static func renderKey(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        // The daemon's own keys are plain ASCII words: no Unicode property lookup for them (this
        // runs for every key of every line, and every committed write logs one at info).
        if isBareASCIIWord(key) { return key }
        var result = ""
        for scalar in key.unicodeScalars {
            if scalar == "=" || scalar == "\"" || scalar.properties.isWhitespace || needsEscape(scalar) {
                result.unicodeScalars.append("_")
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A metadata value, double-quoted and escaped when it is empty or contains anything beyond a bare word.
    private static func renderValue(_ value: String) -> String {
        if isBareASCIIWord(value) { return value }
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { scalar in
                scalar == "\"" || scalar == "=" || scalar == "\\" || scalar.properties.isWhitespace
                    || needsEscape(scalar)
            }
        guard needsQuotes else { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            default:
                if needsEscape(scalar) {
                    result += escapeSequence(scalar)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result += "\""
        return result
    }

    /// Zero-padded decimal of a non-negative number.
    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Division rounding towards negative infinity, with a non-negative remainder.
    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

}
