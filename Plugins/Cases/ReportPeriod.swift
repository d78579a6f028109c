import ReceptionPluginSDK

/// The days a monthly report covers: from the day after the end day of the month before to the
/// end day of the month, both included (29 November to 28 December for `2026-12` ending on the
/// 28th). An end day a month lacks is that month's last day (the 30th in February is the 28th
/// or 29th), so that periods follow each other without a gap.
struct ReportPeriod {
    /// The first day.
    let first: CivilDate
    /// The last day.
    let last: CivilDate

    /// The period of `month` (`2026-12`) ending on `endDay`; a validation error on `month` when
    /// it is not written `YYYY-MM`.
    init(month: String, endDay: Int) throws(RPCError) {
        let parts = month.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let number = Int(parts[1]), (1...12).contains(number), (2...9999).contains(year),
            let last = Self.end(year: year, month: number, day: endDay),
            let previous = Self.end(
                year: number == 1 ? year - 1 : year, month: number == 1 ? 12 : number - 1, day: endDay),
            let first = previous.adding(days: 1)
        else {
            throw RPCError(
                .validation, "month must be written YYYY-MM (e.g. 2026-12), got \"\(month)\"", field: "month",
                details: ["rule": "month"]
            ).localized("zh", "month 应为 YYYY-MM 格式的月份（如 2026-12），收到的是“\(month)”")
        }
        self.first = first
        self.last = last
    }

    /// The day `day` of the month, or the month's last day when it has fewer.
    static func end(year: Int, month: Int, day: Int) -> CivilDate? {
        CivilDate(year: year, month: month, day: min(day, CivilDate.days(inMonth: month, year: year)))
    }

    /// The period's first and last instant as a half-open range of milliseconds in `zone`.
    func range(in zone: LocalTime) -> (from: Int64, to: Int64) {
        (zone.startMs(of: first), zone.startMs(of: last.adding(days: 1) ?? last))
    }

    /// `{"from", "to"}`: the first and last day.
    var json: JSONValue { ["from": .string(first.description), "to": .string(last.description)] }
}

/// A share as the monthly report writes it: a decimal string with four places, rounded half
/// up (`7 / 8` → `"0.8750"`), or null when there is nothing to count.
enum Rate {
    /// `part ÷ whole`, or null when `whole` is 0.
    static func of(_ part: Int64, _ whole: Int64) -> JSONValue {
        guard whole > 0 else { return .null }
        let tenThousandths = (part * 20_000 + whole) / (2 * whole)
        let fraction = String(tenThousandths % 10_000)
        return .string("\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction)
    }
}
