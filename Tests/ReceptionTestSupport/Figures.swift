import Foundation

/// The figures one fault-suite case states: one line on stdout,
/// `fault-suite: <case>: key=value ...`, in the order the values were added. When
/// `RECEPTIOND_FAULT_REPORT=<file>` is set the same line is appended to that file, from which the
/// README's reliability table is written.
///
/// ```swift
/// var figures = Figures("kill-9 under writes")
/// figures["rounds"] = rounds
/// figures["lost"] = lost
/// figures.emit()     // fault-suite: kill-9 under writes: rounds=3 lost=0
/// ```
public struct Figures: Sendable, CustomStringConvertible {
    /// The environment variable naming the report file.
    public static let reportVariable = "RECEPTIOND_FAULT_REPORT"

    /// The case's name (no `:` in it, so the line stays parseable).
    public let caseName: String
    /// The values, in the order they were set (a value set twice keeps its first place).
    public private(set) var values: [(key: String, value: String)] = []

    /// Figures for the case named `caseName`; the mode (`short` or `soak`) is the first value.
    public init(_ caseName: String, mode: SuiteMode = .current) {
        self.caseName = caseName.replacingOccurrences(of: ":", with: " ")
        self["mode"] = mode.rawValue
    }

    /// A value, written as `key=value`: integers as they are, other numbers with two decimals,
    /// anything else by its description with spaces replaced by `_`.
    public subscript(key: String) -> (any Sendable)? {
        get { values.first { $0.key == key }?.value }
        set {
            guard let newValue else {
                values.removeAll { $0.key == key }
                return
            }
            let text = Self.format(newValue)
            if let index = values.firstIndex(where: { $0.key == key }) {
                values[index].value = text
            } else {
                values.append((key, text))
            }
        }
    }

    private static func format(_ value: any Sendable) -> String {
        switch value {
        case let number as Double: return String(format: "%.2f", number)
        case let number as Float: return String(format: "%.2f", Double(number))
        case let number as any BinaryInteger: return "\(number)"
        default: return "\(value)".replacingOccurrences(of: " ", with: "_")
        }
    }

    /// Sets the memory figures of a ``ProcessProbe``: `peak_rss_mib` and `end_rss_mib`.
    public mutating func add(memory: ProcessProbe.Memory, prefix: String = "") {
        self[prefix + "peak_rss_mib"] = memory.peakMiB
        self[prefix + "end_rss_mib"] = memory.currentMiB
    }

    /// Sets the latency figures of a ``PingProbe``: `pings`, `ping_p50_ms`, `ping_p99_ms`,
    /// `ping_max_ms`, `ping_failures`.
    public mutating func add(pings: PingProbe.Latencies, prefix: String = "") {
        self[prefix + "pings"] = pings.count
        self[prefix + "ping_p50_ms"] = pings.p50Ms
        self[prefix + "ping_p99_ms"] = pings.p99Ms
        self[prefix + "ping_max_ms"] = pings.maxMs
        self[prefix + "ping_failures"] = pings.failures
    }

    /// The line, without a newline.
    public var description: String {
        "fault-suite: \(caseName): " + values.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// The report file named by `RECEPTIOND_FAULT_REPORT`, if any.
    public static var reportPath: String? {
        ProcessInfo.processInfo.environment[reportVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Prints the line, and appends it to the report file when one is set.
    public func emit() {
        emit(reportingTo: Self.reportPath)
    }

    /// Prints the line (unless `echo` is false), and appends it to `reportPath` when given.
    public func emit(reportingTo reportPath: String?, echo: Bool = true) {
        let line = description
        if echo { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        guard let path = reportPath else { return }
        // O_APPEND: cases running at the same time each append one whole line.
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            print("fault-suite: cannot open \(Self.reportVariable) file \(path): errno \(errno)")
            return
        }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
