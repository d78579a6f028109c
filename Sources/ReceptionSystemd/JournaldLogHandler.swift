import CSystemd
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A swift-log handler sending each record to systemd-journald as structured fields (`sd_journal_sendv(3)`).
///
/// Every record carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`,
/// `LOGGER` (the `Logger` label, when non-empty) and one field per metadata entry, named by
/// ``fieldName(forMetadataKey:)``, so `journalctl REQUEST_ID=42` or `journalctl PLUGIN=housekeeping` work.
/// Values may contain newlines or any other bytes.
///
/// `CODE_FILE` is the file as swift-log reports it (`#fileID`, e.g. `ReceptionDaemon/Server.swift`).
///
/// If `sd_journal_sendv` reports an error, the record is written to standard error as a ``StderrLogHandler``
/// line instead. (A missing journal socket is not an error to libsystemd: records are then dropped silently,
/// which is why ``LogDestination`` only picks this handler when standard error is the journal.)
public struct JournaldLogHandler: LogHandler, Sendable {
    /// The label of the `Logger` this handler belongs to, sent as `LOGGER`.
    public let label: String
    /// The program name sent as `SYSLOG_IDENTIFIER`, for example `receptiond`.
    public let identifier: String
    /// The minimum level of records this handler emits.
    public var logLevel: Logger.Level
    /// Metadata attached to every record logged through this handler.
    public var metadata: Logger.Metadata = [:]
    /// Supplies contextual metadata (for example task-local request ids) at the moment of logging.
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - label: The `Logger` label, sent as `LOGGER`.
    ///   - identifier: The program name sent as `SYSLOG_IDENTIFIER`, for example `receptiond`.
    ///   - level: The minimum level to emit.
    ///   - metadataProvider: Supplies contextual metadata at the moment of logging.
    public init(
        label: String,
        identifier: String,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.identifier = identifier
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    /// Reads or writes one metadata entry of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends the record to the journal, falling back to a line on standard error if `sd_journal_sendv` fails.
    public func log(event: LogEvent) {
        let merged = MetadataMerging.merged(handler: metadata, provider: metadataProvider, event: event)
        if Self.send(fields(for: event, merged: merged)) < 0 {
            let line = StderrLogHandler.format(
                timestamp: StderrLogHandler.currentTimestamp(),
                level: event.level,
                identifier: identifier,
                message: event.message.description,
                metadata: merged)
            StderrLogHandler.writeLine(line, to: STDERR_FILENO)
        }
    }

    /// The journal fields, each `NAME=value`, this handler sends for `event`: the fixed fields first, then the
    /// merged metadata (handler, then metadata provider, then the record's own, later sources winning) in key
    /// order. Metadata keys that map to no valid field name are left out.
    ///
    /// - Parameter event: The record.
    /// - Returns: The fields in the order they are sent.
    public func fields(for event: LogEvent) -> [String] {
        fields(for: event, merged: MetadataMerging.merged(handler: metadata, provider: metadataProvider, event: event))
    }

    /// The fields for `event` with its metadata already merged.
    private func fields(for event: LogEvent, merged: Logger.Metadata) -> [String] {
        var fields = [
            "MESSAGE=\(event.message.description)",
            "PRIORITY=\(Self.syslogPriority(for: event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
        ]
        if !label.isEmpty {
            fields.append("LOGGER=\(label)")
        }
        for key in merged.keys.sorted() {
            guard let value = merged[key], let name = Self.fieldName(forMetadataKey: key) else { continue }
            fields.append("\(name)=\(value.description)")
        }
        return fields
    }

    // MARK: Mapping

    /// The syslog priority journald stores for a level: trace and debug → 7, info → 6, notice → 5, warning → 4,
    /// error → 3, critical → 2.
    ///
    /// - Parameter level: A swift-log level.
    /// - Returns: The `PRIORITY` value.
    public static func syslogPriority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The field names this handler sets itself; metadata keys mapping to one of them get a `META_` prefix.
    public static let reservedFieldNames: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "LOGGER",
    ]

    /// The longest field name journald accepts.
    static let maximumFieldNameLength = 64

    /// The journal field name for a metadata key, or `nil` if nothing usable remains.
    ///
    /// ASCII letters are uppercased, every other character outside `[A-Z0-9_]` becomes `_`, and leading digits and
    /// underscores are stripped (journald rejects names starting with a digit, and ignores client fields starting
    /// with `_`, which are reserved for trusted fields). Names colliding with ``reservedFieldNames`` get a `META_`
    /// prefix so metadata never overrides `MESSAGE` or `PRIORITY`; the result is cut to 64 characters.
    /// So `request_id` → `REQUEST_ID`, `peer-uid` → `PEER_UID`, `_1x` → `X`, `message` → `META_MESSAGE`.
    ///
    /// - Parameter key: A swift-log metadata key.
    /// - Returns: A valid journal field name, or `nil` for keys such as `""`, `"_"` or `"42"`.
    public static func fieldName(forMetadataKey key: String) -> String? {
        var name: [UInt8] = []
        name.reserveCapacity(key.utf8.count)
        for scalar in key.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A: name.append(UInt8(scalar.value - 0x20))  // a-z → A-Z
            case 0x41...0x5A, 0x30...0x39, 0x5F: name.append(UInt8(scalar.value))  // A-Z 0-9 _
            default: name.append(0x5F)
            }
        }
        guard let start = name.firstIndex(where: { !($0 == 0x5F || (0x30...0x39).contains($0)) }) else { return nil }
        var result = String(decoding: name[start...], as: UTF8.self)
        if reservedFieldNames.contains(result) {
            result = "META_" + result
        }
        if result.utf8.count > maximumFieldNameLength {
            result = String(result.prefix(maximumFieldNameLength))
        }
        return result
    }

    // MARK: Sending

    /// Sends fields with `sd_journal_sendv`; returns its result (negative errno on failure).
    static func send(_ fields: [String]) -> Int32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(0) { $0 + $1.utf8.count })
        var ranges: [(offset: Int, count: Int)] = []
        ranges.reserveCapacity(fields.count)
        for field in fields {
            ranges.append((bytes.count, field.utf8.count))
            bytes.append(contentsOf: field.utf8)
        }
        return bytes.withUnsafeMutableBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress, !ranges.isEmpty else { return -EINVAL }
            let vectors = ranges.map { iovec(iov_base: base + $0.offset, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32(clamping: $0.count)) }
        }
    }
}
