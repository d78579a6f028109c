import ArgumentParser
import Foundation

/// A duration on the command line: `10s`, `250ms`, `2m`, `1.5s`, or a bare number of seconds.
struct BenchDuration: ExpressibleByArgument, Sendable, CustomStringConvertible {
    /// The length in nanoseconds.
    let nanoseconds: Int64

    /// A duration of `nanoseconds`.
    init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Parses `10s`, `250ms`, `2m`, `1.5s` or `3`.
    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, scale: Double)] = [
            ("ms", 1e6), ("us", 1e3), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var number = text
        var scale = 1e9
        for unit in units where text.hasSuffix(unit.suffix) {
            number = String(text.dropLast(unit.suffix.count))
            scale = unit.scale
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite, value * scale < 9e18 else { return nil }
        nanoseconds = Int64(value * scale)
    }

    /// The length in seconds.
    var seconds: Double { Double(nanoseconds) / 1e9 }

    /// `10s`, `250ms`.
    var description: String {
        if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
        if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
        return "\(seconds)s"
    }
}
