import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

/// `receptionctl … --csv`: a list as a spreadsheet reads it, RFC 4180, whatever the department.
@Suite("Results as CSV: a list's columns, quoted as RFC 4180 says, money as plain yuan")
struct ResultCSVTests {
    static let presentation = PresentationTests.presentation()

    static let display = ResultDisplay(
        title: "utility", list: "utilities", columns: ["utility", "requests", "cash", "spent", "note"],
        money: ["cash", "spent"],
        schema: [
            "type": "object",
            "properties": [
                "utility": ["type": "string", "x-labels": ["electricity": "电", "gas": "燃气"]]
            ],
        ])

    @Test("the header is the table's labels; each row the values, money without its sign; lines end in CRLF")
    func listAsCSV() throws {
        let result: JSONValue = [
            "month": "2026-12",
            "utilities": [
                ["utility": "electricity", "requests": 12, "cash": 150_000, "spent": 142_350, "note": nil],
                ["utility": "gas", "requests": 3, "cash": 60_000, "spent": -5, "note": ""],
            ],
        ]
        let csv = try #require(ResultFormatter.csv(result, display: Self.display, presentation: Self.presentation))
        #expect(
            csv == "Utility,Requests,Cash,Spent\r\nelectricity,12,1500.00,1423.50\r\ngas,3,600.00,-0.05\r\n",
            "a column empty in every row (note) is left out, as in the table:\n\(csv)")
        let chinese = try #require(
            ResultFormatter.csv(
                result, display: Self.display, presentation: PresentationTests.presentation(language: "zh")))
        #expect(chinese.contains("\r\n电,12,1500.00,1423.50\r\n"), "choices by their Chinese label:\n\(chinese)")
    }

    @Test(
        "a field holding a comma or a quote is quoted, its quotes doubled; a line break reads as a space, as in the table"
    )
    func quoting() throws {
        let display = ResultDisplay(list: "rows", columns: ["name", "note"])
        let result: JSONValue = [
            "rows": [
                ["name": "王芳, 李娜", "note": "said \"tomorrow\""],
                ["name": "陈静", "note": "line one\nline two"],
            ]
        ]
        let csv = try #require(ResultFormatter.csv(result, display: display, presentation: Self.presentation))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.count == 4, "header, two records, and the empty rest after the last CRLF:\n\(csv)")
        #expect(lines[1] == "\"王芳, 李娜\",\"said \"\"tomorrow\"\"\"", "\(csv)")
        #expect(lines[2] == "陈静,line one line two", "\(csv)")
        let table = try CSVTable.parse(Array(csv.utf8), limits: CSVTable.Limits(maxRows: 10))
        #expect(table.rows.map(\.fields) == [["王芳, 李娜", "said \"tomorrow\""], ["陈静", "line one line two"]])
    }

    @Test("times are written in full in the daemon's zone, never relative; text a spreadsheet would run as a formula is quoted with '")
    func timesAndFormulas() throws {
        let display = ResultDisplay(
            list: "rows", columns: ["payer", "note", "at", "spent"], money: ["spent"],
            schema: ["type": "object", "properties": ["at": ["type": "string", "format": "date-time"]]])
        let result: JSONValue = [
            "rows": [
                ["payer": "=HYPERLINK(\"x\")", "note": "-refund", "at": "2026-12-06T18:00:00.000+08:00", "spent": -500],
                ["payer": "+86 138", "note": "@home", "at": "2026-12-05T09:30:00.000+08:00", "spent": 150],
            ]
        ]
        let csv = try #require(ResultFormatter.csv(result, display: display, presentation: Self.presentation))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[1] == "\"'=HYPERLINK(\"\"x\"\")\",'-refund,2026-12-06 18:00,-5.00", "\(csv)")
        #expect(lines[2] == "'+86 138,'@home,2026-12-05 09:30,1.50", "a negative amount stays a number: \(csv)")
        #expect(!csv.contains("today") && !csv.contains("yesterday"), "\(csv)")
    }

    @Test("a record is not a list: there is no CSV of it")
    func recordHasNone() {
        let record: JSONValue = ["utility": "gas", "requests": 3, "cash": 60_000]
        #expect(ResultFormatter.csv(record, display: Self.display, presentation: Self.presentation) == nil)
    }

    @Test("an empty list is the header alone when the plugin names its columns")
    func emptyList() throws {
        let csv = try #require(
            ResultFormatter.csv(["utilities": []], display: Self.display, presentation: Self.presentation))
        #expect(csv == "Utility,Requests,Cash,Spent,Note\r\n")
    }
}
