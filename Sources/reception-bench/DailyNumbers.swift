import GRDB

/// Numbers as the plugins give them, per prefix and local day at UTC+8 (`CS20261205-0001`),
/// with the counters to move past them afterwards (`CS:20261205` → 1 in `cases_counters`).
struct DailyNumbers {
    /// What separates the prefix from the day in a counter's name (`:` in visitors and cases,
    /// nothing in desk).
    let separator: String
    /// The last number given, by counter name.
    private(set) var counters: [String: Int] = [:]

    /// Numbers whose counters are named `<prefix><separator><yyyymmdd>`.
    init(separator: String) {
        self.separator = separator
    }

    /// The next number of `prefix` on the local day of `millis`.
    mutating func next(_ prefix: String, at millis: Int64) -> String {
        let compact = IsoTime.format(millis).prefix(10).replacingOccurrences(of: "-", with: "")
        let name = prefix + separator + compact
        let serial = (counters[name] ?? 0) + 1
        counters[name] = serial
        let digits = String(serial)
        return prefix + compact + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Writes the counters into the plugin's `table` (`name`, `value`), so that its next number
    /// of each day follows the seeded ones.
    func write(into table: String, _ db: Database) throws {
        let statement = try db.makeStatement(sql: "INSERT INTO \(table) (name, value) VALUES (?, ?)")
        for (name, value) in counters {
            try statement.execute(arguments: [name, value])
        }
    }
}
