import ReceptionClient
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
