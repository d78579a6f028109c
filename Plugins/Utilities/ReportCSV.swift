import Foundation
import ReceptionPluginSDK

/// `utilities.report` as CSV for management's spreadsheet: a header row of the wire names, one
/// row per utility, then a `total` row; the period on every row; amounts in yuan with two
/// decimals (`193.80`), quantities as decimal strings, an empty field for `null`. Lines end in
/// CRLF (RFC 4180); a field holding a comma, a quote or a line break is quoted.
enum ReportCSV {
    /// The columns, in order.
    static let columns = [
        "month", "from", "to", "utility", "quantityUnit", "requests", "cash", "cancelled", "refunded", "bought",
        "failures", "spent", "credited", "collected", "paidOut", "uncollected", "owed", "averageDaysToCollect",
    ]

    /// The CSV text of a report as `utilities.report` answers it in JSON.
    static func text(of report: JSONValue) -> String {
        var total = report["total"]?.objectValue ?? [:]
        total["utility"] = "total"
        let rows = (report["utilities"]?.arrayValue ?? []) + [.object(total)]
        var lines = [columns.joined(separator: ",")]
        for row in rows {
            lines.append(
                columns.map { column in
                    field(row[column] ?? report[column] ?? .null, money: Money.report.contains(column))
                }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One value as a field.
    static func field(_ value: JSONValue, money: Bool) -> String {
        let text: String
        switch value {
        case .null: text = ""
        case .int(let number): text = money ? Yuan.plain(number) : String(number)
        case .double(let number): text = String(number)
        case .string(let string): text = string
        case .bool(let flag): text = flag ? "true" : "false"
        default: text = value.serialized()
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
