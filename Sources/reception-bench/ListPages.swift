import Foundation
import ReceptionProtocol

/// What the `list-unit`, `list-recipient` and `stats` workloads ask for besides a unit or a name.
enum ListPages {
    /// Items the seed makes by default: later pages start below a random one of them.
    static let seededItems = 1_000_000

    /// A `parcels.list` cursor continuing below a random item of the seeded million, as the
    /// plugin writes them (`c1.` and the row id in base 36): a page deep in the history.
    static func cursor(_ random: inout SeededRandom) -> String {
        "c1." + String(1 + random.index(seededItems), radix: 36)
    }

    /// `parcels.stats` params of each of the last twelve whole months (UTC+8, as the seed
    /// writes times): `{"from":"2026-03-01","to":"2026-03-31"}`.
    static let months: [String] = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let thisMonth = calendar.dateComponents([.year, .month], from: Date())
        return (1...12).compactMap { back -> String? in
            guard
                let start = calendar.date(from: thisMonth).flatMap({
                    calendar.date(byAdding: .month, value: -back, to: $0)
                }),
                let end = calendar.date(byAdding: DateComponents(month: 1, day: -1), to: start)
            else { return nil }
            func day(_ date: Date) -> String {
                let parts = calendar.dateComponents([.year, .month, .day], from: date)
                return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            }
            return "{\"from\":\"\(day(start))\",\"to\":\"\(day(end))\"}"
        }
    }()
}
