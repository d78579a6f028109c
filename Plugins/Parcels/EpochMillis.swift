import Foundation

/// Milliseconds since 1970, the integer stored beside every ISO 8601 time for ordering and ranges.
enum EpochMillis {
    /// `date` in whole milliseconds.
    static func of(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
