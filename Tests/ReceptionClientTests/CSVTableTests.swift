import Foundation
import ReceptionClient
import ReceptionProtocol
import Testing

/// CSV as spreadsheets write it (RFC 4180), with the line each row starts on.
@Suite("receptionctl: reading a CSV file of batch rows")
struct CSVTableTests {
    static func parse(_ text: String, maxRows: Int = 10, maxLineBytes: Int = 200) throws(CSVTable.Problem) -> CSVTable {
        try CSVTable.parse(Array(text.utf8), limits: .init(maxRows: maxRows, maxLineBytes: maxLineBytes))
    }

    @Test("Quoted fields hold commas, doubled quotes and line breaks; a BOM, CRLF and blank lines are skipped")
    func quoting() throws {
        let table = try Self.parse(
            "\u{FEFF} kind ,note\r\nparcel,\"a, \"\"b\"\"\"\r\n\r\nletter,\"two\nlines\"\nparcel,")
        #expect(table.header == ["kind", "note"])
        #expect(table.rows.map(\.fields) == [["parcel", "a, \"b\""], ["letter", "two\nlines"], ["parcel", ""]])
        #expect(table.rows.map(\.line) == [2, 4, 6], "the line each row starts on")
    }

    @Test("Each problem names its line: stray quotes, unclosed quotes, field counts, limits, not UTF-8")
    func problems() throws {
        func problem(_ text: String, maxRows: Int = 10) -> CSVTable.Problem? {
            do {
                _ = try Self.parse(text, maxRows: maxRows)
                return nil
            } catch {
                return error
            }
        }
        #expect(problem("a,b\n1,x\"y\n")?.line == 2)
        #expect(problem("a,b\n1,2\n\"3,4\n")?.description == "line 3: has a quoted field that is never closed")
        #expect(problem("a,b\n1,2,3\n")?.description == "line 2: has 3 fields but the header has 2")
        #expect(problem("a\n1\n2\n3\n", maxRows: 2)?.description == "line 4: is past the limit of 2 rows in one batch")
        #expect(problem("a\n" + String(repeating: "x", count: 300) + "\n")?.line == 2)
        #expect(problem("")?.description == "line 1: is empty: the header row is missing")
        do {
            _ = try CSVTable.parse([0x61, 0x0A, 0x62, 0xFF, 0x0A], limits: .init(maxRows: 5))
            Issue.record("invalid UTF-8 was read")
        } catch {
            #expect(error.line == 2)
        }
    }
}

/// The rows of a CSV file as the list param of a batch method.
@Suite("receptionctl: CSV rows as a batch's items")
struct CSVItemsTests {
    /// `parcels.receiveBatch`' `items` as `daemon.methods` publishes it, trimmed.
    static let list: ParamSpec = {
        let schema = try? JSONValue.parse(
            """
            {"type":"object","properties":{"items":{"type":"array","maxItems":3,"items":{"type":"object",
              "required":["kind","recipient"],"properties":{
                "kind":{"type":"string","enum":["letter","parcel"]},
                "recipient":{"type":"string","x-i18n":{"zh":{"title":"收件人"}}},
                "damageNote":{"type":"string"},
                "due":{"type":"string","format":"date-time"}}}}}}
            """)
        return ParamSpec.list(fromSchema: schema ?? [:])[0]
    }()

    @Test(
        "Headers may be wire names, kebab-case, snake_case or the published Chinese title; cells are typed as options")
    func headers() throws {
        let reader = CSVItems(list: Self.list, source: "items.csv")
        let dates = DateInput(timeZone: try #require(TimeZone(identifier: "Asia/Shanghai")))
        let read = try reader.items(
            from: Array("KIND,收件人,damage-note,due\nletter,李娜,,2026-12-06 18:00\nparcel,王芳,torn,\n".utf8),
            dates: dates)
        #expect(
            read.items == [
                ["kind": "letter", "recipient": "李娜", "due": "2026-12-06T18:00:00.000+08:00"],
                ["kind": "parcel", "recipient": "王芳", "damageNote": "torn"],
            ])
        #expect(read.lines == [2, 3])
        #expect(try reader.items(from: Array("kind,recipient,damage_note\nletter,x,y\n".utf8)).lines == [2])
    }

    @Test(
        "Errors name the file, the line and the column: unknown column, missing column, empty required cell, bad value, too many rows"
    )
    func errors() {
        let reader = CSVItems(list: Self.list, source: "items.csv")
        func message(_ text: String) -> String {
            do {
                _ = try reader.items(from: Array(text.utf8))
                return ""
            } catch {
                return error.message
            }
        }
        #expect(
            message("kind,recipent\n").hasPrefix(
                "items.csv line 1, column 2: unknown column 'recipent'; did you mean recipient?"))
        #expect(message("kind\nletter\n") == "items.csv line 1: the header needs the column recipient")
        #expect(message("kind,recipient\nletter,\n") == "items.csv line 2, column recipient: needs a value")
        #expect(
            message("kind,recipient\nletter,a\nparsel,b\n").hasPrefix(
                "items.csv line 3, column kind: kind must be one of"))
        #expect(message("kind,recipient\na,b\na,b\na,b\na,b\n").contains("line 5: is past the limit of 3 rows"))
    }
}
